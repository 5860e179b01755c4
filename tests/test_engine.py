"""Tests for pipeline.engine: executors, their capacity, a worker's death, Dask giving the local tables."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.engine import WorkerLost, WorkerPool, capacity, executor_for
from pipeline.runner import RunSummary, run
from pipeline.schema import TABLES

from .conftest import SAMPLE


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
