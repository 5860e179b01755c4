"""Stage 7, write: stream records into Parquet, validate, then publish atomically.

Tables are written in row groups into a staging folder inside the output
folder as records arrive, so memory does not grow with the corpus.  Mentions
are staged without their entity id; `finish` resolves entities from the
mentions' keys alone (no article text), rewrites mentions with their entity
ids, builds the entity table, validates every table against `schema.py` and
only then moves them into place.

Publishing is a two-phase commit: a journal listing the moves is written
first, then each table is moved with `os.replace` (atomic per file), then the
journal is removed.  A run killed before the journal exists leaves the old
tables untouched; one killed during the moves is completed by the next
`recover_outputs` (every command calls it), so readers never see a mix.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import OutputError
from .normalise import EntityResolver, entity_id
from .records import Article, Document, Mention, stable_id
from .schema import ARTICLES, DOCUMENTS, ENTITIES, MENTIONS, TABLES, SchemaViolation, validate_table

log = logging.getLogger(__name__)

JOURNAL = ".commit-journal.json"
MANIFEST = "run.json"
ROW_GROUP_ROWS = 50_000
_STAGED_MENTIONS = "mentions.staged.parquet"
_STAGED_MENTIONS_SCHEMA = pa.schema([f for f in MENTIONS if f.name != "entity_id"] + [
    pa.field("name", pa.string()), pa.field("registry_source", pa.string(), nullable=True),
])


class _RowWriter:
    """Buffers rows and writes them as Parquet row groups of bounded size."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "path": doc.path, "sha256": doc.sha256, "encoding": doc.encoding,
        "status": doc.status, "message": doc.message, "n_chars": len(doc.text), "tag": doc.tag,
        "header": doc.header, "n_articles": doc.n_articles, "boilerplate": doc.boilerplate,
        "boilerplate_start": doc.boilerplate_start, "boilerplate_lang": doc.boilerplate_lang,
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
        "resolution": m.resolution, "curated": m.curated, "name": m.name,
        "registry_source": m.registry_source,
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


