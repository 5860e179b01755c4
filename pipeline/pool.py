"""The local worker pool: worker processes forked from a fork server that holds the models.

Local workers are forked from a fork server that loads spaCy, the configured
pipelines and the language detector once (`warm.py`), while the run's process
reads and splits the inputs.  Workers share those models copy-on-write, so
start-up is paid once per run instead of once per worker (about 7 s here, half
of it spaCy compiling the French tokenizer's regular expressions), and a
replacement worker starts at once.  A fork server, not a plain fork: the run's
process has threads (the pool's own, the progress bar's), and forking a
threaded process can copy a held lock.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker
dies: every queued batch fails, and nothing says which batch killed it.  A
`WorkerPool` gives each worker its own pipe and one task at a time, so a death
costs exactly the task that worker held: its future raises `WorkerLost`, a
fresh worker takes the dead one's place, and every other task goes on.  The
fork server may die too (it is the largest process, the one an out-of-memory
killer picks): its workers run on, and a new server is started when a worker
is next needed (`_ForkServer`).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from multiprocessing.forkserver import read_signed
from typing import Any, ClassVar

from .config import report_spacy_mismatch
from .errors import WorkerPoolError
from .forked import WorkerProcess

log = logging.getLogger(__name__)
_FORK_SERVER: Any = multiprocessing.forkserver._forkserver  # type: ignore[attr-defined]

# Tells `warm.py`, in the fork server, which models to load (JSON: language → pipeline).
MODELS_ENV = "CIVIC_ENTITIES_PRELOAD_MODELS"


class WorkerLost(RuntimeError):
    """The process running a task died (killed, out of memory, crashed) before answering."""


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


def _death(pid: int) -> str | None:
    """How child process `pid` ended ("signal SIGKILL", "exit 1"), None while it runs; it is left unreaped."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # reaped already
        return "exit status unknown"
    if info is None:
        return None
    if info.si_code in (os.CLD_KILLED, os.CLD_DUMPED):
        return f"signal {signal.Signals(info.si_status).name}"
    return f"exit {info.si_status}"


