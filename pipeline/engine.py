"""Where the per-article work runs: in-process, local worker processes, or Dask.

The runner only needs a `concurrent.futures.Executor`.  Locally that is a
`WorkerPool` (below); on Dask it is `distributed.Client.get_executor()`, on a
local cluster (`--workers N`) or an existing one (`--scheduler tcp://host:8786`).
Either way a worker process loads each spaCy pipeline once, on first use, and
keeps it for every later task and, on Dask, every later run
(`recognise.load_recogniser` is cached per process); the client sends only batches of
articles and gets back only their results.

Workers run one task at a time: spaCy's NER is not shared across threads, and
one process per core uses the cores without contention on the GIL.

Local workers are forked from a fork server that loads spaCy, the configured
pipelines and the language detector once (`warm.py`), while this process
reads and splits the inputs.  Workers share those models copy-on-write, so
start-up is paid once per run instead of once per worker (about 7 s here, half
of it spaCy compiling the French tokenizer's regular expressions), and a
replacement worker starts at once.  A fork server, not a plain fork: this
process has threads (the pool's own, the progress bar's), and forking a
threaded process can copy a held lock.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker
dies: every queued batch fails, and nothing says which batch killed it.  A
`WorkerPool` gives each worker its own pipe and one task at a time, so a death
costs exactly the task that worker held: its future raises `WorkerLost`, a
fresh worker takes the dead one's place, and every other task goes on.  What
to do with a lost batch (retry, split) is the runner's decision.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any
from weakref import WeakKeyDictionary

log = logging.getLogger(__name__)

# Tells `warm.py`, in the fork server, which models to load (JSON: language → pipeline).
MODELS_ENV = "CIVIC_ENTITIES_PRELOAD_MODELS"
# Tasks each executor made here runs at once (read by `capacity`).
_CAPACITY: WeakKeyDictionary[Executor, int] = WeakKeyDictionary()


class WorkerLost(RuntimeError):
    """The process running a task died (killed, out of memory, crashed) before answering."""


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
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Task:
    future: Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class _Worker:
    process: Any  # multiprocessing's process object
    conn: Connection
    task: _Task | None = None


class WorkerPool(Executor):
    """`processes` local worker processes, each with its own pipe and one task at a time.

    A manager thread hands queued tasks to idle workers, collects answers, and
    replaces a worker that dies; the task it held fails with `WorkerLost`.
    The fork server and the workers start with the first task, not before: a
    run served from the article cache never loads a model.  `models` are
    preloaded in the fork server (`warm.py`); a fork server already running (an
    earlier pool in this process) is reused as it is, and a worker loads on
    first use what it lacks.
    """

    def __init__(self, processes: int, models: Mapping[str, str] | None = None) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._models = dict(models or {})
        self._size = processes
        self._queue: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._closing = False
        self._started = 0
        self._thread: threading.Thread | None = None
        _CAPACITY[self] = processes

    def _start(self) -> None:
        """Start the fork server (it preloads the models) and the manager thread."""
        self._context.set_forkserver_preload(["pipeline.runner", "pipeline.warm"])
        previous = os.environ.get(MODELS_ENV)
        os.environ[MODELS_ENV] = json.dumps(self._models)
        try:
            multiprocessing.forkserver.ensure_running()  # starts now, with this environment
        finally:
            if previous is None:
                del os.environ[MODELS_ENV]
            else:
                os.environ[MODELS_ENV] = previous
        self._thread = threading.Thread(target=self._manage, name="worker-pool", daemon=True)
        self._thread.start()

    @property
    def started(self) -> int:
        """How many worker processes this pool has started (replacements included)."""
        return self._started

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._workers]

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            self._queue.append(_Task(future, fn, args, kwargs))
        if self._thread is None:
            self._start()
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft().future.cancel()
        if self._thread is None:  # never given a task: nothing was started
            self._wake_reader.close()
            self._wake_writer.close()
            return
        self._wake()
        if wait:
            self._thread.join()

    def _wake(self) -> None:
        with suppress(OSError):  # the manager has finished and closed the pipe
            self._wake_writer.send_bytes(b"")

    def _start_worker(self) -> None:
        """Start one worker; outside the lock: the first start waits for the fork server's preloading."""
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child,), name="civic-worker", daemon=True)
        process.start()
        child.close()
        with self._lock:
            self._started += 1
            self._workers.append(_Worker(process, parent))

    def _manage(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closing and not self._queue and all(w.task is None for w in self._workers):
                        break
                    missing = self._size - len(self._workers)
                for _ in range(missing):
                    self._start_worker()
                with self._lock:
                    self._dispatch()
                    busy = {w.conn: w for w in self._workers if w.task is not None}
                    sentinels = {w.process.sentinel: w for w in self._workers}
                # Answers before deaths: a worker that answered and then died lost nothing.
                ready_list = wait([self._wake_reader, *busy, *sentinels])
                for ready in sorted(ready_list, key=lambda r: r not in busy):
                    if ready is self._wake_reader:
                        while self._wake_reader.poll():
                            self._wake_reader.recv_bytes()
                    elif ready in busy:
                        self._collect(busy[ready])  # type: ignore[index]
                    elif ready in sentinels:
                        self._bury(sentinels[ready])  # type: ignore[index]
        except BaseException as exc:  # no worker can be started: fail every task, never hang
            self._fail_all(exc)
            raise
        finally:
            self._stop_workers()

    def _fail_all(self, exc: BaseException) -> None:
        with self._lock:
            tasks = [*self._queue, *(w.task for w in self._workers if w.task is not None)]
            self._queue.clear()
            self._closing = True
        for task in tasks:
            if not task.future.done():
                task.future.set_exception(RuntimeError(f"the worker pool failed: {exc}"))

    def _dispatch(self) -> None:
        for worker in self._workers:
            while worker.task is None and self._queue:
                task = self._queue.popleft()
                if not task.future.set_running_or_notify_cancel():
                    continue
                try:
                    worker.conn.send((task.fn, task.args, task.kwargs))
                except (OSError, ValueError):  # the worker is gone: its sentinel says so next
                    self._queue.appendleft(task)
                    break
                except Exception as exc:  # the task cannot be pickled
                    task.future.set_exception(exc)
                    continue
                worker.task = task

    def _collect(self, worker: _Worker) -> None:
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            self._bury(worker)
            return
        task, worker.task = worker.task, None
        assert task is not None
        if ok:
            task.future.set_result(value)
        else:
            task.future.set_exception(value)

    def _bury(self, worker: _Worker) -> None:
        """A worker died: fail its task, if any; the loop starts a replacement."""
        with self._lock:
            if worker not in self._workers:
                return
            self._workers.remove(worker)
        worker.process.join()
        worker.conn.close()
        code = worker.process.exitcode
        if worker.task is not None:
            why = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit {code}"
            worker.task.future.set_exception(
                WorkerLost(f"worker process {worker.process.pid} died ({why}) while running this batch")
            )

    def _stop_workers(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            with suppress(OSError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._wake_reader.close()
        self._wake_writer.close()
        # The pool owns the fork server's lifetime: its preloaded models are freed
        # now, the next pool preloads its own, and the server (with the workers it
        # reaped) is reaped here, so its memory and CPU count in this process's usage.
        multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]


def _serve(conn: Connection) -> None:
    """A worker's loop: run each task sent, answer (ok, value); None ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the pool is gone
            return
        if message is None:
            return
        fn, args, kwargs = message
        try:
            answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except Exception as exc:
            answer = (False, exc)
        try:
            conn.send(answer)
        except Exception as exc:  # an answer that cannot be pickled
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


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

