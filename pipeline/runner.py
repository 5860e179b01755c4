"""The runner: chains the stages and streams records to the writer.

ingest → split run in this process (cheap, and they must see whole files);
langid → ner (which repairs the text first) → resolve (per article) run in
workers on bounded batches of articles; the entities stage, which groups
mentions across the whole run, and the writer run here again.  The runner is
the only place that knows this order; the stages it chains are a `Stages`
value, the pipeline's own by default, so that tests can pass stand-ins.

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from . import __version__
from .config import Config, check_models, model_version, spacy_compatibility
from .dispatch import Batching, BatchResult, Job, Stopwatch, Workers, batches
from .engine import capacity
from .errors import NoInputError, UnreadableInputError, check_interrupted
from .records import Article, Document, display_path, raw_path_hex, stable_id
from .schema import SCHEMA_VERSION
from .stages.entities import EntityBuilder
from .stages.ingest import InlineText, Source, find_inputs, read_source, source_label
from .stages.langid import detect_language, identify
from .stages.resolve import resolve_article
from .stages.split import split_document
from .store.cache import ArticleCache, ArticleResult
from .store.lock import holding_output
from .store.write import TableSink, TableWriter, document_row

if TYPE_CHECKING:
    from .knowledge.curation import Curation

log = logging.getLogger(__name__)


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


def resolve(article: Article, config: Config) -> None:
    """The resolve stage with the run's rule switches."""
    resolve_article(article, rules_off=config.rules_off)


@dataclass(frozen=True)
class ArticleStages:
    """The per-article work of a worker: langid → ner → resolve over a batch.

    One failing article never stops the rest: it gets status `error`, with the
    stage's name in its error.  When workers are processes the stage callables travel to
    them by reference, so they must be module-level functions.
    """

    identify: Callable[[Article, int], object] = identify
    recognise: Callable[[list[Article], Config], None] = recognise
    resolve: Callable[[Article, Config], None] = resolve

    def __call__(self, articles: list[Article], config: Config) -> BatchResult:
        watch = Stopwatch()
        with watch.timing("langid"):
            for article in articles:
                self._guarded(article, "langid", lambda a: self.identify(a, config.min_letters))
        ready = [a for a in articles if a.status == "ok"]
        with watch.timing("ner"):
            try:
                self.recognise(ready, config)
            except Exception:
                for article in ready:  # isolate the culprit: redo one by one
                    self._guarded(article, "ner", lambda a: self.recognise([a], config))
        with watch.timing("resolve"):
            for article in ready:
                if article.status == "ok":
                    self._guarded(article, "resolve", lambda a: self.resolve(a, config))
        return BatchResult([ArticleResult.of(a) for a in articles], dict(watch.seconds))

    @staticmethod
    def _guarded(article: Article, stage: str, step: Callable[[Article], object]) -> None:
        try:
            step(article)
        except Exception as exc:  # an error here is data, not a crash
            _fail(article, stage, exc)


class Work(Protocol):
    """A worker's task: the per-article stages over a batch."""

    def __call__(self, articles: list[Article], config: Config) -> BatchResult: ...


@dataclass(frozen=True)
class Stages:
    """The stages the runner chains: the pipeline's own unless a caller (a test) passes others."""

    read: Callable[[Source], Document] = read_source
    split: Callable[[Document], list[Article]] = split_document
    detect_language: Callable[[str], tuple[str, float]] = detect_language  # of page chrome
    per_article: Work = ArticleStages()


PIPELINE_STAGES = Stages()
BATCHING = Batching()


