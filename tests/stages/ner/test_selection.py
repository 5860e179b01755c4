"""selection: overlapping candidates, longest first and by source; nested names."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from pipeline.stages.ner.selection import greedy, nested_names, priority

DOC = spacy.blank("en")("the Open Society Foundation of Kenya met")


def _span(start: int, end: int, label: str, source: str) -> Span:
    return Span(DOC, start, end, label, span_id=source)


def test_selection_priority_longest_then_registry_then_model_then_other_rules() -> None:
    registry = _span(1, 3, "ORG", "rule:registry.org.name")
    body = _span(1, 3, "ORG", "rule:body.en.name")
    model = _span(1, 3, "ORG", "model:m@1|ORG")
    country = _span(1, 3, "COUNTRY", "rule:country.cldr")
    longer = _span(1, 4, "ORG", "rule:country.cldr")
    ranked = sorted([country, model, body, registry, longer], key=priority)
    assert ranked[0] is longer
    assert {id(s) for s in ranked[1:3]} == {id(registry), id(body)}
    assert ranked[3:] == [model, country]


def test_selection_greedy_keeps_what_was_chosen_and_adds_no_overlap() -> None:
    chosen = [_span(5, 6, "COUNTRY", "rule:country.cldr")]
    result = greedy([_span(1, 6, "ORG", "model:m@1|ORG"), _span(1, 4, "ORG", "model:m@1|ORG")], chosen)
    assert [(s.start, s.end) for s in result] == [(5, 6), (1, 4)]


def test_selection_nested_names_inside_laws_and_countries_inside_organisations() -> None:
    org = _span(1, 6, "ORG", "model:m@1|ORG")
    country = _span(5, 6, "COUNTRY", "rule:country.cldr")
    person = _span(2, 3, "PERSON", "model:m@1|PERSON")
    assert nested_names([org], [country, person]) == [country]
    law = _span(1, 6, "LAW", "rule:law.en.name")
    registry_org = _span(2, 4, "ORG", "rule:registry.org.name")
    assert {(s.start, s.end) for s in nested_names([law], [registry_org, country])} == {(2, 4), (5, 6)}
