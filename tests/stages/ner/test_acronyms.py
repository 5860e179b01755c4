"""acronyms: in-text definitions ('Open Government Partnership (OGP)') type later uses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.stages.ner.acronyms import (
    ACRONYM_KEY_PREFIX,
    extend_to_acronyms,
    is_abbreviation,
    is_translated_acronym,
    link_acronyms,
)


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("OGP", "Open Government Partnership", True),
        ("UE", "Union européenne", True),
        ("CCPCJ", "Commission on Crime Prevention and Criminal Justice", True),
        ("XYZ", "Open Government Partnership", False),
        ("EU", "Union", False),
    ],
)
def test_acronyms_schwartz_hearst_abbreviation(short: str, long: str, expected: bool) -> None:
    assert is_abbreviation(short, long) is expected


def test_acronyms_later_uses_take_the_long_form_type_and_key() -> None:
    doc = spacy.blank("en")("The Open Government Partnership (OGP) met. OGP said so. Kenya (KE) too.")
    long_form = Span(doc, 1, 4, "ORG", span_id="model:m@1|ORG")
    country = Span(doc, 13, 14, "COUNTRY", kb_id="KE", span_id="rule:country.cldr")
    model_guess = Span(doc, 9, 10, "PERSON", span_id="model:m@1|PERSON")  # the later 'OGP'
    result = link_acronyms(doc, [long_form, country, model_guess])
    uses = [(s.start, s.label_, s.kb_id_, s.id_) for s in result if s.text == "OGP"]
    key = ACRONYM_KEY_PREFIX + "Open Government Partnership"
    assert uses == [(5, "ORG", key, "rule:acronym.definition"), (9, "ORG", key, "rule:acronym.definition")]
    assert model_guess not in result


def test_acronyms_without_a_definition_nothing_changes() -> None:
    doc = spacy.blank("en")("OGP met the Open Government Partnership.")
    chosen = [Span(doc, 3, 6, "ORG")]
    assert link_acronyms(doc, chosen) == chosen


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("TPLF", "Front de libération du peuple du Tigray", True),
        ("CNRP", "Parti du sauvetage national du Cambodge", True),
        ("XYZ", "Front de libération du peuple du Tigray", False),
        ("TP", "Tigray", False),
    ],
)
def test_acronyms_of_the_name_in_another_language(short: str, long: str, expected: bool) -> None:
    assert is_translated_acronym(short, long) is expected


def _linked(text: str, spans: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str]]:
    doc = spacy.blank("fr")(text)
    chosen = []
    for words, label, key, source in spans:
        start = text.index(words)
        span = doc.char_span(start, start + len(words))
        assert span is not None
        chosen.append(Span(doc, span.start, span.end, label, kb_id=key, span_id=source))
    return sorted((s.text, s.label_, s.kb_id_) for s in link_acronyms(doc, extend_to_acronyms(doc, chosen)))


def test_acronyms_a_translated_acronym_and_a_short_name_define_an_organisation() -> None:
    text = (
        "Le Front de libération du peuple du Vardo (VPLF) et la Société nationale d'action (Waad) : le VPLF."
    )
    found = _linked(
        text,
        [
            ("Front de libération du peuple du Vardo", "ORG", "", "model:m@1|ORG"),
            ("Société nationale d'action", "ORG", "", "model:m@1|ORG"),
        ],
    )
    tplv = ("VPLF", "ORG", ACRONYM_KEY_PREFIX + "Front de libération du peuple du Vardo")
    assert found.count(tplv) == 2
    assert ("Waad", "ORG", ACRONYM_KEY_PREFIX + "Société nationale d'action") in found


def test_acronyms_a_definition_in_the_text_outweighs_a_registry_acronym() -> None:
    text = "Le Conseil présidentiel de transition (CPT) a parlé."
    found = _linked(
        text,
        [
            ("Conseil présidentiel de transition", "ORG", "", "rule:body.fr.name"),
            ("CPT", "ORG", "european-committee-for-the-prevention-of-torture", "rule:registry.org.acronym"),
        ],
    )
    assert ("CPT", "ORG", ACRONYM_KEY_PREFIX + "Conseil présidentiel de transition") in found


def test_acronyms_a_name_cut_short_is_extended_to_its_acronym() -> None:
    text = "Founder of the Law and Policy of Green Growth Research Center (LPGG) and the Mission of aid "
    text += "to peace (MAP)."
    found = _linked(
        text,
        [
            ("Green Growth Research Center", "ORG", "", "model:m@1|ORG"),
            ("Mission of aid", "ORG", "", "model:m@1|ORG"),
        ],
    )
    assert ("Law and Policy of Green Growth Research Center", "ORG", "") in found
    assert ("Mission of aid to peace", "ORG", "") in found


def test_acronyms_a_name_is_not_extended_over_a_clause_to_another_acronym() -> None:
    text = "Vexa Lab is a civil society organisation (CSO) in Taipei."
    found = _linked(text, [("Vexa Lab", "ORG", "", "model:m@1|ORG")])
    assert found == [("Vexa Lab", "ORG", "")]


def test_acronyms_a_longer_name_takes_in_the_guesses_and_the_country_it_holds() -> None:
    text = "Friends for Press Rights in Kenya (FPRK) and Centro de Datos e Información Nube (CDIN) met."
    found = _linked(
        text,
        [
            ("Press Rights", "ORG", "", "model:m@1|ORG"),
            ("Kenya", "COUNTRY", "KE", "rule:country.cldr"),
            ("Centro de Datos", "ORG", "", "model:m@1|ORG"),
            ("Información Nube", "PERSON", "", "model:m@1|PERSON"),
        ],
    )
    assert ("Friends for Press Rights in Kenya", "ORG", "") in found
    assert ("Centro de Datos e Información Nube", "ORG", "") in found
    assert ("Información Nube", "PERSON", "") not in found


def test_acronyms_a_registry_acronym_of_a_name_inside_a_law_stays() -> None:
    text = "la loi sur l’IA de l’Union européenne (UE), pour répondre."
    found = _linked(
        text,
        [
            ("loi sur l’IA de l’Union européenne", "LAW", "eu-ai-act", "rule:registry.law.name"),
            ("UE", "ORG", "european-union", "rule:registry.org.acronym"),
        ],
    )
    assert ("UE", "ORG", "european-union") in found


def test_acronyms_registry_law_acronym_in_brackets_keys_its_long_form() -> None:
    doc = spacy.blank("fr")("La loi sur la presse (LSP) est dure.")
    long_form = Span(doc, 1, 5, "LAW", span_id="rule:law.fr.subject")
    acronym = Span(doc, 6, 7, "LAW", kb_id="press-law-x", span_id="rule:registry.law.acronym")
    result = link_acronyms(doc, [long_form, acronym])
    assert [(s.text, s.kb_id_) for s in result] == [
        ("loi sur la presse", "press-law-x"),
        ("LSP", "press-law-x"),
    ]
