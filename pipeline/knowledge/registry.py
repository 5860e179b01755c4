"""Curated registries of legal instruments and organisations (data in models/registry/).

Each entry has a stable id, an English canonical name, official names in
English, French and Spanish, unambiguous acronyms and a source.  The registry
serves twice: as phrase patterns for the NER rules, and as the key of an entity
across spellings and languages in resolution.  YAML is read with `safe_load`
(data only) and checked against `RegistryItem`: a malformed entry is an error
naming the file, line and entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, RootModel, StringConstraints

from ..config import MODELS_DIR
from ..errors import ConfigError
from .names import match_key, strip_leading_article
from .yamlfile import check, parse, read_text

REGISTRY_DIR = MODELS_DIR / "registry"
REGISTRY_FILES = {"LAW": "laws.yaml", "ORG": "organisations.yaml"}


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    type: str
    name: str
    surfaces: tuple[str, ...]  # names and short names in every language
    acronyms: tuple[str, ...]
    source: str
    # ISO 3166-1 alpha-2 code of the state whose law or body this is (national
    # laws); None for international instruments and bodies.
    jurisdiction: str | None = None


@dataclass(frozen=True, eq=False)  # identity hash: cheap as a cache key
class Registry:
    entries: tuple[RegistryEntry, ...]

    @cached_property
    def by_id(self) -> dict[str, RegistryEntry]:
        return {entry.id: entry for entry in self.entries}

    @cached_property
    def _by_acronym(self) -> dict[str, RegistryEntry]:
        return {a: e for e in reversed(self.entries) for a in reversed(e.acronyms)}

    @cached_property
    def _by_name(self) -> dict[str, RegistryEntry]:
        return {match_key(s): e for e in reversed(self.entries) for s in reversed(e.surfaces)}

    @cached_property
    def _by_number(self) -> dict[str, RegistryEntry]:
        return {
            number_key(s): e
            for e in reversed(self.entries)
            for s in reversed(e.surfaces)
            if any(c.isdigit() for c in s)
        }

    def lookup(self, text: str, type_: str | None = None) -> RegistryEntry | None:
        """The entry whose name, short name or acronym matches `text`, if any.

        Acronyms match as written, after an elided or leading article ("l’ONU").
        """
        bare = strip_leading_article(text.strip())
        entry = self._by_acronym.get(bare) or self._by_name.get(match_key(text))
        if entry is None and any(c.isdigit() for c in text):
            entry = self._by_number.get(number_key(text))
        if entry is not None and (type_ is None or entry.type == type_):
            return entry
        return None


# 'No.', 'N°', 'núm.' between a law's head and its number: 'Ley No. 1040' is 'Ley 1040'.
_NUMBER_MARK = re.compile(r"(?<=\s)(?:no|n|nr|nro|num|numero|number)\s*[.°º]?\s*(?=\d)")


def number_key(text: str) -> str:
    """`match_key` of a numbered instrument without its number mark."""
    return _NUMBER_MARK.sub("", match_key(text))


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _as_list(value: object) -> object:
    """A single string is a list of one; nothing (a key without a value) is none."""
    return [] if value is None else [value] if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_not_blank)]
Strings = Annotated[list[str], BeforeValidator(_as_list)]


class RegistryItem(BaseModel):
    """One entry as written in a registry file (models/registry/README.md)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Text
    name: Text
    names: dict[str, Strings]
    source: Text
    acronyms: Strings = []
    short_names: Strings = []
    working_titles: Strings = []
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None

    def entry(self, type_: str) -> RegistryEntry:
        surfaces = [self.name, *(n for lang in sorted(self.names) for n in self.names[lang])]
        return RegistryEntry(
            id=self.id,
            type=type_,
            name=self.name,
            surfaces=tuple(dict.fromkeys([*surfaces, *self.short_names, *self.working_titles])),
            acronyms=tuple(self.acronyms),
            source=self.source,
            jurisdiction=self.jurisdiction,
        )


class RegistryFile(RootModel[list[RegistryItem]]):
    """A registry file: a list of entries."""


def _problem(data: list[Any], error: dict[str, Any]) -> str:
    """A pydantic error as ': entry 2 (b) names.en: ...', the entry counted from 1."""
    index, *field = error["loc"]
    item = data[index]
    entry = f"entry {index + 1}"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        entry += f" ({item['id']})"
    where = ".".join(str(part) for part in field if not isinstance(part, int))
    if not field:
        return f": {entry}: expected a mapping with id, name, names and source, got {item!r}"
    if error["type"] == "missing":
        return f": {entry}: needs {where} (entries need id, name, names and source)"
    if error["type"] == "extra_forbidden":
        return f": {entry}: unknown key {where!r} (see models/registry/README.md)"
    if where == "jurisdiction":
        return f": {entry} jurisdiction: must be an ISO 3166-1 alpha-2 code, got {error['input']!r}"
    if error["type"] == "value_error":
        return f": {entry} {where}: {error['ctx']['error']}, got {error['input']!r}"
    return f": {entry} {where}: {error['msg'].lower()}, got {error['input']!r}"


def _parse(path: Path, type_: str) -> list[RegistryEntry]:
    text = read_text(path)
    data = parse(text, path)
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of entries")
    items = check(RegistryFile, data, path, text, describe=lambda error: _problem(data, error))
    return [item.entry(type_) for item in items.root]


@lru_cache(maxsize=1)
def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    """All registry entries (laws, then organisations), in file order."""
    entries: list[RegistryEntry] = []
    for type_, filename in REGISTRY_FILES.items():
        path = directory / filename
        if path.exists():
            entries += _parse(path, type_)
    return Registry(tuple(entries))