class _ForkServer:
    """multiprocessing's fork server as a `WorkerPool` uses it: started with the models to
    preload, its deaths counted, killed or stopped with the pool.

    multiprocessing starts the server on the first worker start, and starts a
    new one on a later start if the last one has died, in the environment of
    that moment: so the models to preload stay in the environment while the pool
    lives, and a new server preloads them too.  A death is counted before each
    start; `MAX_DEATHS` in a row, without a worker forked in between (a model
    that takes more memory than there is, a server killed each time), end the
    pool with `WorkerPoolError` instead of a loop.
    """

    MAX_DEATHS = 3
    PRELOAD: ClassVar[list[str]] = ["pipeline.runner", "pipeline.warm"]

    def __init__(self, context: Any, models: Mapping[str, str]) -> None:
        self._context = context
        self.models = dict(models)
        self._previous_env: str | None = None
        self._counted: set[int] = set()
        self.deaths_in_a_row = 0

    @property
    def pid(self) -> int | None:
        pid: int | None = _FORK_SERVER._forkserver_pid
        return pid

    def prepare(self) -> None:
        self._context.set_forkserver_preload(self.PRELOAD)
        self._previous_env = os.environ.get(MODELS_ENV)
        os.environ[MODELS_ENV] = json.dumps(self.models)

    def count_death(self, wait: float = 0.0) -> str | None:
        """Why the current server died, if it has (waiting up to `wait` seconds for it to
        end), counted once; WorkerPoolError when it is one death too many."""
        pid, deadline = self.pid, time.monotonic() + wait
        why = _death(pid) if pid is not None else None
        while pid is not None and why is None and time.monotonic() < deadline:
            time.sleep(0.01)
            why = _death(pid)
        if pid is None or why is None or pid in self._counted:
            return None
        self._counted.add(pid)
        self.deaths_in_a_row += 1
        if self.deaths_in_a_row >= self.MAX_DEATHS:
            raise WorkerPoolError(
                f"the fork server, the process that loads the models for the workers, died "
                f"{self.deaths_in_a_row} times in a row before it could start a worker (last: {why}); "
                "out of memory? try --processes 1"
            )
        return f"the fork server (pid {pid}), which holds the models, died ({why})"

    def uncounted_death(self) -> str | None:
        """Why the current server died, if it has and that death was not counted."""
        pid = self.pid
        return None if pid is None or pid in self._counted else _death(pid)

    def kill(self) -> None:
        with _FORK_SERVER._lock:  # multiprocessing reaps and replaces it under this lock: the pid is valid
            if self.pid is not None:
                with suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Stop the server and free its models: the next pool preloads its own, and the
        server's memory and CPU count in this process's usage once it is reaped."""
        if self._previous_env is None:
            os.environ.pop(MODELS_ENV, None)
        else:
            os.environ[MODELS_ENV] = self._previous_env
        _FORK_SERVER._stop()


class WorkerPool(Executor):
    """`processes` local worker processes, each with its own pipe and one task at a time.

    A manager thread hands queued tasks to idle workers, collects answers, and
    replaces a worker that dies; the task it held fails with `WorkerLost`.
    The fork server and the workers start with the first task, not before: a
    run served from the article cache never loads a model.  `models` are
    preloaded in the fork server (`warm.py`).

    Every process the pool starts may die without ending the run.  A worker's
    death is seen on its pipe (end of file), not through the fork server,
    which reports its workers' exits: so when the fork server dies (it holds
    every model, the largest process, the one an out-of-memory killer picks),
    its workers run on, and only the next worker to start waits for a new
    server (`_ForkServer`).  `terminate` stops everything at once and quietly
    (Ctrl-C, an error in the run).  Workers do not import the caller's main
    module (`forked.WorkerProcess`): a task is a function of an importable module.
    """

    def __init__(self, processes: int, models: Mapping[str, str] | None = None) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._server = _ForkServer(self._context, models or {})
        self.processes = processes
        self._queue: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._closing = self._terminating = False
        self._failure: BaseException | None = None
        self._notes: list[str] = []  # warnings of the manager thread, logged by the caller's thread
        self._started = 0
        self._thread: threading.Thread | None = None

    def _start(self) -> None:
        """Start the manager thread; it starts the fork server (which preloads the models) and the workers."""
        self._server.prepare()
        for model in sorted(set(self._server.models.values())):
            report_spacy_mismatch(model)
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
        self._log_notes()
        future: Future[Any] = Future()
        with self._lock:
            if self._failure is not None:
                raise self._failure
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
            self._log_notes()

    def terminate(self) -> None:
        """Stop now, whatever the processes are doing (Ctrl-C, SIGTERM, an error in the run):
        queued tasks are cancelled, workers and the fork server killed, nothing retried."""
        with self._lock:
            self._closing = self._terminating = True
            while self._queue:
                self._queue.popleft().future.cancel()
            workers = list(self._workers)
        for worker in workers:
            with suppress(OSError):
                worker.process.kill()
        while self._thread is not None and self._thread.is_alive():
            self._server.kill()  # the manager may be waiting for it to load the models
            self._wake()
            self._thread.join(timeout=0.1)

    def _wake(self) -> None:
        with suppress(OSError):  # the manager has finished and closed the pipe
            self._wake_writer.send_bytes(b"")

    def _log_notes(self) -> None:
        """Log the manager thread's warnings, from the caller's thread: after `terminate` (an
        interrupt) there is nothing to say, and a fork server killed by the same Ctrl-C or
        SIGTERM as the run must not add a line to the run's one."""
        with self._lock:
            notes, self._notes = ([] if self._terminating else self._notes), []
        for note in notes:
            log.warning("%s", note)

    def _note(self, note: str | None) -> None:
        if note is not None:
            with self._lock:
                self._notes.append(note)

    def _start_worker(self) -> None:
        """Start one worker; outside the lock: the first start waits for the fork server's preloading.

        SIGINT is blocked in this thread, and a fork server started from it
        inherits it blocked: Ctrl-C cannot reach the server before `warm.py`
        ignores it (the run's process handles Ctrl-C).  The resource tracker is
        started first, apart: starting it unblocks SIGINT in the starting thread.
        """
        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        died = self._server.count_death()
        if died is not None:  # multiprocessing starts a new server below
            self._note(f"{died}; a new one is loading the models")
        parent, child = self._context.Pipe()
        process = WorkerProcess(target=_serve, args=(child,), name="civic-worker", daemon=True)
        try:
            process.start()
        except (OSError, EOFError):  # the fork server died before it forked the worker
            parent.close()
            if self._terminating:
                return
            note = self._server.count_death(wait=5.0)
            if note is None:  # the server lives: the failure is not its death
                raise
            self._note(f"{note} before it started a worker; starting a new one")
            return
        finally:
            child.close()
        self._server.deaths_in_a_row = 0
        with self._lock:
            self._started += 1
            self._workers.append(_Worker(process, parent))

    def _manage(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as exc:  # never a traceback from this thread: every task fails with it
            self._fail_all(exc)
        finally:
            self._stop_workers()

    def _step(self) -> bool:
        """Start missing workers, hand out tasks, wait for an answer or a death; False once done."""
        with self._lock:
            idle = all(w.task is None for w in self._workers)
            if self._closing and not self._queue and idle:
                return False
            wanted = not self._terminating and (self._queue or not self._closing)
            missing = self.processes - len(self._workers) if wanted else 0
        for _ in range(missing):
            self._start_worker()
        with self._lock:
            self._dispatch()
            # An idle worker's pipe is ready only when it has died (end of file).
            conns = {w.conn: w for w in self._workers}
            short = missing and len(self._workers) < self.processes  # a start failed: retry at once
        for ready in wait([self._wake_reader, *conns], timeout=0 if short else None):
            if ready is self._wake_reader:
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
            else:
                self._collect(conns[ready])  # type: ignore[index]
        return True

    def _fail_all(self, exc: BaseException) -> None:
        if not isinstance(exc, WorkerPoolError):
            failure = RuntimeError(f"the worker pool failed: {type(exc).__name__}: {exc}")
            failure.__cause__ = exc
            exc = failure
        with self._lock:
            tasks = [*self._queue, *(w.task for w in self._workers if w.task is not None)]
            self._queue.clear()
            self._closing = True
            self._failure = exc
        for task in tasks:
            if not task.future.done():
                task.future.set_exception(exc)

    def _dispatch(self) -> None:
        for worker in self._workers:
            while worker.task is None and self._queue:
                task = self._queue.popleft()
                if not task.future.set_running_or_notify_cancel():
                    continue
                try:
                    worker.conn.send((task.fn, task.args, task.kwargs))
                except (OSError, ValueError):  # the worker is gone: its pipe says so next
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
        if task is None:  # nothing was asked of it
            return
        if ok:
            task.future.set_result(value)
        else:
            task.future.set_exception(value)

    def _bury(self, worker: _Worker) -> None:
        """A worker died: fail its task, if any; the loop starts a replacement."""
        with self._lock:
            self._workers.remove(worker)
        worker.conn.close()
        if worker.task is not None:
            worker.task.future.set_exception(
                WorkerLost(f"worker process {worker.process.pid} died ({self._exit(worker)}) "
                           "while running this batch")
            )

    @staticmethod
    def _exit(worker: _Worker) -> str:
        """How a dead worker ended, as the fork server that forked it reports it.

        Read here rather than by `join`, which reports a server that died
        (end of file where the status should be) as exit 255, unless
        multiprocessing has read it already: it polls its children each time it
        starts one, so when two workers died, the first one's replacement may.
        """
        code: int | None = worker.process._popen.returncode
        sentinel = worker.process.sentinel
        try:
            if code is None and wait([sentinel], timeout=5):
                code = read_signed(sentinel)
        except (EOFError, OSError):
            code = None
        worker.process.join(timeout=1)  # the end of the pipe: multiprocessing forgets the process
        if code is None:
            return "exit status unknown: the fork server that started it has died"
        return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"

    def _stop_workers(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            with suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 10
        for worker in workers:
            if not _ended(worker.conn, deadline - time.monotonic()):
                worker.process.kill()  # the pipe is open, so the pid is still this worker's
            worker.process.join(timeout=5)
            worker.conn.close()
        self._wake_reader.close()
        self._wake_writer.close()
        why = None if self._terminating else self._server.uncounted_death()
        if why is not None:
            self._note(f"the fork server, which holds the models, died during the run ({why}); "
                       "the workers it had started finished it")
        self._server.stop()


def _ended(conn: Connection, timeout: float) -> bool:
    """Whether the process at the other end of `conn` ended (closed it) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        while conn.poll(max(0.0, deadline - time.monotonic())):
            conn.recv()  # a late answer, then the end of file
    except (EOFError, OSError):
        return True
    return False


def _serve(conn: Connection) -> None:
    """A worker's loop: run each task sent, answer (ok, value); None, or the pool gone, ends it quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the pool is gone
            return
        if message is None:
            return
        fn, args, kwargs = message
        try:
            answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except Exception as exc:
            answer = (False, exc)
        if not _answer(conn, answer):
            return


def _answer(conn: Connection, answer: tuple[bool, Any]) -> bool:
    """Send a task's answer; False when the pool is gone (it was stopped or killed)."""
    try:
        conn.send(answer)
    except OSError:
        return False
    except Exception as exc:  # an answer that cannot be pickled
        return _answer(conn, (False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    return True


