"""Tests for pipeline.store.write: staged tables, validation before publishing, atomic publish.

Records are built by hand (split of an inline text, mentions placed by `str.index`)
and grouped into entities by the entities stage, as the runner does: no model is loaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import OutputError
from pipeline.knowledge.curation import Curation, load_curation
from pipeline.records import Article, Document, Mention
from pipeline.schema import TABLES, validate_table
from pipeline.stages.entities import EntityBuilder
from pipeline.stages.split import split_document
from pipeline.store import write
from pipeline.store.consistency import check_consistency
from pipeline.store.write import (
    JOURNAL,
    MANIFEST,
    TableWriter,
    document_row,
    read_table,
    recover_outputs,
)

PAGE = (
    "tag\n\n  • First\n    Hello Gaza, said Chile.\n\n"
    "  • Second\n    Gaza again.\n\nFOOTER\n"
)
FILES = [*(f"{name}.parquet" for name in TABLES), MANIFEST]


def _mention(article: Article, surface: str, type_: str = "LOCATION") -> Mention:
    start = article.text.index(surface)
    line_start = article.text.rfind("\n", 0, start) + 1
    line_end = article.text.find("\n", start)
    sentence = article.text[line_start:line_end].strip()
    return Mention(
        start=start, end=start + len(surface), text=surface, type=type_, label="GPE", source="rule:test",
        sentence_start=article.text.index(sentence), sentence=sentence, key=surface.lower(), name=surface,
    )


def _records(text: str = PAGE, path: str = "a.txt") -> tuple[Document, list[Article]]:
    doc = Document(f"doc_{path}", path, "ok", text=text, sha256="00", encoding="utf-8")
    articles = split_document(doc)
    for article in articles:
        article.lang, article.lang_score = "en", 0.99
        article.mentions = [_mention(article, "Gaza")]
    return doc, articles


def _publish(out: Path, documents: list[Document], articles: list[Article],
             curation: Curation | None = None) -> None:
    """Write the records' tables as the runner does: entities built around the writer."""
    entities = EntityBuilder(92.0, curation)
    with TableWriter(out) as writer:
        for doc in documents:
            writer.add_document(document_row(doc))
        entities.add(articles)
        writer.add_articles(articles)
        entities.settle()
        writer.write_mentions(entities.link)
        writer.write_entities(entities.entities())
        writer.publish({"run": "test"})


def _write(out: Path, mutate: Callable[[Document, list[Article]], None] | None = None,
           curation: Curation | None = None) -> None:
    doc, articles = _records()
    if mutate is not None:
        mutate(doc, articles)
    binary = Document("doc_b", "b.txt", "binary", sha256="11", message="binary content")
    _publish(out, [doc, binary], articles, curation)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".staging-", ".commit-journal")))


def test_write_publishes_valid_consistent_tables(tmp_path: Path) -> None:
    _write(tmp_path)
    for name in TABLES:
        validate_table(name, read_table(tmp_path, name))
    check_consistency(tmp_path)
    assert _leftovers(tmp_path) == []
    documents = read_table(tmp_path, "documents").to_pylist()
    assert [(d["status"], d["n_articles"], d["boilerplate"]) for d in documents] == [
        ("ok", 2, "FOOTER\n"), ("binary", 0, None),
    ]
    entities = read_table(tmp_path, "entities").to_pylist()
    assert [(e["name"], e["n_mentions"], e["n_articles"]) for e in entities] == [("Gaza", 2, 2)]
    assert json.loads((tmp_path / MANIFEST).read_text())["counts"]["documents"] == {"binary": 1, "ok": 1}


def test_write_same_records_give_byte_identical_tables(tmp_path: Path) -> None:
    _write(tmp_path / "one")
    _write(tmp_path / "two")
    for name in TABLES:
        assert (tmp_path / "one" / f"{name}.parquet").read_bytes() == (
            tmp_path / "two" / f"{name}.parquet"
        ).read_bytes()


