"""Where the per-article work runs: in-process, a local process pool, or Dask.

The runner only needs a `concurrent.futures.Executor`.  Locally that is a
`ProcessPoolExecutor` (spawned processes, each loading a model once, on first
use).  On Dask it is `distributed.Client.get_executor()`, either on a local
cluster (`--workers N`) or on an existing one (`--scheduler tcp://host:8786`);
each Dask worker process loads each model once, too (the loaders are cached
per process).  Workers run one task at a time: spaCy's NER is not shared
across threads.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

log = logging.getLogger(__name__)


@contextmanager
def executor_for(
    engine: str, processes: int, workers: int = 2, scheduler: str | None = None
) -> Iterator[Executor | None]:
    if engine == "dask":
        with dask_executor(workers, scheduler) as executor:
            yield executor
    elif processes <= 1:
        yield None
    else:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool


@contextmanager
def dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    from distributed import Client, LocalCluster

    if scheduler:
        log.info("connecting to Dask scheduler %s", scheduler)
        with Client(scheduler) as client:
            yield client.get_executor()
        return
    log.info("starting a local Dask cluster of %d workers", workers)
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        yield client.get_executor()