@dataclass
class RunSummary:
    out_dir: Path | None  # None: the tables are in memory (the API's `extract`)
    counts: dict[str, Any]
    seconds: dict[str, float]
    words: int
    cached: int = 0
    lost: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # the first few documents not read, and why
    n_unread: int = 0

    def format(self) -> str:
        c = self.counts
        lines = [
            f"documents: {_fmt(c['documents'])}",
            *self._unread_lines(),
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

    def _unread_lines(self) -> list[str]:
        if not self.unread:
            return []
        more = self.n_unread - len(self.unread)
        return [f"documents not read: {'; '.join(self.unread)}" + (f"; and {more} more" if more else "")]


def _shortened(text: str, limit: int = 80) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


class _Reader:
    """Files in, a document row and its articles out: ingest, split, and the page chrome's language."""

    def __init__(self, stages: Stages, cache: ArticleCache | None, watch: Stopwatch) -> None:
        self.stages = stages
        self.cache = cache
        self.watch = watch
        self._last_boilerplate: tuple[str, str | None] | None = None

    def __call__(self, source: Source) -> tuple[dict[str, Any], list[Article]]:
        """A file's document row and its articles; the document and its text are then dropped."""
        with self.watch.timing("ingest"):
            doc = self._read(source)
        with self.watch.timing("split"):
            articles = self._split(doc)
        if doc.boilerplate and doc.boilerplate.strip():
            with self.watch.timing("langid"):
                doc.boilerplate_lang = self._boilerplate_language(doc.boilerplate)
        check_interrupted()  # a library may have swallowed Ctrl-C as a page's failure
        return document_row(doc), articles

    def _read(self, source: Source) -> Document:
        try:
            return self.stages.read(source)
        except Exception as exc:  # a crash reading one file is recorded, not raised
            message = f"{type(exc).__name__}: {exc}"
            label = source.label if isinstance(source, InlineText) else str(source)
            return Document(stable_id("doc", label), display_path(label), "error", message=message,
                            path_hex=raw_path_hex(label))

    def _split(self, doc: Document) -> list[Article]:
        try:
            return self.stages.split(doc)
        except Exception as exc:
            doc.status, doc.message = "error", f"split: {type(exc).__name__}: {exc}"
            doc.header = doc.text  # no articles: header + articles + boilerplate == text still holds
            return []

    def _boilerplate_language(self, text: str) -> str | None:
        """Language of page chrome: the previous page's if the same (sites repeat their
        footer), else the cache's, else detected (and cached)."""
        if self._last_boilerplate is not None and self._last_boilerplate[0] == text:
            return self._last_boilerplate[1]
        found, lang = self.cache.get_language(text) if self.cache is not None else (False, None)
        if not found:
            lang = self._language_or_none(text)
            if self.cache is not None:
                self.cache.put_language(text, lang)
        self._last_boilerplate = (text, lang)
        return lang

    def _language_or_none(self, text: str) -> str | None:
        try:
            return self.stages.detect_language(text)[0]
        except Exception:  # boilerplate of symbols only has no language
            return None


@dataclass
class _Tally:
    """What the summary and the 'nothing readable' error need of the records written."""

    words: int = 0
    readable: int = 0
    unread: int = 0
    failures: list[str] = field(default_factory=list)  # the first few unreadable documents, and why

    def document(self, row: dict[str, Any]) -> None:
        if row["status"] == "ok":
            self.readable += 1
            return
        self.unread += 1
        if len(self.failures) < 5:
            why = f" ({_shortened(row['message'])})" if row.get("message") else ""
            self.failures.append(f"{row['path']}: {row['status']}{why}")

    def articles(self, articles: list[Article]) -> None:
        self.words += sum(len(a.text.split()) for a in articles)


class _Sink:
    """Collected batches, in submission order, to the entities stage and the writer."""

    def __init__(self, workers: Workers, entities: EntityBuilder, writer: TableSink,
                 watch: Stopwatch, bar: tqdm[Any]) -> None:
        self.workers = workers
        self.entities = entities
        self.writer = writer
        self.watch = watch
        self.bar = bar
        self.tally = _Tally()

    def __call__(self, job: Job) -> None:
        self.workers.collect(job)
        check_interrupted()  # ... or as an article's, in this process
        with self.watch.timing("write"):
            for row in job.documents:
                self.writer.add_document(row)
                self.tally.document(row)
                self.bar.update(1)
            self.entities.add(job.articles)  # curation first, so n_mentions counts what is written
            self.writer.add_articles(job.articles)
        self.tally.articles(job.articles)


def _stream(jobs: Iterator[Job], window: int, sink: _Sink) -> None:
    """Keep up to `window` jobs in flight and sink each, in order, once back; on
    failure or interruption, queued batches are cancelled, not waited for."""
    pending: deque[Job] = deque()
    try:
        for job in jobs:
            pending.append(job)
            if len(pending) >= window:
                sink(pending.popleft())
        while pending:
            sink(pending.popleft())
    finally:
        for job in pending:
            if job.future is not None:
                job.future.cancel()


class _LogProgress(tqdm):  # type: ignore[type-arg]
    """The progress bar where a line cannot be erased (a log file, a pipe): each count
    is printed once, and the bar's line is ended, once, before any other line (a log
    record, through `tqdm.write`) and when it closes; tqdm's `leave` would print the
    last count a second time, and its erasing would leave spaces in the file."""

    _shown: float | None = None
    _line_open = False

    def display(self, msg: str | None = None, pos: int | None = None) -> bool:
        if msg == "":  # erasing, which a log file cannot do
            return False
        if msg is None and self.n == self._shown:
            return True
        self._shown = self.n
        self._line_open = True
        return bool(super().display(msg, pos))

    def clear(self, nolock: bool = False) -> None:
        if self._line_open:
            self.fp.write("\n")
            self._line_open = False

    def close(self) -> None:
        # tqdm's __del__ closes a bar whose __init__ a signal cut short, before it has a
        # count: tqdm's own close then does nothing, and neither may this.
        if "n" in vars(self):
            # A line a log record ended, with no count since, is not ended again.
            self.leave = self._line_open or self.n != self._shown
        super().close()


@contextmanager
def _progress_bar(total: int, progress: bool) -> Iterator[tqdm[Any]]:
    """On a terminal the bar is erased when done; elsewhere (a log file, a pipe)
    erasing is impossible, so the bar ends its line instead.  While it is shown,
    log lines go through tqdm, so that none is glued to the bar's line."""
    terminal = sys.stderr.isatty()
    bar_class = tqdm if terminal else _LogProgress
    with bar_class(total=total, unit="doc", disable=not progress, file=sys.stderr, leave=not terminal) as bar:
        console = any(_is_console_handler(handler) for handler in logging.getLogger().handlers)
        if progress and console:
            with logging_redirect_tqdm(tqdm_class=bar_class):
                yield bar
        else:
            yield bar


def _is_console_handler(handler: logging.Handler) -> bool:
    return isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stdout, sys.stderr)


