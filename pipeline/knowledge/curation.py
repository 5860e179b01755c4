"""Researcher curation: merge, split, rename, reject, retype and detach, from a YAML file.

The file (default models/curation.yaml, or `curation = "path"` in the config)
is read as typed entries (curation_file.py: a safe loader, data only, and one
pydantic model per operation), so every error names the file and line.
Operations are applied deterministically on every run: mention-level ones
(reject, retype, split) as each article's mentions stream to the writer,
entity-level ones (merge, rename, reject) when entities are built.
Everything curation touches is flagged `curated`.

Every entry is checked on loading, before any article is read: its fields (no
unknown or missing one, no `key` and `text` together), its types, and the
merges as a whole (no key merged two ways, no cycle; chains are followed to
their end).  Once the run's entities are known (`match_keys`, before merges
and renames apply), each entry's keys are looked up among them: a curation
file is written against one corpus and a run may read another, so an entry
none of whose keys is in this run does not apply (reported, in `summary` and
by `warnings`, never an error), and an absent key that is a near miss of one
the run has (`curation_keys`: a typo, most likely) is reported loudly.
`curate check` and `curate apply` stay strict: there the decisions must name
the tables they were made on (`tools/curate.py`).

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

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import CurationError
from ..records import Article, Mention, stable_id
from .curation_file import (
    OPERATIONS,
    CurationEntry,
    Detach,
    Merge,
    Reject,
    Rename,
    Retype,
    Split,
    read_entries,
)
from .curation_keys import KeyIndex
from .names import entity_key

log = logging.getLogger(__name__)

__all__ = ["OPERATIONS", "Curation", "article_hash", "load_curation"]

Lookup = tuple[Any, ...]
Key = tuple[str, str]  # (type, key)


@dataclass(frozen=True)
class Named:
    """The keys one entry names: those it acts on, and those it moves mentions to (`into`)."""

    acts_on: tuple[Key, ...] = ()
    targets: tuple[Key, ...] = ()


def article_hash(text: str) -> str:
    """An article's content key for mention-level decisions: the same text, the same hash."""
    return stable_id("txt", text)


@dataclass
class Tally:
    """Every entry as written, with what it changed in this run, counted under the
    lookup keys its effects are found by."""

    decisions: list[dict[str, Any]] = field(default_factory=list)
    origin: dict[Lookup, int] = field(default_factory=dict)  # lookup key → decision index
    # Per decision, the (type, key) it acts on (merged, renamed, rejected, split) and
    # those it moves mentions to (`into`): what `match_keys` looks up.
    named: list[Named] = field(default_factory=list)

    def record(self, entry: CurationEntry, lookups: list[Lookup], named: Named) -> None:
        decision = {"operation": entry.operation, "entry": entry.written, "line": entry.line}
        self.decisions.append({**decision, "mentions": 0, "entities": 0, "applies": True})
        self.named.append(named)
        for lookup in lookups:
            self.origin.setdefault(lookup, len(self.decisions) - 1)

    def hit(self, lookup: Lookup, entities: int = 0, mentions: int | None = None) -> None:
        """Count a decision's effect: one mention by default, or entities (and their mentions)."""
        index = self.origin.get(lookup)
        if index is not None:
            effect = self.decisions[index]
            effect["mentions"] += (not entities) if mentions is None else mentions
            effect["entities"] += entities

    def summary(self, seen_articles: set[str]) -> dict[str, Any]:
        """The decisions with their counts; a detach whose article was not seen is stale, and
        like an entry none of whose keys is in the run, does not apply."""
        decisions = []
        for effect in self.decisions:
            stale = effect["operation"] == "detach" and effect["entry"]["article"] not in seen_articles
            rejected = effect["operation"] == "reject" and "key" in effect["entry"] and effect["mentions"]
            entities = 1 if rejected else effect["entities"]
            applies = effect["applies"] and not stale
            decisions.append({**effect, "entities": entities, "stale": stale, "applies": applies})
        return {
            "decisions": decisions,
            "stale": sum(d["stale"] for d in decisions),
            "not_applicable": sum(not d["applies"] for d in decisions),
            "near_misses": sum(bool(d.get("near_misses")) for d in decisions),
        }

