"""The runner: chains the stages and streams records to the writer.

ingest → split run in this process (cheap, and they must see whole files);
langid → repair/ner → normalise (per article) run in workers on bounded
batches of articles; the writer and the cross-article entity resolution run
here again.  Stages never call each other: only this module knows the order.

Workers are any `concurrent.futures.Executor`: none (in-process), a local
process pool, or a Dask cluster's executor (`engine.py`).  At most `window`
batches are in flight, and results are consumed in submission order, so
memory is bounded and the tables are identical whatever the engine.

Each article is looked up in the cache (`cache.py`) before its batch is sent:
only misses travel to workers, and workers send back only what they computed
(`ArticleResult`), not the text this process already holds.  Memory is bounded
by the window, not by the size of a file: a document's row is made as soon as
it is split (its text is then dropped), and each batch's articles are written,
then released, as soon as that batch is back, even while later batches of the
same file are still out.  Batches may span documents, so many small files
still make full batches.

A worker that dies (killed, out of memory, crashed) costs only its batch: the
batch is sent again, to a fresh worker; if that worker dies too, it is split in
halves, and so on, so one article that kills every worker it meets ends alone,
with status `error`, and every other article completes.  Results do not depend
on how articles are batched, so retries leave the tables unchanged.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import sys
import time
import traceback
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from . import __version__
from .config import Config, check_models, model_version, spacy_compatibility
from .engine import capacity, lost_worker_errors
from .errors import InputError
from .records import Article, Document, display_path, raw_path_hex, stable_id
from .schema import SCHEMA_VERSION
from .stages.ingest import find_inputs, read_document
from .stages.langid import detect_language, identify
from .stages.resolve import resolve_article
from .stages.split import split_document
from .store.cache import ArticleCache, ArticleResult
from .store.lock import holding_output
from .store.write import TableWriter, document_row

log = logging.getLogger(__name__)

# Articles per worker task, and characters: whichever is reached first.  Small
# enough that two workers finish close together, large enough that a task's
# overhead (pickling, scheduling) stays well under 1% of its NER time.  The
# first batches are smaller (FIRST_BATCH_ARTICLES, doubling up to
# BATCH_ARTICLES), so that the first results, and the first written rows, come
# early.
BATCH_ARTICLES = 8
FIRST_BATCH_ARTICLES = 2
BATCH_CHARS = 40_000
WINDOW_PER_WORKER = 4


@dataclass
class BatchResult:
    """A worker's answer: one result per article sent, in order, and time per stage."""

    results: list[ArticleResult]
    seconds: dict[str, float] = field(default_factory=dict)


def _fail(article: Article, stage: str, exc: BaseException) -> None:
    article.status = "error"
    article.error = f"{stage}: {type(exc).__name__}: {exc}"
    article.mentions = []
    log.warning("article %s failed in %s: %s", article.article_id, stage, exc)
    log.debug("%s", traceback.format_exc())


def recognise(articles: list[Article], config: Config) -> None:
    """The NER stage, imported on first use: a run served from the cache never loads spaCy."""
    from .stages.ner.recognise import recognise as recognise_with_models

    recognise_with_models(articles, config)


def process_batch(articles: list[Article], config: Config) -> BatchResult:
    """langid → ner → normalise for a batch; one failing article never stops the rest."""
    seconds: defaultdict[str, float] = defaultdict(float)
    started = time.perf_counter()
    for article in articles:
        try:
            identify(article, config.min_letters)
        except Exception as exc:  # an error here is data, not a crash
            _fail(article, "langid", exc)
    seconds["langid"] += time.perf_counter() - started
    started = time.perf_counter()
    ready = [a for a in articles if a.status == "ok"]
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
                resolve_article(article, rules_off=config.rules_off)
            except Exception as exc:
                _fail(article, "normalise", exc)
    seconds["normalise"] += time.perf_counter() - started
    return BatchResult([ArticleResult.of(a) for a in articles], dict(seconds))


