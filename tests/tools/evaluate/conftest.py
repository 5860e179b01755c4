"""Invented output tables and gold files for the evaluation tests, and a stand-in for spacy.load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy

from pipeline.schema import TABLES, validate_table
from pipeline.tools.evaluate.baseline import SpacyLoader


def _default_value(type_: pa.DataType) -> Any:
    if pa.types.is_string(type_):
        return ""
    if pa.types.is_integer(type_):
        return 0
    if pa.types.is_floating(type_):
        return 0.0
    if pa.types.is_boolean(type_):
        return False
    if pa.types.is_list(type_):
        return []
    raise AssertionError(type_)


def write_table(directory: Path, name: str, rows: list[dict[str, Any]]) -> None:
    schema = TABLES[name]
    full = [{f.name: row.get(f.name, _default_value(f.type)) for f in schema} for row in rows]
    table = pa.Table.from_pylist(full, schema=schema)
    validate_table(name, table)
    pq.write_table(table, directory / f"{name}.parquet")


def article_row(
    article_id: str, title: str, text: str, lang: str = "en", status: str = "ok"
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "doc_id": "d",
        "title": title,
        "lang": lang,
        "status": status,
        "text": text,
        "end": len(text),
    }


def mention_row(article_id: str, text: str, article_text: str, entity_id: str, type_: str) -> dict[str, Any]:
    start = article_text.index(text)
    return {
        "mention_id": f"m-{article_id}-{start}",
        "article_id": article_id,
        "doc_id": "d",
        "entity_id": entity_id,
        "type": type_,
        "text": text,
        "start": start,
        "end": start + len(text),
        "lang": "en",
        "resolution": "fingerprint",
    }


def entity_row(entity_id: str, type_: str, name: str, key: str) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "type": type_,
        "name": name,
        "key": key,
        "resolution": "fingerprint",
    }


@pytest.fixture
def tables_dir(tmp_path: Path) -> Path:
    text = "Alpha news\nJane Roe of the AF visited France. Roe said Bob Smith agreed. Paris."
    articles = [article_row("a1", "Alpha news", text), article_row("a2", "Other", "x")]
    write_table(tmp_path, "articles", articles)
    write_table(
        tmp_path,
        "mentions",
        [
            mention_row("a1", "Jane Roe", text, "e-roe", "PERSON"),
            mention_row("a1", "Roe said", text, "e-roe", "PERSON")
            | {"text": "Roe", "end": text.index("Roe said") + 3},
            mention_row("a1", "AF", text, "e-acme", "ORG"),
            mention_row("a1", "France", text, "e-fr", "COUNTRY"),
            mention_row("a1", "Bob Smith", text, "e-bob", "PERSON"),
            mention_row("a1", "Paris", text, "e-paris", "LOCATION"),
        ],
    )
    write_table(
        tmp_path,
        "entities",
        [
            entity_row("e-roe", "PERSON", "Jane Roe", "jane roe"),
            entity_row("e-acme", "ORG", "Acme Foundation", "acme foundation"),
            entity_row("e-fr", "COUNTRY", "France", "FR"),
            entity_row("e-bob", "PERSON", "Bob Smith", "bob smith"),
            entity_row("e-paris", "LOCATION", "Paris", "paris"),
            entity_row("e-unused", "ORG", "Unused", "unused"),
        ],
    )
    return tmp_path


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    rows = [
        {
            "title": "Alpha news",
            "lang": "en",
            "entities": [
                {
                    "type": "PERSON",
                    "key": "jane-roe",
                    "name": "Jane Roe",
                    "aliases": ["Jane Roe", "Roe"],
                },
                {"type": "ORG", "key": "acme", "name": "Acme Foundation", "aliases": ["AF"]},
                {"type": "COUNTRY", "key": "FR", "name": "France", "aliases": ["France"]},
                {"type": "LAW", "key": "fake-act", "name": "Fake Act", "aliases": ["Fake Act"]},
            ],
            "doubtful": [],
        },
        {"title": "__footer__", "lang": "en", "entities": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def ruler_loader(patterns: list[dict[str, str]], asked: list[str] | None = None) -> SpacyLoader:
    """A stand-in for spacy.load: a blank English pipeline with an entity ruler."""

    def load(name: str) -> Any:
        if asked is not None:
            asked.append(name)
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler")
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        return nlp

    return load


PATTERNS = [
    {"label": "PER", "pattern": "Jane Roe"},
    {"label": "PERSON", "pattern": "Roe"},
    {"label": "GPE", "pattern": "France"},
    {"label": "GPE", "pattern": "FRANCE"},
    {"label": "LOC", "pattern": "Europe"},
    {"label": "FAC", "pattern": "Gare"},
    {"label": "NORP", "pattern": "French"},
    {"label": "LAW", "pattern": "Fake Act"},
    {"label": "ORG", "pattern": "AF"},
]