@dataclass
class Lookups:
    """What the entries decide, by the keys mentions and entities are found by."""

    path: str
    merges: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, key) → into key
    renames: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected_keys: set[tuple[str, str]] = field(default_factory=set)
    rejected_texts: set[tuple[str, str]] = field(default_factory=set)  # (type, surface)
    retypes: dict[tuple[str, str], str] = field(default_factory=dict)  # (from type, surface) → type
    splits: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (type, key, surface) → key
    merge_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (type, key) → line, for cycles
    # Rejected keys and split (type, key) that matched a mention: those mentions never
    # reach the entity resolver, so their keys are known from here.
    matched_keys: set[tuple[str, str]] = field(default_factory=set)
    # (article hash, start, end, surface) → (type, key to move to, or None: drop the mention)
    detaches: dict[tuple[str, int, int, str], tuple[str, str | None]] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    seen_articles: set[str] = field(default_factory=set)
    detached_from: set[tuple[str, str]] = field(default_factory=set)  # (type, key) that lost a mention


class MentionDecisions(Lookups):
    """Detach, retype, reject and split: applied to each article's mentions as they stream."""

    def apply_to_article(self, article: Article) -> None:
        """Detach mentions of one article, then reject, retype and split them, in place."""
        if self.detaches:
            digest = article_hash(article.text)
            self.seen_articles.add(digest)
            kept = []
            for m in article.mentions:
                move = self.detaches.get((digest, m.start, m.end, m.text))
                if move is not None and move[0] == m.type:
                    self.tally.hit(("detach", digest, m.start, m.end, m.text))
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
                self.tally.hit(("retype", m.type, m.text))
                m.type, m.key, m.name, m.curated = new_type, entity_key(new_type, m.text), m.text, True
            if (m.type, m.key) in self.rejected_keys:
                self.matched_keys.add((m.type, m.key))
                self.tally.hit(("reject", m.type, m.key))
                continue
            if (m.type, m.text) in self.rejected_texts:
                self.tally.hit(("reject_text", m.type, m.text))
                continue
            new_key = self.splits.get((m.type, m.key, m.text))
            if new_key is not None:
                self.matched_keys.add((m.type, m.key))
                self.tally.hit(("split", m.type, m.key, m.text))
                m.key, m.name, m.curated = new_key, m.text, True
            kept.append(m)
        mentions[:] = kept


class EntityDecisions(Lookups):
    """Merge and rename (and the keys' check): applied when entities are built."""

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
                self.tally.hit(lookup, entities=int(first), mentions=(sizes or {}).get((type_, key), 0))
            result[(type_, key)] = target
        return result

    def match_keys(self, known: set[tuple[str, str]]) -> None:
        """Look each entry's keys up among the run's (`known`: every (type, key) the resolver
        saw, article-level and final): an entry none of whose acted-on keys is there does
        not apply; every absent key is listed, with the run's key it is a near miss of."""
        index = KeyIndex(known | self.matched_keys)
        for decision, named in zip(self.tally.decisions, self.tally.named, strict=True):
            absent = [k for k in dict.fromkeys((*named.acts_on, *named.targets)) if k not in index]
            if named.acts_on and all(k in absent for k in named.acts_on):
                decision["applies"] = False
            if absent:
                decision["absent_keys"] = [f"{type_} {key}" for type_, key in absent]
            near = [
                {"type": type_, "key": key, "near": close}
                for type_, key in absent
                if (close := index.near((type_, key))) is not None
            ]
            if near:
                decision["near_misses"] = near

    def rename(self, type_: str, key: str) -> str | None:
        name = self.renames.get((type_, key))
        if name is not None:
            self.tally.hit(("rename", type_, key), entities=1)
        return name

    def touches_key(self, type_: str, key: str) -> bool:
        return (
            (type_, key) in self.merges
            or (type_, key) in self.detached_from
            or (type_, key) in self.renames
            or (type_, key) in self._merge_and_split_keys
        )

    @cached_property
    def _merge_and_split_keys(self) -> set[tuple[str, str]]:
        """(type, key) merged into, split, or split into: asked once per entity and per
        moved mention, so gathered once (the entries do not change once loaded)."""
        return {
            *((t, into) for (t, _), into in self.merges.items()),
            *((t, key) for t, key, _ in self.splits),
            *((t, new_key) for (t, _, _), new_key in self.splits.items()),
        }


