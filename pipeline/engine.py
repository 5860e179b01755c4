"""Where the per-article work runs: in-process, local worker processes, or Dask.

The runner only needs a `concurrent.futures.Executor`.  Locally that is a
`pool.WorkerPool`; on Dask it is `distributed.Client.get_executor()`, on a
local cluster (`--workers N`) or an existing one (`--scheduler tcp://host:8786`).
Either way a worker process loads each spaCy pipeline once, on first use, and
keeps it for every later task and, on Dask, every later run
(`recognise.load_recogniser` is cached per process); the client sends only batches of
articles and gets back only their results.

Workers run one task at a time: spaCy's NER is not shared across threads, and
one process per core uses the cores without contention on the GIL.  A worker
that dies costs only the task it held, which fails with `WorkerLost` (Dask:
`KilledWorker`); what to do with a lost batch (retry, split) is the runner's
decision.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from .pool import WorkerLost, WorkerPool

log = logging.getLogger(__name__)

# Tasks a Dask executor runs at once (read by `capacity`).
_CAPACITY: WeakKeyDictionary[Executor, int] = WeakKeyDictionary()


@contextmanager
def executor_for(
    engine: str,
    processes: int,
    workers: int = 2,
    scheduler: str | None = None,
    models: Mapping[str, str] | None = None,
) -> Iterator[Executor | None]:
    """The executor for `engine` ("local" or "dask"); None means work in this process.

    `models` (language → spaCy pipeline) are loaded once for all local workers.
    """
    if engine == "dask":
        with dask_executor(workers, scheduler) as executor:
            yield executor
    elif processes <= 1:
        yield None
    else:
        pool = WorkerPool(processes, models)
        try:
            yield pool
        except BaseException:  # Ctrl-C, SIGTERM, an error: no batch is worth waiting for
            pool.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def lost_worker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the worker died", not "the task failed".

    Dask's `KilledWorker` only if Dask is in use: importing it costs a second.
    """
    errors: tuple[type[BaseException], ...] = (WorkerLost, BrokenProcessPool)
    if "distributed" in sys.modules:
        from distributed import KilledWorker

        errors += (KilledWorker,)
    return errors


@contextmanager
def dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    """An executor on an existing Dask cluster, or on a local one of `workers` single-thread processes.

    Tasks are submitted as impure: every batch is distinct work, so hashing
    its articles into a task key would only cost time.  The scheduler
    reschedules the tasks of a worker that dies; a task that keeps killing
    workers ends with `KilledWorker`, which the runner treats like a local
    worker's death.
    """
    from distributed import Client, LocalCluster

    _quiet_dask_logs()
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


def _quiet_dask_logs() -> None:
    """Dask's INFO lines (about 40 for a local cluster's start and stop: nannies,
    stale scratch folders, a dashboard proxy to install) drown the run's own; its
    warnings stay, and `-v` (DEBUG) shows them all.  Set after `distributed` is
    imported, which sets its loggers' levels from Dask's configuration."""
    if not log.isEnabledFor(logging.DEBUG):
        logging.getLogger("distributed").setLevel(logging.WARNING)


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
    if isinstance(executor, WorkerPool):
        return executor.processes
    return max(1, _CAPACITY.get(executor, 1))

