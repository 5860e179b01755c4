"""The report's data: the tables cut into numbered pieces the page loads as it needs them.

A page opened from file:// may run scripts from files beside it but may not
fetch() them, so each piece is a small script, `data-HASH/NAME.js`, that hands
its JSON text to the page (`auditChunk(NAME, 'JSON')`, see `paging`); the page
adds a <script> element for a piece the first time it needs one.  index.html
embeds only the head: counts, filter choices, the lookup lists the pieces share
and where each piece starts (its first row; for id pieces, its first id), so it
stays small whatever the corpus.

Pieces, each a run of consecutive rows (`Paging` says how many):

* entities-K: the entity index in review order (most doubtful first, so the
  Entities tab's first page is entities-0), each entity with its run of
  mentions [m_first, m_first + m_count);
* mentions-K: mentions sorted by entity, then article and offset, each with its
  sentence and its article's row;
* articles-K: the Articles tab's rows, in table order: what every view shows of
  an article beside its text (an entity page loads those of its mentions);
* texts-K: article texts, cut by size, each with the mentions to highlight;
* entity-ids-K, article-ids-K: ids in sorted order with their rows, so that a
  link #/entity/ID needs one small piece to find its row.

Mention text and sentences that are not the article text at their offsets
(the contract) are kept verbatim as overrides and counted, since that is what
an audit is for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...knowledge.curation import article_hash
from ...records import stable_id
from ...schema import ARTICLE_STATUSES, ENTITY_TYPES
from .paging import Paging, cut, pieces
from .tables import Tables, article_label

Columns = dict[str, Any]
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
class ReportData:
    """The head the page embeds, and every piece by name, as JSON-ready values."""

    head: dict[str, Any]
    pieces: dict[str, Columns]
    integrity: Integrity


class _Interned:
    """Distinct values and one code per value: sources, labels and reasons repeat thousands of times."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        return self.codes.setdefault(value, len(self.codes))

    @property
    def values(self) -> list[Any]:
        return list(self.codes)


@dataclass(frozen=True)
class _Article:
    """What every view of an article shows beside its text."""

    id: str
    label: str
    lang: str | None
    path: str
    hash: str


@dataclass(frozen=True)
class _Mentions:
    """The mentions in the report's order (entity, article, offsets), with what every piece reads of them."""

    rows: list[dict[str, Any]]
    article: list[int]  # row of each one's article
    entity: list[int]  # row of each one's entity, in review order
    # The article text where each one's sentence claims to be: the table's sentence unless overridden.
    sentence: list[str]
    # By position: the table's text or sentence where it is not the article text at its offsets, and
    # `surface`, the article text at a mention's offsets when it lies outside its sentence.
    overrides: dict[int, dict[str, str]]
    text_mismatch: int
    sentence_mismatch: int


def _mentions(t: Tables, ent_row: dict[str, int], art_row: dict[str, int], texts: list[str]) -> _Mentions:
    keys = [
        (ent_row[m["entity_id"]], art_row[m["article_id"]], m["start"], m["end"], k)
        for k, m in enumerate(t.mentions)
    ]
    keys.sort()
    rows = [t.mentions[key[4]] for key in keys]
    articles = [key[1] for key in keys]
    sentences: list[str] = []
    overrides: dict[int, dict[str, str]] = {}
    for k, m in enumerate(rows):
        article_text, ss, sentence = texts[articles[k]], m["sentence_start"], m["sentence"]
        start, end = m["start"], m["end"]
        sentences.append(article_text[ss : ss + len(sentence)])
        override = {}
        if article_text[start:end] != m["text"]:
            override["text"] = m["text"]
        if sentences[-1] != sentence:
            override["sentence"] = sentence
        if not ss <= start <= end <= ss + len(sentence):
            override["surface"] = article_text[start:end]
        if override:
            overrides[k] = override
    return _Mentions(
        rows,
        articles,
        [key[0] for key in keys],
        sentences,
        overrides,
        text_mismatch=sum("text" in o for o in overrides.values()),
        sentence_mismatch=sum("sentence" in o or "surface" in o for o in overrides.values()),
    )