def _finish_tables(writer: TableSink, entities: EntityBuilder, curation: Curation | None,
                   manifest: dict[str, Any], watch: Stopwatch, out_dir: Path | None) -> dict[str, Any]:
    """Group mentions into entities, write both tables and publish; the run's counts.

    run.json's seconds count this stage too (`merge_and_publish`), up to the
    tables' validation, which publishing it ends."""
    started = time.perf_counter()
    entities.settle()
    if curation is not None:
        listed_in = (
            "Tables.manifest['curation']" if out_dir is None
            else f"{out_dir / 'run.json'} (curation.decisions) and on the audit report's Curation page"
        )
        for line in curation.near_misses():
            log.warning("%s", line)
        unapplied = curation.unapplied(listed_in)
        if unapplied:
            # A curation file is written for a corpus: most of it not applying to a
            # paragraph given to extract() is expected, not a warning.
            log.log(logging.INFO if out_dir is None else logging.WARNING, "%s", unapplied)
    writer.write_mentions(entities.link)
    writer.write_entities(entities.entities())
    if curation is not None:
        manifest["curation"] = curation.summary()
    seconds = {**watch.seconds, "merge_and_publish": time.perf_counter() - started, "total": watch.elapsed()}
    manifest["seconds"] = {k: round(v, 3) for k, v in sorted(seconds.items())}
    return writer.publish(manifest).to_dict()


