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
    ],
)
def test_law_grammar_matches(lang: str, text: str, rule: str, law: str) -> None:
    assert (rule, law) in _matches(lang, text, law_patterns(lang))


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
