"""The scorer's inputs: gold files (GUIDELINES.md format) and predicted entity sets from the output tables."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import InputError, OutputError
from ...invocation import command
from ...schema import CORE_TYPES
from .strings import normalised_set, title_key

if TYPE_CHECKING:
    import pandas as pd

# The gold's pseudo-article for the page footer: listed, never scored.
FOOTER_TITLE = "__footer__"


@dataclass(frozen=True)
class GoldEntity:
    type: str
    key: str
    name: str
    aliases: tuple[str, ...]

    def strings(self) -> frozenset[str]:
        return normalised_set((self.name, self.key, *self.aliases))


@dataclass(frozen=True)
class Doubtful:
    type: str
    surface: str
    why: str = ""


@dataclass(frozen=True)
class GoldArticle:
    title: str
    lang: str
    entities: tuple[GoldEntity, ...] = ()
    doubtful: tuple[Doubtful, ...] = ()


def _gold_article(row: dict[str, Any]) -> GoldArticle:
    return GoldArticle(
        title=row["title"],
        lang=row["lang"],
        entities=tuple(
            GoldEntity(e["type"], e["key"], e["name"], tuple(e.get("aliases", ())))
            for e in row.get("entities", ())
        ),
        doubtful=tuple(Doubtful(d["type"], d["surface"], d.get("why", "")) for d in row.get("doubtful", ())),
    )


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold JSONL file (one article per line, see GUIDELINES.md)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file: {exc.strerror}") from exc
    articles = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            articles.append(_gold_article(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: invalid gold line: {exc!r}") from exc
    return articles


@dataclass(frozen=True)
class PredictedEntity:
    """One predicted entity as seen from one article: its surfaces there, name, key."""

    entity_id: str
    type: str
    name: str
    key: str
    surfaces: tuple[str, ...] = ()

    def strings(self) -> frozenset[str]:
        return normalised_set((*self.surfaces, self.name, self.key))


@dataclass(frozen=True)
class PredictedArticle:
    title: str | None
    lang: str | None
    status: str
    entities: tuple[PredictedEntity, ...] = ()


# Output articles keyed by `title_key`; the common input of the gold scorer.
Predictions = dict[str, PredictedArticle]


@dataclass(frozen=True)
class Tables:
    articles: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame


_TABLE_COLUMNS = {
    "articles": ("article_id", "title", "lang", "status", "text"),
    "mentions": ("article_id", "entity_id", "type", "text"),
    "entities": ("entity_id", "type", "name", "key"),
}


def read_tables(tables_dir: str | Path) -> Tables:
    """Read the columns the scorer needs from articles/mentions/entities.parquet."""
    import pyarrow.parquet as pq

    from ..audit.tables import check_folder

    check_folder(Path(tables_dir), "--tables")
    frames = {}
    for name, columns in _TABLE_COLUMNS.items():
        path = Path(tables_dir) / f"{name}.parquet"
        if not path.is_file():
            raise OutputError(f"{path} does not exist: run `{command()} run --out {tables_dir}` first")
        present = set(pq.read_schema(path).names)
        missing = [c for c in columns if c not in present]
        if missing:
            raise OutputError(f"{path}: missing column(s) {', '.join(missing)}")
        frames[name] = pq.read_table(path, columns=list(columns)).to_pandas()
    return Tables(frames["articles"], frames["mentions"], frames["entities"])


def first_by_title(rows: Iterable[tuple[str, PredictedArticle]]) -> Predictions:
    """Keep one article per title: an ok one if any, else the first seen.

    The same article can occur twice (a page ingested from two files); its
    entities are then the same, so which copy is kept does not change the score.
    """
    predictions: Predictions = {}
    for key, article in rows:
        kept = predictions.get(key)
        if kept is None or (kept.status != "ok" and article.status == "ok"):
            predictions[key] = article
    return predictions


def _surfaces_by_article(tables: Tables, entity_ids: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """Distinct mention texts per article and entity, in table order, for the given entities."""
    wanted = set(entity_ids)
    surfaces: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in tables.mentions.itertuples(index=False):
        if row.entity_id in wanted:
            seen = surfaces[row.article_id][row.entity_id]
            if row.text not in seen:
                seen.append(row.text)
    return surfaces


def predictions_from_tables(tables: Tables) -> Predictions:
    """Turn output tables into the scorer's input.

    An article's predicted set is every entity of a core type (PERSON, ORG,
    COUNTRY, LAW) with at least one mention in it; each carries its surfaces in
    that article plus its global canonical name and key, as the guidelines say.
    """
    entity_rows = {
        row.entity_id: row for row in tables.entities.itertuples(index=False) if row.type in CORE_TYPES
    }
    surfaces = _surfaces_by_article(tables, entity_rows)

    def build(row: Any) -> tuple[str, PredictedArticle]:
        found = surfaces.get(row.article_id, {})
        entities = tuple(
            PredictedEntity(
                entity_id=entity_id,
                type=entity_rows[entity_id].type,
                name=entity_rows[entity_id].name,
                key=entity_rows[entity_id].key,
                surfaces=tuple(texts),
            )
            for entity_id, texts in found.items()
        )
        return title_key(row.title), PredictedArticle(row.title, row.lang, row.status, entities)

    articles = tables.articles.itertuples(index=False)
    return first_by_title(build(row) for row in articles if row.title is not None)


def select_gold_articles(articles: pd.DataFrame, gold: Sequence[GoldArticle]) -> pd.DataFrame:
    """The output articles a gold file scores (so a baseline need not run on others)."""
    wanted = {title_key(g.title) for g in gold}
    mask = articles["title"].map(lambda t: t is not None and title_key(t) in wanted)
    return articles[mask.astype(bool)]
