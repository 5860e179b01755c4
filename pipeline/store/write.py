"""The writer: stream records into Parquet, validate, then publish atomically.

Tables are written in row groups into a staging folder inside the output
folder as records arrive, so memory does not grow with the corpus.  Mentions
are staged without their entity id, which is known only once the whole run is
seen: `write_mentions` rewrites them with the ids the entities stage
(`stages/entities.py`) gives, `write_entities` writes that stage's records,
and `publish` validates every table against `schema.py` and only then moves
them into place.

Before publishing, `check_consistency` (`consistency.py`) checks the tables
against each other in one streaming pass (every article belongs to a document
and tiles its text, every mention slices its article and names an entity), so
a bad table is refused and the previous outputs stay.

Publishing is a two-phase commit: a journal listing the moves is written
first, then each table is moved with `os.replace` (atomic per file), then the
journal is removed.  A run killed before the journal exists leaves the old
tables untouched; one killed during the moves is completed by the next
`recover_outputs` (every command calls it), so readers never see a mix.

A writer holds the output folder's lock (`lock.py`) from before its staging
folder exists until after it is gone, so one run writes a folder at a time;
recovery takes the same lock, and only its holder removes staging folders.

The runner writes to a `TableSink`: this writer, or the in-memory
`memory.TableCollector` of the Python API.  `write_tables` writes the API's
finished tables through this writer, row by row as a run does, so into the
same files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError, publishing
from ..invocation import command
from ..records import Article, Document, Entity, Mention, stable_id
from ..schema import ARTICLES, DOCUMENTS, ENTITIES, MENTIONS, TABLES, SchemaViolation, validate_table
from .consistency import check_consistency
from .lock import STAGING_PREFIX, hold_for_recovery, hold_output, read_owner, staging_folders, write_owner

log = logging.getLogger(__name__)

JOURNAL = ".commit-journal.json"
_JOURNAL_TMP = ".commit-journal.tmp"
# The lock file of earlier versions, now that the folder itself is locked: removed
# by the next writer so that upgraded output folders hold no leftover.
_OLD_LOCK_FILE = ".publish.lock"
MANIFEST = "run.json"
# A row group is flushed at this many rows or this many characters of text,
# whichever comes first: a few huge articles must not fill memory.
# Small enough that buffered rows stay a few MB whatever the corpus size.
ROW_GROUP_ROWS = 8_000
ROW_GROUP_CHARS = 8_000_000
_STAGED_MENTIONS = "mentions.staged.parquet"
_STAGED_MENTIONS_SCHEMA = pa.schema([f for f in MENTIONS if f.name != "entity_id"])


class _RowWriter:
    """Buffers rows and writes them as Parquet row groups of bounded size."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []
        self.chars = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.chars += sum(len(v) for v in row.values() if isinstance(v, str))
        if len(self.rows) >= ROW_GROUP_ROWS or self.chars >= ROW_GROUP_CHARS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows, self.chars = [], 0

    def close(self) -> None:
        self.flush()
        self.writer.close()


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "path": doc.path, "sha256": doc.sha256, "encoding": doc.encoding,
        "status": doc.status, "message": doc.message, "n_chars": len(doc.text), "tag": doc.tag,
        "header": doc.header, "n_articles": doc.n_articles, "boilerplate": doc.boilerplate,
        "boilerplate_start": doc.boilerplate_start, "boilerplate_lang": doc.boilerplate_lang,
        "path_hex": doc.path_hex,
    }


def article_row(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.article_id, "doc_id": article.doc_id, "seq": article.seq,
        "title": article.title, "lang": article.lang, "lang_score": article.lang_score,
        "status": article.status, "error": article.error, "start": article.start, "end": article.end,
        "text": article.text, "repaired_text": article.repaired_text, "n_repairs": article.n_repairs,
        "n_tokens": article.n_tokens, "n_mentions": len(article.mentions),
    }


def mention_row(article: Article, m: Mention) -> dict[str, Any]:
    return {
        "mention_id": stable_id("men", article.article_id, m.start, m.end, m.type),
        "article_id": article.article_id, "doc_id": article.doc_id, "type": m.type, "text": m.text,
        "start": m.start, "end": m.end, "sentence": m.sentence, "sentence_start": m.sentence_start,
        "lang": article.lang, "label": m.label, "source": m.source, "key": m.key,
        "resolution": m.resolution, "curated": m.curated,
    }


@dataclass
class RunCounts:
    documents: Counter[str] = field(default_factory=Counter)
    articles: Counter[tuple[str, str]] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": dict(sorted(self.documents.items())),
            "articles": {f"{lang}/{status}": n for (lang, status), n in sorted(self.articles.items())},
            "mentions": dict(sorted(self.mentions.items())),
            "entities": dict(sorted(self.entities.items())),
        }


