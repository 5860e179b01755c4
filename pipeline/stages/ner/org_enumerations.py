"""Names enumerated with organisations, as a rule family of the decision (`org_enumerations`).

Prose lists organisations the way a signatory list does, in one sentence:
'ACSO suspended CARD, AHRE, Lawyers for Human Rights and EHRCO', 'la FLIP, la
CCJ, Dejusticia y la ONG Temblores'.  An enumeration of three or more names
joined by commas and a conjunction, at least two of them and half of them
organisations, names organisations in its other members too: a capitalised
name no span covers, or a model's place, or a model's person of two words or
more, with no first name and no title or role around it.  Countries, registry names and people the cues or a
first name vouch for stay what they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ...knowledge.lexicon import CommonWords, Cues, Lexicon, first_names
from ...knowledge.names import fold
from .decision_words import decision_words
from .evidence import person_cue
from .provenance import Provenance

ORG_ENUMERATION = Provenance.rule("org.enumeration")
# The fewest members of an enumeration, and the fewest organisations among them.
MIN_MEMBERS = 3
MIN_ORGS = 2
# Longest aside in brackets after a member ('Comisión Colombiana de Juristas (CCJ)').
MAX_ASIDE = 4


@dataclass
class _Member:
    start: int
    end: int
    span: Span | None


def _skip_aside(doc: Doc, i: int) -> int:
    """After a bracketed aside at `i` ('(CCJ)'), or `i`."""
    if i < len(doc) and doc[i].text == "(":
        for j in range(i + 1, min(len(doc), i + MAX_ASIDE + 2)):
            if doc[j].text == ")":
                return j + 1
    return i


def _after_separator(doc: Doc, i: int, lex: Lexicon) -> int | None:
    """The start of the next member after a comma and/or a conjunction at `i`
    (and the determiners or a generic noun before it: 'y la ONG …'), None when
    the enumeration does not go on."""
    coordinators = decision_words().coordinators
    start = i
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i < len(doc) and doc[i].lower_ in coordinators:
        i += 1
    if i == start:
        return None
    while i < len(doc) and (
        doc[i].lower_ in lex.determiners or fold(doc[i].text, keep_accents=True) in lex.generic_orgs
    ):
        i += 1
    return i


def _free_name_end(doc: Doc, i: int, owner: dict[int, Span], cue: Cues) -> int:
    """The end of a capitalised name no span covers, starting at `i` (link words
    inside it when a capitalised word follows: 'Lawyers for Human Rights')."""
    end = i
    while end < len(doc) and end not in owner and not doc[end].is_sent_start:
        if doc[end].text[:1].isupper() and not doc[end].is_punct:
            end += 1
            continue
        link = end
        while link < len(doc) and doc[link].lower_ in cue.name_links and link - end < 2:
            link += 1
        if link == end or link >= len(doc) or link in owner or not doc[link].text[:1].isupper():
            break
        end = link
    return end


def _members(doc: Doc, first: Span, owner: dict[int, Span], lex: Lexicon, cue: Cues) -> list[_Member]:
    """The enumeration that starts with `first`, member by member."""
    members = [_Member(first.start, first.end, first)]
    i = _skip_aside(doc, first.end)
    while True:
        start = _after_separator(doc, i, lex)
        if start is None or start >= len(doc) or "\n" in doc[i:start].text:
            break
        span = owner.get(start)
        if span is not None and span.start == start:
            members.append(_Member(span.start, span.end, span))
        else:
            end = _free_name_end(doc, start, owner, cue)
            if end == start:
                break
            members.append(_Member(start, end, None))
        i = _skip_aside(doc, members[-1].end)
    return members


def _retyped(member: _Member, doc: Doc, cue: Cues, common: CommonWords) -> Span | None:
    """The member as an organisation, or None when it stays what it is."""
    names = first_names()
    span = member.span
    if span is None:
        words = doc[member.start : member.end]
        if words[0].text.casefold() in names or (len(words) == 1 and words[0].text in common):
            return None
        return Span(doc, member.start, member.end, "ORG", span_id=ORG_ENUMERATION.span_id)
    if (
        span.label_ in ("PERSON", "LOCATION")
        and (span.label_ == "LOCATION" or len(span) > 1)  # 'Ariosto' alone is a surname as often
        and not span.kb_id_
        and Provenance.of(span).from_model
        and not any(t.text.casefold() in names for t in span)
        and person_cue(span, cue) is None
    ):
        return Span(doc, span.start, span.end, "ORG", span_id=span.id_)
    return None


def enumerated_organisations(
    doc: Doc, chosen: list[Span], lex: Lexicon, cue: Cues, common: CommonWords
) -> list[Span]:
    """Members of enumerations of organisations typed as organisations (see the module doc)."""
    owner = {i: s for s in chosen for i in range(s.start, s.end)}
    replaced: dict[int, Span] = {}
    added: list[Span] = []
    done = -1
    for span in sorted(chosen, key=lambda s: s.start):
        if span.label_ != "ORG" or span.start < done:
            continue
        members = _members(doc, span, owner, lex, cue)
        done = members[-1].end
        orgs = sum(1 for m in members if m.span is not None and m.span.label_ == "ORG")
        if len(members) < MIN_MEMBERS or orgs < max(MIN_ORGS, len(members) / 2):
            continue
        for member in members:
            retyped = _retyped(member, doc, cue, common)
            if retyped is None:
                continue
            if member.span is None:
                added.append(retyped)
            else:
                replaced[id(member.span)] = retyped
    return [replaced.get(id(s), s) for s in chosen] + added
