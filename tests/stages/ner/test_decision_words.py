"""decision_words: the decision's word lists are models/patterns/decision.yaml's."""

from __future__ import annotations

from dataclasses import fields

from pipeline.knowledge.lexicon import pattern_file
from pipeline.stages.ner.decision_words import decision_words


def test_decision_words_every_list_of_the_file_is_read() -> None:
    data = pattern_file("decision")
    words = decision_words()
    assert {f.name for f in fields(words)} == set(data)
    for field in fields(words):
        assert getattr(words, field.name) == frozenset(data[field.name])
        assert all(isinstance(w, str) and w for w in data[field.name]), field.name

