"""`python -m pipeline curate apply|check|list`: bring the report's exported decisions home.

The audit report exports decisions as a YAML file in the curation file's own
format.  `check` validates such a file on its own and against the curation
file in force and the current tables; `apply` does the same, then merges the
new decisions into the curation file the config names, atomically; `list`
prints the decisions in force.  On any error nothing is written and the
message names the file and line.

Conflicts refused (across the export and the curation file together): the
same key both rejected and merged (either side of the merge), merge cycles, a
key of the export that is no longer an entity of the current tables, and a
detach whose article or span is not in them.  Decisions already in force are
dropped as duplicates.

The merge is a text merge, append-only: new entries (with their comment lines)
are inserted at the end of their operation's list and nothing else of the
file changes, so the researchers' comments and layout survive.  A
comment-preserving YAML round-trip library (ruamel.yaml) would do the same at
the cost of a new dependency; the only rewrite the text merge needs is of an
operation still written as an inline list (`reject: []` or `[{...}]`), which
becomes a block list.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from ..errors import CurationError
from ..knowledge.curation import OPERATIONS, Curation, article_hash, load_curation
from ..knowledge.curation_keys import KeyIndex

_TOP_KEY = re.compile(r"^([A-Za-z_]+):(.*)$")
Decision = dict[str, Any]  # as `load_curation` reads it: operation, entry, line
Key = tuple[str, str]  # (type, key)


@dataclass(frozen=True)
class Current:
    """What the current tables hold, to check decisions against: keys by type, articles by hash."""

    keys: set[tuple[str, str]]
    articles: dict[str, str]  # article hash → text

    @cached_property
    def index(self) -> KeyIndex:
        """The keys, to name the one an absent key is a typo of."""
        return KeyIndex(self.keys)


def read_current(out_dir: Path) -> Current | None:
    """The current tables' entity keys and article texts; None when there are no tables yet."""
    entities, articles = out_dir / "entities.parquet", out_dir / "articles.parquet"
    if not entities.exists() or not articles.exists():
        return None
    keys = {(r["type"], r["key"]) for r in pq.read_table(entities, columns=["type", "key"]).to_pylist()}
    texts = pq.read_table(articles, columns=["text"]).column("text").to_pylist()
    return Current(keys, {article_hash(t): t for t in texts})


def _identity(decision: Decision) -> tuple[str, str]:
    """What makes two decisions the same: operation and fields, not when they were added."""
    entry = {k: v for k, v in decision["entry"].items() if k != "added"}
    return decision["operation"], repr(sorted(entry.items()))


def _merge_graph(decisions: list[Decision]) -> tuple[dict[Key, Decision], dict[Key, Key]]:
    """Each key some merge names (merged or merged into) with that merge, and each merged key's target."""
    merged: dict[Key, Decision] = {}
    edges: dict[Key, Key] = {}
    for d in decisions:
        entry = d["entry"]
        if d["operation"] == "merge":
            for key in entry["keys"]:
                merged[(entry["type"], key)] = d
                edges[(entry["type"], key)] = (entry["type"], entry["into"])
            merged.setdefault((entry["type"], entry["into"]), d)
    return merged, edges


def _rejected_but_merged(
    decisions: list[Decision], merged: dict[Key, Decision], where: dict[int, str]
) -> list[str]:
    """A key both rejected and merged (either side of the merge): which decision wins is unclear."""
    problems = []
    for d in decisions:
        entry = d["entry"]
        if d["operation"] == "reject" and "key" in entry and (entry["type"], entry["key"]) in merged:
            merged_at = where[id(merged[(entry["type"], entry["key"])])]
            what = f"{entry['type']} {entry['key']} is rejected here but merged at {merged_at}"
            problems.append(f"{where[id(d)]}: {what}")
    return problems


def _merge_cycles(merged: dict[Key, Decision], edges: dict[Key, Key], where: dict[int, str]) -> list[str]:
    """Merges that lead back to their own key: no canonical entity to merge into."""
    problems = []
    for start in sorted(edges):
        path, node = [start], edges[start]
        while node in edges and node not in path:
            path.append(node)
            node = edges[node]
        if node == start:
            loop = " → ".join(k for _, k in [*path, start])
            problems.append(f"{where[id(merged[start])]}: merge cycle {start[0]} {loop}")
    return problems


def _conflicts(export: Curation, current: Curation | None, tables: Current | None) -> list[str]:
    """Every reason to refuse the export, each prefixed with the file and line of its decision."""
    in_force = current.decisions if current else []
    where = {id(d): f"{current.path} line {d['line']}" for d in in_force} if current else {}
    where |= {id(d): f"{export.path} line {d['line']}" for d in export.decisions}
    everything = [*in_force, *export.decisions]
    merged, edges = _merge_graph(everything)
    problems = [*_rejected_but_merged(everything, merged, where), *_merge_cycles(merged, edges, where)]
    if tables is not None:
        for d in export.decisions:
            problems.extend(f"{where[id(d)]}: {p}" for p in _missing(d, tables))
    return problems


