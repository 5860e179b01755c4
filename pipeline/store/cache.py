"""Incremental runs: per-article results of earlier runs, keyed by all they depend on.

What the per-article stages (langid → ner, which repairs the text first →
resolve) compute for an article depends only on its text and title, the
settings those stages read, the code, the spaCy pipelines and libraries, and
the data files under models/.  The key hashes all of them, so a rerun over unchanged articles skips
the workers entirely, and a changed setting, model, data file or code gives new
keys: stale results are never found, so they never need invalidating.  An
article that failed (status `error`) is not stored: the next run tries it again.

Settings that act only in the main process, after these stages (the fuzzy
merge threshold, curation), or on where and how work runs, are left out of
the key: changing them must not redo NER.  For the same reason curation files
(models/curation.yaml, or the configured one) are left out of the data files:
the entities stage applies curation on every run.

Storage is one SQLite file (standard library), values are JSON: a cache file
is data, and unpickling it could run code.  Each batch's results are written in
one transaction, so a run killed at any point leaves the cache as of its last
committed batch (SQLite rolls an interrupted transaction back).  A cache that
cannot be opened, read or written is reported once and then ignored: the run
goes on and gives the same tables, only slower.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import MODELS_DIR, Config, model_version
from ..records import Article, Mention

log = logging.getLogger(__name__)

CACHE_FILE = "articles.sqlite3"
# Config fields that do not change what a worker computes for an article.
RUN_LEVEL_FIELDS = frozenset({"processes", "fuzzy_threshold", "curation", "cache_dir", "cache"})
# Libraries whose output reaches the per-article results (models, language, countries, matching).
LIBRARIES = ("spacy", "thinc", "langdetect", "rapidfuzz", "babel", "pycountry", "countrynames")
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class ArticleResult:
    """What the per-article stages set on an article: what workers send back and the cache keeps.

    Never the article's text: the main process already holds it, so it is not
    sent back from workers nor stored twice.
    """

    lang: str | None
    lang_score: float | None
    status: str
    error: str | None
    repaired_text: str | None
    n_repairs: int
    n_tokens: int
    mentions: list[Mention]

    @classmethod
    def of(cls, article: Article) -> ArticleResult:
        return cls(**{f.name: getattr(article, f.name) for f in dataclasses.fields(cls)})

    def apply(self, article: Article) -> None:
        for f in dataclasses.fields(self):
            setattr(article, f.name, getattr(self, f.name))

    def to_json(self) -> str:
        data = {**vars(self), "mentions": [vars(m) for m in self.mentions]}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ArticleResult:
        data = json.loads(text)
        data["mentions"] = [Mention(**m) for m in data["mentions"]]
        return cls(**data)


def _digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _files_digest(folder: Path, pattern: str, skip: frozenset[Path] = frozenset()) -> str:
    """Hash of the names and bytes of the files under `folder` matching `pattern`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and p.resolve() not in skip):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(config: Config) -> str:
    """Hash of everything but the article that its per-article results depend on.

    The code's own hash stands beside the version: between releases the
    version does not move, but an edited rule must not reuse old results.
    """
    curation = {MODELS_DIR / "curation.yaml", *([Path(config.curation)] if config.curation else [])}
    return _digest(
        {
            "pipeline": __version__,
            "code": _files_digest(PACKAGE_DIR, "*.py"),
            "config": {k: v for k, v in config.to_dict().items() if k not in RUN_LEVEL_FIELDS},
            "models": {lang: f"{m}@{model_version(m)}" for lang, m in sorted(config.models.items())},
            "libraries": {name: importlib.metadata.version(name) for name in LIBRARIES},
            "data": _files_digest(MODELS_DIR, "*", skip=frozenset(p.resolve() for p in curation)),
        }
    )


class ArticleCache:
    """Per-article results (and boilerplate languages) in one SQLite file, keyed by content.

    Keys are hashes of `fingerprint(config)` and the content, so one file can
    hold results of several configurations side by side.
    """

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db: sqlite3.Connection | None = sqlite3.connect(path, timeout=60)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
        )
        self._db.commit()

    @classmethod
    def open(cls, config: Config, out_dir: Path) -> ArticleCache | None:
        """The run's cache (in `config.cache_dir`, else `<out>/.cache`), or None when off or unusable."""
        if not config.cache:
            return None
        path = Path(config.cache_dir or out_dir / ".cache") / CACHE_FILE
        try:
            return cls(path, fingerprint(config))
        except (OSError, sqlite3.Error) as exc:
            log.warning("cache %s cannot be used, running without it: %s", path, exc)
            return None

    def key(self, article: Article) -> str:
        return _digest([self.fingerprint, "article", article.title, article.text])

    def get(self, keys: list[str]) -> dict[str, ArticleResult]:
        """Stored results for those of `keys` that are in the cache (and readable: else a miss)."""
        found: dict[str, ArticleResult] = {}
        for key, value in self._select(keys).items():
            try:
                found[key] = ArticleResult.from_json(value)
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("cache %s: unreadable entry %s, recomputing it: %s", self.path, key[:12], exc)
        return found

    def put(self, items: Iterable[tuple[str, ArticleResult]]) -> None:
        """Store results, all in one transaction; never a failure (status `error`).

        A failure may be transient (out of memory, a worker killed each time it
        was sent the article): stored, it would be served again on every rerun
        until the code or settings change.  Left out, the next run retries it.
        """
        self._insert([(key, result.to_json()) for key, result in items if result.status != "error"])

    def get_language(self, text: str) -> tuple[bool, str | None]:
        """(found, language) of a document's boilerplate; a found language may be None."""
        key = self._language_key(text)
        value = self._select([key]).get(key)
        return (False, None) if value is None else (True, json.loads(value)["lang"])

    def put_language(self, text: str, lang: str | None) -> None:
        self._insert([(self._language_key(text), json.dumps({"lang": lang}))])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _language_key(self, text: str) -> str:
        return _digest([self.fingerprint, "boilerplate", text])

    def _select(self, keys: list[str]) -> dict[str, str]:
        if self._db is None or not keys:
            return {}
        marks = ",".join("?" * len(keys))
        try:
            rows = self._db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", keys).fetchall()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}
        return dict(rows)

    def _insert(self, rows: list[tuple[str, str]]) -> None:
        if self._db is None:
            return
        try:
            with self._db:  # one transaction: all rows or none
                self._db.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def _give_up(self, exc: sqlite3.Error) -> None:
        log.warning("cache %s failed, running on without it: %s", self.path, exc)
        self.close()
