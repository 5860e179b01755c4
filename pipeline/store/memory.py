"""The writer's rows kept in memory: the four tables as pyarrow tables, for the Python API.

`TableCollector` takes a run's records through the same calls as the Parquet
writer (`write.TableSink`), turns them into rows with the same functions
(`document_row`, `article_row`, `mention_row`), in the same order, and builds
each table against its schema (`schema.py`), validated the same way.  So
`pipeline.extract` holds exactly what `python -m pipeline run` writes, without
touching the disk; `write.write_tables` writes it out when asked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa

from ..errors import OutputError
from ..records import Article, Entity
from ..schema import ARTICLES, DOCUMENTS, ENTITIES, MENTIONS, SchemaViolation, validate_table
from .write import RunCounts, article_row, mention_row


class TableCollector:
    """Collects one run's rows; after `publish`, `tables` holds the four tables and
    `manifest` what `run.json` would hold."""

    def __init__(self) -> None:
        self.counts = RunCounts()
        self.tables: dict[str, pa.Table] = {}
        self.manifest: dict[str, Any] = {}
        self._documents: list[dict[str, Any]] = []
        self._articles: list[dict[str, Any]] = []
        self._staged_mentions: list[dict[str, Any]] = []
        self._mentions: list[dict[str, Any]] = []
        self._entities: list[dict[str, Any]] = []

    def __enter__(self) -> TableCollector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def add_document(self, row: dict[str, Any]) -> None:
        self.counts.documents[row["status"]] += 1
        self._documents.append(row)

    def add_articles(self, articles: Iterable[Article]) -> None:
        for article in articles:
            self.counts.articles[(article.lang or "-", article.status)] += 1
            self._articles.append(article_row(article))
            self._staged_mentions.extend(mention_row(article, mention) for mention in article.mentions)

    def write_mentions(self, link: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        for row in self._staged_mentions:
            linked = link(row)
            self.counts.mentions[linked["type"]] += 1
            self._mentions.append(linked)
        self._staged_mentions = []

    def write_entities(self, entities: list[Entity]) -> None:
        for entity in entities:
            self.counts.entities[entity.type] += 1
        self._entities = [dataclasses.asdict(entity) for entity in entities]

    def publish(self, manifest: dict[str, Any]) -> RunCounts:
        """Build and validate the four tables; OutputError when one fails its schema."""
        rows = {
            "documents": (self._documents, DOCUMENTS),
            "articles": (self._articles, ARTICLES),
            "mentions": (self._mentions, MENTIONS),
            "entities": (self._entities, ENTITIES),
        }
        tables = {name: pa.Table.from_pylist(found, schema=schema) for name, (found, schema) in rows.items()}
        try:
            for name, table in tables.items():
                validate_table(name, table)
        except SchemaViolation as exc:
            raise OutputError(str(exc)) from exc
        manifest["counts"] = self.counts.to_dict()
        self.tables, self.manifest = tables, manifest
        return self.counts
