"""span_splits: one candidate span cut into the names it holds."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from pipeline.stages.ner.span_splits import after_word, split_coordination, split_lines, split_possessive


def _span(text: str, label: str = "ORG") -> Span:
    doc = spacy.blank("en")(text)
    return Span(doc, 0, len(doc), label, kb_id="", span_id="model:test|ORG")


def test_span_splits_possessive_parts_keep_the_span_provenance() -> None:
    parts = split_possessive(_span("Google's Advanced Protection Program"))
    assert parts is not None
    assert [(p.text, p.label_, p.id_) for p in parts] == [
        ("Google", "ORG", "model:test|ORG"),
        ("Advanced Protection Program", "ORG", "model:test|ORG"),
    ]
    assert split_possessive(_span("Media Foundation")) is None


def test_span_splits_a_name_never_crosses_a_line_break() -> None:
    assert [p.text for p in split_lines(_span("Media Foundation\n\nAnnual Report"))] == [
        "Media Foundation",
        "Annual Report",
    ]
    whole = _span("Media Foundation")
    assert split_lines(whole) == [whole]


def test_span_splits_coordination_only_when_every_part_passes() -> None:
    people = _span("Anatoly Volkov and Victoria Banjenova", "PERSON")
    assert [p.text for p in split_coordination(people, lambda p: p.text[:1].isupper())] == [
        "Anatoly Volkov",
        "Victoria Banjenova",
    ]
    one = _span("Ministry of Justice and Peace")
    assert split_coordination(one, lambda p: "Ministry" in p.text) == [one]
    # Coordinators compare case-sensitively: 'E' is an initial.
    initial = _span("Mark E Haedicke", "PERSON")
    assert split_coordination(initial, lambda p: True) == [initial]


def test_span_splits_after_word() -> None:
    assert after_word(_span("Gandaki Pradesh at Body and Data"), "at").text == "Body and Data"
    assert after_word(_span("Body and Data"), "at").text == "Body and Data"
