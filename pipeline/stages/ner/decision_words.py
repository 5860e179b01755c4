"""The word lists of the type decision (models/patterns/decision.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ...knowledge.lexicon import pattern_file


@dataclass(frozen=True)
class DecisionWords:
    """See models/patterns/decision.yaml for what each list is for."""

    coordinators: frozenset[str]
    connectors: frozenset[str]
    trailing_links: frozenset[str]
    indefinites: frozenset[str]
    section_words: frozenset[str]
    articles: frozenset[str]
    remit_links: frozenset[str]
    place_links: frozenset[str]


@cache
def decision_words() -> DecisionWords:
    data = pattern_file("decision")
    return DecisionWords(
        coordinators=frozenset(data["coordinators"]),
        connectors=frozenset(data["connectors"]),
        trailing_links=frozenset(data["trailing_links"]),
        indefinites=frozenset(data["indefinites"]),
        section_words=frozenset(data["section_words"]),
        articles=frozenset(data["articles"]),
        remit_links=frozenset(data["remit_links"]),
        place_links=frozenset(data["place_links"]),
    )

