"""Choosing among overlapping candidates: the longest first, by source on equal
length, and the names nested inside a chosen law or organisation."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span

from .provenance import Provenance, inside


def priority(span: Span) -> tuple[int, int, int]:
    """Longest first; on equal length, registry and state-body rules > model > country-name rule."""
    source = Provenance.of(span)
    rank = 0 if source.from_registry or source.from_state_body else 1 if source.from_model else 2
    return (-(span.end - span.start), rank, span.start)


def greedy(candidates: Iterable[Span], chosen: list[Span]) -> list[Span]:
    """Add candidates, longest first, that overlap nothing already chosen."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    result = list(chosen)
    for span in sorted(candidates, key=priority):
        if taken.isdisjoint(range(span.start, span.end)):
            result.append(span)
            taken.update(range(span.start, span.end))
    return result


def nested_names(chosen: list[Span], candidates: list[Span]) -> list[Span]:
    """Names inside a longer name are mentions of their own: registry bodies and
    countries inside a law ('TRAITÉ DES NATIONS UNIES SUR …', 'Convention de
    l'Union africaine …'), countries inside an organisation ('Transparency
    International Georgia', 'Government of Kenya').  The model's guesses inside a
    law ('Data Protection') are not."""
    nested: dict[tuple[int, int], Span] = {}
    for candidate in sorted(candidates, key=priority):
        for outer in chosen:
            allowed = outer.label_ == "LAW" or (outer.label_ == "ORG" and candidate.label_ == "COUNTRY")
            if allowed and inside(candidate, outer) and len(candidate) < len(outer):
                nested.setdefault((candidate.start, candidate.end), candidate)
    return list(nested.values())
