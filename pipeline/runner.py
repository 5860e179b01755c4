"""The runner: chains the stages and streams records to the writer.

ingest → split run in this process (cheap, and they must see whole files);
langid → repair/ner → normalise (per article) run in workers on bounded
batches of articles; the writer and the cross-article entity resolution run
here again.  Stages never call each other: only this module knows the order.

Workers are any `concurrent.futures.Executor`: none (in-process), a local
process pool, or a Dask cluster's executor (`engine.py`).  At most `window`
batches are in flight, and results are consumed in submission order, so
memory is bounded and the tables are identical whatever the engine.
"""

from __future__ import annotations

import logging
import platform
import sys
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import spacy
from tqdm import tqdm

from . import __version__
from .config import Config
from .errors import InputError
from .ingest import find_inputs, read_document
from .langid import detect_language, identify
from .ner import load_recogniser, recognise
from .normalise import resolve_article
from .records import Article, Document, stable_id
from .schema import SCHEMA_VERSION
from .split import split_document
from .write import TableWriter

log = logging.getLogger(__name__)

# Articles per worker task, and characters: whichever is reached first.
BATCH_ARTICLES = 24
BATCH_CHARS = 120_000
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Batch:
    """Articles sent to a worker; `last` marks the final batch of a document."""

    doc_index: int
    articles: list[Article]
    last: bool


@dataclass
class BatchResult:
    doc_index: int
    articles: list[Article]
    last: bool
    seconds: Counter[str] = field(default_factory=Counter)


def _fail(article: Article, stage: str, exc: BaseException) -> None:
    article.status = "error"
    article.error = f"{stage}: {type(exc).__name__}: {exc}"
    article.mentions = []
    log.warning("article %s failed in %s: %s", article.article_id, stage, exc)
    log.debug("%s", traceback.format_exc())


def process_batch(batch: Batch, config: Config) -> BatchResult:
    """langid → ner → normalise for a batch; one failing article never stops the rest."""
    seconds: Counter[str] = Counter()
    started = time.perf_counter()
    for article in batch.articles:
        try:
            identify(article, config.min_letters)
        except Exception as exc:  # an error here is data, not a crash
            _fail(article, "langid", exc)
    seconds["langid"] += time.perf_counter() - started
    started = time.perf_counter()
    ready = [a for a in batch.articles if a.status == "ok"]
    try:
        recognise(ready, config)
    except Exception:
        for article in ready:  # isolate the culprit: redo one by one
            try:
                recognise([article], config)
            except Exception as exc:
                _fail(article, "ner", exc)
    seconds["ner"] += time.perf_counter() - started
    started = time.perf_counter()
    for article in ready:
        if article.status == "ok":
            try:
                resolve_article(article)
            except Exception as exc:
                _fail(article, "normalise", exc)
    seconds["normalise"] += time.perf_counter() - started
    return BatchResult(batch.doc_index, batch.articles, batch.last, seconds)


def _batches(doc_index: int, articles: list[Article]) -> Iterator[Batch]:
    batch: list[Article] = []
    chars = 0
    for article in articles:
        if batch and (len(batch) >= BATCH_ARTICLES or chars + len(article.text) > BATCH_CHARS):
            yield Batch(doc_index, batch, False)
            batch, chars = [], 0
        batch.append(article)
        chars += len(article.text)
    yield Batch(doc_index, batch, True)


