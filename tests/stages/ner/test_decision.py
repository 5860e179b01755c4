"""decision: the `civic_decision` component on hand-built docs (no model loaded).

The parts it calls have their own tests (test_reshape, test_span_edges,
test_span_splits, test_selection, test_consistency, test_acronyms,
test_evidence); these check the component: its factory, how it types the
model's spans, the order it chooses in, and its switches.
"""

from __future__ import annotations

from functools import cache

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.errors import UnsupportedLanguageError
from pipeline.stages.ner.decision import OUTPUT_KEY, TypeDecision
from pipeline.stages.ner.rules import RULES_KEY, RuleRecogniser


@cache
def _nlp(lang: str) -> tuple[Language, RuleRecogniser, TypeDecision]:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp, RuleRecogniser(nlp, lang), TypeDecision(lang, "test_model@0")


def _doc(lang: str, text: str, ents: list[tuple[str, str]]) -> Doc:
    nlp, rules, _ = _nlp(lang)
    doc = nlp(text)
    spans = []
    position = 0
    for surface, label in ents:
        start = text.index(surface, position)
        spans.append(doc.char_span(start, start + len(surface), label=label))
        position = start + len(surface)
    doc.ents = spans
    return rules(doc)


def _decide(
    lang: str, text: str, ents: list[tuple[str, str]], rules_off: frozenset[str] = frozenset()
) -> list[tuple[str, str, str, str]]:
    doc = _nlp(lang)[2](_doc(lang, text, ents), rules_off=rules_off)
    return [(s.text, s.label_, s.kb_id_, s.id_) for s in doc.spans[OUTPUT_KEY]]


def test_decision_factories_take_the_span_keys_as_config() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("civic_rules", config={"lang": "en", "spans_key": "candidates"})
    nlp.add_pipe(
        "civic_decision",
        config={"lang": "en", "model_source": "m@1", "rules_key": "candidates", "output_key": "chosen"},
    )
    doc = nlp("Delegates from Kenya met.")
    assert [s.text for s in doc.spans["candidates"]] == ["Kenya"]
    assert [(s.text, s.label_, s.kb_id_) for s in doc.spans["chosen"]] == [("Kenya", "COUNTRY", "KE")]
    assert RULES_KEY not in doc.spans and OUTPUT_KEY not in doc.spans


def test_decision_model_places_are_countries_or_locations_and_keep_the_model_label() -> None:
    found = _decide(
        "en", "She flew from Ruritania City to Kenya.", [("Ruritania City", "GPE"), ("Kenya", "GPE")]
    )
    assert ("Ruritania City", "LOCATION", "", "model:test_model@0|GPE") in found
    assert [f[:3] for f in found if f[0] == "Kenya"] == [("Kenya", "COUNTRY", "KE")]


def test_decision_misc_is_a_law_only_with_a_law_head() -> None:
    found = _decide(
        "en", "They read Data Act and Harry Potter.", [("Data Act", "MISC"), ("Harry Potter", "MISC")]
    )
    assert [f[:2] for f in found] == [("Data Act", "LAW")]


def test_decision_lower_case_model_guesses_are_dropped_in_edited_text() -> None:
    text = "The Ministry said that the ngo called ana ruiz. Then The Board met in Paris and Berlin."
    assert _decide("en", text, [("ana ruiz", "PERSON")]) == []


def test_decision_a_weak_law_head_gives_way_to_a_model_organisation() -> None:
    text = "The Open Data Charter published a report."
    assert [f[:2] for f in _decide("en", text, [("Open Data Charter", "ORG")])] == [
        ("Open Data Charter", "ORG")
    ]
    assert [f[:2] for f in _decide("en", text, [])] == [("Open Data Charter", "LAW")]


def test_decision_an_organisation_inside_a_weak_law_title_leaves_it_a_law() -> None:
    text = "El Acuerdo de Pesca entre la OEA y Chile rige."
    found = [f[:2] for f in _decide("es", text, [("OEA", "ORG")])]
    assert ("Acuerdo de Pesca entre la OEA y Chile", "LAW") in found


def test_decision_a_weak_law_head_with_its_year_wins_over_a_model_organisation() -> None:
    text = "The Public Safety (Amendment) Ordinance, 2021 was promulgated."
    found = _decide("en", text, [("Public Safety (Amendment) Ordinance", "ORG")])
    assert [f[:2] for f in found] == [("Public Safety (Amendment) Ordinance, 2021", "LAW")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "El partido presentó un proyecto de ley contra el fraude."),
        ("fr", "Le parti a déposé une proposition de loi sur la presse."),
    ],
)
def test_decision_a_law_in_an_indefinite_draft_is_not_named(lang: str, text: str) -> None:
    assert [f for f in _decide(lang, text, []) if f[1] == "LAW"] == []


def test_decision_registry_law_cited_by_number_takes_its_title() -> None:
    text = "Under Law 149 of 2019 on Foundations and Associations, groups register."
    laws = [(f[0], f[2]) for f in _decide("en", text, []) if f[1] == "LAW"]
    assert laws == [("Law 149 of 2019 on Foundations and Associations", "egypt-ngo-law")]


