"""consistency: document-level rules over the chosen spans."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from pipeline.knowledge.lexicon import lexicon
from pipeline.stages.ner.consistency import (
    extend_articles,
    extend_years,
    merge_linked_orgs,
    propagate_names,
    retype_listed_people,
    vote_types,
)

MODEL = "model:m@1|X"


def _doc(text: str) -> Doc:
    return spacy.blank("en")(text)


def _found(spans: list[Span]) -> list[tuple[str, str]]:
    return sorted((s.text, s.label_) for s in spans)


def test_consistency_linked_organisations_merge() -> None:
    doc = _doc("the European Board for Media Services met")
    chosen = [Span(doc, 1, 3, "ORG", span_id=MODEL), Span(doc, 4, 6, "ORG", span_id=MODEL)]
    assert _found(merge_linked_orgs(doc, chosen)) == [("European Board for Media Services", "ORG")]


def test_consistency_one_type_per_name_by_majority() -> None:
    doc = _doc("Awa Ndiaye spoke. Awa Ndiaye left. Awa Ndiaye won.")
    chosen = [
        Span(doc, 0, 2, "PERSON", span_id=MODEL),
        Span(doc, 4, 6, "ORG", span_id=MODEL),
        Span(doc, 8, 10, "PERSON", span_id=MODEL),
    ]
    assert {s.label_ for s in vote_types(doc, chosen, lexicon("en"))} == {"PERSON"}


def test_consistency_a_place_listed_among_people_is_a_person() -> None:
    doc = _doc("Ana Ruiz and Victoria Banjenova")
    chosen = [Span(doc, 0, 2, "PERSON", span_id=MODEL), Span(doc, 3, 5, "LOCATION", span_id=MODEL)]
    assert _found(retype_listed_people(doc, chosen)) == [
        ("Ana Ruiz", "PERSON"),
        ("Victoria Banjenova", "PERSON"),
    ]


def test_consistency_a_name_propagates_over_shorter_spans() -> None:
    doc = _doc("Body and Data said. Later Body and Data wrote.")
    chosen = [Span(doc, 0, 3, "ORG", span_id=MODEL), Span(doc, 8, 9, "ORG", span_id=MODEL)]
    assert _found(propagate_names(doc, chosen)) == [("Body and Data", "ORG"), ("Body and Data", "ORG")]


def test_consistency_a_law_takes_its_year_and_article_number() -> None:
    doc = _doc("the Foreign Agents Registration Act of 1938 and EMFA Article 4 apply")
    act = Span(doc, 1, 5, "LAW", span_id="rule:law.en.name")
    emfa = Span(doc, 8, 9, "LAW", kb_id="emfa", span_id="rule:registry.law.acronym")
    article = Span(doc, 9, 11, "LAW", span_id=MODEL)
    assert _found(extend_years(doc, [act])) == [("Foreign Agents Registration Act of 1938", "LAW")]
    extended = extend_articles(doc, [act, emfa, article])
    assert _found(extended) == [("EMFA Article 4", "LAW"), ("Foreign Agents Registration Act", "LAW")]
    assert [s.kb_id_ for s in extended if s.text == "EMFA Article 4"] == ["emfa"]


def test_consistency_a_treaty_year_is_not_part_of_its_name() -> None:
    doc = spacy.blank("fr")("les Accords de Lomé de 1999 sont")
    treaty = Span(doc, 1, 4, "LAW", span_id="rule:law.fr.name")
    assert _found(extend_years(doc, [treaty])) == [("Accords de Lomé", "LAW")]
