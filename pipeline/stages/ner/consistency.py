"""Document-level consistency of the chosen spans.

Adjacent "X for Y" organisations merged, one type per name in an article, a
place listed among people retyped as a person, each multi-word name propagated
to its other exact occurrences, and a law's span extended over a following year
or article number ("EMFA Article 4" is the law EMFA).
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from ...knowledge.jurisdiction import body_vocabulary
from ...knowledge.lexicon import Lexicon
from .decision_words import decision_words
from .law_edges import dated_law
from .provenance import Provenance, respan


def merge_linked_orgs(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'[European Board] for [Media Services]' is one organisation."""
    by_start = {s.start: s for s in chosen}
    merged: list[Span] = []
    absorbed: set[int] = set()
    for span in sorted(chosen, key=lambda s: s.start):
        if id(span) in absorbed:
            continue
        following = by_start.get(span.end + 1)
        if (
            span.label_ == "ORG"
            and not span.kb_id_
            and following is not None
            and following.label_ == "ORG"
            and not following.kb_id_
            and doc[span.end].lower_ in ("for", "of", "on", "pour", "para")
        ):
            absorbed.add(id(following))
            span = respan(doc, span.start, following.end, span)
        merged.append(span)
    return merged


def vote_types(doc: Doc, chosen: list[Span], lex: Lexicon) -> list[Span]:
    """One type per name in an article.  A name the model typed differently in
    different places takes its majority type (ties: PERSON unless it has an
    organisation noun, else ORG); a surname alone typed as a place ('Ndiaye'
    after 'Awa Ndiaye') is the person; a two- or three-word 'organisation'
    without an organisation noun whose last word is used alone as a person
    ('Min-Hsuan Wu' … 'Wu') is a person."""
    votes: dict[str, Counter[str]] = {}
    for span in chosen:
        if span.label_ in ("PERSON", "ORG", "LOCATION") and Provenance.of(span).from_model:
            votes.setdefault(span.text, Counter())[span.label_] += 1
    people = {s.text for s in chosen if s.label_ == "PERSON"}
    surnames = {s[-1].text for s in chosen if s.label_ == "PERSON" and len(s) > 1}
    result = []
    for span in chosen:
        label = span.label_
        counts = votes.get(span.text)
        headless = not any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span)
        if counts is not None and len(counts) > 1:
            best = max(counts.values())
            leaders = sorted(kind for kind, n in counts.items() if n == best)
            if len(leaders) == 1:
                label = leaders[0]
            else:
                label = "PERSON" if "PERSON" in leaders and headless else "ORG"
        if label == "LOCATION" and len(span) == 1 and span.text in surnames:
            label = "PERSON"
        words = [t for t in span if not t.is_punct]
        if (
            label == "ORG"
            and Provenance.of(span).from_model
            and 2 <= len(words) <= 3
            and span[-1].text in people
            and headless
        ):
            label = "PERSON"
        result.append(span if label == span.label_ else respan(doc, span.start, span.end, span, label))
    return result


def retype_listed_people(doc: Doc, chosen: list[Span]) -> list[Span]:
    """A 'place' in a list of people ('…, and Anatoly Volkov and Victoria …') is a person."""
    coordinators = decision_words().coordinators
    ordered = sorted(chosen, key=lambda s: s.start)
    result = []
    for index, span in enumerate(ordered):
        if span.label_ == "LOCATION" and len(span) > 1:
            neighbours = ordered[max(0, index - 1) : index] + ordered[index + 1 : index + 2]
            for other in neighbours:
                between = doc[min(span.end, other.end) : max(span.start, other.start)]
                if other.label_ == "PERSON" and all(t.text in coordinators or t.text == "," for t in between):
                    span = respan(doc, span.start, span.end, span, "PERSON")
                    break
        result.append(span)
    return result


def propagate_names(doc: Doc, chosen: list[Span]) -> list[Span]:
    """Label every other exact occurrence of a multi-word name like its first one,
    replacing shorter spans inside it ('Data' inside a second 'Body and Data')."""
    names = _multiword_names(chosen)
    if not names:
        return chosen
    owner = {i: span for span in chosen for i in range(span.start, span.end)}
    positions: dict[str, list[int]] = {}
    for token in doc:
        positions.setdefault(token.text, []).append(token.i)
    added: list[Span] = []
    dropped: set[int] = set()
    for words, model in sorted(names.items(), key=lambda kv: -len(kv[0])):
        for start in positions.get(words[0], []):
            end = start + len(words)
            if tuple(t.text for t in doc[start:end]) != words:
                continue
            inside = _replaceable_spans(owner, start, end)
            if inside is None:
                continue
            dropped.update(inside)
            new = respan(doc, start, end, model)
            added.append(new)
            for i in range(start, end):
                owner[i] = new
    return [s for s in chosen if id(s) not in dropped] + added


def _multiword_names(chosen: list[Span]) -> dict[tuple[str, ...], Span]:
    """Each multi-word person, organisation or law name's words → its first span."""
    names: dict[tuple[str, ...], Span] = {}
    for span in chosen:
        if len(span) > 1 and span.label_ in ("PERSON", "ORG", "LAW"):
            names.setdefault(tuple(t.text for t in span), span)
    return names


def _replaceable_spans(owner: dict[int, Span], start: int, end: int) -> dict[int, Span] | None:
    """The spans (by id) inside tokens start..end, which a name found there replaces;
    None when they are the name already or part of a longer span."""
    inside = {id(owner[i]): owner[i] for i in range(start, end) if i in owner}
    if any(s.start < start or s.end > end for s in inside.values()):
        return None  # part of a longer span already
    if any(s.start == start and s.end == end for s in inside.values()):
        return None  # already labelled
    return inside


def extend_years(doc: Doc, chosen: list[Span]) -> list[Span]:
    """A year after a national law's name is part of its title: 'Foreign Agents
    Registration Act of 1938', 'Ley de Prensa de 1995' (the registry matched
    only the name); a treaty's year is not ('Accords de paix de Paris de 1991')."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    dated_heads = body_vocabulary(doc.lang_).law_heads
    extended = []
    for span in chosen:
        end = span.end
        if (
            span.label_ == "LAW"
            and dated_law(span, dated_heads)
            and end + 1 < len(doc)
            and doc[end].lower_ in ("of", "de", "del")
            and doc[end + 1].shape_ == "dddd"
            and taken.isdisjoint((end, end + 1))
        ):
            span = respan(doc, span.start, end + 2, span)
        extended.append(span)
    return extended


def extend_articles(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'EMFA Article 4' is the law EMFA: extend a LAW span over a following article
    number, absorbing a span the model made of 'Article 4' alone."""
    section_words = decision_words().section_words
    by_start = {span.start: span for span in chosen}
    absorbed: set[int] = set()
    extended = []
    for span in chosen:
        end = span.end
        follower = by_start.get(end)
        if (
            span.label_ == "LAW"
            and end + 1 < len(doc)
            and doc[end].lower_.rstrip(".") in section_words
            and doc[end + 1].like_num
            and (follower is None or (follower.label_ == "LAW" and follower.end <= end + 2))
        ):
            if follower is not None:
                absorbed.add(id(follower))
            span = respan(doc, span.start, end + 2, span)
        extended.append(span)
    return [span for span in extended if id(span) not in absorbed]
