"""acronyms: in-text definitions ('Open Government Partnership (OGP)') type later uses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.stages.ner.acronyms import (
    ACRONYM_KEY_PREFIX,
    extend_to_acronyms,
    link_acronyms,
)


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


@pytest.mark.parametrize(
    ("lang", "text", "long_tokens", "short"),
    [
        ("fr", "Le Front de libération du peuple du Tigray (TPLF) se divise. Le TPLF dit.", (1, 8), "TPLF"),
        ("es", "El Movimiento al Socialismo (MAS-IPSP) se divide. El MAS-IPSP dice.", (1, 4), "MAS-IPSP"),
        ("en", "The Northern Ireland Co-operation Overseas (NI-CO) project. NI-CO trains.", (1, 7), "NI-CO"),
    ],
)
def test_acronyms_an_organisation_defines_its_acronym_in_another_language_or_with_a_hyphen(
    lang: str, text: str, long_tokens: tuple[int, int], short: str
) -> None:
    doc = spacy.blank(lang)(text)
    long_form = Span(doc, *long_tokens, "ORG", span_id="model:m@1|ORG")
    uses = [s for s in link_acronyms(doc, [long_form]) if s.text == short]
    assert len(uses) == 2 and {s.kb_id_ for s in uses} == {ACRONYM_KEY_PREFIX + long_form.text}


@pytest.mark.parametrize(
    "text",
    ["The Ministry (Bahrain) said.", "The Ministry (UK) said.", "Amnesty (and others)."],
)
def test_acronyms_a_country_or_words_in_brackets_define_nothing(text: str) -> None:
    doc = spacy.blank("en")(text)
    chosen = [Span(doc, 1, 2, "ORG")]
    assert link_acronyms(doc, chosen) == chosen


def test_acronyms_an_acronym_of_a_name_inside_the_long_form_keeps_its_registry_sense() -> None:
    doc = spacy.blank("fr")("la loi sur l’IA de l’Union européenne (UE) vise l’UE.")
    law = Span(doc, 1, 9, "LAW", span_id="rule:law.fr.subject")
    registry_uses = [Span(doc, i, i + 1, "ORG", kb_id="european-union") for i in (10, 14)]
    result = link_acronyms(doc, [law, *registry_uses])
    assert {s.kb_id_ for s in result if s.text == "UE"} == {"european-union"}
