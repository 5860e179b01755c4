"""law_grammar and body_grammar: Matcher patterns built from models/patterns/."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from pipeline.knowledge.lexicon import pattern_file
from pipeline.stages.ner.body_grammar import body_patterns
from pipeline.stages.ner.law_grammar import either, law_patterns


def _matches(lang: str, text: str, patterns: list) -> set[tuple[str, str]]:
    nlp = spacy.blank(lang)
    matcher = Matcher(nlp.vocab)
    for rule_id, pattern in patterns:
        matcher.add(rule_id, [pattern], greedy="LONGEST")
    doc = nlp(text)
    return {(span.label_, span.text) for span in matcher(doc, as_spans=True)}


def test_law_grammar_either_apostrophe_style() -> None:
    assert either("l’", "de") == ["de", "l'", "l’"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_law_grammar_rule_ids_name_language_and_kind(lang: str) -> None:
    kinds = {rule_id.split(".")[2] for rule_id, _ in law_patterns(lang)}
    assert all(rule_id.startswith(f"law.{lang}.") for rule_id, _ in law_patterns(lang))
    assert {"numbered", "name"} <= kinds
    assert all(rule_id.startswith(f"body.{lang}.") for rule_id, _ in body_patterns(lang))


def test_law_grammar_english_link_words_come_from_laws_yaml() -> None:
    english = pattern_file("laws")["en"]
    tokens = [token for _, pattern in law_patterns("en") for token in pattern]
    link_sets = {
        tuple(t["LOWER"]["IN"]) for t in tokens if isinstance(t.get("LOWER"), dict) and "IN" in t["LOWER"]
    }
    assert tuple(english["head_links"]) in link_sets
    assert tuple(english["inner_links"]) in link_sets


@pytest.mark.parametrize(
    ("lang", "text", "rule", "law"),
    [
        ("en", "the Convention on Cybercrime was", "law.en.name_of", "Convention on Cybercrime"),
        (
            "en",
            "the Protection from Online Falsehoods and Manipulation Act",
            "law.en.name",
            "Protection from Online Falsehoods and Manipulation Act",
        ),
        ("fr", "la loi sur la cybercriminalité est", "law.fr.subject", "loi sur la cybercriminalité"),
        ("es", "la Ley 27.275 rige", "law.es.numbered", "Ley 27.275"),
        # instrument nouns of other legal traditions, with numbers in their own forms
        (
            "en",
            "the Broadcasting Proclamation No. 77/2012 was",
            "law.en.numbered",
            "Broadcasting Proclamation No. 77/2012",
        ),
        ("en", "under Executive Order No. 12 it", "law.en.numbered", "Executive Order No. 12"),
        ("es", "la Ley 211-19 rige", "law.es.numbered", "Ley 211-19"),
        ("es", "el Decreto-Ley 44 de 2020 rige", "law.es.numbered", "Decreto-Ley 44 de 2020"),
        ("fr", "le sous-décret n° 9 dit", "law.fr.numbered", "sous-décret n° 9"),
        # an amending act's bracketed word inside a coordinated title
        (
            "en",
            "the Data Protection and Privacy (Amendment) Act passed",
            "law.en.name",
            "Data Protection and Privacy (Amendment) Act",
        ),
        ("en", "under the 2010 Constitution it", "law.en.name", "2010 Constitution"),
        # an English number and year followed by the subject
        (
            "en",
            "Law No. 9 of 2011 on the Freedom of Assembly applies",
            "law.en.numbered",
            "Law No. 9 of 2011 on the Freedom of Assembly",
        ),
        (
            "en",
            "the Law on Policing and its Oversight is",
            "law.en.name_of",
            "Law on Policing and its Oversight",
        ),
        # a subject noun between the head and a name; the parties of an agreement
        ("fr", "les Accords de paix de Lomé sont", "law.fr.name", "Accords de paix de Lomé"),
        (
            "es",
            "el Acuerdo de Pesca entre Chile y Perú rige",
            "law.es.title",
            "Acuerdo de Pesca entre Chile y Perú",
        ),
        # an unnumbered title named by its date
        ("fr", "la Constitution du 4 octobre 1958 dit", "law.fr.numbered", "Constitution du 4 octobre 1958"),
        (
            "es",
            "la Constitución de 6 de diciembre de 1978 dice",
            "law.es.numbered",
            "Constitución de 6 de diciembre de 1978",
        ),
        # a lower-case qualifier after a French or Spanish head; a numbered-only noun
        ("fr", "un arrêté préfectoral n° 77 interdit", "law.fr.numbered", "arrêté préfectoral n° 77"),
        ("es", "el decreto ejecutivo 2021-9 rige", "law.es.numbered", "decreto ejecutivo 2021-9"),
        (
            "en",
            "under Statutory Instrument 40 of 2019 it",
            "law.en.numbered",
            "Statutory Instrument 40 of 2019",
        ),
        # a negated adjective inside a subject
        (
            "fr",
            "la loi sur les associations non lucratives est",
            "law.fr.subject",
            "loi sur les associations non lucratives",
        ),
    ],
)
def test_law_grammar_matches(lang: str, text: str, rule: str, law: str) -> None:
    assert (rule, law) in _matches(lang, text, law_patterns(lang))


@pytest.mark.parametrize(
    ("lang", "text", "not_law"),
    [
        # the name after "de" is the law itself, not a name of the regulation
        ("es", "el reglamento de la Ley 300 rige", "reglamento de la Ley"),
        # a sentence-start adverb is no part of a title
        ("en", "Meanwhile Decree 41/2022 took effect", "Meanwhile Decree 41/2022"),
    ],
)
def test_law_grammar_does_not_match(lang: str, text: str, not_law: str) -> None:
    assert not_law not in {found for _, found in _matches(lang, text, law_patterns(lang))}


@pytest.mark.parametrize(
    ("lang", "text", "body"),
    [
        ("en", "the Ministry of Digital Economy said", "Ministry of Digital Economy"),
        ("es", "la Corte Suprema de Justicia dijo", "Corte Suprema de Justicia"),
        ("fr", "le ministère de la Justice a dit", "ministère de la Justice"),
    ],
)
def test_body_grammar_matches(lang: str, text: str, body: str) -> None:
    assert body in {found for _, found in _matches(lang, text, body_patterns(lang))}
