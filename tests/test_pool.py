"""Tests for pipeline.pool: a run survives the death of any one process the local pool starts.

The fork server holds every model: it is the largest process of a run and the
one an out-of-memory killer picks.  The fast tests kill it under a pool
running small tasks; the slow ones kill it, or the run's largest process,
during a real two-process run, and compare the tables with an undisturbed run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import psutil
import pyarrow.parquet as pq
import pytest

from pipeline.config import PROJECT_ROOT, Config
from pipeline.engine import executor_for
from pipeline.errors import WorkerPoolError
from pipeline.pool import WorkerLost, WorkerPool, _serve
from pipeline.runner import run
from pipeline.schema import TABLES

from .conftest import cached_results


def _square_or_die(n: int) -> int:
    if n < 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * n


def _fork_servers(pid: int) -> list[psutil.Process]:
    """The fork servers among the children of process `pid` (its workers are grandchildren)."""
    found = []
    for child in psutil.Process(pid).children():
        try:
            if "forkserver" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def _wait_for_fork_server(pid: int, timeout: float = 300) -> psutil.Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = _fork_servers(pid)
        if servers:
            return servers[0]
        time.sleep(0.01)
    raise AssertionError("no fork server started")


def _kill(server: psutil.Process) -> None:
    """SIGKILL this process's fork server and wait for its death, leaving it for the pool to reap."""
    server.kill()
    deadline = time.monotonic() + 30
    with suppress(psutil.NoSuchProcess):  # reaped already
        while server.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.01)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pipeline.pool"]


def test_pool_fork_server_killed_while_workers_run_costs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.pool"), executor_for("local", 2) as pool:
        assert isinstance(pool, WorkerPool)
        assert [pool.submit(_square_or_die, n).result() for n in (1, 2, 3)] == [1, 4, 9]
        workers = pool.pids()
        _kill(_wait_for_fork_server(os.getpid()))
        assert [pool.submit(_square_or_die, n).result() for n in (4, 5, 6)] == [16, 25, 36]
        assert pool.pids() == workers and pool.started == 2  # the same workers, nothing restarted
        with pytest.raises(WorkerLost, match="exit status unknown"):
            pool.submit(_square_or_die, -1).result()
        assert pool.submit(_square_or_die, 7).result() == 49  # a new server forked the replacement
        assert pool.started == 3 and len(_fork_servers(os.getpid())) == 1
    # Seen before the replacement's start, or (a dying server is not waitable at once) by it.
    assert any("which holds the models, died (signal SIGKILL)" in w for w in _warnings(caplog))
    assert not _fork_servers(os.getpid())


def test_pool_fork_server_killed_while_it_loads_is_replaced(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.pool"), executor_for("local", 2) as pool:
        assert pool is not None
        first = pool.submit(_square_or_die, 3)
        server = _wait_for_fork_server(os.getpid())
        _kill(server)  # it is still importing spaCy: it has forked no worker
        assert first.result(timeout=300) == 9
        assert _wait_for_fork_server(os.getpid()).pid != server.pid
    assert any("before it started a worker; starting a new one" in w for w in _warnings(caplog))


@pytest.fixture
def fork_server_killer() -> Iterator[None]:
    """Kills every fork server of this process as soon as it appears, as an out-of-memory
    killer would one whose models take more memory than there is."""
    stop = threading.Event()

    def kill_each() -> None:
        while not stop.is_set():
            for server in _fork_servers(os.getpid()):
                with suppress(psutil.Error):
                    server.kill()
            time.sleep(0.005)

    killer = threading.Thread(target=kill_each, daemon=True)
    killer.start()
    yield
    stop.set()
    killer.join()


@pytest.mark.usefixtures("fork_server_killer")
@pytest.mark.parametrize("processes", [1, 2])
def test_pool_fork_server_that_dies_each_time_ends_with_one_error(processes: int) -> None:
    started = time.monotonic()
    pool = WorkerPool(processes)
    try:
        failure = r"died 3 times in a row before it could start a worker"
        with pytest.raises(WorkerPoolError, match=failure):
            pool.submit(_square_or_die, 1).result(timeout=120)  # one task: nothing else wakes the pool
        with pytest.raises(WorkerPoolError, match=failure):
            pool.submit(_square_or_die, 2)  # a failed pool takes no more work
    finally:
        pool.terminate()
        pool.shutdown()
    assert time.monotonic() - started < 120  # no loop


def test_pool_worker_leaves_quietly_when_the_pool_is_gone(capfd: pytest.CaptureFixture[str]) -> None:
    """The run's process died (or stopped the pool) while a worker ran a task: the worker
    cannot answer and ends without a traceback."""
    pool_end, worker_end = multiprocessing.Pipe()
    last_copy = os.dup(pool_end.fileno())
    pool_end.send((os.close, (last_copy,), {}))  # the task closes the pool's end
    pool_end.close()
    previous = signal.getsignal(signal.SIGINT)
    try:
        _serve(worker_end)  # returns: no answer can be sent
    finally:
        signal.signal(signal.SIGINT, previous)
        worker_end.close()
    assert capfd.readouterr().err == ""


def test_pool_terminate_stops_a_pool_whose_fork_server_is_loading() -> None:
    """Ctrl-C in the first seconds of a run: nothing waits for the models to finish loading."""
    with pytest.raises(KeyboardInterrupt), executor_for("local", 2) as pool:
        assert pool is not None
        pool.submit(_square_or_die, 1)
        _wait_for_fork_server(os.getpid())
        started = time.monotonic()
        raise KeyboardInterrupt
    assert time.monotonic() - started < 5
    assert not _fork_servers(os.getpid())


UNGUARDED_SCRIPT = """
import math
from pipeline.pool import WorkerPool

print("top level", flush=True)
pool = WorkerPool(2)
print(list(pool.map(math.factorial, [3, 4, 5])), flush=True)
pool.shutdown()
"""


def test_pool_workers_never_run_the_callers_script(tmp_path: Path) -> None:
    """multiprocessing starts each process by importing the starting process's main module: a
    script without `if __name__ == "__main__":` would run again in every worker, and start
    workers of its own.  The pool's workers skip it (`pipeline.forked`)."""
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "top level\n[6, 24, 120]\n"


# --- a real two-process run ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict[str, Any]]:
    """The 3× bench corpus, its article count, and its tables from an undisturbed in-process run."""
    from pipeline.tools.bench import make_corpus

    root = tmp_path_factory.mktemp("pool_corpus")
    made = make_corpus(root / "corpus", 3)
    reference = run([made.folder], root / "reference", Config(processes=1, cache=False), progress=False)
    return made.folder, made.n_articles, _tables(reference.out_dir)


def _tables(out: Path) -> dict[str, Any]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in TABLES}


