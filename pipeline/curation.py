"""Researcher curation: merge, split, rename, reject and retype, from a YAML file.

The file (default models/curation.yaml, or `curation = "path"` in the config)
is parsed with a safe loader (data only) that remembers line numbers, so every
error names the file and line.  Operations are applied deterministically on
every run: mention-level ones (reject, retype, split) as each article's
mentions stream to the writer, entity-level ones (merge, rename, reject) when
entities are built.  Everything curation touches is flagged `curated`.

Every entry is checked twice before anything is published.  On loading, before
any article is read: its fields (no unknown or missing one, no `key` and `text`
together), its types, and the merges as a whole (no key merged two ways, no
cycle; chains are followed to their end).  Once the run's entities are known
(`check_keys`, before merges and renames apply): every key an entry names
exists among them, so a typo never silently does nothing.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CurationError
from .names import match_key, slug
from .records import Mention
from .schema import ENTITY_TYPES

log = logging.getLogger(__name__)

# Each operation's fields: required ones, then optional ones.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "merge": (("type", "into", "keys"), ()),
    "split": (("type", "key", "text", "new_key"), ()),
    "rename": (("type", "key", "name"), ()),
    "reject": (("type",), ("key", "text")),  # exactly one of key and text
    "retype": (("text", "from", "to"), ()),
}
OPERATIONS = tuple(FIELDS)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that stores each mapping's line number under '__line__', its keys'
    lines under '__lines__', and each list item's line in `item_lines`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.item_lines: dict[int, list[int]] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in lines:  # YAML would silently keep only the last one
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {lines[key]})", key_node.start_mark
                )
            lines[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = lines
        return mapping


def _sequence_with_lines(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    sequence = loader.construct_sequence(node, deep=True)
    loader.item_lines[id(sequence)] = [item.start_mark.line + 1 for item in node.value]
    return sequence


_LineLoader.add_constructor("tag:yaml.org,2002:seq", _sequence_with_lines)


@dataclass
class Curation:
    path: str
    merges: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, key) → into key
    renames: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected_keys: set[tuple[str, str]] = field(default_factory=set)
    rejected_texts: set[tuple[str, str]] = field(default_factory=set)  # (type, surface)
    retypes: dict[tuple[str, str], str] = field(default_factory=dict)  # (from type, surface) → type
    splits: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (type, key, surface) → key
    # Where each key-naming entry is: (operation, type, key) → line, for `check_keys`.
    key_lines: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # Rejected keys and split (type, key) that matched a mention: those mentions never
    # reach the entity resolver, so their keys are known from here.
    matched_keys: set[tuple[str, str]] = field(default_factory=set)

    def apply_to_mentions(self, mentions: list[Mention]) -> None:
        """Reject, retype and split mentions of one article, in place."""
        kept = []
        for m in mentions:
            new_type = self.retypes.get((m.type, m.text))
            if new_type is not None:
                m.type, m.key, m.name, m.curated = new_type, slug(match_key(m.text)), m.text, True
            if (m.type, m.key) in self.rejected_keys:
                self.matched_keys.add((m.type, m.key))
                continue
            if (m.type, m.text) in self.rejected_texts:
                continue
            new_key = self.splits.get((m.type, m.key, m.text))
            if new_key is not None:
                self.matched_keys.add((m.type, m.key))
                m.key, m.name, m.curated = new_key, m.text, True
            kept.append(m)
        mentions[:] = kept

    def apply_to_keys(self, key_map: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
        """Redirect merged keys (whether given as article-level or as final keys)."""
        result = {}
        for (type_, key), final in key_map.items():
            target = self.merges.get((type_, key)) or self.merges.get((type_, final)) or final
            result[(type_, key)] = target
        return result

    def check_keys(self, known: set[tuple[str, str]]) -> None:
        """CurationError naming the line of the first entry whose key is none of the run's
        entities' (`known`: every (type, key) the resolver saw, article-level and final)."""
        known = known | self.matched_keys
        unknown = sorted(
            (line, operation, type_, key)
            for (operation, type_, key), line in self.key_lines.items()
            if (type_, key) not in known
        )
        if unknown:
            line, operation, type_, key = unknown[0]
            more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
            raise CurationError(
                f"{self.path} line {line} ({operation}): no {type_} entity has the key {key!r}"
                f"{_suggest(key, [k for t, k in known if t == type_])}{more}"
            )

    def rename(self, type_: str, key: str) -> str | None:
        return self.renames.get((type_, key))

    def touches_key(self, type_: str, key: str) -> bool:
        return (
            (type_, key) in self.merges
            or (type_, key) in self.renames
            or key in {v for (t, _), v in self.merges.items() if t == type_}
            or any(t == type_ and k == key for t, k, _ in self.splits)
            or key in {v for (t, _, _), v in self.splits.items() if t == type_}
        )


