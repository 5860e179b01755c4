"""Demonyms and dates typed as names (pipeline/stages/ner/not_names.py) on tiny
texts in the three languages.  Model spans are written by hand on blank
pipelines, so no statistical model is loaded; every name is invented."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.stages.ner.not_names import drop_dates, drop_demonyms

MODEL = "model:test|X"


def _doc(lang: str, text: str) -> Doc:
    return spacy.blank(lang)(text)


def _span(doc: Doc, words: str, label: str, kb_id: str = "") -> Span:
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words), label=label, kb_id=kb_id)
    assert span is not None, words
    return Span(doc, span.start, span.end, label, kb_id=kb_id, span_id=MODEL)


@pytest.mark.parametrize(
    ("lang", "text", "words", "label", "kept"),
    [
        ("en", "Azerbaijani journalists were jailed in Baku.", "Azerbaijani", "PERSON", False),
        ("en", "The Mexican authorities said nothing.", "Mexican", "ORG", False),
        ("fr", "Les Azerbaïdjanaises manifestent à Bakou.", "Azerbaïdjanaises", "PERSON", False),
        ("fr", "Les autorités Chinoises ont refusé.", "Chinoises", "ORG", False),
        ("es", "Los Mexicanos protestaron en la capital.", "Mexicanos", "PERSON", False),
        ("es", "La Francesa habló ayer.", "Francesa", "PERSON", False),
        # A name with another word in it and a place stay.
        ("en", "Georgian Dream won the vote.", "Georgian Dream", "ORG", True),
        ("en", "Azerbaijani is spoken in Baku.", "Azerbaijani", "LOCATION", True),
        ("fr", "Luc Français a parlé.", "Luc Français", "PERSON", True),
    ],
)
def test_demonyms_alone_are_no_names(lang: str, text: str, words: str, label: str, kept: bool) -> None:
    doc = _doc(lang, text)
    span = _span(doc, words, label)
    assert (span in drop_demonyms([span], lang)) is kept


def test_a_demonym_the_registry_names_stays() -> None:
    doc = _doc("en", "Swiss said it would appeal.")
    span = _span(doc, "Swiss", "ORG", kb_id="swiss-airline")
    assert drop_demonyms([span], "en") == [span]


def test_a_demonym_used_as_a_surname_stays() -> None:
    doc = _doc("en", "Dawn French spoke first. French said the law was unjust.")
    full = _span(doc, "Dawn French", "PERSON")
    alone = Span(doc, 5, 6, "PERSON", span_id=MODEL)
    assert alone.text == "French"
    assert drop_demonyms([full, alone], "en") == [full, alone]


@pytest.mark.parametrize(
    ("lang", "text", "words", "label", "kept"),
    [
        ("en", "Then, in April 2025, the party went further.", "April 2025", "ORG", False),
        ("en", "It was signed on May 5, 2024 in Tbilisi.", "May 5, 2024", "LAW", False),
        ("fr", "Le 1er mars 2023, le décret est paru.", "1er mars 2023", "ORG", False),
        ("es", "Desde el 5 de mayo de 2024, la ley rige.", "5 de mayo de 2024", "PERSON", False),
        # A month alone is also a name; a law with a year is a law.
        ("en", "June Okafor spoke.", "June Okafor", "PERSON", True),
        ("fr", "Avril a parlé.", "Avril", "PERSON", True),
        ("es", "La Ley de 2024 rige.", "Ley de 2024", "LAW", True),
    ],
)
def test_dates_are_no_names(lang: str, text: str, words: str, label: str, kept: bool) -> None:
    doc = _doc(lang, text)
    span = _span(doc, words, label)
    assert (span in drop_dates([span], lang)) is kept


def test_a_date_the_registry_names_stays() -> None:
    doc = _doc("es", "El 8 de Marzo convocó la marcha.")
    span = _span(doc, "8 de Marzo", "ORG", kb_id="colectivo-8-de-marzo")
    assert drop_dates([span], "es") == [span]