def _entity_pieces(
    entities: list[dict[str, Any]], per_entity: Sequence[int], paging: Paging, reasons: _Interned
) -> tuple[list[int], dict[str, Columns]]:
    first = [0] * len(entities)
    for i in range(1, len(entities)):
        first[i] = first[i - 1] + per_entity[i - 1]

    def piece(start: int, stop: int) -> Columns:
        rows = entities[start:stop]
        return {
            "id": [e["entity_id"] for e in rows],
            **{c: [e[c] for e in rows] for c in _ENTITY_COLUMNS},
            "doubt_reasons": [[reasons(r) for r in e["doubt_reasons"]] for e in rows],
            "curated": [int(e["curated"]) for e in rows],
            "m_first": first[start:stop],
            "m_count": list(per_entity[start:stop]),
        }

    starts = cut([1] * len(entities), paging.entities)
    return starts, pieces("entities", starts, len(entities), piece)


def _mention_pieces(
    mentions: _Mentions, paging: Paging, interned: dict[str, _Interned]
) -> tuple[list[int], dict[str, Columns]]:
    """Mentions with their sentences; what the page shows of their articles is in the article pieces
    (an entity's mentions are spread over many articles, each of which many pieces would repeat)."""

    def piece(start: int, stop: int) -> Columns:
        rows = mentions.rows[start:stop]
        return {
            "id": [m["mention_id"] for m in rows],
            "article": mentions.article[start:stop],
            **{c: [m[c] for m in rows] for c in ("start", "end", "sentence_start")},
            "sentence": mentions.sentence[start:stop],
            **{c: [interned[c](m[c]) for m in rows] for c in ("source", "label", "resolution")},
            "curated": [int(m["curated"]) for m in rows],
            "overrides": {
                str(k): mentions.overrides[k] for k in range(start, stop) if k in mentions.overrides
            },
        }

    starts = cut([1] * len(mentions.rows), paging.mentions)
    return starts, pieces("mentions", starts, len(mentions.rows), piece)


def _article_pieces(
    t: Tables, articles: list[_Article], per_article: Sequence[int], paging: Paging
) -> tuple[list[int], dict[str, Columns]]:
    def piece(start: int, stop: int) -> Columns:
        rows = t.articles[start:stop]
        shown = articles[start:stop]
        return {
            **{c: [getattr(a, c) for a in shown] for c in ("id", "label", "path", "hash")},
            **{c: [a[c] for a in rows] for c in ("seq", "lang", "status", "error", "start", "n_repairs")},
            "n_mentions": list(per_article[start:stop]),
            "chars": [len(a["text"]) for a in rows],
        }

    starts = cut([1] * len(t.articles), paging.articles)
    return starts, pieces("articles", starts, len(t.articles), piece)


def _text_pieces(
    texts: list[str],
    marks: dict[int, list[tuple[int, int, int]]],
    entities: list[dict[str, Any]],
    paging: Paging,
) -> tuple[list[int], dict[str, Columns]]:
    """Article texts, each with its mentions as flat (start, end, entity) triples, the entity an
    index into the piece's own list of [id, type, name]."""

    def piece(start: int, stop: int) -> Columns:
        local: dict[int, int] = {}
        flat = [
            [v for s, e, row in marks.get(a, []) for v in (s, e, local.setdefault(row, len(local)))]
            for a in range(start, stop)
        ]
        named = [[entities[row][c] for c in ("entity_id", "type", "name")] for row in local]
        return {"text": texts[start:stop], "marks": flat, "entities": named}

    starts = cut([len(text) + 1 for text in texts], paging.text_chars)
    return starts, pieces("texts", starts, len(texts), piece)


def _id_pieces(kind: str, ids: Iterable[str], paging: Paging) -> tuple[list[str], dict[str, Columns]]:
    """Ids sorted by code point (ids are ASCII: the page's `<` agrees), each with its row."""
    ordered = sorted((ident, row) for row, ident in enumerate(ids))
    starts = cut([1] * len(ordered), paging.ids)

    def piece(start: int, stop: int) -> Columns:
        return {"ids": [i for i, _ in ordered[start:stop]], "rows": [r for _, r in ordered[start:stop]]}

    return [ordered[s][0] for s in starts], pieces(f"{kind}-ids", starts, len(ordered), piece)


def _marks(mentions: _Mentions) -> dict[int, list[tuple[int, int, int]]]:
    """Per article row, its mentions to highlight: (start, end, entity row), in reading order."""
    marks: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for m, a, e in zip(mentions.rows, mentions.article, mentions.entity, strict=True):
        marks[a].append((m["start"], m["end"], e))
    for row in marks.values():
        row.sort(key=lambda x: (x[0], -x[1]))
    return marks


