"""Batches of articles out to workers and their results back, for the runner.

`batches` cuts the articles of a stream of files into worker tasks across file
ends (`Batching`); `Workers` fills each batch's cached articles from the cache,
sends the others to the executor, and puts the results back on the articles,
resending the batch of a worker that died (see `runner.py`).  `Stopwatch` sums
the time of each stage, here and in the workers.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .engine import lost_worker_errors
from .records import Article
from .store.cache import ArticleCache, ArticleResult

log = logging.getLogger(__name__)
# Whatever `read` turns into a document: a file's path, or a text in memory.
Source = TypeVar("Source")


class Stopwatch:
    """Seconds spent per stage, summed over the run, and since the watch was made."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started

    def add(self, seconds: dict[str, float]) -> None:
        for stage, spent in seconds.items():
            self.seconds[stage] += spent


@dataclass(frozen=True)
class Batching:
    """How articles are cut into worker tasks, and how many tasks may be out.

    A task holds `articles` articles or `chars` characters, whichever is reached
    first: small enough that two workers finish close together, large enough
    that a task's overhead (pickling, scheduling) stays well under 1% of its NER
    time.  The first tasks are smaller (`first_articles`, doubling up to
    `articles`), so that the first results, and the first written rows, come
    early.  `window_per_worker` tasks per worker may be in flight, so workers
    never wait while an earlier task holds up the in-order writer.
    """

    articles: int = 8
    first_articles: int = 2
    chars: int = 40_000
    window_per_worker: int = 4

    def limit(self, sent: int) -> int:
        """Most articles in the task after `sent` tasks."""
        return min(self.articles, self.first_articles << sent)


@dataclass
class BatchResult:
    """A worker's answer: one result per article sent, in order, and time per stage."""

    results: list[ArticleResult]
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Job:
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


def batches(
    paths: Iterable[Source],
    read: Callable[[Source], tuple[dict[str, Any], list[Article]]],
    batching: Batching,
) -> Iterator[tuple[list[Article], list[dict[str, Any]]]]:
    """Each file read and split, its articles cut into batches across file ends,
    with the rows of the documents split while each batch was filled.

    A file's articles are popped as they join a batch, so this generator holds
    only those not yet sent, and never one after its batch is written.
    """
    batch: list[Article] = []
    chars = sent = 0
    documents: list[dict[str, Any]] = []
    for path in paths:
        row, articles = read(path)
        documents.append(row)
        articles.reverse()
        while articles:
            article = articles.pop()
            if batch and (len(batch) >= batching.limit(sent) or chars + len(article.text) > batching.chars):
                yield batch, documents
                batch, chars, documents, sent = [], 0, [], sent + 1
            batch.append(article)
            chars += len(article.text)
    if batch or documents:
        yield batch, documents


class Workers:
    """Batches out to the executor (cache misses only), results back onto the articles."""

    def __init__(self, work: Callable[[list[Article]], BatchResult], executor: Executor | None,
                 cache: ArticleCache | None, watch: Stopwatch) -> None:
        self.work = work
        self.executor = executor
        self.cache = cache
        self.watch = watch
        self.cached = 0
        self.lost: list[str] = []  # ids of articles whose worker died each time
        self._lost_errors = lost_worker_errors()

    def submit(self, articles: list[Article], documents: list[dict[str, Any]]) -> Job:
        """Fill cached articles from the cache; send the others to a worker (if any)."""
        misses, keys = self._from_cache(articles) if self.cache is not None else (articles, [])
        future = self.executor.submit(self.work, misses) if misses and self.executor is not None else None
        return Job(articles, misses, keys, future, documents)

    def _from_cache(self, articles: list[Article]) -> tuple[list[Article], list[str]]:
        """The articles not in the cache, and their keys; the others get their cached results."""
        assert self.cache is not None
        misses: list[Article] = []
        keys: list[str] = []
        with self.watch.timing("cache"):
            all_keys = [self.cache.key(a) for a in articles]
            found = self.cache.get(all_keys)
            for article, key in zip(articles, all_keys, strict=True):
                hit = found.get(key)
                if hit is None:
                    misses.append(article)
                    keys.append(key)
                else:
                    hit.apply(article)
        self.cached += len(articles) - len(misses)
        return misses, keys

    def collect(self, job: Job) -> None:
        """Put a job's results on its articles (in-process work runs here) and cache them.

        An article whose worker died each time gets an error result, which the
        cache, like every failure, does not keep: the next run tries it again.
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
            done.append((key, result))
            result.apply(article)
        if self.cache is not None:
            with self.watch.timing("cache"):
                self.cache.put(done)

    def _answer(self, result: BatchResult) -> list[ArticleResult]:
        self.watch.add(result.seconds)
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
