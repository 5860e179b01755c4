"""Where the per-article work runs: in-process, a local process pool, or Dask.

The runner only needs a `concurrent.futures.Executor`.  Locally that is a
`ProcessPoolExecutor` of spawned processes (fork would copy the parent's
threads and locks; spawn is also what Dask uses).  On Dask it is
`distributed.Client.get_executor()`, either on a local cluster (`--workers N`)
or on an existing one (`--scheduler tcp://host:8786`).  Either way a worker
process loads each spaCy pipeline once, on first use, and keeps it for every
later batch (`ner.load_recogniser` is cached per process); the client sends
only batches of articles and gets back only their results.

Workers run one task at a time: spaCy's NER is not shared across threads, and
one process per core uses the cores without contention on the GIL.

There is no warm-up initializer: workers start on the first batches, which
come within milliseconds, so loading up front would gain nothing, and lazily a
worker loads only the languages it is given (never Spanish, on a corpus
without any).  That start-up (about 8 s per process here, half of it spaCy
compiling the French tokenizer's patterns) is what keeps two processes from
doubling the speed on small corpora; `make bench` measures it.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

log = logging.getLogger(__name__)

# Tasks each executor made here runs at once (read by `capacity`).
_CAPACITY: WeakKeyDictionary[Executor, int] = WeakKeyDictionary()


@contextmanager
def executor_for(
    engine: str, processes: int, workers: int = 2, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor for `engine` ("local" or "dask"); None means work in this process."""
    if engine == "dask":
        with dask_executor(workers, scheduler) as executor:
            yield executor
    elif processes <= 1:
        yield None
    else:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            _CAPACITY[pool] = processes
            yield pool


@contextmanager
def dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """An executor on an existing Dask cluster, or on a local one of `workers` single-thread processes.

    Tasks are submitted as impure: every batch is distinct work, so hashing
    its articles into a task key would only cost time.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        log.info("connecting to Dask scheduler %s", scheduler)
        with Client(scheduler) as client:
            yield _dask(client)
        return
    log.info("starting a local Dask cluster of %d workers", workers)
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        yield _dask(client)


def _dask(client: Any) -> Executor:
    executor: Executor = client.get_executor(pure=False)
    _CAPACITY[executor] = sum(client.nthreads().values())
    return executor


def capacity(executor: Executor | None) -> int:
    """How many tasks `executor` runs at once (for a Dask cluster: when it was connected).

    The runner keeps a few batches per slot in flight.  An executor made
    elsewhere counts as one slot.
    """
    if executor is None:
        return 1
    return max(1, _CAPACITY.get(executor, 1))
