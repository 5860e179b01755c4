"""Type decision helpers on hand-built docs (no model loaded)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.knowledge.lexicon import lexicon
from pipeline.stages.ner.span_edges import strip_edges
from pipeline.stages.ner.span_splits import split_possessive


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parliamentary Assembly (PACE", "Parliamentary Assembly"),
        ("Egyptian Initiative for Personal Rights (EIPR", "Egyptian Initiative for Personal Rights"),
        ("Law (Codification and Reform) Act", "Law (Codification and Reform) Act"),
        ("Comité [de soutien", "Comité"),
    ],
)
def test_decision_a_name_is_cut_before_a_bracket_it_leaves_open(text: str, expected: str) -> None:
    doc = spacy.blank("en")(text)
    span = Span(doc, 0, len(doc), "ORG", span_id="model:test|ORG")
    stripped = strip_edges(span, lexicon("en"))
    assert stripped is not None and stripped.text == expected
    assert stripped.id_ == "model:test|ORG"


def test_decision_possessive_parts_keep_the_span_provenance() -> None:
    doc = spacy.blank("en")("Google's Advanced Protection Program")
    span = Span(doc, 0, len(doc), "ORG", kb_id="", span_id="model:test|ORG")
    parts = split_possessive(span)
    assert parts is not None
    assert [(p.text, p.label_, p.id_) for p in parts] == [
        ("Google", "ORG", "model:test|ORG"),
        ("Advanced Protection Program", "ORG", "model:test|ORG"),
    ]
