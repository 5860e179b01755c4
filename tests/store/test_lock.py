"""Tests for pipeline.store.lock: one writer per output folder, a dead run's lock taken over, no leftovers.

The races use the runner with a stand-in for the per-article work (no model),
slowed down so that two runs started together always overlap.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.config import PROJECT_ROOT, Config
from pipeline.errors import InputError
from pipeline.records import Article
from pipeline.runner import BatchResult, Stages, run
from pipeline.schema import TABLES
from pipeline.store import lock
from pipeline.store.cache import ArticleResult
from pipeline.store.consistency import check_consistency
from pipeline.store.lock import OutputBusy, hold_output, live_writer, read_owner
from pipeline.store.write import MANIFEST, TableWriter

BUSY = re.compile(
    r"^error: (.+) is being written by another run \(pid (\d+), started \d{4}-\d\d-\d\dT[\d:]+Z\)$"
)
# What a finished run leaves in its output folder, and nothing else.
PUBLISHED = {*(f"{name}.parquet" for name in TABLES), MANIFEST, ".cache"}


def _slow_stand_in(articles: list[Article], config: Config) -> BatchResult:
    """Per-article work without models, slow enough that two runs started together overlap."""
    time.sleep(0.1)
    for article in articles:
        article.lang, article.lang_score, article.n_tokens = "en", 0.99, len(article.text.split())
    return BatchResult([ArticleResult.of(a) for a in articles], {"ner": 0.1})


SLOW = Stages(per_article=_slow_stand_in)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    path = tmp_path / "page.txt"
    path.write_text("news\n\n  • A title\n\n    The committee met on Monday to discuss the law.\n\n", "utf-8")
    return path


def _listing(folder: Path) -> dict[str, int]:
    """Every path under `folder` with its modification time: what a refused run must not change."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


def test_lock_is_reentrant_in_one_thread_and_exclusive_between_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "BUSY_GRACE_SECONDS", 0.1)
    with hold_output(tmp_path), hold_output(tmp_path):
        failures: list[BaseException] = []

        def other() -> None:
            try:
                with hold_output(tmp_path):
                    pass
            except BaseException as exc:
                failures.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert len(failures) == 1 and isinstance(failures[0], OutputBusy)
        assert "pid unknown" in str(failures[0])  # no writer record: a bare lock holder
    with hold_output(tmp_path):  # released by both exits
        pass


def test_lock_second_writer_names_the_first_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with TableWriter(out) as writer:
        before = _listing(out)
        owner = read_owner(writer.staging)
        assert owner is not None and owner.pid == os.getpid() and owner.alive()
        started = time.monotonic()
        errors: list[BaseException] = []
        thread = threading.Thread(target=lambda: errors.append(_refused(out)))
        thread.start()
        thread.join()
        assert time.monotonic() - started < 1.0  # at once, not after a wait
        message = str(errors[0])
        assert message == f"{out} is being written by another run ({owner.describe()})"
        assert _listing(out) == before


def _refused(out: Path) -> BaseException:
    try:
        TableWriter(out)
    except OutputBusy as exc:
        return exc
    raise AssertionError("the second writer was let in")


def test_lock_a_run_that_refuses_its_inputs_leaves_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError):
        run([tmp_path / "absent"], out, Config(processes=1), progress=False)
    assert not out.exists()


def test_lock_a_finished_run_leaves_no_lock_file_nor_staging(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".publish.lock").touch()  # left by an earlier version
    run([inputs], out, Config(processes=1), progress=False, stages=SLOW)
    run([inputs], out, Config(processes=1), progress=False, stages=SLOW)
    assert {p.name for p in out.iterdir()} == PUBLISHED


def test_lock_two_runs_started_together_one_result_one_refusal(inputs: Path, tmp_path: Path) -> None:
    """Thirty races of two runs (threads: flock is per open folder, as between processes)."""
    for attempt in range(30):
        out = tmp_path / f"out-{attempt}"
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [threading.Thread(target=_one_run, args=(inputs, out, barrier, outcomes)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refusals = [o for o in outcomes if o != "ok"]
        assert sorted(outcomes).count("ok") == 1 and len(refusals) == 1, outcomes
        assert BUSY.match(f"error: {refusals[0]}"), refusals[0]
        assert f"pid {os.getpid()}" in refusals[0]
        assert {p.name for p in out.iterdir()} == PUBLISHED - {".cache"}
        check_consistency(out)


def _one_run(inputs: Path, out: Path, barrier: threading.Barrier, outcomes: list[str]) -> None:
    barrier.wait()
    try:
        run([inputs], out, Config(processes=1, cache=False), progress=False, stages=SLOW)
        outcomes.append("ok")
    except OutputBusy as exc:
        outcomes.append(str(exc))


# A child that holds an output folder as a writer, says so, then waits to be killed.
_HOLDER = """
import sys, time
from pathlib import Path
from pipeline.store.write import TableWriter

writer = TableWriter(Path(sys.argv[1]))
print(writer.staging.name, flush=True)
time.sleep(600)
"""


def test_lock_a_killed_writers_lock_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    staging = out / child.stdout.readline().strip()
    owner = live_writer(out)
    assert owner is not None and owner.pid == child.pid
    with pytest.raises(OutputBusy, match=rf"pid {child.pid}, started "):
        TableWriter(out)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert staging.exists() and live_writer(out) is None  # dead: its record no longer counts
    with TableWriter(out) as writer:  # taken over: the dead run's staging is removed
        assert not staging.exists() and writer.staging.exists()
    assert list(out.iterdir()) == []


# `python -m pipeline run` with the slow stand-in, started when the parent creates `go`.
_RACER = """
import functools, sys, time
from pathlib import Path
from pipeline import runner
from pipeline.cli import main
from tests.store.test_lock import SLOW

runner.run = functools.partial(runner.run, stages=SLOW)  # the command line runs the slow stand-in
go, ready = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
while not go.exists():
    time.sleep(0.001)
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.slow
def test_lock_two_processes_started_together_one_result_one_refusal(inputs: Path, tmp_path: Path) -> None:
    for attempt in range(5):
        out, go = tmp_path / f"out-{attempt}", tmp_path / f"go-{attempt}"
        ready = [tmp_path / f"ready-{attempt}-{n}" for n in range(2)]
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _RACER, str(go), str(flag),
                 "run", str(inputs), "--out", str(out), "-q", "--processes", "1", "--no-cache"],
                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for flag in ready
        ]
        while not all(flag.exists() for flag in ready):
            time.sleep(0.01)
        go.touch()
        results = [(child.wait(timeout=300), child.communicate()[1]) for child in children]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 2], results
        refusal = next(err for code, err in results if code == 2).strip()
        match = BUSY.match(refusal)
        assert match and match.group(1) == str(out), refusal
        assert int(match.group(2)) in {child.pid for child in children}
        assert {p.name for p in out.iterdir()} == PUBLISHED - {".cache"}
        check_consistency(out)
        assert pq.read_table(out / "documents.parquet").num_rows == 1


def test_lock_cli_refusal_is_one_line_exit_2(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["run", str(inputs), "--out", str(out), "-q"]
    with TableWriter(out):
        codes: list[int] = []
        thread = threading.Thread(target=lambda: codes.append(main(argv)))
        thread.start()
        thread.join()
    assert codes == [2]
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and BUSY.match(lines[0]), lines
