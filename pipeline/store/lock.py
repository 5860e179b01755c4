"""One writer per output folder: an exclusive lock on the folder itself.

The lock is `flock` on a descriptor of the output folder (no lock file), so it
leaves nothing behind, and the kernel releases it when its process ends, however
it ends: a killed run's lock is free at once, with no stale file to judge.

The run holding the lock records who it is (pid, the process's start time, when
the run started) in its staging folder (`write_owner`).  A second run that
cannot get the lock reads that record to name the other run in its error
(`OutputBusy`); it has written and deleted nothing by then.  Staging folders are
only ever created, rolled forward or removed by the holder of the lock, so a
staging folder found by the holder belongs to a dead run.  The process start
time guards against a recycled pid when naming the owner.

The lock is reentrant within one thread (the command line takes it before it
starts workers, the runner again around the run), and exclusive between
threads and processes.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import fcntl
import functools
import inspect
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

import psutil

from ..errors import OutputError

OWNER_FILE = ".owner"
STAGING_PREFIX = ".staging-"
# How long a run keeps trying when the lock is busy but no live writer is named
# yet: the holder is a reader rolling a publish forward (milliseconds), or a
# writer between taking the lock and writing its record (microseconds).
BUSY_GRACE_SECONDS = 2.0
_RETRY_SECONDS = 0.02
# Process start times are compared to this precision (psutil rounds them).
_START_TOLERANCE_SECONDS = 1.0

P = ParamSpec("P")
R = TypeVar("R")


class OutputBusy(OutputError):
    """Another run is writing the output folder."""


@dataclass(frozen=True)
class Owner:
    """Who writes an output folder: its process and when the run started."""

    pid: int
    process_started: float  # the process's start time (epoch seconds), to tell a recycled pid
    started: str  # when the run took the folder, ISO 8601 UTC

    def alive(self) -> bool:
        try:
            created = psutil.Process(self.pid).create_time()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return False
        except psutil.Error:  # another user's process we may not inspect: trust the pid
            return True
        return abs(created - self.process_started) <= _START_TOLERANCE_SECONDS

    def describe(self) -> str:
        return f"pid {self.pid}, started {self.started}"


def current_owner() -> Owner:
    return Owner(
        pid=os.getpid(),
        process_started=psutil.Process().create_time(),
        started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )


def write_owner(staging: Path) -> None:
    """Record this process as the owner of `staging` (written whole, then renamed into place)."""
    tmp = staging / f"{OWNER_FILE}.tmp"
    tmp.write_text(json.dumps(asdict(current_owner())), encoding="utf-8")
    os.replace(tmp, staging / OWNER_FILE)


def read_owner(staging: Path) -> Owner | None:
    """The owner recorded in a staging folder; None when absent or unreadable."""
    try:
        record = json.loads((staging / OWNER_FILE).read_text(encoding="utf-8"))
        return Owner(int(record["pid"]), float(record["process_started"]), str(record["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def staging_folders(out_dir: Path) -> list[Path]:
    return sorted(p for p in out_dir.glob(f"{STAGING_PREFIX}*") if p.is_dir())


def live_writer(out_dir: Path) -> Owner | None:
    """The most recently started live owner among the folder's staging folders."""
    owners = [o for o in map(read_owner, staging_folders(out_dir)) if o is not None and o.alive()]
    return max(owners, key=lambda o: o.started, default=None)


# (thread, device, inode) of the folders this process's threads hold: a nested hold
# in the same thread is let through (a second flock would wait on itself).
_HELD: set[tuple[int, int, int]] = set()
_HELD_GUARD = threading.Lock()


class _State(enum.Enum):
    HELD = "held"
    BUSY = "busy"  # another holder (or this thread, when not reentrant)
    GONE = "gone"  # the folder was removed or replaced before it was locked: try again


def _flock(descriptor: int, out_dir: Path, wait: bool) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise OutputError(f"cannot lock output folder {out_dir}: {exc.strerror}") from exc
    return True


def _same_folder(out_dir: Path, stat: os.stat_result) -> bool:
    try:
        now = os.stat(out_dir)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (stat.st_dev, stat.st_ino)


@contextlib.contextmanager
def _locked(out_dir: Path, wait: bool, reentrant: bool) -> Iterator[_State]:
    """Hold the folder's lock for the block (HELD), or say why not (BUSY, GONE)."""
    try:
        descriptor = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        yield _State.GONE
        return
    except OSError as exc:
        raise OutputError(f"cannot use output folder {out_dir}: {exc.strerror or exc}") from exc
    try:
        stat = os.fstat(descriptor)
        key = (threading.get_ident(), stat.st_dev, stat.st_ino)
        with _HELD_GUARD:
            nested = key in _HELD
        if nested:  # this thread holds it already: only its outermost hold releases it
            yield _State.HELD if reentrant else _State.BUSY
            return
        if not _flock(descriptor, out_dir, wait):
            yield _State.BUSY
            return
        if not _same_folder(out_dir, stat):  # removed (and perhaps made again) meanwhile
            yield _State.GONE
            return
        with _HELD_GUARD:
            _HELD.add(key)
        try:
            yield _State.HELD
        finally:
            with _HELD_GUARD:
                _HELD.discard(key)
    finally:
        os.close(descriptor)  # closing the last descriptor releases the lock


@contextlib.contextmanager
def hold_output(out_dir: Path) -> Iterator[None]:
    """Be the one writer of `out_dir` for the block, or raise OutputBusy.

    Fails at once when a live run holds it; a run that died holds nothing.  A
    folder made here is removed again if the block leaves it empty (a run
    refused for its inputs or settings leaves nothing behind).
    """
    deadline = time.monotonic() + BUSY_GRACE_SECONDS
    while True:
        try:
            out_dir.mkdir(parents=True)
            created = True
        except FileExistsError:
            created = False
        except OSError as exc:
            raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from exc
        with _locked(out_dir, wait=False, reentrant=True) as state:
            if state is _State.HELD:
                try:
                    yield
                finally:
                    if created:
                        with contextlib.suppress(OSError):  # only succeeds when empty
                            out_dir.rmdir()
                return
        if state is _State.GONE:
            continue
        owner = live_writer(out_dir)
        if owner is not None or time.monotonic() > deadline:
            who = owner.describe() if owner is not None else "pid unknown"
            raise OutputBusy(f"{out_dir} is being written by another run ({who})")
        time.sleep(_RETRY_SECONDS)


@contextlib.contextmanager
def hold_for_recovery(out_dir: Path, wait: bool) -> Iterator[bool]:
    """Hold the lock to repair the folder; yields False when a writer holds it and not
    `wait`, and always when that writer is this thread (it repairs for itself)."""
    with _locked(out_dir, wait, reentrant=False) as state:
        yield state is _State.HELD


def holding_output(parameter: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a function so that it runs holding the output folder named by `parameter`."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            out_dir = Path(signature.bind(*args, **kwargs).arguments[parameter])
            with hold_output(out_dir):
                return func(*args, **kwargs)

        return wrapper

    return decorate
