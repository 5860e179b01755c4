"""`pipeline.load_nlp`: our configured spaCy pipeline for one language."""

from __future__ import annotations

import pytest

from pipeline import Config, UnsupportedLanguageError, load_nlp


def test_nlp_unknown_language_is_refused_before_loading() -> None:
    with pytest.raises(UnsupportedLanguageError, match="'de'; the languages are en, es, fr"):
        load_nlp("de")


@pytest.mark.slow
def test_nlp_pipeline_types_entities_and_applies_the_configs_switches() -> None:
    text = "The lawyer Maria Lopez told Amnesty International that Kenya's Computer Misuse Act is vague."
    nlp = load_nlp("en")
    assert nlp.pipe_names == ["ner", "sentencizer", "civic_rules", "civic_decision"]
    doc = nlp(text)
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Maria Lopez", "PERSON"), ("Amnesty International", "ORG"), ("Kenya", "COUNTRY")} <= found
    assert any(e.label_ == "LAW" for e in doc.ents)
    assert {e.kb_id_ for e in doc.ents if e.label_ == "COUNTRY"} == {"KE"}
    assert all(e.id_.startswith(("model:", "rule:")) for e in doc.ents)  # provenance
    assert "COUNTRY" in {s.label_ for s in doc.spans["civic_rules"]}  # the rules' candidates
    without_countries = load_nlp("en", config=Config(rules_off=("countries",)))
    assert without_countries is not nlp
    switched_off = without_countries(text)
    assert "COUNTRY" not in {s.label_ for s in switched_off.spans["civic_rules"]}
