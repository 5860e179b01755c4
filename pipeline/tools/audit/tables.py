"""The published tables and run.json, read as a researcher gets them, for the audit views."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import OutputError
from ...invocation import command
from ...store.write import read_table

MANIFEST = "run.json"
# Characters of an untitled article's first line shown in its label.
LABEL_CHARS = 80


@dataclass(frozen=True)
class Tables:
    """The four tables as rows, and the run manifest."""

    documents: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    manifest: dict[str, Any]


def article_label(title: str | None, text: str, path: str) -> str:
    """How the audit views name an article: its bullet title, else the file's name and the
    text's first line (a file of plain paragraphs has no title line), so rows can be told apart.

    Display only: the articles table's `title` keeps its meaning (the bullet title line, null
    when there is none), so the tables do not change.
    """
    if title and title.strip():
        return title
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > LABEL_CHARS:
        first = first[: LABEL_CHARS - 1].rstrip() + "…"
    name = path.rstrip("/").rsplit("/", 1)[-1] or path
    return f"{name} — {first}" if first else name


def check_folder(out_dir: Path, option: str = "--out") -> None:
    """OutputError unless `out_dir`, given as `option`, is a folder: the tables' folder, not a
    file (nor nothing at all)."""
    if out_dir.is_dir():
        return
    if out_dir.exists():
        raise OutputError(f"{out_dir} is not a folder: give {option} the folder that holds the tables")
    raise OutputError(f"{out_dir} does not exist: run `{command()} run --out {out_dir}` first")


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """run.json as a dict; OutputError when it is missing or not a JSON object."""
    path = out_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputError(f"{path} does not exist: run `{command()} run --out {out_dir}` first") from None
    except json.JSONDecodeError as exc:
        raise OutputError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise OutputError(f"{path} should hold a JSON object, not {type(manifest).__name__}")
    return manifest


def read_tables(out_dir: Path) -> Tables:
    """All four tables and run.json of `out_dir`, checked to refer only to rows that exist."""
    check_folder(out_dir)
    tables = Tables(
        documents=read_table(out_dir, "documents").to_pylist(),
        articles=read_table(out_dir, "articles").to_pylist(),
        mentions=read_table(out_dir, "mentions").to_pylist(),
        entities=read_table(out_dir, "entities").to_pylist(),
        manifest=read_manifest(out_dir),
    )
    check_references(tables)
    return tables


def check_references(tables: Tables) -> None:
    """Refuse tables whose rows point at rows that do not exist: nothing to audit them against."""
    references = [
        ("articles", "doc_id", tables.articles, {d["doc_id"] for d in tables.documents}),
        ("mentions", "article_id", tables.mentions, {a["article_id"] for a in tables.articles}),
        ("mentions", "entity_id", tables.mentions, {e["entity_id"] for e in tables.entities}),
    ]
    for table, column, rows, known in references:
        missing = [row[column] for row in rows if row[column] not in known]
        if missing:
            raise OutputError(
                f"{table}.{column} refers to {len(missing)} missing row(s), e.g. {missing[0]}: "
                f"the tables are from different runs; run `{command()} run` again"
            )
