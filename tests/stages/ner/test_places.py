"""places and name_parts: places typed LOCATION, people's name parts typed PERSON.

Tiny texts in other genres and regions than the sample (a joint statement on
the Horn of Africa, a Sahel news round-up, an Andean alert, a South-East Asian
court report), with the model's spans written by hand on spaCy's blank
pipelines, so no statistical model is needed.  The people are invented; the
places are real, since the gazetteers are what is tested.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.knowledge.lexicon import (
    city_names,
    common_words,
    cues,
    last_names,
    lexicon,
    place_cues,
    subdivision_names,
)
from pipeline.stages.ner import evidence
from pipeline.stages.ner.name_parts import retype_full_names, retype_name_parts
from pipeline.stages.ner.places import retype_places

MODEL = "model:test|X"
GAZETTEERS = (subdivision_names(), city_names())


def _doc(lang: str, text: str) -> Doc:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp(text)


def _spans(doc: Doc, spans: list[tuple[str, str]]) -> list[Span]:
    """Each (words, label) as a model span at the words' first occurrence after the previous span."""
    result = []
    position = 0
    for words, label in spans:
        size = len(words.split())
        start = next(i for i in range(position, len(doc)) if doc[i : i + size].text == words)
        result.append(Span(doc, start, start + size, label, span_id=MODEL))
        position = start + size
    return result


def _places(
    lang: str, text: str, spans: list[tuple[str, str]], gazetteers=GAZETTEERS
) -> list[tuple[str, str]]:
    doc = _doc(lang, text)
    words = (lexicon(lang), common_words(lang), cues(lang), place_cues(lang))
    return [(s.text, s.label_) for s in retype_places(doc, _spans(doc, spans), gazetteers, words)]