@dataclass
class Curation(MentionDecisions, EntityDecisions):
    """A curation file's decisions, applied to one run (see the module docstring)."""

    @property
    def decisions(self) -> list[dict[str, Any]]:
        """Every entry as written, with what it changed in this run."""
        return self.tally.decisions

    def summary(self) -> dict[str, Any]:
        """Decisions in force and what each changed in this run; stale detaches and entries
        that do not apply here flagged, absent keys and near misses listed."""
        return {"path": self.path, **self.tally.summary(self.seen_articles)}

    def near_misses(self) -> list[str]:
        """One line per entry naming a key this run lacks when one of the run's keys is
        a near miss of it (a typo?)."""
        return [
            f"{self.path} line {d['line']} ({d['operation']}): no {miss['type']} entity has the key "
            f"{miss['key']!r} in this run, but {miss['near']!r} is one: a typo? (not applied)"
            for d in self.summary()["decisions"]
            for miss in d.get("near_misses", [])
        ]

    def unapplied(self, listed_in: str) -> str | None:
        """One line counting the entries that do not apply in this run, pointing at
        `listed_in`, where each is listed; None when every entry applies."""
        summary = self.summary()
        if not summary["not_applicable"]:
            return None
        return (
            f"{summary['not_applicable']} of {len(summary['decisions'])} decision(s) in {self.path} "
            f"do not apply in this run (none of the keys they name, or no article they detach from, "
            f"is in it): they are listed in {listed_in}"
        )


def load_curation(path: str | Path) -> Curation:
    """Parse and check a curation file (see the module docstring); CurationError when invalid."""
    curation = Curation(str(path))
    for entry in read_entries(Path(path)):
        curation.tally.record(entry, _add(curation, entry), _named(entry.entry))
    _resolve_merge_chains(curation)
    return curation


def _add(curation: Curation, entry: CurationEntry) -> list[Lookup]:
    """Add one entry to the lookups; return the lookup keys its effects are counted under."""
    where = f"{curation.path} line {entry.line} ({entry.operation})"
    item = entry.entry
    if isinstance(item, Detach):
        lookup = (item.article, item.start, item.end, item.text)
        curation.detaches[lookup] = (item.type, item.into)
        return [("detach", *lookup)]
    if isinstance(item, Merge):
        for key in item.keys:
            earlier = curation.merges.get((item.type, key))
            if earlier is not None and earlier != item.into:
                raise CurationError(f"{where}: {item.type} key {key!r} is already merged into {earlier!r}")
            curation.merges[(item.type, key)] = item.into
            curation.merge_lines.setdefault((item.type, key), entry.line)
        return [("merge", item.type, key) for key in item.keys]
    if isinstance(item, Rename):
        curation.renames[(item.type, item.key)] = item.name
        return [("rename", item.type, item.key)]
    if isinstance(item, Reject) and item.key is not None:
        curation.rejected_keys.add((item.type, item.key))
        return [("reject", item.type, item.key)]
    if isinstance(item, Reject) and item.text is not None:
        curation.rejected_texts.add((item.type, item.text))
        return [("reject_text", item.type, item.text)]
    if isinstance(item, Retype):
        curation.retypes[(item.from_, item.text)] = item.to
        return [("retype", item.from_, item.text)]
    assert isinstance(item, Split)
    curation.splits[(item.type, item.key, item.text)] = item.new_key
    return [("split", item.type, item.key, item.text)]


def _named(item: Any) -> Named:
    """The keys an entry names (see `Named`); text-based entries name none."""
    if isinstance(item, Merge):
        return Named(tuple((item.type, key) for key in item.keys), ((item.type, item.into),))
    if isinstance(item, Detach):
        return Named(targets=((item.type, item.into),) if item.into is not None else ())
    key = item.key if isinstance(item, (Rename, Split, Reject)) else None
    return Named(((item.type, key),)) if key is not None else Named()


def _resolve_merge_chains(curation: Curation) -> None:
    """Point every merged key at the end of its chain (a into b, b into c: a into c);
    a cycle (a into b, b into a; or a into a) is an error naming its first line."""
    for start in sorted(curation.merges):
        type_, key = start
        seen = [key]
        while (type_, seen[-1]) in curation.merges:
            target = curation.merges[(type_, seen[-1])]
            if target in seen:
                line = curation.merge_lines[(type_, key)]
                cycle = " → ".join([*seen[seen.index(target) :], target])
                raise CurationError(
                    f"{curation.path} line {line} (merge): merge cycle among {type_} keys {cycle}"
                )
            seen.append(target)
        curation.merges[start] = seen[-1]
