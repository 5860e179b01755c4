"""Curated registries of legal instruments and organisations (data in models/registry/).

Each entry has a stable id, an English canonical name, official names in
English, French and Spanish, unambiguous acronyms and a source.  The registry
serves twice: as phrase patterns for the NER rules, and as the key of an entity
across spellings and languages in resolution.  YAML is read with `safe_load`
(data only) and checked: a malformed entry is an error naming file and entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ..config import MODELS_DIR
from ..errors import ConfigError
from .names import match_key

REGISTRY_DIR = MODELS_DIR / "registry"
_LEADING_ARTICLE = re.compile(r"^(?:[ld][’']|(?:the|la|le|les|el|los|las|del|du|des)\s+)", re.I)
_ISO_CODE = re.compile(r"^[A-Z]{2}$")
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
        bare = _LEADING_ARTICLE.sub("", text.strip())
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


def _as_list(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ConfigError(f"{where}: expected a string or a list of strings, got {value!r}")


def _parse(path: Path, type_: str) -> list[RegistryEntry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of entries")
    entries = []
    for number, item in enumerate(data, 1):
        where = f"{path.name} entry {number}"
        if not isinstance(item, dict) or not {"id", "name", "names", "source"} <= item.keys():
            raise ConfigError(f"{where}: needs id, name, names and source")
        blank = [k for k in ("id", "name", "source") if not isinstance(item[k], str) or not item[k].strip()]
        if blank:
            raise ConfigError(f"{where}: {', '.join(blank)} must be non-empty strings")
        names = item["names"]
        if not isinstance(names, dict):
            raise ConfigError(f"{where} ({item['id']}): names must map language to names")
        surfaces = [item["name"]]
        for lang in sorted(names):
            surfaces += _as_list(names[lang], f"{where} names.{lang}")
        surfaces += _as_list(item.get("short_names"), f"{where} short_names")
        surfaces += _as_list(item.get("working_titles"), f"{where} working_titles")
        jurisdiction = item.get("jurisdiction")
        if jurisdiction is not None and (
            not isinstance(jurisdiction, str) or not _ISO_CODE.match(jurisdiction)
        ):
            raise ConfigError(f"{where} ({item['id']}): jurisdiction must be an ISO 3166-1 alpha-2 code")
        entries.append(
            RegistryEntry(
                id=str(item["id"]),
                type=type_,
                name=str(item["name"]),
                surfaces=tuple(dict.fromkeys(surfaces)),
                acronyms=tuple(_as_list(item.get("acronyms"), f"{where} acronyms")),
                source=str(item["source"]),
                jurisdiction=jurisdiction,
            )
        )
    return entries


@lru_cache(maxsize=1)
def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    """All registry entries (laws, then organisations), in file order."""
    entries: list[RegistryEntry] = []
    for type_, filename in REGISTRY_FILES.items():
        path = directory / filename
        if path.exists():
            entries += _parse(path, type_)
    return Registry(tuple(entries))