def test_decision_registry_law_after_its_country_possessive() -> None:
    text = "Critics compared it with Russia’s foreign agents law last year."
    found = [(f[0], f[1], f[2]) for f in _decide("en", text, [])]
    assert ("foreign agents law", "LAW", "russia-foreign-agents-law") in found


def test_decision_amending_title_joined_to_the_amended_law() -> None:
    text = "Rige la Ley Reformatoria a la Ley de Minería de 2015 desde entonces."
    laws = [f[0] for f in _decide("es", text, []) if f[1] == "LAW"]
    assert laws == ["Ley Reformatoria a la Ley de Minería de 2015"]


@pytest.mark.parametrize(
    ("lang", "text", "laws"),
    [
        (
            "es",
            "Se derogaron la Ley de Aguas, la Ley de Pesca y la Ley 12 de 2010 ayer.",
            ["Ley de Aguas", "Ley de Pesca", "Ley 12 de 2010"],
        ),
        (
            "fr",
            "Il cite la loi relative à la sécurité intérieure et la loi sur la presse ici.",
            ["loi relative à la sécurité intérieure", "loi sur la presse"],
        ),
        (
            "fr",
            "La loi organique portant statut des juges est votée.",
            ["loi organique portant statut des juges"],
        ),
        ("es", "El Decreto Supremo 004-2019-JUS rige.", ["Decreto Supremo 004-2019-JUS"]),
        # the next law runs past the first one's match
        (
            "es",
            "Rigen la Ley 10 de Aguas Públicas y la Ley 3.456 desde entonces.",
            ["Ley 10 de Aguas Públicas", "Ley 3.456"],
        ),
    ],
)
def test_decision_a_list_of_laws_is_one_law_each(lang: str, text: str, laws: list[str]) -> None:
    assert [f[0] for f in _decide(lang, text, []) if f[1] == "LAW"] == laws


def test_decision_switched_off_families_are_skipped() -> None:
    text = "Anatoly Volkov and Victoria Banjenova spoke."
    ents = [("Anatoly Volkov and Victoria Banjenova", "PERSON")]
    assert [f[0] for f in _decide("en", text, ents)] == ["Anatoly Volkov", "Victoria Banjenova"]
    whole = _decide("en", text, ents, rules_off=frozenset({"model_reshape"}))
    assert [f[0] for f in whole] == ["Anatoly Volkov and Victoria Banjenova"]


def test_decision_drops_demonyms_and_dates_unless_switched_off() -> None:
    text = "Azerbaijani reporters said in April 2025 that the case was closed."
    ents = [("Azerbaijani", "PERSON"), ("April 2025", "ORG")]
    assert _decide("en", text, ents) == []
    kept = _decide("en", text, ents, rules_off=frozenset({"demonyms", "dates"}))
    assert [f[:2] for f in kept] == [("Azerbaijani", "PERSON"), ("April 2025", "ORG")]


def test_decision_places_and_name_parts_follow_their_families() -> None:
    text = "Police in Kisumu detained the activist Wanjiru Kamau in Oromia. Kamau was released."
    ents = [("Kisumu", "GPE"), ("Wanjiru Kamau", "PERSON"), ("Oromia", "PERSON"), ("Kamau", "ORG")]
    types = {f[0]: f[1] for f in _decide("en", text, ents)}
    assert (types["Oromia"], types["Kamau"]) == ("LOCATION", "PERSON")
    off = frozenset({"subdivisions", "cities", "name_parts"})
    types = {f[0]: f[1] for f in _decide("en", text, ents, rules_off=off)}
    assert (types["Oromia"], types["Kamau"]) == ("PERSON", "ORG")


def test_decision_factories_default_to_the_pipelines_language_and_switches() -> None:
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("civic_rules", config={"rules_off": ["countries"]})
    nlp.add_pipe("civic_decision")
    assert nlp.get_pipe("civic_rules").lang == nlp.get_pipe("civic_decision").lang == "fr"
    text = "La délégation du Kenya a cité le Pacte international relatif aux droits civils et politiques."
    assert [s.label_ for s in nlp(text).ents] == ["LAW"]  # no country: switched off at creation
    # A call's own switches replace the pipeline's, for that call only (spaCy's component_cfg).
    on = {"civic_rules": {"rules_off": []}}
    assert [s.label_ for s in nlp(text, component_cfg=on).ents] == ["COUNTRY", "LAW"]
    assert [s.label_ for s in nlp(text).ents] == ["LAW"]


def test_decision_factories_refuse_a_language_without_rules() -> None:
    nlp = spacy.blank("de")
    with pytest.raises(UnsupportedLanguageError, match="'de'"):
        nlp.add_pipe("civic_rules")
    assert nlp.add_pipe("civic_rules", config={"lang": "en"}).lang == "en"


def test_decision_ents_are_the_chosen_spans_without_nested_names() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("civic_rules")
    nlp.add_pipe("civic_decision", config={"model_source": "m@1"})
    doc = nlp("The African Union Convention on Cyber Security was signed in Kenya.")
    chosen = [(s.text, s.label_) for s in doc.spans[OUTPUT_KEY]]
    assert ("African Union", "ORG") in chosen  # named inside the law's title
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("African Union Convention on Cyber Security", "LAW"),
        ("Kenya", "COUNTRY"),
    ]