@contextlib.contextmanager
def _output_errors(out_dir: Path) -> Iterator[None]:
    """Turn an OS error (unwritable folder, full disk) into a one-line OutputError."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write tables in {out_dir}: {exc.strerror or exc}") from exc


class TableWriter:
    """Writes one run's tables into `out_dir`; use as a context manager.

    Records come in input order (`add_document`, `add_articles`); then
    `write_mentions` and `write_entities` write what the entities stage decided,
    and `publish` validates the tables and moves them into place.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._held = contextlib.ExitStack()
        self._held.enter_context(hold_output(out_dir))  # OutputBusy while another run writes here
        try:
            with _output_errors(out_dir):
                _recover_held(out_dir)
                self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
                write_owner(self.staging)
                self.documents = _RowWriter(self.staging / "documents.parquet", DOCUMENTS)
                self.articles = _RowWriter(self.staging / "articles.parquet", ARTICLES)
                self.mentions = _RowWriter(self.staging / _STAGED_MENTIONS, _STAGED_MENTIONS_SCHEMA)
        except BaseException:
            self._held.close()
            raise
        self.counts = RunCounts()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._held.close()

    def add_document(self, row: dict[str, Any]) -> None:
        """Stage one document's row (`document_row`), in input order."""
        with _output_errors(self.out_dir):
            self._document(row)

    def add_articles(self, articles: Iterable[Article]) -> None:
        """Stage articles and their mentions, in input order.

        A document's articles may come in several calls, after its row: the
        runner writes each batch as soon as it is back.
        """
        with _output_errors(self.out_dir):
            for article in articles:
                self._article(article_row(article))
                for mention in article.mentions:
                    self.mentions.add(mention_row(article, mention))

    def add_rows(
        self, documents: Iterable[dict[str, Any]], articles: Iterable[dict[str, Any]],
        mentions: Iterable[dict[str, Any]],
    ) -> None:
        """Stage finished rows, in table order (`write_tables`); mentions without their entity id."""
        with _output_errors(self.out_dir):
            for row in documents:
                self._document(row)
            for row in articles:
                self._article(row)
            for row in mentions:
                self.mentions.add(row)

    def _document(self, row: dict[str, Any]) -> None:
        self.counts.documents[row["status"]] += 1
        self.documents.add(row)

    def _article(self, row: dict[str, Any]) -> None:
        self.counts.articles[(row["lang"] or "-", row["status"])] += 1
        self.articles.add(row)

    def write_mentions(self, link: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Write the mentions table from the staged rows, in order; `link` gives
        each row its entity (`EntityBuilder.link`)."""
        with _output_errors(self.out_dir):
            for writer in (self.documents, self.articles, self.mentions):
                writer.close()
            final = _RowWriter(self.staging / "mentions.parquet", MENTIONS)
            staged = pq.ParquetFile(self.staging / _STAGED_MENTIONS)
            for batch in staged.iter_batches(batch_size=ROW_GROUP_ROWS):
                for row in batch.to_pylist():
                    linked = link(row)
                    final.add(linked)
                    self.counts.mentions[linked["type"]] += 1
            final.close()
            (self.staging / _STAGED_MENTIONS).unlink()

    def write_entities(self, entities: list[Entity]) -> None:
        """Write the entities table, in the order given."""
        with _output_errors(self.out_dir):
            for entity in entities:
                self.counts.entities[entity.type] += 1
            rows = [dataclasses.asdict(entity) for entity in entities]
            pq.write_table(pa.Table.from_pylist(rows, schema=ENTITIES), self.staging / "entities.parquet",
                           compression="zstd")

    def publish(self, manifest: dict[str, Any]) -> RunCounts:
        """Validate the tables, write the manifest (with the counts) and publish them.

        Raises OutputError, leaving the previous outputs in place, when a table
        fails its schema or the tables disagree with each other.
        """
        with _output_errors(self.out_dir):
            for name in TABLES:
                _validate_file(name, self.staging / f"{name}.parquet")
            check_consistency(self.staging)
            manifest["counts"] = self.counts.to_dict()
            (self.staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            _publish(self.staging, self.out_dir, [*(f"{n}.parquet" for n in TABLES), MANIFEST])
        return self.counts


class TableSink(Protocol):
    """What the runner writes a run's records to: a `TableWriter` (Parquet files in
    an output folder) or a `memory.TableCollector` (pyarrow tables, for the API)."""

    counts: RunCounts

    def add_document(self, row: dict[str, Any]) -> None: ...

    def add_articles(self, articles: Iterable[Article]) -> None: ...

    def write_mentions(self, link: Callable[[dict[str, Any]], dict[str, Any]]) -> None: ...

    def write_entities(self, entities: list[Entity]) -> None: ...

    def publish(self, manifest: dict[str, Any]) -> RunCounts: ...


def write_tables(out_dir: Path, tables: Mapping[str, pa.Table], manifest: dict[str, Any]) -> RunCounts:
    """Write finished tables (the API's `Tables.write`) into `out_dir` through a run's
    own writer: the same rows in the same order make the same row groups, so the
    files are byte-identical to those of the run that made the tables; validated
    and published atomically like a run's.  OutputError when a table does not
    match this version's schema (tables read from an older run, say)."""
    for name in TABLES:
        try:
            validate_table(name, tables[name])
        except SchemaViolation as exc:
            raise OutputError(f"cannot write these tables: {exc}") from exc
    mentions = tables["mentions"]
    entity_ids = dict(zip(mentions["mention_id"].to_pylist(), mentions["entity_id"].to_pylist(), strict=True))
    with TableWriter(out_dir) as writer:
        writer.add_rows(tables["documents"].to_pylist(), tables["articles"].to_pylist(),
                        mentions.drop_columns(["entity_id"]).to_pylist())
        writer.write_mentions(lambda row: {**row, "entity_id": entity_ids[row["mention_id"]]})
        writer.write_entities([Entity(**row) for row in tables["entities"].to_pylist()])
        return writer.publish(manifest)


def _validate_file(name: str, path: Path) -> None:
    """Check a written table against its schema, one row group at a time."""
    parquet = pq.ParquetFile(path)
    try:
        if parquet.num_row_groups == 0:
            validate_table(name, parquet.schema_arrow.empty_table())
        for index in range(parquet.num_row_groups):
            validate_table(name, parquet.read_row_group(index))
    except SchemaViolation as exc:
        raise OutputError(str(exc)) from exc


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _publish(staging: Path, out_dir: Path, names: list[str]) -> None:
    """Make the staged files durable, write the journal, then move them into place
    (the caller holds the folder's lock)."""
    for name in names:
        with open(staging / name, "rb") as handle:
            os.fsync(handle.fileno())
    tmp = out_dir / _JOURNAL_TMP
    with open(tmp, "w") as handle:
        json.dump({"staging": staging.name, "files": names}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    with publishing():  # Ctrl-C waits for the last move: the folder never holds two runs' tables
        os.replace(tmp, out_dir / JOURNAL)
        _fsync_dir(out_dir)
        _roll_forward(out_dir)


def _roll_forward(out_dir: Path) -> None:
    """Complete the moves listed in the journal, if any (the caller holds the lock)."""
    journal = out_dir / JOURNAL
    (out_dir / _JOURNAL_TMP).unlink(missing_ok=True)  # a publish killed before its journal
    if not journal.exists():
        return
    try:
        plan = json.loads(journal.read_text())
        staging, files = out_dir / plan["staging"], list(plan["files"])
    except (ValueError, KeyError, TypeError) as exc:
        raise OutputError(
            f"{journal} is unreadable ({exc}); remove it to keep the tables as they are"
        ) from exc
    for name in files:
        if (staging / name).exists():
            os.replace(staging / name, out_dir / name)
    _fsync_dir(out_dir)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def recover_outputs(out_dir: Path) -> None:
    """Finish an interrupted publish (roll forward) and remove a dead run's staging folders.

    The lock is taken only when there is something to recover, so that readers
    of a read-only output folder never need to write to it.  A publish in
    progress is waited for; the staging folder of a run still writing is left
    to that run.
    """
    publishing = (out_dir / JOURNAL).exists() or (out_dir / _JOURNAL_TMP).exists()
    if not publishing and not staging_folders(out_dir):
        return
    with hold_for_recovery(out_dir, wait=publishing) as held:
        if held:
            try:
                _recover_held(out_dir)
            except OSError as exc:
                raise OutputError(f"cannot recover the tables in {out_dir}: {exc.strerror or exc}") from exc


def _recover_held(out_dir: Path) -> None:
    """Roll forward and remove every staging folder: the caller holds the lock, so
    none belongs to a live run."""
    _roll_forward(out_dir)
    (out_dir / _OLD_LOCK_FILE).unlink(missing_ok=True)
    for stale in staging_folders(out_dir):
        owner = read_owner(stale)
        log.info("removing %s, left by an interrupted run (%s)", stale.name,
                 owner.describe() if owner else "owner unknown")
        shutil.rmtree(stale, ignore_errors=True)


def read_table(out_dir: Path, name: str) -> pa.Table:
    """Read one published table; OutputError when it is missing."""
    recover_outputs(out_dir)
    path = out_dir / f"{name}.parquet"
    if not path.exists():
        raise OutputError(f"{path} does not exist: run `{command()} run --out {out_dir}` first")
    return pq.read_table(path)
