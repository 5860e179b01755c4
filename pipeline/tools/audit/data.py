"""The report's data: the tables as columnar JSON for the page script, and the contract checks.

Mentions are sorted by entity, so an entity's mentions are one slice.  Mention
text and sentences are not embedded when they are exactly the article text at
their offsets (the contract); any that are not are kept verbatim as overrides
and counted, since that is what an audit is for.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...knowledge.curation import article_hash
from ...records import stable_id
from ...schema import ARTICLE_STATUSES, ENTITY_TYPES
from .tables import Tables

# Entity fields the page shows as the table has them.
_ENTITY_COLUMNS = (
    "type",
    "name",
    "key",
    "aliases",
    "alias_counts",
    "n_mentions",
    "n_articles",
    "langs",
    "resolution",
    "registry_source",
    "doubt",
    "doubt_reasons",
)


@dataclass(frozen=True)
class Integrity:
    """Contract checks the summary reports; each count should be 0."""

    n_mentions: int
    text_mismatch: int
    sentence_mismatch: int
    entity_count_mismatch: int
    article_count_mismatch: int

    def problems(self) -> list[str]:
        checks = [
            (self.text_mismatch, "mentions whose text is not the article text at their offsets"),
            (
                self.sentence_mismatch,
                "mentions whose sentence is not the article text at sentence_start, "
                "or does not contain the mention",
            ),
            (self.entity_count_mismatch, "entities whose n_mentions differs from their rows in mentions"),
            (self.article_count_mismatch, "articles whose n_mentions differs from their rows in mentions"),
        ]
        return [f"{n} {what}" for n, what in checks if n]


@dataclass(frozen=True)
class _Overrides:
    """Mention text and sentences that are not the article text, by mention position, and their counts."""

    by_position: dict[str, dict[str, str]]
    text_mismatch: int
    sentence_mismatch: int


def _intern(values: Iterable[str | None]) -> tuple[list[str | None], list[int]]:
    """Distinct values and one code per value: sources and labels repeat thousands of times."""
    codes: dict[str | None, int] = {}
    column = [codes.setdefault(v, len(codes)) for v in values]
    return list(codes), column


def _columns(rows: list[dict[str, Any]], *names: str) -> dict[str, list[Any]]:
    """Column-oriented copy of some fields: the report's JSON stores tables by column."""
    return {name: [row[name] for row in rows] for name in names}


def _overrides(
    mentions: list[dict[str, Any]], article_texts: list[str], art_index: dict[str, int]
) -> _Overrides:
    by_position: dict[str, dict[str, str]] = {}
    text_mismatch = sentence_mismatch = 0
    for k, m in enumerate(mentions):
        article_text = article_texts[art_index[m["article_id"]]]
        ss, sentence = m["sentence_start"], m["sentence"]
        override: dict[str, str] = {}
        if article_text[m["start"] : m["end"]] != m["text"]:
            override["text"] = m["text"]
            text_mismatch += 1
        if article_text[ss : ss + len(sentence)] != sentence:
            override["sentence"] = sentence
        if "sentence" in override or not ss <= m["start"] <= m["end"] <= ss + len(sentence):
            sentence_mismatch += 1
        if override:
            by_position[str(k)] = override
    return _Overrides(by_position, text_mismatch, sentence_mismatch)


def _article_columns(t: Tables, per_article: Counter[int]) -> dict[str, list[Any]]:
    doc_index = {d["doc_id"]: i for i, d in enumerate(t.documents)}
    return {
        "id": [a["article_id"] for a in t.articles],
        "doc": [doc_index[a["doc_id"]] for a in t.articles],
        **_columns(t.articles, "seq", "title", "lang", "status", "error", "start", "n_repairs"),
        "n_mentions": [per_article[i] for i in range(len(t.articles))],
        "text": [a["text"] for a in t.articles],
        # Content key of mention-level decisions (detach): the same text, the same hash.
        "hash": [article_hash(a["text"]) for a in t.articles],
    }


def _entity_columns(t: Tables, per_entity: Counter[int]) -> dict[str, list[Any]]:
    first: list[int] = []
    position = 0
    for i in range(len(t.entities)):
        first.append(position)
        position += per_entity[i]
    return {
        "id": [e["entity_id"] for e in t.entities],
        **_columns(t.entities, *_ENTITY_COLUMNS),
        "curated": [int(e["curated"]) for e in t.entities],
        "m_first": first,
        "m_count": [per_entity[i] for i in range(len(t.entities))],
    }


def _mention_columns(mentions: list[dict[str, Any]], art_index: dict[str, int]) -> dict[str, Any]:
    """The mentions' columns, then the lookup lists their interned codes index."""
    sources, source_codes = _intern(m["source"] for m in mentions)
    labels, label_codes = _intern(m["label"] for m in mentions)
    resolutions, resolution_codes = _intern(m["resolution"] for m in mentions)
    columns = {
        "id": [m["mention_id"] for m in mentions],
        "article": [art_index[m["article_id"]] for m in mentions],
        **_columns(mentions, "start", "end", "sentence_start"),
        "sentence_len": [len(m["sentence"]) for m in mentions],
        "source": source_codes,
        "label": label_codes,
        "resolution": resolution_codes,
        "curated": [int(m["curated"]) for m in mentions],
    }
    return {"mentions": columns, "sources": sources, "labels": labels, "resolutions": resolutions}


def report_data(t: Tables) -> tuple[dict[str, Any], Integrity]:
    """The JSON the page script renders from, and the contract checks of the tables."""
    art_index = {a["article_id"]: i for i, a in enumerate(t.articles)}
    ent_index = {e["entity_id"]: i for i, e in enumerate(t.entities)}
    mentions = sorted(
        t.mentions,
        key=lambda m: (ent_index[m["entity_id"]], art_index[m["article_id"]], m["start"], m["end"]),
    )
    per_entity = Counter(ent_index[m["entity_id"]] for m in mentions)
    per_article = Counter(art_index[m["article_id"]] for m in mentions)
    overrides = _overrides(mentions, [a["text"] for a in t.articles], art_index)
    types_present = {e["type"] for e in t.entities}
    data = {
        "types": [ty for ty in ENTITY_TYPES if ty in types_present],
        "allTypes": list(ENTITY_TYPES),
        "langs": sorted({lang for e in t.entities for lang in e["langs"]}),
        "statuses": [s for s in ARTICLE_STATUSES if any(a["status"] == s for a in t.articles)],
        "documents": {"path": [d["path"] for d in t.documents]},
        "articles": _article_columns(t, per_article),
        "entities": _entity_columns(t, per_entity),
        **_mention_columns(mentions, art_index),
        "overrides": overrides.by_position,
        # Pending decisions are stored in the browser under this run's id.
        "run": stable_id("run", t.manifest.get("finished_at"), *(e["entity_id"] for e in t.entities)),
        "finished_at": t.manifest.get("finished_at"),
        "curation": t.manifest.get("curation") or {"path": None, "decisions": [], "stale": 0},
    }
    integrity = Integrity(
        n_mentions=len(mentions),
        text_mismatch=overrides.text_mismatch,
        sentence_mismatch=overrides.sentence_mismatch,
        entity_count_mismatch=sum(e["n_mentions"] != per_entity[i] for i, e in enumerate(t.entities)),
        article_count_mismatch=sum(a["n_mentions"] != per_article[i] for i, a in enumerate(t.articles)),
    )
    return data, integrity


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: every '<' escaped, so article text cannot close the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