def _name_parts(lang: str, text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = _doc(lang, text)
    words = (lexicon(lang), cues(lang), place_cues(lang))
    return [(s.text, s.label_) for s in retype_name_parts(doc, _spans(doc, spans), GAZETTEERS, words)]


def test_places_gazetteers_hold_subdivisions_and_cities_in_their_usual_spellings() -> None:
    assert {"oromia", "tigray", "cauca", "antioquia", "zulia", "artibonite"} <= subdivision_names()
    assert {"tacloban", "kaolack", "gonaives", "ginebra", "le caire", "addis abeba"} <= city_names()
    assert {"kamau", "quintero", "restrepo", "ruto"} <= last_names()
    assert "gva" not in city_names()  # airport codes are not names


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        # a joint statement: regions alone, one listed after the other
        (
            "en",
            "Journalists working in Oromia and Tigray told us that arrests continue.",
            [("Oromia", "PERSON"), ("Tigray", "PERSON")],
            [("Oromia", "LOCATION"), ("Tigray", "LOCATION")],
        ),
        # a region no person is named after needs no evidence in the text
        (
            "en",
            "Oromia remains under a communications blackout.",
            [("Oromia", "PERSON")],
            [("Oromia", "LOCATION")],
        ),
        # French and Spanish take an article before a region, never before a person
        (
            "fr",
            "Dans le Cauca, les leaders sociaux sont menacés.",
            [("Cauca", "PERSON")],
            [("Cauca", "LOCATION")],
        ),
        (
            "es",
            "Asesinaron a otro líder social en el norte del Cauca y en Zulia.",
            [("Cauca", "PERSON"), ("Zulia", "PERSON")],
            [("Cauca", "LOCATION"), ("Zulia", "LOCATION")],
        ),
        # a city: 'à' places it in French
        (
            "fr",
            "Les manifestants arrêtés à Kaolack ont été libérés.",
            [("Kaolack", "PERSON")],
            [("Kaolack", "LOCATION")],
        ),
        # a place noun after the name
        (
            "en",
            "Schools in the north reopened, and Tigray region officials agreed.",
            [("Tigray", "PERSON")],
            [("Tigray", "LOCATION")],
        ),
    ],
)
def test_places_are_locations(
    lang: str, text: str, spans: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    assert _places(lang, text, spans) == expected


@pytest.mark.parametrize(
    ("lang", "text", "spans"),
    [
        # a place's name as a person's first name, used alone after the full name
        (
            "en",
            "Victoria Mensah, a lawyer in Accra, said Victoria would appeal.",
            [("Victoria Mensah", "PERSON"), ("Victoria", "PERSON")],
        ),
        # a surname shared with a city, cued as a person
        ("en", "Jackson said the decree was unlawful.", [("Jackson", "PERSON")]),
        # a person's name that is a city's, with nothing that places it
        (
            "fr",
            "Paris Kamara a déclaré que Paris resterait.",
            [("Paris Kamara", "PERSON"), ("Paris", "PERSON")],
        ),
        # a title makes a person
        ("es", "La jueza Magdalena ordenó la liberación.", [("Magdalena", "PERSON")]),
        # an organisation named after a place keeps its name and type
        (
            "en",
            "The Nairobi Law Society and Radio Oromia signed.",
            [("Nairobi Law Society", "ORG"), ("Radio Oromia", "ORG")],
        ),
        # a city's name the model typed as an organisation needs evidence in the text
        ("en", "Tacloban issued a statement on Monday.", [("Tacloban", "ORG")]),
    ],
)
def test_places_need_evidence_against_a_person_or_an_organisation(
    lang: str, text: str, spans: list[tuple[str, str]]
) -> None:
    assert _places(lang, text, spans) == spans


def test_places_organisation_with_evidence_and_families_switched_off() -> None:
    text = "Fighting continued in Tacloban on Monday."
    assert _places("en", text, [("Tacloban", "ORG")]) == [("Tacloban", "LOCATION")]
    assert _places("en", text, [("Tacloban", "ORG")], gazetteers=(subdivision_names(),)) == [
        ("Tacloban", "ORG")
    ]


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        # a surname alone typed as an organisation
        (
            "en",
            "Police in Kisumu detained the activist Wanjiru Kamau. Kamau was released on bail.",
            [("Kisumu", "LOCATION"), ("Wanjiru Kamau", "PERSON"), ("Kamau", "ORG")],
            [("Kisumu", "LOCATION"), ("Wanjiru Kamau", "PERSON"), ("Kamau", "PERSON")],
        ),
        # a Vietnamese given name alone, also a Thai province's name
        (
            "en",
            "Blogger Pham Doan Trang was sentenced. Trang had reported on land rights.",
            [("Pham Doan Trang", "PERSON"), ("Trang", "LOCATION")],
            [("Pham Doan Trang", "PERSON"), ("Trang", "PERSON")],
        ),
        # two Spanish surnames
        (
            "es",
            "La lideresa María Quintero Restrepo denunció amenazas. Quintero Restrepo pidió protección.",
            [("María Quintero Restrepo", "PERSON"), ("Quintero Restrepo", "ORG")],
            [("María Quintero Restrepo", "PERSON"), ("Quintero Restrepo", "PERSON")],
        ),
        # a name with its particle
        (
            "fr",
            "Mohamed Ould Abdallahi a été réélu. Ould Abdallahi a nié.",
            [("Mohamed Ould Abdallahi", "PERSON"), ("Ould Abdallahi", "ORG")],
            [("Mohamed Ould Abdallahi", "PERSON"), ("Ould Abdallahi", "PERSON")],
        ),
        # a place named like the person stays a place where the text places it
        (
            "es",
            "Jorge Santander huyó. Los combates siguieron en Santander.",
            [("Jorge Santander", "PERSON"), ("Santander", "LOCATION")],
            [("Jorge Santander", "PERSON"), ("Santander", "LOCATION")],
        ),
        # an organisation cue keeps an organisation
        (
            "en",
            "Wanjiru Kamau spoke. The NGO Kamau was closed.",
            [("Wanjiru Kamau", "PERSON"), ("Kamau", "ORG")],
            [("Wanjiru Kamau", "PERSON"), ("Kamau", "ORG")],
        ),
    ],
)
def test_name_parts_are_people(
    lang: str, text: str, spans: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    assert _name_parts(lang, text, spans) == expected


def test_last_names_are_evidence_beside_a_speech_verb() -> None:
    doc = _doc("en", "Ruto said the protests were treasonous.")
    chosen = _spans(doc, [("Ruto", "ORG")])
    words = (lexicon("en"), common_words("en"), cues("en"))
    without = evidence.person_evidence(doc, chosen, *words)
    with_last_names = evidence.person_evidence(doc, chosen, *words, last_names())
    assert [(s.text, s.label_) for s in without] == [("Ruto", "ORG")]
    assert [(s.text, s.label_) for s in with_last_names] == [("Ruto", "PERSON")]


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        # a first and a last name the model typed as a place or an organisation
        (
            "es",
            "Arévalo denunció a la fiscal Consuelo Porras en la capital.",
            [("Consuelo Porras", "LOCATION")],
            [("Consuelo Porras", "PERSON")],
        ),
        (
            "es",
            "La presidenta prometió justicia para Berta Cáceres.",
            [("Berta Cáceres", "ORG")],
            [("Berta Cáceres", "PERSON")],
        ),
        # a gazetteer's place, or one the text places, stays a place
        (
            "es",
            "Los combates siguieron en Santa Cruz.",
            [("Santa Cruz", "LOCATION")],
            [("Santa Cruz", "LOCATION")],
        ),
        # an organisation head or cue keeps an organisation
        (
            "en",
            "She works for the firm Morgan Hughes in London.",
            [("Morgan Hughes", "ORG"), ("London", "LOCATION")],
            [("Morgan Hughes", "ORG"), ("London", "LOCATION")],
        ),
    ],
)
def test_full_names_are_people(
    lang: str, text: str, spans: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    doc = _doc(lang, text)
    words = (lexicon(lang), cues(lang), place_cues(lang))
    result = retype_full_names(doc, _spans(doc, spans), GAZETTEERS, last_names(), words)
    assert [(s.text, s.label_) for s in result] == expected


def test_places_with_their_place_noun() -> None:
    text = "Floods hit Lagos State and the Oromia Region last week."
    spans = [("Lagos State", "PERSON"), ("Oromia Region", "PERSON")]
    assert _places("en", text, spans) == [("Lagos State", "LOCATION"), ("Oromia Region", "LOCATION")]


def test_name_parts_join_a_name_split_before_its_particle() -> None:
    text = "Justice Ramon B. dela Paz wrote a separate opinion."
    assert _name_parts("en", text, [("Ramon B.", "PERSON"), ("dela Paz", "PERSON")]) == [
        ("Ramon B. dela Paz", "PERSON")
    ]


def test_places_a_place_named_person_says_nothing_of_its_parts() -> None:
    text = "Reporters covering Rakhine State were arrested; fighting continues in Rakhine."
    spans = [("Rakhine State", "PERSON"), ("Rakhine", "PERSON")]
    assert _places("en", text, spans) == [("Rakhine State", "LOCATION"), ("Rakhine", "LOCATION")]