def _missing(decision: Decision, tables: Current) -> Iterable[str]:
    """What a new decision names that the current tables do not have."""
    entry, operation = decision["entry"], decision["operation"]
    type_ = entry.get("type") or entry.get("from")
    keys = {"merge": [*entry.get("keys", []), entry.get("into")], "rename": [entry.get("key")],
            "reject": [entry.get("key")], "split": [entry.get("key")], "detach": [entry.get("into")]}
    for key in keys.get(operation, []):
        if key is not None and (type_, key) not in tables.keys:
            near = tables.index.near((type_, key))
            hint = f" (did you mean {near!r}?)" if near else ""
            yield f"{type_} {key} is not an entity of the current tables{hint}"
    if operation == "detach":
        text = tables.articles.get(entry["article"])
        if text is None:
            yield f"article {entry['article']} is not in the current tables (stale decision)"
        elif text[entry["start"] : entry["end"]] != entry["text"]:
            yield f"{entry['text']!r} is not at {entry['start']}:{entry['end']} of article {entry['article']}"


@dataclass(frozen=True)
class Plan:
    """What `apply` merges into `target`: the export's new decisions, and how many were already in force."""

    target: Path
    new: list[Decision]
    duplicates: int


def check(export_path: Path, target: Path, out_dir: Path | None) -> Plan:
    """Validate an export against the curation file and the tables; CurationError names file and line."""
    if not export_path.exists():
        raise CurationError(f"{export_path}: no such file")
    export = load_curation(export_path)
    assert export is not None
    current = load_curation(target)
    tables = read_current(out_dir) if out_dir is not None else None
    problems = _conflicts(export, current, tables)
    if problems:
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:])})" if len(problems) > 1 else ""
        raise CurationError(problems[0] + more)
    in_force = {_identity(d) for d in (current.decisions if current else [])}
    new, seen = [], set(in_force)
    for d in export.decisions:
        if _identity(d) not in seen:
            seen.add(_identity(d))
            new.append(d)
    return Plan(target, new, len(export.decisions) - len(new))


def _comments_above(lines: list[str], line: int) -> list[str]:
    """The comment lines right above 1-based `line` (the report's note naming the entity)."""
    found: list[str] = []
    index = line - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.insert(0, "  " + lines[index].strip())
        index -= 1
    return found


def _flow(entry: dict[str, Any]) -> str:
    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 1 << 20}
    return yaml.safe_dump(entry, default_flow_style=True, **options).strip()


def merged_text(target_text: str, export_lines: list[str], new: list[Decision]) -> str:
    """The curation file with the new entries appended to their operations' lists."""
    lines = target_text.splitlines()
    for operation in OPERATIONS:
        items = [d for d in new if d["operation"] == operation]
        if not items:
            continue
        block = [
            text
            for d in items
            for text in [*_comments_above(export_lines, d["line"]), f"  - {_flow(d['entry'])}"]
        ]
        lines = _insert(lines, operation, block)
    return "\n".join(lines) + "\n"


def _insert(lines: list[str], operation: str, block: list[str]) -> list[str]:
    heads = [i for i, text in enumerate(lines) if (m := _TOP_KEY.match(text)) and m.group(1) == operation]
    if not heads:
        return [*lines, f"{operation}:", *block]
    head = heads[0]
    value = _TOP_KEY.match(lines[head]).group(2).split("#")[0].strip()  # type: ignore[union-attr]
    if value.startswith("["):  # an inline list: rewrite it as a block list
        existing = yaml.safe_load(value) or []
        rewritten = [f"  - {_flow(item)}" for item in existing]
        return [*lines[:head], f"{operation}:", *rewritten, *block, *lines[head + 1 :]]
    end = head + 1
    for i in range(head + 1, len(lines)):
        if lines[i].startswith((" ", "-", "\t")):
            end = i + 1
        elif lines[i].strip() and not lines[i].startswith("#"):
            break
    return [*lines[:end], *block, *lines[end:]]


def apply(export_path: Path, target: Path, out_dir: Path | None) -> Plan:
    """Check, then merge the new decisions into `target` (atomic); the result must load again."""
    plan = check(export_path, target, out_dir)
    if not plan.new:
        return plan
    export_lines = export_path.read_text(encoding="utf-8").splitlines()
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    text = merged_text(before, export_lines, plan.new)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        merged, before_merge = load_curation(tmp), load_curation(target)
        wanted = len(before_merge.decisions if before_merge else []) + len(plan.new)
        if merged is None or len(merged.decisions) != wanted:
            raise CurationError(f"{target}: merging {export_path} did not give the expected decisions")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return plan


def describe(decision: Decision) -> str:
    """One line of `curate list`: line, operation, fields, and when it was added."""
    entry = decision["entry"]
    added = f"  (added {entry['added']})" if "added" in entry else ""
    fields = ", ".join(f"{k}: {v}" for k, v in entry.items() if k != "added")
    return f"line {decision['line']:>4}  {decision['operation']:<7} {fields}{added}"


def listing(target: Path) -> str:
    """`curate list`: the decisions in force in `target`, one a line."""
    curation = load_curation(target)
    if curation is None or not curation.decisions:
        return f"{target}: no decisions in force"
    lines = [f"{target}: {len(curation.decisions)} decision(s) in force"]
    lines += [describe(d) for d in curation.decisions]
    return "\n".join(lines)
