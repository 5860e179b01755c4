"""Tests for pipeline.engine: executors, their capacity, a worker's death, Dask giving the local tables."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.config import Config
from pipeline.engine import WorkerLost, WorkerPool, capacity, executor_for
from pipeline.runner import RunSummary, run
from pipeline.schema import TABLES

from .conftest import PROJECT_ROOT, SAMPLE, cached_results


def test_engine_one_process_means_in_process() -> None:
    with executor_for("local", 1) as executor:
        assert executor is None
    assert capacity(None) == 1


def test_engine_local_pool_has_one_slot_per_process() -> None:
    with executor_for("local", 3) as executor:
        assert isinstance(executor, WorkerPool)
        assert capacity(executor) == 3


def _square_or_die(n: int) -> int:
    if n < 0:
        os.kill(os.getpid(), signal.SIGKILL)
    if n == 13:
        raise ValueError("unlucky")
    return n * n


def test_engine_a_dead_worker_costs_only_its_task() -> None:
    with executor_for("local", 2) as pool:
        assert isinstance(pool, WorkerPool)
        futures = {n: pool.submit(_square_or_die, n) for n in (1, -1, 2, 13, 3, -2, 4)}
        assert {n: f.result() for n, f in futures.items() if n > 0 and n != 13} == {1: 1, 2: 4, 3: 9, 4: 16}
        for n in (-1, -2):
            with pytest.raises(WorkerLost, match="SIGKILL"):
                futures[n].result()
        with pytest.raises(ValueError, match="unlucky"):  # a task's own error is not a death
            futures[13].result()
        assert pool.submit(_square_or_die, 5).result() == 25
        assert pool.started == 4  # two replacements
        assert len(pool.pids()) == 2


def test_engine_foreign_executor_counts_as_one_slot() -> None:
    with ThreadPoolExecutor(4) as pool:
        assert capacity(pool) == 1


@pytest.mark.slow
def test_engine_dask_two_workers_give_the_local_tables(sample_run: RunSummary, tmp_path: Path) -> None:
    with executor_for("dask", processes=1, workers=2) as executor:
        assert capacity(executor) == 2
        summary = run([SAMPLE], tmp_path, Config(cache=False), executor=executor, progress=False)
    assert summary.cached == 0  # every article went to the cluster
    for name in TABLES:
        local = (sample_run.out_dir / f"{name}.parquet").read_bytes()
        assert (tmp_path / f"{name}.parquet").read_bytes() == local, name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two single-thread workers started with the `dask` command line, on loopback.

    Workers run without a nanny, so a killed worker stays dead: its tasks
    must move to the other one.
    """
    from distributed import Client

    dask = str(Path(sys.executable).parent / "dask")
    port = str(_free_port())
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}  # workers import this checkout's pipeline
    log = open(tmp_path / "cluster.log", "wb")  # noqa: SIM115 - closed below, after the processes
    common = {"cwd": PROJECT_ROOT, "env": env, "stdout": log, "stderr": subprocess.STDOUT}
    scheduler = [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"]
    processes = [subprocess.Popen(scheduler, **common)]  # type: ignore[call-overload]
    processes += [
        subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                          "--no-dashboard", "--name", f"w{i}"], **common)  # type: ignore[call-overload]
        for i in range(2)
    ]
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            process.kill()
            process.wait()
        log.close()


@pytest.mark.slow
def test_engine_real_cluster_survives_a_killed_worker(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    """`--scheduler` on a cluster started by the `dask` command line; one worker killed mid-run:
    exit 0, every article ok, the local engine's tables."""
    from pipeline.tools.bench import make_corpus

    address, workers = cluster
    corpus = make_corpus(tmp_path / "corpus", 3)
    local = run([corpus.folder], tmp_path / "local", Config(processes=1, cache=False), progress=False)
    cache = tmp_path / "cache"
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(corpus.folder), "--out", str(tmp_path / "dask"), "-q",
         "--engine", "dask", "--scheduler", address, "--cache-dir", str(cache)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    while child.poll() is None and not cached_results(cache):
        time.sleep(0.1)
    assert child.poll() is None and cached_results(cache) < corpus.n_articles, "the run ended before the kill"
    workers[0].send_signal(signal.SIGKILL)
    _, stderr = child.communicate(timeout=900)
    assert child.returncode == 0, stderr
    statuses = pq.read_table(tmp_path / "dask" / "articles.parquet").column("status").to_pylist()
    assert statuses == ["ok"] * corpus.n_articles
    for name in TABLES:
        assert (tmp_path / "dask" / f"{name}.parquet").read_bytes() == (
            local.out_dir / f"{name}.parquet").read_bytes(), name


class _StandInCluster:
    """distributed's LocalCluster and Client as far as `dask_executor` uses them, started in no time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> _StandInCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def get_executor(self, pure: bool) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(1)

    def nthreads(self) -> dict[str, int]:
        return {"worker": 1}


@pytest.mark.parametrize("verbose", [False, True], ids=["default", "-v"])
def test_engine_dask_keeps_its_info_lines_out_of_the_run_unless_verbose(
    monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    """A local cluster's start and stop were about 40 INFO lines of Dask's around the run's own."""
    import logging

    import distributed

    from pipeline.engine import dask_executor

    monkeypatch.setattr(distributed, "LocalCluster", _StandInCluster)
    monkeypatch.setattr(distributed, "Client", _StandInCluster)
    dask_logger, engine_logger = logging.getLogger("distributed"), logging.getLogger("pipeline.engine")
    levels = dask_logger.level, engine_logger.level
    dask_logger.setLevel(logging.INFO)  # as distributed sets it on import
    engine_logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        with dask_executor(2, None):
            assert dask_logger.getEffectiveLevel() == (logging.INFO if verbose else logging.WARNING)
    finally:
        dask_logger.setLevel(levels[0])
        engine_logger.setLevel(levels[1])