class TableWriter:
    """Writes one run's tables into `out_dir`; use as a context manager."""

    def __init__(self, out_dir: Path, fuzzy_threshold: float, curation: Any = None) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        recover_outputs(out_dir)
        self.staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
        (self.staging / ".owner").write_text(str(os.getpid()))
        self.documents = _RowWriter(self.staging / "documents.parquet", DOCUMENTS)
        self.articles = _RowWriter(self.staging / "articles.parquet", ARTICLES)
        self.mentions = _RowWriter(self.staging / _STAGED_MENTIONS, _STAGED_MENTIONS_SCHEMA)
        self.resolver = EntityResolver(fuzzy_threshold)
        self.curation = curation
        self.counts = RunCounts()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def add(self, doc: Document, articles: Iterable[Article]) -> None:
        self.counts.documents[doc.status] += 1
        self.documents.add(document_row(doc))
        for article in articles:
            self.counts.articles[(article.lang or "-", article.status)] += 1
            self.articles.add(article_row(article))
            if self.curation is not None:
                self.curation.apply_to_mentions(article.mentions)
            self.resolver.add(article.mentions)
            for mention in article.mentions:
                self.mentions.add(mention_row(article, mention))

    def finish(self, manifest: dict[str, Any]) -> RunCounts:
        """Resolve entities, write the final tables, validate them and publish."""
        for writer in (self.documents, self.articles, self.mentions):
            writer.close()
        key_map = self.resolver.key_map()
        if self.curation is not None:
            key_map = self.curation.apply_to_keys(key_map)
        self._write_final_mentions_and_entities(key_map)
        for name in TABLES:
            _validate_file(name, self.staging / f"{name}.parquet")
        manifest["counts"] = self.counts.to_dict()
        (self.staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _publish(self.staging, self.out_dir, [*(f"{n}.parquet" for n in TABLES), MANIFEST])
        return self.counts

    def _write_final_mentions_and_entities(self, key_map: dict[tuple[str, str], str]) -> None:
        staged = pq.ParquetFile(self.staging / _STAGED_MENTIONS)
        final = _RowWriter(self.staging / "mentions.parquet", MENTIONS)
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for batch in staged.iter_batches(batch_size=ROW_GROUP_ROWS):
            for row in batch.to_pylist():
                type_, key = row["type"], key_map.get((row["type"], row["key"]), row["key"])
                ident = entity_id(type_, key)
                group = groups.get((type_, key))
                if group is None:
                    group = groups[(type_, key)] = {
                        "members": set(), "aliases": Counter(), "n_mentions": 0, "n_articles": 0,
                        "last_article": None, "langs": set(), "curated": False,
                    }
                group["members"].add(row["key"])
                group["aliases"][row["text"]] += 1
                group["n_mentions"] += 1
                if group["last_article"] != row["article_id"]:
                    group["n_articles"] += 1
                    group["last_article"] = row["article_id"]
                group["langs"].add(row["lang"])
                curated = row["curated"] or (key != row["key"] and self._curated_key(type_, row["key"]))
                group["curated"] |= curated
                row.update(entity_id=ident, key=key, curated=curated)
                del row["name"], row["registry_source"]
                final.add(row)
                self.counts.mentions[type_] += 1
        final.close()
        (self.staging / _STAGED_MENTIONS).unlink()
        rows = [self._entity_row(type_, key, g) for (type_, key), g in groups.items()]
        rows.sort(key=lambda r: (r["type"], -r["n_mentions"], r["name"], r["entity_id"]))
        for row in rows:
            self.counts.entities[row["type"]] += 1
        pq.write_table(pa.Table.from_pylist(rows, schema=ENTITIES), self.staging / "entities.parquet",
                       compression="zstd")

    def _curated_key(self, type_: str, key: str) -> bool:
        return self.curation is not None and self.curation.touches_key(type_, key)

    def _entity_row(self, type_: str, key: str, group: dict[str, Any]) -> dict[str, Any]:
        members = [self.resolver.stats[(type_, k)] for k in sorted(group["members"])]
        resolutions: Counter[str] = Counter()
        for stats in members:
            resolutions.update(stats.resolutions)
        if len(members) > 1 and not {"registry", "iso"} & set(resolutions):
            resolutions["fuzzy"] += 1
        name = self.resolver.canonical_name(type_, members)
        resolution = next(r for r in ("registry", "iso", "acronym", "partial_name", "fuzzy", "fingerprint")
                          if r in resolutions)
        if self.curation is not None:
            name = self.curation.rename(type_, key) or name
            if self.curation.touches_key(type_, key):
                resolution = "curation"
        aliases = sorted(group["aliases"].items(), key=lambda kv: (-kv[1], kv[0]))
        return {
            "entity_id": entity_id(type_, key), "type": type_, "name": name, "key": key,
            "aliases": [a for a, _ in aliases], "alias_counts": [n for _, n in aliases],
            "n_mentions": group["n_mentions"], "n_articles": group["n_articles"],
            "langs": sorted(group["langs"]), "resolution": resolution,
            "registry_source": next((s.registry_source for s in members if s.registry_source), None),
            "curated": group["curated"] or resolution == "curation",
        }


def _validate_file(name: str, path: Path) -> None:
    """Check a written table against its schema, one row group at a time."""
    parquet = pq.ParquetFile(path)
    for index in range(parquet.num_row_groups):
        try:
            validate_table(name, parquet.read_row_group(index))
        except SchemaViolation as exc:
            raise OutputError(str(exc)) from exc
    if parquet.num_row_groups == 0:
        validate_table(name, parquet.schema_arrow.empty_table())


def _publish(staging: Path, out_dir: Path, names: list[str]) -> None:
    for name in names:
        with open(staging / name, "rb") as handle:
            os.fsync(handle.fileno())
    journal = out_dir / JOURNAL
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps({"staging": staging.name, "files": names}))
    os.replace(tmp, journal)
    recover_outputs(out_dir)


def recover_outputs(out_dir: Path) -> None:
    """Finish an interrupted publish (roll forward) and remove stale staging folders."""
    journal = out_dir / JOURNAL
    if journal.exists():
        plan = json.loads(journal.read_text())
        staging = out_dir / plan["staging"]
        for name in plan["files"]:
            if (staging / name).exists():
                os.replace(staging / name, out_dir / name)
        journal.unlink()
        shutil.rmtree(staging, ignore_errors=True)
    for stale in out_dir.glob(".staging-*"):
        if stale.is_dir() and not _in_use(stale):
            shutil.rmtree(stale, ignore_errors=True)


def _in_use(staging: Path) -> bool:
    """A staging folder belongs to a live run while its owner holds its lock file."""
    lock = staging / ".owner"
    if not lock.exists():
        return False
    try:
        os.kill(int(lock.read_text()), 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return False
    return True


def read_table(out_dir: Path, name: str) -> pa.Table:
    """Read one published table; OutputError when it is missing."""
    recover_outputs(out_dir)
    path = out_dir / f"{name}.parquet"
    if not path.exists():
        raise OutputError(f"{path} does not exist: run `python -m pipeline run` first")
    return pq.read_table(path)
