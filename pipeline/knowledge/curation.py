"""Researcher curation: merge, split, rename, reject, retype and detach, from a YAML file.

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

`detach` is mention-level and keyed by content, never by row numbers: the
article's text hash (`article_hash`), the span's offsets and its text.  It
moves that one mention to another entity (`into`, a key of the same type) or,
without `into`, drops it.  A detach whose article is not in the run is stale:
the run reports it (run.json) rather than dropping it silently.  Any entry may
carry `added` (the date the researcher decided it), shown by the report.

Each decision counts what it changed in this run (`summary`), for run.json and
the report's Curation page.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import CurationError
from ..records import Article, Mention, stable_id
from ..schema import ENTITY_TYPES
from .names import entity_key

log = logging.getLogger(__name__)

# Each operation's fields: required ones, then optional ones.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "merge": (("type", "into", "keys"), ()),
    "split": (("type", "key", "text", "new_key"), ()),
    "rename": (("type", "key", "name"), ()),
    "reject": (("type",), ("key", "text")),  # exactly one of key and text
    "retype": (("text", "from", "to"), ()),
    # Mention-level: the article's text hash, the span's offsets and text; `into`
    # moves the mention to another entity's key, without it the mention is dropped.
    "detach": (("type", "article", "start", "end", "text"), ("into", "key")),
}
# Any entry may say when it was decided (shown on the report's Curation page).
COMMON_OPTIONAL = ("added",)
OPERATIONS = tuple(FIELDS)


def article_hash(text: str) -> str:
    """An article's content key for mention-level decisions: the same text, the same hash."""
    return stable_id("txt", text)


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
    # (article hash, start, end, surface) → (type, key to move to, or None: drop the mention)
    detaches: dict[tuple[str, int, int, str], tuple[str, str | None]] = field(default_factory=dict)
    # Every entry as written (without line bookkeeping), with what it changed in this run.
    decisions: list[dict[str, Any]] = field(default_factory=list)
    origin: dict[tuple[Any, ...], int] = field(default_factory=dict)  # lookup key → decision index
    seen_articles: set[str] = field(default_factory=set)
    detached_from: set[tuple[str, str]] = field(default_factory=set)  # (type, key) that lost a mention

    def _hit(self, lookup: tuple[Any, ...], entities: int = 0, mentions: int | None = None) -> None:
        """Count a decision's effect: one mention by default, or entities (and their mentions)."""
        index = self.origin.get(lookup)
        if index is not None:
            effect = self.decisions[index]
            effect["mentions"] += (not entities) if mentions is None else mentions
            effect["entities"] += entities

    def apply_to_article(self, article: Article) -> None:
        """Detach mentions of one article, then reject, retype and split them, in place."""
        if self.detaches:
            digest = article_hash(article.text)
            self.seen_articles.add(digest)
            kept = []
            for m in article.mentions:
                move = self.detaches.get((digest, m.start, m.end, m.text))
                if move is not None and move[0] == m.type:
                    self._hit(("detach", digest, m.start, m.end, m.text))
                    self.detached_from.add((m.type, m.key))
                    if move[1] is None:
                        continue
                    m.key, m.name, m.curated = move[1], m.text, True
                kept.append(m)
            article.mentions[:] = kept
        self.apply_to_mentions(article.mentions)

    def apply_to_mentions(self, mentions: list[Mention]) -> None:
        """Reject, retype and split mentions of one article, in place."""
        kept = []
        for m in mentions:
            new_type = self.retypes.get((m.type, m.text))
            if new_type is not None:
                self._hit(("retype", m.type, m.text))
                m.type, m.key, m.name, m.curated = new_type, entity_key(new_type, m.text), m.text, True
            if (m.type, m.key) in self.rejected_keys:
                self.matched_keys.add((m.type, m.key))
                self._hit(("reject", m.type, m.key))
                continue
            if (m.type, m.text) in self.rejected_texts:
                self._hit(("reject_text", m.type, m.text))
                continue
            new_key = self.splits.get((m.type, m.key, m.text))
            if new_key is not None:
                self.matched_keys.add((m.type, m.key))
                self._hit(("split", m.type, m.key, m.text))
                m.key, m.name, m.curated = new_key, m.text, True
            kept.append(m)
        mentions[:] = kept

    def summary(self) -> dict[str, Any]:
        """Decisions in force and what each changed in this run; stale detaches flagged."""
        decisions = []
        for effect in self.decisions:
            stale = effect["operation"] == "detach" and effect["entry"]["article"] not in self.seen_articles
            rejected = effect["operation"] == "reject" and "key" in effect["entry"] and effect["mentions"]
            entities = 1 if rejected else effect["entities"]
            decisions.append({**effect, "entities": entities, "stale": stale})
        return {"path": self.path, "decisions": decisions, "stale": sum(d["stale"] for d in decisions)}

    def apply_to_keys(
        self, key_map: dict[tuple[str, str], str], sizes: dict[tuple[str, str], int] | None = None
    ) -> dict[tuple[str, str], str]:
        """Redirect merged keys (whether given as article-level or as final keys).

        `sizes` (mentions per article-level key) only feeds the decisions' counts.
        """
        result = {}
        merged: set[tuple[str, str]] = set()  # entities merged away, each counted once
        for (type_, key), final in key_map.items():
            target = self.merges.get((type_, key)) or self.merges.get((type_, final)) or final
            if target != final:
                lookup = ("merge", type_, key if (type_, key) in self.merges else final)
                first = (type_, final) not in merged
                merged.add((type_, final))
                self._hit(lookup, entities=int(first), mentions=(sizes or {}).get((type_, key), 0))
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
        name = self.renames.get((type_, key))
        if name is not None:
            self._hit(("rename", type_, key), entities=1)
        return name

    def touches_key(self, type_: str, key: str) -> bool:
        return (
            (type_, key) in self.merges
            or (type_, key) in self.detached_from
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
    allowed = (*required, *optional, *COMMON_OPTIONAL)
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
    lookups = _add_entry(curation, operation, item, line)
    entry = {k: v for k, v in item.items() if k not in ("__line__", "__lines__")}
    if "added" in entry:  # YAML reads an unquoted 2026-12-02 as a date
        entry["added"] = str(entry["added"])
    curation.decisions.append(
        {"operation": operation, "entry": entry, "line": line, "mentions": 0, "entities": 0}
    )
    for lookup in lookups:
        curation.origin.setdefault(lookup, len(curation.decisions) - 1)


def _add_entry(curation: Curation, operation: str, item: dict[str, Any], line: int) -> list[tuple[Any, ...]]:
    """Add one entry to the lookups; return the lookup keys its effects are counted under."""
    where = f"{curation.path} line {line} ({operation})"
    names = curation.key_lines
    if operation == "detach":
        _need(item, ("type", "article", "text"), where)
        start, end, into = item.get("start"), item.get("end"), item.get("into")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
            raise CurationError(f"{where}: needs start and end (character offsets, start <= end)")
        if end - start != len(item["text"]):
            raise CurationError(
                f"{where}: text is {len(item['text'])} characters but end - start is {end - start}"
            )
        if into is not None and (not isinstance(into, str) or not into):
            raise CurationError(f"{where}: into must be an entity key (or absent, to drop the mention)")
        if into is not None:
            names.setdefault(("detach into", item["type"], into), line)
        lookup = (item["article"], start, end, item["text"])
        curation.detaches[lookup] = (item["type"], into)
        return [("detach", *lookup)]
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
        return [("merge", type_, key) for key in keys]
    if operation == "rename":
        _need(item, ("type", "key", "name"), where)
        curation.renames[(item["type"], item["key"])] = item["name"]
        names.setdefault(("rename", item["type"], item["key"]), line)
        return [("rename", item["type"], item["key"])]
    if operation == "reject":
        _need(item, ("type",), where)
        has_key, has_text = isinstance(item.get("key"), str), isinstance(item.get("text"), str)
        if has_key and has_text:
            raise CurationError(f"{where}: give key (an entity) or text (a surface form), not both")
        if has_key:
            curation.rejected_keys.add((item["type"], item["key"]))
            names.setdefault(("reject", item["type"], item["key"]), line)
            return [("reject", item["type"], item["key"])]
        if has_text:
            curation.rejected_texts.add((item["type"], item["text"]))
            return [("reject_text", item["type"], item["text"])]
        raise CurationError(f"{where}: needs key (an entity) or text (a surface form)")
    if operation == "retype":
        _need(item, ("text", "from", "to"), where)
        curation.retypes[(item["from"], item["text"])] = item["to"]
        return [("retype", item["from"], item["text"])]
    _need(item, ("type", "key", "text", "new_key"), where)  # split
    curation.splits[(item["type"], item["key"], item["text"])] = item["new_key"]
    names.setdefault(("split", item["type"], item["key"]), line)
    return [("split", item["type"], item["key"], item["text"])]


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