def _start(corpus: Path, tmp_path: Path, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(tmp_path / "out"), "-q",
         "--processes", "2", "--cache-dir", str(tmp_path / "cache"), *flags],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for_results(child: subprocess.Popen[str], tmp_path: Path, n_articles: int) -> None:
    """Until the run's cache holds its first results, not all of them.  (A later moment, such as
    two thirds of the articles, cannot be caught reliably: results are cached in input order, so
    a slow batch holds back the ones after it, which then arrive all at once.)"""
    while child.poll() is None and not cached_results(tmp_path / "cache"):
        time.sleep(0.05)
    assert child.poll() is None and cached_results(tmp_path / "cache") < n_articles, "the run ended first"


def _wait_for_workers(child: subprocess.Popen[str], tmp_path: Path) -> psutil.Process:
    """The fork server once it has forked the workers, before any result."""
    server = _wait_for_fork_server(child.pid)
    while child.poll() is None and not server.children():
        time.sleep(0.01)
    assert child.poll() is None and not cached_results(tmp_path / "cache"), "the run was past its first batch"
    return server


def _assert_undisturbed(child: subprocess.Popen[str], tmp_path: Path, corpus: tuple[Path, int, Any]) -> str:
    _, stderr = child.communicate(timeout=900)
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr
    statuses = pq.read_table(tmp_path / "out" / "articles.parquet").column("status").to_pylist()
    assert statuses == ["ok"] * corpus[1]
    assert _tables(tmp_path / "out") == corpus[2]
    return stderr


def _reach(moment: str, child: subprocess.Popen[str], tmp_path: Path, n_articles: int) -> None:
    """Wait for `moment` of a two-process run: models loading (1 s into the fork server's life,
    it has forked nothing), workers just forked, first results."""
    if moment == "loading the models":
        server = _wait_for_fork_server(child.pid)
        time.sleep(1.0)
        assert not server.children(), "the models were loaded already"
    elif moment == "workers starting":
        _wait_for_workers(child, tmp_path)
    else:
        _wait_for_results(child, tmp_path, n_articles)


def _largest(run: int) -> psutil.Process:
    """The process the out-of-memory killer would pick among those the run started: the most
    resident memory (a worker, once it runs: it maps every page of the models it shares with
    the fork server; before, the fork server)."""
    sizes = {}
    for process in psutil.Process(run).children(recursive=True):
        with suppress(psutil.Error):
            sizes[process] = process.memory_info().rss
    return max(sizes, key=sizes.__getitem__)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("victim", "moment"),
    [
        ("fork server", "loading the models"),
        ("fork server", "workers starting"),
        ("fork server", "workers running"),
        ("a worker", "workers starting"),
        ("a worker", "workers running"),
        ("largest", "workers running"),
    ],
)
def test_pool_run_survives_the_death_of_a_process_it_started(
    victim: str, moment: str, corpus: tuple[Path, int, Any], tmp_path: Path
) -> None:
    """Issue #20: exit 0, every article ok, no traceback, the tables of an undisturbed run."""
    child = _start(corpus[0], tmp_path)
    _reach(moment, child, tmp_path, corpus[1])
    server = _wait_for_fork_server(child.pid)
    targets = {
        "fork server": lambda: server,
        "a worker": lambda: server.children()[0],
        "largest": lambda: _largest(child.pid),
    }
    target = targets[victim]()
    target.kill()
    stderr = _assert_undisturbed(child, tmp_path, corpus)
    if victim == "fork server":
        died = f"the fork server (pid {target.pid}), which holds the models, died (signal SIGKILL)"
        assert died in stderr or (
            "the fork server, which holds the models, died during the run (signal SIGKILL)" in stderr
        )


@pytest.mark.slow
def test_pool_run_whose_fork_server_dies_each_time_is_one_error(
    corpus: tuple[Path, int, Any], tmp_path: Path
) -> None:
    child = _start(corpus[0], tmp_path, "--no-cache")
    while child.poll() is None:
        with suppress(psutil.Error):
            for server in _fork_servers(child.pid):
                server.kill()
        time.sleep(0.005)
    stderr = child.stderr.read() if child.stderr else ""
    assert child.returncode == 2
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith(
        "error: the fork server, the process that loads the models for the workers, died 3 times in a row"
    )
    assert not (tmp_path / "out" / "articles.parquet").exists()
