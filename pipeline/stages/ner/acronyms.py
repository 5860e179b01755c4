"""Acronyms defined in the text: 'Open Government Partnership (OGP)' types every
'OGP' in the document like its long form."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ...knowledge.countries import country_code
from ...knowledge.names import looks_like_acronym, strip_leading_article
from .provenance import Provenance

# The key of an acronym's mention whose long form has no registry or ISO key;
# entity resolution (stages/resolve.py) keys such mentions to the long form.
ACRONYM_KEY_PREFIX = "acronym:"
# Tokens between the brackets of a definition: 'NI-CO' is three ('NI', '-', 'CO').
_MAX_ACRONYM_TOKENS = 5


def is_abbreviation(short: str, long: str) -> bool:
    """Schwartz & Hearst (2003): the short form's letters appear in order in the long
    form, the first one starting a word.  Used to accept 'Long Form (LF)'."""
    short_letters = [c.lower() for c in short if c.isalnum()]
    if len(short_letters) < 2:
        return False
    long_text = long.lower()
    s_index, l_index = len(short_letters) - 1, len(long_text) - 1
    while s_index >= 0:
        char = short_letters[s_index]
        while l_index >= 0 and (
            long_text[l_index] != char or (s_index == 0 and l_index > 0 and long_text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return False
        s_index -= 1
        l_index -= 1
    return True


def acronym_shaped(text: str) -> bool:
    """'OGP', 'U.N.', and hyphenated ones: 'MAS-IPSP', 'NI-CO'."""
    return all(looks_like_acronym(part) for part in text.split("-")) and bool(text)


def defines(short: str, long_form: Span) -> bool:
    """Whether 'LONG FORM (SHORT)' defines the acronym `short`.

    Its letters in order in the long form (`is_abbreviation`); or, for an
    organisation, any acronym that is not a country's: a name is often given in
    the article's language with its acronym in another ('Front de libération du
    peuple du Tigray (TPLF)', 'Agence nationale de renseignement et de sécurité
    (NISA)'), and in the texts read so far a bracketed acronym right after an
    organisation's name always was its own."""
    if not acronym_shaped(short):
        return False
    if is_abbreviation(short.split("-")[0], long_form.text):
        return True
    return long_form.label_ == "ORG" and country_code(short) is None


def _definitions(doc: Doc, chosen: list[Span]) -> dict[str, Span]:
    """Acronym → the span it is defined after ('Long Form (LF)'), the first definition winning."""
    definitions: dict[str, Span] = {}
    for span in chosen:
        end = span.end
        if end >= len(doc) or doc[end].text != "(":
            continue
        inside = range(end + 2, min(end + 2 + _MAX_ACRONYM_TOKENS, len(doc)))
        close = next((i for i in inside if doc[i].text == ")"), None)
        if close is not None:
            short = doc[end + 1 : close].text
            if " " not in short and defines(short, span):
                definitions.setdefault(short, span)
    return definitions


def link_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'Open Government Partnership (OGP)': type every 'OGP' in the doc like its long form.

    The acronym's mentions get kb_id 'acronym:<long form>' unless the long form
    carries a registry or ISO key; resolution then keys them to the long form.  A
    definition in the text outranks the registry's sense of the same letters
    ('Conseil présidentiel de transition (CPT)' is not the Council of Europe's CPT).
    """
    definitions = _definitions(doc, chosen)
    if not definitions:
        return chosen
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    chosen = _keyed_by_registry_acronym(chosen, definitions, by_token)
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    definitions = {short: by_token.get(long.start, long) for short, long in definitions.items()}
    uses: list[Span] = []
    replaced: set[int] = set()
    span_id = Provenance.rule("acronym.definition").span_id
    for short, long_form in definitions.items():
        key = long_form.kb_id_ or ACRONYM_KEY_PREFIX + long_form.text
        for match in re.finditer(rf"(?<!\w){re.escape(short)}(?!\w)", doc.text):
            use = doc.char_span(match.start(), match.end())
            if use is None:
                continue
            existing = {id(s): s for i in range(use.start, use.end) if (s := by_token.get(i)) is not None}
            if any(not _replaceable(s, use, key, _spells_whole(short, long_form)) for s in existing.values()):
                continue
            replaced |= set(existing)
            uses.append(Span(doc, use.start, use.end, long_form.label_, kb_id=key, span_id=span_id))
    kept = [s for s in chosen if id(s) not in replaced]
    return kept + sorted(uses, key=lambda s: s.start)


def _replaceable(existing: Span, use: Span, key: str, whole: bool) -> bool:
    """A span already over an acronym's use gives way when it is that use alone and
    carries no key, or another sense of the letters (a registry acronym) and the
    acronym spells the whole long form (`_spells_whole`)."""
    same_extent = existing.start == use.start and existing.end == use.end
    return same_extent and (not existing.kb_id_ or (whole and existing.kb_id_ != key))


def _spells_whole(short: str, long_form: Span) -> bool:
    """Whether the acronym starts where its long form starts ('Conseil présidentiel de
    transition (CPT)'), rather than abbreviating a name inside it ('loi sur l’IA de
    l’Union européenne (UE)': 'UE' is the Union's, the registry's sense stands)."""
    return strip_leading_article(long_form.text)[:1].casefold() == short[:1].casefold()


def _keyed_by_registry_acronym(
    chosen: list[Span], definitions: dict[str, Span], by_token: dict[int, Span]
) -> list[Span]:
    """'loi sur les associations … (LANGO)' where the registry knows the law LANGO:
    the long form is that law, whatever its wording in this language."""
    keyed: dict[int, str] = {}
    for long_form in definitions.values():
        acronym = by_token.get(long_form.end + 1)
        if (
            acronym is not None
            and len(acronym) == 1
            and acronym.label_ == long_form.label_ == "LAW"
            and acronym.kb_id_
            and not acronym.kb_id_.startswith(ACRONYM_KEY_PREFIX)
            and not long_form.kb_id_
        ):
            keyed[id(long_form)] = acronym.kb_id_
    return [
        Span(s.doc, s.start, s.end, s.label_, kb_id=keyed[id(s)], span_id=s.id_) if id(s) in keyed else s
        for s in chosen
    ]
