"""provenance: what made a span, written to and read from the span's id."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from pipeline.stages.ner.provenance import Provenance, inside, overlaps, respan


def test_provenance_round_trips_through_the_span_id() -> None:
    doc = spacy.blank("en")("Ana Ruiz met the Supreme Court.")
    model = Provenance.model("en_core_web_sm@3.8.0", "PERSON")
    span = Span(doc, 0, 2, "PERSON", span_id=model.span_id)
    assert span.id_ == "model:en_core_web_sm@3.8.0|PERSON"
    assert Provenance.of(span) == model
    assert model.from_model and not model.from_registry and not model.from_state_body
    rule = Provenance.rule("body.en.name")
    assert rule.span_id == "rule:body.en.name"
    assert Provenance.of(Span(doc, 4, 6, "ORG", span_id=rule.span_id)) == rule
    assert rule.from_state_body and not rule.from_model
    assert Provenance.rule("registry.org.acronym").from_registry
    assert not Provenance.rule("country.cldr").from_registry


def test_provenance_respan_keeps_key_and_provenance() -> None:
    doc = spacy.blank("en")("the Media Foundation of Kenya")
    like = Span(doc, 0, 5, "ORG", kb_id="Q1", span_id="model:m@1|ORG")
    part = respan(doc, 1, 3, like)
    assert (part.text, part.label_, part.kb_id_, part.id_) == (
        "Media Foundation",
        "ORG",
        "Q1",
        "model:m@1|ORG",
    )
    assert respan(doc, 1, 3, like, "PERSON").label_ == "PERSON"


def test_provenance_overlaps_and_inside() -> None:
    doc = spacy.blank("en")("one two three four")
    assert overlaps(doc[0:2], doc[1:3]) and not overlaps(doc[0:2], doc[2:4])
    assert inside(doc[1:2], doc[0:3]) and not inside(doc[0:3], doc[1:2])