def test_write_n_mentions_counts_mentions_left_by_curation(tmp_path: Path) -> None:
    """Regression: n_mentions was taken before curation rejected mentions."""
    curation_file = tmp_path / "curation.yaml"
    curation_file.write_text("reject:\n  - {type: LOCATION, text: Gaza}\n", encoding="utf-8")
    out = tmp_path / "out"

    _write(out, _add_chile, load_curation(curation_file))
    articles = read_table(out, "articles").to_pylist()
    assert [a["n_mentions"] for a in articles] == [1, 0]
    assert [m["text"] for m in read_table(out, "mentions").to_pylist()] == ["Chile"]


def test_write_aliases_drop_elided_articles_mentions_keep_the_surface(tmp_path: Path) -> None:
    text = "tag\n\n  • Premier\n    L’ONU et l’ONU, puis ONU.\n"
    doc = Document("doc_fr", "fr.txt", "ok", text=text, sha256="00", encoding="utf-8")
    (article,) = split_document(doc)
    article.lang, article.lang_score = "fr", 0.99
    article.mentions, at = [], 0
    for surface in ("L’ONU", "l’ONU", "ONU"):
        mention = _mention(article, surface, "ORG")
        mention.start = article.text.index(surface, at)
        mention.end = at = mention.start + len(surface)
        mention.key = "united-nations"
        article.mentions.append(mention)
    _publish(tmp_path, [doc], [article])
    (entity,) = read_table(tmp_path, "entities").to_pylist()
    assert (entity["aliases"], entity["alias_counts"]) == (["ONU"], [3])
    assert [m["text"] for m in read_table(tmp_path, "mentions").to_pylist()] == ["L’ONU", "l’ONU", "ONU"]


