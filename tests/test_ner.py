"""The NER stage with the real installed models: loading, offsets, repair mapping."""

from __future__ import annotations

import warnings

import pytest

from pipeline.config import Config, model_version, pinned_models
from pipeline.errors import ModelError
from pipeline.ner import EXCLUDED_COMPONENTS, load_recogniser, recognise_texts

pytestmark = pytest.mark.slow
CONFIG = Config()


def test_ner_pinned_models_are_the_installed_ones() -> None:
    for lang, package in CONFIG.models.items():
        assert model_version(package) == pinned_models()[package.lower()], lang


def test_ner_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not installed"):
        model_version("xx_no_such_pipeline")


def test_ner_pipeline_has_only_what_ner_needs() -> None:
    nlp = load_recogniser("en", CONFIG.models["en"]).nlp
    assert nlp.pipe_names == ["ner", "sentencizer", "civic_rules", "civic_decision"]
    assert not set(EXCLUDED_COMPONENTS) & set(nlp.pipe_names)


def test_ner_spanish_model_loads_with_w095_and_still_finds_entities() -> None:
    load_recogniser.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (mentions,) = recognise_texts(
            ["La relatora Irene Khan visitó Bolivia y criticó a la Organización de los Estados Americanos."],
            "es",
            CONFIG,
        )
    assert any("W095" in str(w.message) for w in caught)
    found = {(m.type, m.text) for m in mentions}
    assert {("PERSON", "Irene Khan"), ("COUNTRY", "Bolivia")} <= found
    assert ("ORG", "Organización de los Estados Americanos") in found


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Michelle Bachelet met officials of Amnesty International in Kenya.",
            {("PERSON", "Michelle Bachelet"), ("ORG", "Amnesty International"), ("COUNTRY", "Kenya")},
        ),
        (
            "fr",
            "Ana Ruiz a rencontré Amnesty International au Kenya.",
            {("PERSON", "Ana Ruiz"), ("ORG", "Amnesty International"), ("COUNTRY", "Kenya")},
        ),
    ],
)
def test_ner_finds_the_four_types(lang: str, text: str, expected: set[tuple[str, str]]) -> None:
    (mentions,) = recognise_texts([text], lang, CONFIG)
    assert expected <= {(m.type, m.text) for m in mentions}


def test_ner_offsets_slice_the_original_text_through_repairs() -> None:
    text = "    Ana RuizCIVICUS speaks withJohn Smith about theCIVICUS Monitor and Kenya,Uganda."
    (mentions,) = recognise_texts([text], "en", CONFIG)
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert text[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence
    assert ("COUNTRY", "Uganda") in {(m.type, m.text) for m in mentions}


def test_ner_long_text_is_chunked_with_exact_offsets() -> None:
    paragraph = "Amnesty International criticised the government of Kenya. " * 40
    text = "\n\n".join([paragraph] * 5)
    (mentions,) = recognise_texts([text], "en", Config(max_chunk_chars=1500))
    kenya = [m for m in mentions if m.text == "Kenya"]
    assert len(kenya) == 200
    assert all(text[m.start : m.end] == "Kenya" for m in kenya)