@holding_output("out_dir")  # one writer per output folder: a second run fails at once
def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    config: Config,
    executor: Executor | None = None,
    window: int | None = None,
    progress: bool = True,
    engine: str = "local",
    stages: Stages = PIPELINE_STAGES,
    batching: Batching = BATCHING,
) -> RunSummary:
    """Process every input into the four tables in `out_dir`; returns the run summary.

    `window` is how many batches may be in flight (by default
    `batching.window_per_worker` per worker).
    """
    paths = find_inputs(inputs)
    if not paths:
        raise NoInputError("no *.txt or *.txt.gz files (in any case) found in the inputs")
    return process(paths, partial(TableWriter, out_dir), config, out_dir, executor=executor, window=window,
                   progress=progress, engine=engine, stages=stages, batching=batching)


def process(
    sources: Sequence[Source],
    open_sink: Callable[[], AbstractContextManager[TableSink]],
    config: Config,
    out_dir: Path | None,
    *,
    executor: Executor | None = None,
    window: int | None = None,
    progress: bool = True,
    engine: str = "local",
    stages: Stages = PIPELINE_STAGES,
    batching: Batching = BATCHING,
) -> RunSummary:
    """The run itself, shared by `run` (Parquet files) and the API's `extract` (tables
    in memory): `sources` in, the four tables to the sink `open_sink` opens.

    Settings are checked before the sink is opened.  The article cache is in
    `config.cache_dir`, else `<out_dir>/.cache`; with neither, there is none.
    """
    watch = Stopwatch()
    check_models(config.models)  # a missing model is reported before the first article, not after the last
    curation = _load_curation(config)  # checked before anything is written
    cache_home = out_dir or (Path(config.cache_dir) if config.cache_dir else None)
    cache = ArticleCache.open(config, cache_home) if cache_home is not None else None
    workers = Workers(partial(stages.per_article, config=config), executor, cache, watch)
    read = _Reader(stages, cache, watch)
    try:
        with open_sink() as writer:
            entities = EntityBuilder(config.fuzzy_threshold, curation, config.rules_off)
            with _progress_bar(len(sources), progress) as bar:
                sink = _Sink(workers, entities, writer, watch, bar)
                jobs = (workers.submit(*batch) for batch in batches(sources, read, batching))
                _stream(jobs, window or batching.window_per_worker * capacity(executor), sink)
            _warn_lost(workers.lost)
            if not sink.tally.readable:
                raise UnreadableInputError(f"nothing readable found ({'; '.join(sink.tally.failures)})")
            watch.seconds["total"] = watch.elapsed()
            manifest = _manifest(config, engine, dict(watch.seconds), [source_label(s) for s in sources])
            manifest["cache"] = {"enabled": cache is not None, "hits": workers.cached}
            with watch.timing("merge_and_publish"):
                counts = _finish_tables(writer, entities, curation, manifest, watch, out_dir)
    finally:
        if cache is not None:
            cache.close()
    watch.seconds["total"] = watch.elapsed()
    return RunSummary(out_dir, counts, dict(watch.seconds), sink.tally.words, workers.cached, workers.lost,
                      sink.tally.failures, sink.tally.unread)


def _warn_lost(lost: list[str]) -> None:
    if lost:
        log.warning(
            "%d article(s) recorded with status error: their worker process died each time "
            "it ran them: %s", len(lost), ", ".join(lost[:10]),
        )


def _load_curation(config: Config) -> Curation | None:
    from .knowledge.curation import load_curation

    return load_curation(config.curation) if config.curation else None


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
