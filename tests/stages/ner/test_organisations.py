"""Organisations' names in the decision on tiny texts in the three languages.

Docs are made with spaCy's blank pipelines, the rules component and the decision,
with the model's spans written by hand, so no statistical model is loaded.  The
organisations and people are invented, except registry and country names.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from pipeline.stages.ner.decision import OUTPUT_KEY, TypeDecision
from pipeline.stages.ner.rules import RuleRecogniser


@cache
def _nlp(lang: str) -> tuple[Language, RuleRecogniser, TypeDecision]:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp, RuleRecogniser(nlp, lang), TypeDecision(lang, "test_model@0")


def _decide(
    lang: str, text: str, ents: list[tuple[str, str]], off: frozenset[str] = frozenset()
) -> set[tuple[str, str]]:
    nlp, rules, decision = _nlp(lang)
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    decision.rules_off = off
    try:
        doc = decision(rules(doc))
    finally:
        decision.rules_off = frozenset()
    return {(s.text, s.label_) for s in doc.spans[OUTPUT_KEY] if s.label_ in ("PERSON", "ORG", "LOCATION")}


# --- cues and edges around organisations ---------------------------------------


def test_an_ordinary_word_right_after_a_class_noun_is_a_name() -> None:
    found = _decide("es", "Lo documentó la ONG Temblores en 2024.", [])
    assert ("Temblores", "ORG") in found
    found = _decide("fr", "La radio Oméga, qui avait osé interviewer un opposant, a été fermée.", [])
    assert ("radio Oméga", "ORG") in found


def test_new_and_an_ordinary_possessive_are_part_of_an_organisation_name() -> None:
    text = "Its armed wing, the New People’s Army, and Google's Advanced Protection Program."
    found = _decide(
        "en", text, [("the New People’s Army", "ORG"), ("Google's Advanced Protection Program", "ORG")]
    )
    assert ("New People’s Army", "ORG") in found
    assert not any("Protection" in surface for surface, _ in found)


def test_a_model_span_across_lines_blocks_no_registry_name() -> None:
    text = "Firmantes:\n    Amnistía Internacional\n    Archivo Nube\n"
    found = _decide("es", text, [("Amnistía Internacional\n    Archivo Nube", "MISC")])
    assert ("Amnistía Internacional", "ORG") in found
