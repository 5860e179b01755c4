"""Tests for pipeline.schema.validate_table: what a table must satisfy to be published."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from pipeline.schema import TABLES, SchemaViolation, validate_table

VALID: dict[str, dict[str, Any]] = {
    "documents": {
        "doc_id": "doc_1", "path": "a.txt", "sha256": "00", "encoding": "utf-8", "status": "ok",
        "message": None, "n_chars": 10, "tag": None, "header": "", "n_articles": 1, "boilerplate": None,
        "boilerplate_start": None, "boilerplate_lang": None,
    },
    "articles": {
        "article_id": "art_1", "doc_id": "doc_1", "seq": 0, "title": None, "lang": "en", "lang_score": 0.99,
        "status": "ok", "error": None, "start": 0, "end": 10, "text": "Hello Gaza", "repaired_text": None,
        "n_repairs": 0, "n_tokens": 2, "n_mentions": 1,
    },
    "mentions": {
        "mention_id": "men_1", "article_id": "art_1", "doc_id": "doc_1", "entity_id": "ent_1",
        "type": "LOCATION", "text": "Gaza", "start": 6, "end": 10, "sentence": "Hello Gaza",
        "sentence_start": 0, "lang": "en", "label": "GPE", "source": "rule:x", "key": "gaza",
        "resolution": "fingerprint", "curated": False,
    },
    "entities": {
        "entity_id": "ent_1", "type": "LOCATION", "name": "Gaza", "key": "gaza", "aliases": ["Gaza"],
        "alias_counts": [1], "n_mentions": 1, "n_articles": 1, "langs": ["en"],
        "resolution": "fingerprint", "registry_source": None, "curated": False,
        "doubt": 0.5, "doubt_reasons": ["one mention only"],
    },
}


def _table(name: str, **changes: Any) -> pa.Table:
    return pa.Table.from_pylist([{**VALID[name], **changes}], schema=TABLES[name])


@pytest.mark.parametrize("name", list(TABLES))
def test_schema_valid_and_empty_tables_pass(name: str) -> None:
    validate_table(name, _table(name))
    validate_table(name, TABLES[name].empty_table())


@pytest.mark.parametrize(
    ("name", "changes", "needle"),
    [
        ("documents", {"status": "broken"}, "status has values outside"),
        ("documents", {"status": "binary", "message": None}, "no message"),
        ("documents", {"n_chars": -1}, "n_chars has negative"),
        ("documents", {"boilerplate_start": -5}, "boilerplate_start has negative"),
        ("articles", {"status": "pending"}, "status has values outside"),
        ("articles", {"status": "too_short", "error": None}, "no error"),
        ("articles", {"lang": "de"}, "ok articles must have lang"),
        ("articles", {"lang": None}, "ok articles must have lang"),
        ("articles", {"end": 11}, "do not span"),
        ("articles", {"start": 11}, "out of order"),
        ("articles", {"start": -1, "end": 9}, "start has negative"),
        ("mentions", {"type": "EVENT"}, "type has values outside"),
        ("mentions", {"lang": "de"}, "lang has values outside"),
        ("mentions", {"resolution": "guess"}, "resolution has values outside"),
        ("mentions", {"sentence_start": -1}, "sentence_start has negative"),
        ("entities", {"alias_counts": [1, 2]}, "aliases and alias_counts"),
        ("entities", {"n_mentions": -2}, "n_mentions has negative"),
        ("entities", {"doubt": 1.5}, "doubt outside"),
    ],
)
def test_schema_bad_values_are_refused(name: str, changes: dict[str, Any], needle: str) -> None:
    with pytest.raises(SchemaViolation, match=needle) as info:
        validate_table(name, _table(name, **changes))
    assert str(info.value).startswith(f"{name}.parquet fails its schema")


def test_schema_articles_not_ok_may_have_any_language() -> None:
    validate_table("articles", _table("articles", lang="de", status="unsupported_language", error="de"))


def test_schema_nulls_in_a_required_column_are_refused() -> None:
    table = _table("documents", header=None)  # pyarrow builds it; the schema forbids it
    with pytest.raises(SchemaViolation, match="column header has nulls"):
        validate_table("documents", table)


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda t: t.drop_columns(["tag"]), "missing tag"),
        (lambda t: t.append_column("extra", pa.array([1])), "unexpected extra"),
        (lambda t: t.set_column(6, pa.field("n_chars", pa.string(), nullable=False), pa.array(["10"])),
         "n_chars is string not null, expected int64 not null"),
        (lambda t: t.cast(pa.schema([f.with_nullable(True) for f in t.schema])), "not null"),
        (lambda t: t.select(list(reversed(t.column_names))), "column order"),
    ],
    ids=["missing", "extra", "type", "nullability", "order"],
)
def test_schema_mismatch_is_one_line_naming_the_column(mutate: Any, needle: str) -> None:
    with pytest.raises(SchemaViolation) as info:
        validate_table("documents", mutate(_table("documents")))
    message = str(info.value)
    assert needle in message and "\n" not in message