def _head(t: Tables, entities: list[dict[str, Any]], n_mentions: int) -> dict[str, Any]:
    """What the first screen and every filter need, whatever piece is loaded."""
    types_present = {e["type"] for e in entities}
    return {
        "types": [ty for ty in ENTITY_TYPES if ty in types_present],
        "allTypes": list(ENTITY_TYPES),
        "langs": sorted({lang for e in entities for lang in e["langs"]}),
        "statuses": [s for s in ARTICLE_STATUSES if any(a["status"] == s for a in t.articles)],
        # Pending decisions are stored in the browser under this run's id.
        "run": stable_id("run", t.manifest.get("finished_at"), *(e["entity_id"] for e in t.entities)),
        "finished_at": t.manifest.get("finished_at"),
        "curation": t.manifest.get("curation") or {"path": None, "decisions": [], "stale": 0},
        "entities": {
            "n": len(entities),
            "typeCounts": dict(sorted(Counter(e["type"] for e in entities).items())),
            "resolutions": sorted({e["resolution"] for e in entities}),
            "curated": sum(bool(e["curated"]) for e in entities),
        },
        "articles": {
            "n": len(t.articles),
            "langs": sorted({a["lang"] for a in t.articles if a["lang"]}),
            "statusCounts": dict(sorted(Counter(a["status"] for a in t.articles).items())),
        },
        "mentions": {"n": n_mentions},
    }


def review_order(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Entities tab's first order: most doubtful first; among equals, fewer mentions first."""
    order = sorted(range(len(entities)), key=lambda i: (-entities[i]["doubt"], entities[i]["n_mentions"], i))
    return [entities[i] for i in order]


def report_data(t: Tables, paging: Paging | None = None) -> ReportData:
    """The head and pieces the page renders from, and the contract checks of the tables."""
    paging = paging or Paging()
    entities = review_order(t.entities)
    ent_row = {e["entity_id"]: i for i, e in enumerate(entities)}
    art_row = {a["article_id"]: i for i, a in enumerate(t.articles)}
    paths = {d["doc_id"]: d["path"] for d in t.documents}
    articles = [
        _Article(
            a["article_id"],
            article_label(a["title"], a["text"], paths[a["doc_id"]]),
            a["lang"],
            paths[a["doc_id"]],
            article_hash(a["text"]),
        )
        for a in t.articles
    ]
    texts = [a["text"] for a in t.articles]
    mentions = _mentions(t, ent_row, art_row, texts)
    per_entity_count, per_article_count = Counter(mentions.entity), Counter(mentions.article)
    per_entity = [per_entity_count[i] for i in range(len(entities))]
    per_article = [per_article_count[i] for i in range(len(t.articles))]
    interned = {c: _Interned() for c in ("source", "label", "resolution", "reason")}

    head = _head(t, entities, len(mentions.rows))
    starts: dict[str, Any] = {}
    all_pieces: dict[str, Columns] = {}
    built = {
        "entities": _entity_pieces(entities, per_entity, paging, interned["reason"]),
        "mentions": _mention_pieces(mentions, paging, interned),
        "articles": _article_pieces(t, articles, per_article, paging),
        "texts": _text_pieces(texts, _marks(mentions), entities, paging),
        "entity-ids": _id_pieces("entity", (e["entity_id"] for e in entities), paging),
        "article-ids": _id_pieces("article", (a.id for a in articles), paging),
    }
    for kind, (kind_starts, kind_pieces) in built.items():
        starts[kind] = kind_starts
        all_pieces.update(kind_pieces)
    head["starts"] = starts
    head.update({f"{c}s": interned[c].values for c in ("source", "label", "resolution", "reason")})
    integrity = Integrity(
        n_mentions=len(mentions.rows),
        text_mismatch=mentions.text_mismatch,
        sentence_mismatch=mentions.sentence_mismatch,
        entity_count_mismatch=sum(e["n_mentions"] != per_entity[i] for i, e in enumerate(entities)),
        article_count_mismatch=sum(a["n_mentions"] != per_article[i] for i, a in enumerate(t.articles)),
    )
    return ReportData(head, all_pieces, integrity)
