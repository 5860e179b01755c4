"""`Tables`: the four tables of one run as pandas DataFrames, and `read_tables` for a run's folder."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import OutputError
from ..schema import TABLES
from ..store.write import MANIFEST, read_table, write_tables
from ..tools.audit.card import entity_mentions

if TYPE_CHECKING:
    import duckdb


class EntityView(NamedTuple):
    """One entity (its row of the entities table) and its mentions, each with its
    article's `title`, `article` (the title, or the file name and first line of an
    untitled article) and document `path`, in article order, then by offset: what
    `python -m pipeline show` prints."""

    entity: pd.Series
    mentions: pd.DataFrame


class Tables:
    """The four tables of a run: `documents`, `articles`, `mentions`, `entities`.

    Each is a pandas DataFrame with exactly the columns and dtypes that
    `pandas.read_parquet` gives for the Parquet file `python -m pipeline run`
    writes (columns: README, "Outputs"; schemas: `pipeline/schema.py`).  The
    DataFrames are yours to change; `write` writes the tables as they were
    made.  `manifest` is the run's `run.json` (versions, config, counts, timings).
    """

    documents: pd.DataFrame
    articles: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame

    def __init__(self, tables: Mapping[str, pa.Table], manifest: Mapping[str, Any]) -> None:
        missing = [name for name in TABLES if name not in tables]
        if missing:
            raise OutputError(f"missing table(s): {', '.join(missing)}")
        self._arrow = {name: tables[name] for name in TABLES}
        self.manifest: dict[str, Any] = dict(manifest)
        for name, table in self._arrow.items():
            setattr(self, name, table.to_pandas())

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={table.num_rows}" for name, table in self._arrow.items())
        return f"Tables({sizes})"

    def entity(self, name_or_id: str, type: str | None = None) -> EntityView:
        """The entity named by `name_or_id` (an entity id, a key, a name or an alias:
        case-, accent- and apostrophe-insensitive), of `type` when given, and its
        mentions in context.  Raises `EntityLookupError` when none matches, or
        when several do (then give `type=` or the entity id)."""
        found = entity_mentions(self._arrow, name_or_id, type, narrow="type=TYPE")
        return EntityView(pd.Series(found.entity, name=found.entity["entity_id"]), found.mentions.to_pandas())

    def to_displacy(self) -> list[dict[str, Any]]:
        """The ok articles with their mentions in displaCy's manual format, for
        `spacy.displacy.render(tables.to_displacy(), style="ent", manual=True)`
        (the colours are the audit report's).  A mention inside a longer one (a
        country in a law's title) is left out, as displaCy draws no overlaps."""
        by_article: dict[str, list[dict[str, Any]]] = {}
        for mention in self._arrow["mentions"].select(["article_id", "start", "end", "type"]).to_pylist():
            by_article.setdefault(mention["article_id"], []).append(mention)
        articles = self._arrow["articles"].filter(pc.equal(self._arrow["articles"]["status"], "ok"))
        return [
            {
                "text": article["text"],
                "title": article["title"],
                "ents": [
                    {"start": m["start"], "end": m["end"], "label": m["type"]}
                    for m in _outermost(by_article.get(article["article_id"], []))
                ],
            }
            for article in articles.select(["article_id", "title", "text"]).to_pylist()
        ]

    def to_duckdb(self, connection: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection (a new in-memory one unless given) in which the four
        tables are registered as views named `documents`, `articles`, `mentions`
        and `entities`, read in place from memory: `tables.to_duckdb().sql("…")`."""
        import duckdb

        db = connection if connection is not None else duckdb.connect()
        for name, table in self._arrow.items():
            db.register(name, table)
        return db

    def write(self, out_dir: str | Path) -> Path:
        """Write the four tables and `run.json` into `out_dir`, as `python -m pipeline run`
        does: validated, published atomically (the previous tables stay until the new
        ones are complete), one writer per folder.  The files are byte-identical to
        those of a command-line run on the same inputs with the same settings.
        Returns the folder.  Raises `OutputError` (`OutputBusy` while another run
        writes there)."""
        folder = Path(out_dir)
        write_tables(folder, self._arrow, dict(self.manifest))
        return folder


def _outermost(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentions no longer one overlaps, longest first (as spaCy's `filter_spans`), by offset."""
    kept: list[dict[str, Any]] = []
    taken: set[int] = set()  # characters already in a kept mention
    for mention in sorted(mentions, key=lambda m: (m["start"] - m["end"], m["start"])):
        characters = range(mention["start"], mention["end"])
        if taken.isdisjoint(characters):
            kept.append(mention)
            taken.update(characters)
    return sorted(kept, key=lambda m: m["start"])


def read_tables(out_dir: str | Path) -> Tables:
    """The tables a run wrote in `out_dir` (`python -m pipeline run --out DIR`, or
    `Tables.write`).  Raises `OutputError` when a table is missing."""
    folder = Path(out_dir)
    tables = {name: read_table(folder, name) for name in TABLES}
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        manifest = {}
    except (OSError, ValueError) as exc:
        raise OutputError(f"{manifest_path}: cannot read the run manifest: {exc}") from exc
    return Tables(tables, manifest)
