"""acronyms: in-text definitions ('Open Government Partnership (OGP)') type later uses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.stages.ner.acronyms import ACRONYM_KEY_PREFIX, is_abbreviation, link_acronyms


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


def test_acronyms_a_definition_outranks_the_registry_sense_of_the_letters() -> None:
    doc = spacy.blank("fr")("Le Conseil présidentiel de transition (CPT) siège. Le CPT a voté.")
    long_form = Span(doc, 1, 5, "ORG", span_id="model:m@1|ORG")
    registry_guess = Span(doc, 11, 12, "ORG", kb_id="european-committee-for-the-prevention-of-torture")
    result = link_acronyms(doc, [long_form, registry_guess])
    assert registry_guess not in result
    assert {s.kb_id_ for s in result if s.text == "CPT"} == {ACRONYM_KEY_PREFIX + long_form.text}


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


def test_acronyms_registry_law_acronym_in_brackets_keys_its_long_form() -> None:
    doc = spacy.blank("fr")("La loi sur la presse (LSP) est dure.")
    long_form = Span(doc, 1, 5, "LAW", span_id="rule:law.fr.subject")
    acronym = Span(doc, 6, 7, "LAW", kb_id="press-law-x", span_id="rule:registry.law.acronym")
    result = link_acronyms(doc, [long_form, acronym])
    assert [(s.text, s.kb_id_) for s in result] == [
        ("loi sur la presse", "press-law-x"),
        ("LSP", "press-law-x"),
    ]