def _suggest(word: str, vocabulary: list[str]) -> str:
    close = difflib.get_close_matches(word, sorted(set(vocabulary)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _need(item: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if not isinstance(item.get(k), str) or not item[k]]
    if missing:
        raise CurationError(f"{where}: needs {', '.join(missing)} (strings)")
    for type_key in ("type", "from", "to"):
        if type_key in item and item[type_key] not in ENTITY_TYPES:
            raise CurationError(f"{where}: {type_key} must be one of {', '.join(ENTITY_TYPES)}")


def _check_fields(operation: str, item: dict[str, Any], path: Path) -> None:
    """No field the operation does not know (a typo would be silently ignored)."""
    required, optional = FIELDS[operation]
    allowed = (*required, *optional)
    for name, line in item["__lines__"].items():
        if name not in allowed:
            raise CurationError(
                f"{path} line {line} ({operation}): unknown field {name!r}"
                f"{_suggest(str(name), list(allowed))} (fields: {', '.join(allowed)})"
            )


def _read_text(path: Path) -> str:
    """The file's text; CurationError for a missing file, a folder or bytes that are not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CurationError(f"{path}: curation file does not exist") from exc
    except IsADirectoryError as exc:
        raise CurationError(f"{path}: is a directory, not a curation file") from exc
    except OSError as exc:
        raise CurationError(f"{path}: cannot read curation file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CurationError(f"{path} line {line}: not UTF-8 text (byte {data[exc.start]:#04x})") from exc


def load_curation(path: str | Path) -> Curation:
    """Parse and check a curation file (see the module docstring); CurationError when invalid."""
    path = Path(path)
    text = _read_text(path)
    try:
        loader = _LineLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise CurationError(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    curation = Curation(str(path))
    if data is None:
        return curation
    if not isinstance(data, dict):
        raise CurationError(f"{path} line 1: expected a mapping of operations ({', '.join(OPERATIONS)})")
    for operation, items in data.items():
        if operation in ("__line__", "__lines__"):
            continue
        line = data["__lines__"].get(operation, data["__line__"])
        if operation not in OPERATIONS:
            raise CurationError(
                f"{path} line {line}: unknown operation {operation!r} (use {', '.join(OPERATIONS)})"
            )
        if items is None:
            continue
        if not isinstance(items, list):
            raise CurationError(f"{path} line {line}: {operation} must be a list of entries")
        item_lines = loader.item_lines.get(id(items), [])
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                at = item_lines[index] if index < len(item_lines) else line
                raise CurationError(f"{path} line {at}: {operation} entries must be mappings, got {item!r}")
            _check_fields(operation, item, path)
            _add(curation, operation, item, item["__line__"])
    _resolve_merge_chains(curation)
    return curation


def _add(curation: Curation, operation: str, item: dict[str, Any], line: int) -> None:
    where = f"{curation.path} line {line} ({operation})"
    names = curation.key_lines
    if operation == "merge":
        _need(item, ("type", "into"), where)
        keys = item.get("keys")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise CurationError(f"{where}: needs keys (a non-empty list of entity keys)")
        type_, into = item["type"], item["into"]
        names.setdefault(("merge into", type_, into), line)
        for key in keys:
            earlier = curation.merges.get((type_, key))
            if earlier is not None and earlier != into:
                raise CurationError(f"{where}: {type_} key {key!r} is already merged into {earlier!r}")
            curation.merges[(type_, key)] = into
            names.setdefault(("merge", type_, key), line)
    elif operation == "rename":
        _need(item, ("type", "key", "name"), where)
        curation.renames[(item["type"], item["key"])] = item["name"]
        names.setdefault(("rename", item["type"], item["key"]), line)
    elif operation == "reject":
        _need(item, ("type",), where)
        has_key, has_text = isinstance(item.get("key"), str), isinstance(item.get("text"), str)
        if has_key and has_text:
            raise CurationError(f"{where}: give key (an entity) or text (a surface form), not both")
        if has_key:
            curation.rejected_keys.add((item["type"], item["key"]))
            names.setdefault(("reject", item["type"], item["key"]), line)
        elif has_text:
            curation.rejected_texts.add((item["type"], item["text"]))
        else:
            raise CurationError(f"{where}: needs key (an entity) or text (a surface form)")
    elif operation == "retype":
        _need(item, ("text", "from", "to"), where)
        curation.retypes[(item["from"], item["text"])] = item["to"]
    elif operation == "split":
        _need(item, ("type", "key", "text", "new_key"), where)
        curation.splits[(item["type"], item["key"], item["text"])] = item["new_key"]
        names.setdefault(("split", item["type"], item["key"]), line)


def _resolve_merge_chains(curation: Curation) -> None:
    """Point every merged key at the end of its chain (a into b, b into c: a into c);
    a cycle (a into b, b into a; or a into a) is an error naming its first line."""
    for start in sorted(curation.merges):
        type_, key = start
        seen = [key]
        while (type_, seen[-1]) in curation.merges:
            target = curation.merges[(type_, seen[-1])]
            if target in seen:
                line = curation.key_lines[("merge", type_, key)]
                cycle = " → ".join([*seen[seen.index(target) :], target])
                raise CurationError(
                    f"{curation.path} line {line} (merge): merge cycle among {type_} keys {cycle}"
                )
            seen.append(target)
        curation.merges[start] = seen[-1]
