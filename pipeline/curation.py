"""Researcher curation: merge, split, rename, reject and retype, from a YAML file.

The file (default models/curation.yaml, or `curation = "path"` in the config)
is parsed with a safe loader (data only) that remembers line numbers, so every
error names the file and line.  Operations are applied deterministically on
every run: mention-level ones (reject, retype, split) as each article's
mentions stream to the writer, entity-level ones (merge, rename, reject) when
entities are built.  Everything curation touches is flagged `curated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CurationError
from .names import entity_key
from .records import Mention
from .schema import ENTITY_TYPES

OPERATIONS = ("merge", "split", "rename", "reject", "retype")


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

    def apply_to_mentions(self, mentions: list[Mention]) -> None:
        """Reject, retype and split mentions of one article, in place."""
        kept = []
        for m in mentions:
            new_type = self.retypes.get((m.type, m.text))
            if new_type is not None:
                m.type, m.key, m.name, m.curated = new_type, entity_key(new_type, m.text), m.text, True
            if (m.type, m.text) in self.rejected_texts or (m.type, m.key) in self.rejected_keys:
                continue
            new_key = self.splits.get((m.type, m.key, m.text))
            if new_key is not None:
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


def _need(item: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if not isinstance(item.get(k), str) or not item[k]]
    if missing:
        raise CurationError(f"{where}: needs {', '.join(missing)} (strings)")
    for type_key in ("type", "from", "to"):
        if type_key in item and item[type_key] not in ENTITY_TYPES:
            raise CurationError(f"{where}: {type_key} must be one of {', '.join(ENTITY_TYPES)}")


def load_curation(path: str | Path) -> Curation | None:
    """Parse a curation file; None when the default file does not exist."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        loader = _LineLoader(path.read_text(encoding="utf-8"))
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
            _add(curation, operation, item, f"{path} line {item['__line__']} ({operation})")
    return curation


def _add(curation: Curation, operation: str, item: dict[str, Any], where: str) -> None:
    if operation == "merge":
        _need(item, ("type", "into"), where)
        keys = item.get("keys")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise CurationError(f"{where}: needs keys (a non-empty list of entity keys)")
        for key in keys:
            curation.merges[(item["type"], key)] = item["into"]
    elif operation == "rename":
        _need(item, ("type", "key", "name"), where)
        curation.renames[(item["type"], item["key"])] = item["name"]
    elif operation == "reject":
        _need(item, ("type",), where)
        if isinstance(item.get("key"), str):
            curation.rejected_keys.add((item["type"], item["key"]))
        elif isinstance(item.get("text"), str):
            curation.rejected_texts.add((item["type"], item["text"]))
        else:
            raise CurationError(f"{where}: needs key (an entity) or text (a surface form)")
    elif operation == "retype":
        _need(item, ("text", "from", "to"), where)
        curation.retypes[(item["from"], item["text"])] = item["to"]
    elif operation == "split":
        _need(item, ("type", "key", "text", "new_key"), where)
        curation.splits[(item["type"], item["key"], item["text"])] = item["new_key"]
