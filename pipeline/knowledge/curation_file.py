"""The curation file as typed entries: one pydantic model per operation.

Each model names its fields (no unknown one: a typo would silently do
nothing), their types and the rules within one entry (`key` or `text` for a
reject, offsets that span the text for a detach).  `read_entries` gives every
entry with its line, in the file's order; any problem is a CurationError naming
the file and line.  Rules across entries (a key merged two ways, merge cycles)
and against the run's entities are the curation's own (curation.py).
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..errors import CurationError
from ..schema import ENTITY_TYPES
from .yamlfile import Lines, check, parse, read_text


def _entity_type(value: str) -> str:
    if value not in ENTITY_TYPES:
        raise ValueError(f"must be one of {', '.join(ENTITY_TYPES)}")
    return value


def _date_text(value: object) -> object:
    """YAML reads an unquoted 2026-12-02 as a date."""
    return str(value) if isinstance(value, datetime.date) else value


EntityType = Annotated[str, AfterValidator(_entity_type)]
Key = Annotated[str, Field(min_length=1)]


class Entry(BaseModel):
    """Any entry may say when it was decided (shown on the report's Curation page)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    added: Annotated[str, BeforeValidator(_date_text)] | None = None


class Merge(Entry):
    type: EntityType
    into: Key
    keys: Annotated[list[Key], Field(min_length=1)]


class Split(Entry):
    type: EntityType
    key: Key
    text: Key
    new_key: Key


class Rename(Entry):
    type: EntityType
    key: Key
    name: Key


class Reject(Entry):
    """Exactly one of `key` (an entity) and `text` (a surface form)."""

    type: EntityType
    key: Key | None = None
    text: Key | None = None

    @model_validator(mode="after")
    def _key_or_text(self) -> Reject:
        if self.key is not None and self.text is not None:
            raise ValueError("give key (an entity) or text (a surface form), not both")
        if self.key is None and self.text is None:
            raise ValueError("needs key (an entity) or text (a surface form)")
        return self


class Retype(Entry):
    text: Key
    from_: EntityType = Field(alias="from")
    to: EntityType


class Detach(Entry):
    """One mention, keyed by content: the article's text hash, the span's offsets and
    text; `into` moves it to another entity's key, without it the mention is dropped.
    `key` is the entity it is detached from, for the reader."""

    type: EntityType
    article: Key
    start: Annotated[int, Field(ge=0)]
    end: int
    text: Key
    into: Key | None = None
    key: str | None = None

    @model_validator(mode="after")
    def _offsets_span_the_text(self) -> Detach:
        if self.end < self.start:
            raise ValueError("needs start and end (character offsets, start <= end)")
        if self.end - self.start != len(self.text):
            length = self.end - self.start
            raise ValueError(f"text is {len(self.text)} characters but end - start is {length}")
        return self


OPERATION_MODELS: dict[str, type[Entry]] = {
    "merge": Merge,
    "split": Split,
    "rename": Rename,
    "reject": Reject,
    "retype": Retype,
    "detach": Detach,
}
OPERATIONS = tuple(OPERATION_MODELS)
# A key with nothing after it ('merge:') is an empty list.
_Entries = Annotated[list[Any], BeforeValidator(lambda v: [] if v is None else v)]


class CurationFile(BaseModel):
    """The file: a mapping of operations to lists of entries (checked one by one)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    merge: _Entries = []
    split: _Entries = []
    rename: _Entries = []
    reject: _Entries = []
    retype: _Entries = []
    detach: _Entries = []

    def entries(self, operation: str) -> list[Any]:
        by_operation = {
            "merge": self.merge,
            "split": self.split,
            "rename": self.rename,
            "reject": self.reject,
            "retype": self.retype,
            "detach": self.detach,
        }
        return by_operation[operation]


@dataclass(frozen=True)
class CurationEntry:
    operation: str
    entry: Entry
    written: dict[str, Any]  # as in the file, for the run's summary
    line: int


def suggest(word: str, vocabulary: list[str]) -> str:
    close = difflib.get_close_matches(word, sorted(set(vocabulary)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fields(model: type[Entry]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items() if name != "added"] + ["added"]


def _file_problem(error: dict[str, Any]) -> str:
    """A pydantic error of the file as a whole, as the text after 'line N' of the message."""
    loc, kind = error["loc"], error["type"]
    if kind == "extra_forbidden":
        return f": unknown operation {loc[0]!r} (use {', '.join(OPERATIONS)})"
    if kind == "model_type":
        return f": expected a mapping of operations ({', '.join(OPERATIONS)})"
    return f": {loc[0]} must be a list of entries"


def _entry_problem(operation: str, error: dict[str, Any]) -> str:
    """A pydantic error of one `operation` entry, as the text after 'line N' of the message."""
    loc, kind = error["loc"], error["type"]
    field = str(loc[0]) if loc else None
    fields = _fields(OPERATION_MODELS[operation])
    if kind == "model_type":
        return f": {operation} entries must be mappings, got {error['input']!r}"
    if kind == "extra_forbidden":
        known = f"(fields: {', '.join(fields)})"
        return f" ({operation}): unknown field {field!r}{suggest(str(field), fields)} {known}"
    if kind == "value_error":
        reason = str(error["ctx"]["error"])
        return f" ({operation}): {field} {reason}" if field else f" ({operation}): {reason}"
    return f" ({operation}): {_field_requirement(operation, field)}"


def _field_requirement(operation: str, field: str | None) -> str:
    """What a missing or mistyped field of an `operation` entry must be."""
    if operation == "detach" and field in ("start", "end"):
        return "needs start and end (character offsets, start <= end)"
    if operation == "detach" and field == "into":
        return "into must be an entity key (or absent, to drop the mention)"
    if field == "keys":
        return "needs keys (a non-empty list of entity keys)"
    if operation == "reject" and field in ("key", "text"):
        return "needs key (an entity) or text (a surface form)"
    return f"needs {field} (strings)"


def read_entries(path: Path) -> Iterator[CurationEntry]:
    """Every entry of the curation file at `path`, checked, in the file's order."""
    text = read_text(path, CurationError, "curation file")
    data = parse(text, path, CurationError)
    if data is None:
        return
    file = check(CurationFile, data, path, text, CurationError, _file_problem)
    lines = Lines(text)
    for operation in data:  # in the file's order
        for index, item in enumerate(file.entries(operation)):
            model, describe = OPERATION_MODELS[operation], partial(_entry_problem, operation)
            entry = check(model, item, path, text, CurationError, describe, (operation, index))
            written = {**item, **({"added": entry.added} if entry.added is not None else {})}
            yield CurationEntry(operation, entry, written, lines.of((operation, index)))