@dataclass
class _Job:
    """A batch on its way, as this process sees it.

    `articles` are this process's own objects; `misses` (those not in the
    cache, under cache `keys`) went to a worker as copies, and `future`
    brings their results (None: in-process work, done when collected).
    `documents` are the rows of the documents split while this batch was
    filled (their articles are in this batch or later ones): they are written
    when the batch is back, so documents and articles are both in input order.
    """

    articles: list[Article]
    misses: list[Article]
    keys: list[str]
    future: Future[BatchResult] | None
    documents: list[dict[str, Any]]


@dataclass
class RunSummary:
    out_dir: Path
    counts: dict[str, Any]
    seconds: dict[str, float]
    words: int
    cached: int = 0
    lost: list[str] = field(default_factory=list)

    def format(self) -> str:
        c = self.counts
        lines = [
            f"documents: {_fmt(c['documents'])}",
            f"articles (lang/status): {_fmt(c['articles'])}",
            f"mentions by type: {_fmt(c['mentions'])}",
            f"entities by type: {_fmt(c['entities'])}",
            f"articles from the cache: {self.cached}",
            *([f"articles whose worker died each time (status error): {', '.join(self.lost)}"]
              if self.lost else []),
            f"time: {self.seconds['total']:.1f}s "
            f"({self.words / max(self.seconds['total'], 1e-9):,.0f} words/s); tables in {self.out_dir}",
        ]
        return "\n".join(lines)


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


class _Stream:
    """Documents in, batches out to the executor, results back in order to the writer."""

    def __init__(self, config: Config, executor: Executor | None, cache: ArticleCache | None) -> None:
        self.executor = executor
        self.cache = cache
        self.work = partial(process_batch, config=config)
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.cached = 0
        self.lost: list[str] = []  # ids of articles whose worker died each time
        self._lost_errors = lost_worker_errors()
        self._last_boilerplate: tuple[str, str | None] | None = None

    def jobs(self, paths: Iterable[Path]) -> Iterator[_Job]:
        """Read and split each file, and cut its articles into batches across file ends.

        A file's articles are popped as they join a batch, so this generator
        holds only those not yet sent, and never one after its batch is written.
        """
        batch: list[Article] = []
        chars = sent = 0
        documents: list[dict[str, Any]] = []
        for path in paths:
            row, articles = self._ingest(path)
            documents.append(row)
            articles.reverse()
            while articles:
                article = articles.pop()
                limit = min(BATCH_ARTICLES, FIRST_BATCH_ARTICLES << sent)
                if batch and (len(batch) >= limit or chars + len(article.text) > BATCH_CHARS):
                    yield self._submit(batch, documents)
                    batch, chars, documents, sent = [], 0, [], sent + 1
                batch.append(article)
                chars += len(article.text)
        if batch or documents:
            yield self._submit(batch, documents)

    def _ingest(self, path: Path) -> tuple[dict[str, Any], list[Article]]:
        """A file's document row and its articles; the document and its text are then dropped."""
        tick = time.perf_counter()
        doc = _read(path)
        self.seconds["ingest"] += time.perf_counter() - tick
        tick = time.perf_counter()
        articles = _split(doc)
        self.seconds["split"] += time.perf_counter() - tick
        if doc.boilerplate and doc.boilerplate.strip():
            tick = time.perf_counter()
            doc.boilerplate_lang = self._boilerplate_language(doc.boilerplate)
            self.seconds["langid"] += time.perf_counter() - tick
        return document_row(doc), articles

    def _boilerplate_language(self, text: str) -> str | None:
        """Language of page chrome: the previous page's if the same (sites repeat their
        footer), else the cache's, else detected (and cached)."""
        if self._last_boilerplate is not None and self._last_boilerplate[0] == text:
            return self._last_boilerplate[1]
        found, lang = self.cache.get_language(text) if self.cache is not None else (False, None)
        if not found:
            lang = _language_or_none(text)
            if self.cache is not None:
                self.cache.put_language(text, lang)
        self._last_boilerplate = (text, lang)
        return lang

    def _submit(self, articles: list[Article], documents: list[dict[str, Any]]) -> _Job:
        """Fill cached articles from the cache; send the others to a worker (if any)."""
        misses: list[Article] = articles
        keys: list[str] = []
        if self.cache is not None:
            tick = time.perf_counter()
            all_keys = [self.cache.key(a) for a in articles]
            found = self.cache.get(all_keys)
            misses, keys = [], []
            for article, key in zip(articles, all_keys, strict=True):
                hit = found.get(key)
                if hit is None:
                    misses.append(article)
                    keys.append(key)
                else:
                    hit.apply(article)
            self.cached += len(articles) - len(misses)
            self.seconds["cache"] += time.perf_counter() - tick
        future = self.executor.submit(self.work, misses) if misses and self.executor is not None else None
        return _Job(articles, misses, keys, future, documents)

    def results(self, job: _Job) -> None:
        """Put a job's results on its articles (in-process work runs here) and cache them.

        An article whose worker died each time gets an error result, which is
        not cached: the next run tries it again.
        """
        if not job.misses:
            return
        if job.future is None:
            results: list[ArticleResult | None] = list(self._answer(self.work(job.misses)))
        else:
            results = self._collect(job.misses, job.future, died_before=False)
        done: list[tuple[str, ArticleResult]] = []
        for article, key, result in zip(job.misses, job.keys or [""] * len(results), results, strict=True):
            if result is None:
                self.lost.append(article.article_id)
                result = _lost(article)
            else:
                done.append((key, result))
            result.apply(article)
        if self.cache is not None:
            tick = time.perf_counter()
            self.cache.put(done)
            self.seconds["cache"] += time.perf_counter() - tick

    def _answer(self, result: BatchResult) -> list[ArticleResult]:
        for stage, seconds in result.seconds.items():
            self.seconds[stage] += seconds
        return result.results

    def _collect(
        self, articles: list[Article], future: Future[BatchResult], died_before: bool
    ) -> list[ArticleResult | None]:
        """A batch's results.  A batch whose worker died is sent once more as it is; if it
        dies again it is split in halves, each split again on its first death, so an
        article that kills every worker ends alone (None) after about log2(batch) rounds."""
        try:
            return list(self._answer(future.result()))
        except self._lost_errors as exc:
            log.warning("%s (%d articles, from %s): %s", type(exc).__name__, len(articles),
                        articles[0].article_id, exc)
        if not died_before:
            return self._collect(articles, self._send(articles), died_before=True)
        if len(articles) == 1:
            return [None]
        half = len(articles) // 2
        first, second = self._send(articles[:half]), self._send(articles[half:])
        return [*self._collect(articles[:half], first, True), *self._collect(articles[half:], second, True)]

    def _send(self, articles: list[Article]) -> Future[BatchResult]:
        assert self.executor is not None
        return self.executor.submit(self.work, articles)