def ordered_map(
    executor: Executor | None, fn: Callable[[T], R], items: Iterable[T], window: int
) -> Iterator[R]:
    """Like `executor.map`, but with at most `window` tasks in flight (bounded memory)."""
    if executor is None:
        yield from map(fn, items)
        return
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(executor.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@dataclass
class RunSummary:
    out_dir: Path
    counts: dict[str, Any]
    seconds: dict[str, float]
    words: int

    def format(self) -> str:
        c = self.counts
        lines = [
            f"documents: {_fmt(c['documents'])}",
            f"articles (lang/status): {_fmt(c['articles'])}",
            f"mentions by type: {_fmt(c['mentions'])}",
            f"entities by type: {_fmt(c['entities'])}",
            f"time: {self.seconds['total']:.1f}s ({self.words / max(self.seconds['total'], 1e-9):,.0f} words/s)"
            f"; tables in {self.out_dir}",
        ]
        return "\n".join(lines)


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def _worker(config: Config) -> Callable[[Batch], BatchResult]:
    from functools import partial

    return partial(process_batch, config=config)


def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    config: Config,
    executor: Executor | None = None,
    window: int = 8,
    progress: bool = True,
    engine: str = "local",
) -> RunSummary:
    """Process every input into the four tables in `out_dir`; returns the run summary."""
    started = time.perf_counter()
    paths = find_inputs(inputs)
    if not paths:
        raise InputError("no *.txt or *.txt.gz files found in the inputs")
    seconds: Counter[str] = Counter()
    documents: list[Document] = []
    curation = _load_curation(config)
    with TableWriter(out_dir, config.fuzzy_threshold, curation) as writer:
        pending: list[Article] = []
        words = 0
        bar = tqdm(total=len(paths), unit="doc", disable=not progress, file=sys.stderr, leave=False)

        def batches() -> Iterator[Batch]:
            for index, path in enumerate(paths):
                tick = time.perf_counter()
                doc = _read(path)
                seconds["ingest"] += time.perf_counter() - tick
                tick = time.perf_counter()
                articles = _split(doc)
                if doc.boilerplate and doc.boilerplate.strip():
                    doc.boilerplate_lang = _language_or_none(doc.boilerplate)
                seconds["split"] += time.perf_counter() - tick
                documents.append(doc)
                yield from _batches(index, articles)

        for result in ordered_map(executor, _worker(config), batches(), window):
            seconds.update(result.seconds)
            pending.extend(result.articles)
            if result.last:
                doc = documents[result.doc_index]
                tick = time.perf_counter()
                writer.add(doc, pending)
                seconds["write"] += time.perf_counter() - tick
                words += sum(len(a.text.split()) for a in pending)
                doc.text = ""  # the tables hold it now; keep memory flat
                pending = []
                bar.update(1)
        bar.close()
        if not any(d.status == "ok" for d in documents):
            reasons = "; ".join(f"{d.path}: {d.status}" for d in documents[:5])
            raise InputError(f"nothing readable found ({reasons})")
        tick = time.perf_counter()
        seconds["total"] = time.perf_counter() - started
        manifest = _manifest(config, engine, dict(seconds), [str(p) for p in paths])
        counts = writer.finish(manifest)
        seconds["resolve_and_publish"] = time.perf_counter() - tick
    seconds["total"] = time.perf_counter() - started
    return RunSummary(out_dir, counts.to_dict(), dict(seconds), words)


def _read(path: Path) -> Document:
    try:
        return read_document(path)
    except Exception as exc:  # a crash reading one file is recorded, not raised
        return Document(stable_id("doc", str(path)), str(path), "error", message=f"{type(exc).__name__}: {exc}")


def _split(doc: Document) -> list[Article]:
    try:
        return split_document(doc)
    except Exception as exc:
        doc.status, doc.message = "error", f"split: {type(exc).__name__}: {exc}"
        return []


def _language_or_none(text: str) -> str | None:
    try:
        return detect_language(text)[0]
    except Exception:  # boilerplate of symbols only has no language
        return None


def _load_curation(config: Config) -> Any:
    from .curation import load_curation

    return load_curation(config.curation) if config.curation else None


def model_versions(config: Config) -> dict[str, str]:
    return {lang: load_recogniser(lang, model).source for lang, model in sorted(config.models.items())}


def _manifest(config: Config, engine: str, seconds: dict[str, float], inputs: list[str]) -> dict[str, Any]:
    from .ner import model_version

    return {
        "pipeline": {"name": "civic-entities", "version": __version__, "schema_version": SCHEMA_VERSION},
        "spacy": spacy.__version__,
        "python": platform.python_version(),
        "models": {lang: f"{m}@{model_version(m)}" for lang, m in sorted(config.models.items())},
        "config": config.to_dict(),
        "engine": engine,
        "inputs": inputs,
        "seconds": {k: round(v, 3) for k, v in sorted(seconds.items())},
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
