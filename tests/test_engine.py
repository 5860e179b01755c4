"""Tests for pipeline.engine: executors, their capacity, and Dask giving the local tables."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.engine import capacity, executor_for
from pipeline.runner import RunSummary, run
from pipeline.schema import TABLES

from .conftest import SAMPLE


def test_engine_one_process_means_in_process() -> None:
    with executor_for("local", 1) as executor:
        assert executor is None
    assert capacity(None) == 1


def test_engine_local_pool_has_one_slot_per_process() -> None:
    with executor_for("local", 3) as executor:  # processes start on first submit: none here
        assert isinstance(executor, ProcessPoolExecutor)
        assert capacity(executor) == 3


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