def _lost(article: Article) -> ArticleResult:
    """The result of an article that killed the worker process each time it was sent."""
    failed = Article(article.article_id, article.doc_id, article.seq, article.start, article.end,
                     article.text, article.title, status="error")
    failed.error = "worker: the worker process died each time it ran this article (killed or crashed)"
    return ArticleResult.of(failed)


@holding_output("out_dir")  # one writer per output folder: a second run fails at once
def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    config: Config,
    executor: Executor | None = None,
    window: int | None = None,
    progress: bool = True,
    engine: str = "local",
) -> RunSummary:
    """Process every input into the four tables in `out_dir`; returns the run summary.

    `window` is how many batches may be in flight; by default four per worker,
    so workers never wait while an earlier batch holds up the in-order writer.
    """
    started = time.perf_counter()
    window = window or WINDOW_PER_WORKER * capacity(executor)
    paths = find_inputs(inputs)
    if not paths:
        raise InputError("no *.txt or *.txt.gz files found in the inputs")
    check_models(config.models)  # a missing model is reported before the first article, not after the last
    curation = _load_curation(config)  # checked before anything is written
    _report_model_compatibility(config)
    cache = ArticleCache.open(config, out_dir)
    stream = _Stream(config, executor, cache)
    seconds = stream.seconds
    words = readable = 0
    failures: list[str] = []
    pending: deque[_Job] = deque()
    try:
        with TableWriter(out_dir, config.fuzzy_threshold, curation, config.rules_off) as writer:
            # On a terminal the bar is erased when done; elsewhere (a log file, a
            # pipe) erasing is impossible, so the bar ends its line instead.
            bar = tqdm(
                total=len(paths),
                unit="doc",
                disable=not progress,
                file=sys.stderr,
                leave=not sys.stderr.isatty(),
            )

            def finish(job: _Job) -> None:
                nonlocal words, readable
                stream.results(job)
                tick = time.perf_counter()
                for row in job.documents:
                    writer.add_document(row)
                    if row["status"] == "ok":
                        readable += 1
                    elif len(failures) < 5:
                        failures.append(f"{row['path']}: {row['status']}")
                    bar.update(1)
                writer.add_articles(job.articles)
                seconds["write"] += time.perf_counter() - tick
                words += sum(len(a.text.split()) for a in job.articles)

            for job in stream.jobs(paths):
                pending.append(job)
                if len(pending) >= window:
                    finish(pending.popleft())
            while pending:
                finish(pending.popleft())
            bar.close()
            if stream.lost:
                log.warning(
                    "%d article(s) recorded with status error: their worker process died each time "
                    "it ran them: %s", len(stream.lost), ", ".join(stream.lost[:10]),
                )
            if not readable:
                raise InputError(f"nothing readable found ({'; '.join(failures)})")
            tick = time.perf_counter()
            seconds["total"] = time.perf_counter() - started
            manifest = _manifest(config, engine, dict(seconds), [display_path(p) for p in paths])
            manifest["cache"] = {"enabled": cache is not None, "hits": stream.cached}
            counts = writer.finish(manifest)
            seconds["resolve_and_publish"] = time.perf_counter() - tick
    finally:
        for job in pending:  # a failed or interrupted run: do not wait for queued batches
            if job.future is not None:
                job.future.cancel()
        if cache is not None:
            cache.close()
    seconds["total"] = time.perf_counter() - started
    return RunSummary(out_dir, counts.to_dict(), dict(seconds), words, stream.cached, stream.lost)


