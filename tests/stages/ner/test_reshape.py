"""reshape: the model's spans split, cut or extended where small models err."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Span

from pipeline.knowledge.lexicon import lexicon
from pipeline.knowledge.registry import load_registry
from pipeline.stages.ner.reshape import ModelSpanReshaper


@cache
def _nlp(lang: str) -> tuple[Language, ModelSpanReshaper]:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp, ModelSpanReshaper(lang, lexicon(lang), load_registry())


def _reshaped(
    lang: str, text: str, surface: str, label: str, extend_right: bool = True
) -> list[tuple[str, str]]:
    nlp, reshaper = _nlp(lang)
    doc = nlp(text)
    start = text.index(surface)
    span = doc.char_span(start, start + len(surface), label=label)
    assert span is not None
    model_span = Span(doc, span.start, span.end, label, span_id="model:m@1|" + label)
    return [(s.text, s.label_) for s in reshaper.reshape(model_span, extend_right)]


def test_reshape_coordinated_people_are_split_and_cut_at_lower_case() -> None:
    assert _reshaped(
        "en", "Anatoly Volkov and Victoria Banjenova", "Anatoly Volkov and Victoria Banjenova", "PERSON"
    ) == [
        ("Anatoly Volkov", "PERSON"),
        ("Victoria Banjenova", "PERSON"),
    ]
    assert _reshaped("en", "Ian isthe Chair", "Ian isthe Chair", "PERSON") == [("Ian", "PERSON")]


def test_reshape_handles_and_single_law_heads() -> None:
    assert _reshaped("en", "follow @ECPMF now", "@ECPMF", "ORG") == []
    assert _reshaped("en", "under the Convention", "Convention", "ORG") == [("Convention", "LAW")]


def test_reshape_possessive_owner_kept_when_known() -> None:
    assert _reshaped(
        "en", "Uzbekistan's Ministry of Interior", "Uzbekistan's Ministry of Interior", "ORG"
    ) == [
        ("Uzbekistan", "COUNTRY"),
        ("Ministry of Interior", "ORG"),
    ]


def test_reshape_organisation_extended_right_only_when_switched_on() -> None:
    text = "el Observatorio Venezolano de Conflictividad Social dijo"
    assert _reshaped("es", text, "Observatorio Venezolano", "ORG") == [
        ("Observatorio Venezolano de Conflictividad Social", "ORG")
    ]
    assert _reshaped("es", text, "Observatorio Venezolano", "ORG", extend_right=False) == [
        ("Observatorio Venezolano", "ORG")
    ]


def test_reshape_organisation_extended_left_over_connectors() -> None:
    text = "The Alliance of NGOs on Crime Prevention and Criminal Justice met."
    assert _reshaped("en", text, "Crime Prevention and Criminal Justice", "ORG") == [
        ("Alliance of NGOs on Crime Prevention and Criminal Justice", "ORG")
    ]


def test_reshape_person_names_keep_their_particles() -> None:
    assert _reshaped("en", "Senator Ronald dela Rosa told", "Ronald dela Rosa", "PERSON") == [
        ("Ronald dela Rosa", "PERSON")
    ]
    assert _reshaped("fr", "selon Mohamed ould Abdallahi hier", "Mohamed ould Abdallahi", "PERSON") == [
        ("Mohamed ould Abdallahi", "PERSON")
    ]
    assert _reshaped("es", "María de los Ángeles Pérez dijo", "María de los Ángeles Pérez", "PERSON") == [
        ("María de los Ángeles Pérez", "PERSON")
    ]


def test_reshape_law_by_its_head_stays_on_the_head_line() -> None:
    nlp, reshaper = _nlp("fr")
    doc = nlp("la résolution 12\n\nGenève, le 3 mai")
    misc = Span(doc, 1, 5, "LAW", span_id="model:m@1|MISC")  # 'résolution 12\n\nGenève'
    assert [(s.text, s.label_) for s in reshaper.reshape(misc, True)] == [("résolution 12", "LAW")]