def test_write_row_groups_are_bounded_by_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few huge articles make small row groups; checks still work across groups and batches."""
    monkeypatch.setattr(write, "ROW_GROUP_CHARS", 20)
    _write(tmp_path)
    assert pq.ParquetFile(tmp_path / "articles.parquet").num_row_groups == 2
    check_consistency(tmp_path, batch_rows=1)


def _set(obj: object, **changes: object) -> None:
    for key, value in changes.items():
        setattr(obj, key, value)


def _shift(doc: Document, article: Article) -> None:
    """Move an article one character on: still a slice of the text, no longer contiguous."""
    start, end = article.start + 1, article.end + 1
    _set(article, start=start, end=end, text=doc.text[start:end], mentions=[])


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        # Fails its schema (row-local checks).
        (lambda d, a: _set(a[0], status="weird"), "fails its schema: column status"),
        (lambda d, a: _set(a[0], status="error", error=None), "fails its schema: rows whose status"),
        # Passes its schema, but disagrees with another table.
        (lambda d, a: _set(a[0].mentions[0], start=0, end=50, text="x" * 50), "outside its article"),
        (lambda d, a: _set(a[0].mentions[0], text="Gazz"), r"not article\.text\[start:end\]"),
        (lambda d, a: _set(a[0].mentions[0], sentence="Hello Gazz"), "sentence is not a slice"),
        (lambda d, a: _shift(d, a[1]), "does not follow on"),
        (lambda d, a: _set(d, n_articles=3), "n_articles 3 but 2 rows"),
        (lambda d, a: _set(d, boilerplate_start=None, boilerplate=None), "last article ends at"),
        (lambda d, a: _set(d, doc_id="doc_other", n_articles=0), "refers to no document"),
    ],
    ids=["bad-status", "no-reason", "offset-out-of-range", "text-mismatch", "sentence-mismatch",
         "articles-not-contiguous", "n-articles", "boilerplate", "orphan-article"],
)
def test_write_refuses_bad_tables_and_keeps_previous_outputs(
    tmp_path: Path, mutate: Callable[[Document, list[Article]], None], needle: str
) -> None:
    _write(tmp_path)
    before = _snapshot(tmp_path)
    with pytest.raises(OutputError, match=needle) as info:
        _write(tmp_path, mutate)
    assert "\n" not in str(info.value)
    assert _snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_write_check_consistency_finds_orphan_mentions(tmp_path: Path) -> None:
    _write(tmp_path)
    mentions = pq.read_table(tmp_path / "mentions.parquet")
    orphan = mentions.set_column(1, "article_id", [["art_nowhere"] * mentions.num_rows])
    pq.write_table(orphan, tmp_path / "mentions.parquet")
    with pytest.raises(OutputError, match="has n_mentions 1 but 0 mentions follow"):
        check_consistency(tmp_path)


def test_write_check_consistency_finds_unknown_entities(tmp_path: Path) -> None:
    _write(tmp_path)
    pq.write_table(pq.read_table(tmp_path / "entities.parquet").slice(0, 0), tmp_path / "entities.parquet")
    with pytest.raises(OutputError, match="not in entities"):
        check_consistency(tmp_path)


# ---------------------------------------------------------------------------
# Publishing and recovery
# ---------------------------------------------------------------------------


def _add_chile(doc: Document, articles: list[Article]) -> None:
    articles[0].mentions.append(_mention(articles[0], "Chile", "COUNTRY"))


def _interrupted_publish(out: Path, moved: int) -> tuple[Path, dict[str, bytes]]:
    """Old tables in `out`, other (valid) ones staged with their journal, `moved` of them
    already moved, as a run killed during its publish leaves them; returns (staging, new files)."""
    _write(out)
    _write(out / "elsewhere", _add_chile)
    new = _snapshot(out / "elsewhere")
    assert new["mentions.parquet"] != (out / "mentions.parquet").read_bytes()
    staging = out / ".staging-killed"
    (out / "elsewhere").rename(staging)
    (staging / ".owner").write_text("999999999")  # no such process
    (out / JOURNAL).write_text(json.dumps({"staging": staging.name, "files": FILES}))
    for name in FILES[:moved]:
        os.replace(staging / name, out / name)
    return staging, new


@pytest.mark.parametrize("moved", [0, 1, len(FILES)])
def test_write_recover_outputs_rolls_an_interrupted_publish_forward(tmp_path: Path, moved: int) -> None:
    staging, new = _interrupted_publish(tmp_path, moved)
    recover_outputs(tmp_path)
    assert _snapshot(tmp_path) == new
    assert not staging.exists() and _leftovers(tmp_path) == []
    check_consistency(tmp_path)


def test_write_read_table_finishes_an_interrupted_publish_first(tmp_path: Path) -> None:
    _interrupted_publish(tmp_path, 1)
    assert read_table(tmp_path, "mentions").column("text").to_pylist() == ["Gaza", "Chile", "Gaza"]
    assert _leftovers(tmp_path) == []


def test_write_recover_outputs_removes_a_journal_never_committed(tmp_path: Path) -> None:
    _write(tmp_path)
    before = _snapshot(tmp_path)
    (tmp_path / ".commit-journal.tmp").write_text('{"staging": ".staging-x", "fi')
    recover_outputs(tmp_path)
    assert _snapshot(tmp_path) == before and _leftovers(tmp_path) == []


def test_write_recover_outputs_keeps_a_live_writers_staging_and_removes_dead_ones(tmp_path: Path) -> None:
    dead, unowned = tmp_path / ".staging-dead", tmp_path / ".staging-unowned"
    for folder in (dead, unowned):
        folder.mkdir()
    (dead / ".owner").write_text('{"pid": 999999999, "process_started": 0, "started": "then"}')
    with TableWriter(tmp_path) as writer:  # holds the folder: removes the dead ones
        assert not dead.exists() and not unowned.exists()
        recover_outputs(tmp_path)  # a reader while the writer works: its staging stays
        assert writer.staging.exists()
    assert _leftovers(tmp_path) == []
    stale = tmp_path / ".staging-stale"
    stale.mkdir()
    recover_outputs(tmp_path)  # nobody holds the folder: nothing staged is live
    assert not stale.exists()


def test_write_unreadable_journal_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / JOURNAL).write_text("{not json")
    with pytest.raises(OutputError, match=r"unreadable.*remove it"):
        recover_outputs(tmp_path)


def test_write_missing_table_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        read_table(tmp_path, "documents")


def test_write_unwritable_output_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot create output folder"):
        TableWriter(blocker / "out")