def _read(path: Path) -> Document:
    try:
        return read_document(path)
    except Exception as exc:  # a crash reading one file is recorded, not raised
        message = f"{type(exc).__name__}: {exc}"
        return Document(stable_id("doc", str(path)), display_path(path), "error", message=message,
                        path_hex=raw_path_hex(path))


def _split(doc: Document) -> list[Article]:
    try:
        return split_document(doc)
    except Exception as exc:
        doc.status, doc.message = "error", f"split: {type(exc).__name__}: {exc}"
        doc.header = doc.text  # no articles: header + articles + boilerplate == text still holds
        return []


def _language_or_none(text: str) -> str | None:
    try:
        return detect_language(text)[0]
    except Exception:  # boilerplate of symbols only has no language
        return None


def _load_curation(config: Config) -> Any:
    from .knowledge.curation import load_curation

    return load_curation(config.curation) if config.curation else None


def _report_model_compatibility(config: Config) -> None:
    """One line per run for each model trained for another spaCy version (workers stay silent)."""
    for lang, model in sorted(config.models.items()):
        compatibility = spacy_compatibility(model)
        if not compatibility.compatible:
            log.info(
                "%s (%s): it loads with spaCy's warning W095, silenced and recorded in run.json; "
                "see README, Models and data",
                compatibility.describe(),
                lang,
            )


def _manifest(config: Config, engine: str, seconds: dict[str, float], inputs: list[str]) -> dict[str, Any]:
    return {
        "pipeline": {"name": "civic-entities", "version": __version__, "schema_version": SCHEMA_VERSION},
        "spacy": importlib.metadata.version("spacy"),
        "python": platform.python_version(),
        "models": {lang: f"{m}@{model_version(m)}" for lang, m in sorted(config.models.items())},
        "model_spacy_versions": {
            lang: spacy_compatibility(m).to_dict() for lang, m in sorted(config.models.items())
        },
        "config": config.to_dict(),
        "engine": engine,
        "inputs": inputs,
        "seconds": {k: round(v, 3) for k, v in sorted(seconds.items())},
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
