"""Errors that end a run or reject a file, each with a readable one-line message.

Per-document and per-article failures are not exceptions to the caller: they are
recorded as a status and message in the tables (see `schema.py`).  The exceptions
here are for what must stop the run; every command prints them, and the other
expected failures (`run_command`), as one `error:` line with exit status 2.
The Python API (`pipeline.extract`, `read_tables`, `Tables`, `load_nlp`) raises
the same classes, with the same messages: catch `PipelineError` for all of them.
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from types import FrameType

EXIT_ERROR = 2
INTERRUPTED = "interrupted; the published tables are as they were before this command"
TERMINATED = "terminated (SIGTERM); the published tables are as they were before this command"
EXIT_BUG = 1
BUG_HINT = (
    "this is a bug in civic-entities, not a problem with your input or settings: "
    "please report it with the traceback above"
)


class PipelineError(Exception):
    """Base class: `str(error)` is the one-line reason shown to the user."""


class InputError(PipelineError):
    """Bad input: one of the three classes below (and a gold or benchmark file `eval` cannot read)."""


class MissingInputError(InputError):
    """An input path does not exist."""


class NoInputError(InputError):
    """Nothing to read: no input given, or folders without *.txt / *.txt.gz files."""


class UnreadableInputError(InputError):
    """Inputs were found, but none is text (binary, undecodable, empty or unreadable);
    the message names the first few and why."""


class ConfigError(PipelineError):
    """The configuration file is invalid; the message names the file and line."""


class CurationError(PipelineError):
    """The curation file is invalid; the message names the file and line."""


class ModelError(PipelineError):
    """A spaCy pipeline is not installed or does not match the pinned manifest."""


class OutputError(PipelineError):
    """The output tables are missing, or fail their declared schema."""


class EntityLookupError(OutputError, LookupError):
    """No entity, or several, match the id, key, name or alias given to `show` or `Tables.entity`."""


class UnsupportedLanguageError(PipelineError, ValueError):
    """A language with no configured spaCy pipeline (the pipeline knows en, fr and es)."""


class WorkerPoolError(PipelineError):
    """The local worker pool cannot start workers: the process that loads the models keeps dying."""


class Terminated(BaseException):
    """SIGTERM asked this process to stop: raised in the main thread, as Ctrl-C raises KeyboardInterrupt."""


# Interrupting signals received during the command (see `check_interrupted`).
_received: list[int] = []
_DEFAULT_HANDLERS = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}


def _interrupt(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM: raise in the main thread, once; a repeat (Ctrl-C pressed again
    while the workers are being stopped) would only break that clean-up."""
    if not _received:
        _received.append(signum)
        raise _interrupt(signum)


def check_interrupted() -> None:
    """Raise again an interrupt that library code swallowed.

    Some libraries turn any exception into their own error: langdetect, while
    loading its profiles, raises `LangDetectException` for a KeyboardInterrupt
    too, which the pipeline records as a page's or an article's failure and goes
    on.  The runner calls this after each document and each batch, so an
    interrupt still ends the command, before any table is published.
    """
    if _received:
        raise _interrupt(_received[0])


def interrupted() -> bool:
    """Whether the last command was interrupted (Ctrl-C, SIGTERM)."""
    return bool(_received)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Ctrl-C and SIGTERM (a service manager, `timeout`, `kill`) raise KeyboardInterrupt and
    Terminated in the main thread: they unwind through the `finally` blocks that stop the
    workers and remove the staging folder, instead of the process vanishing on the spot.
    A signal this process was started ignoring (a background job's Ctrl-C) stays ignored."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in _DEFAULT_HANDLERS}
    for sig, default in _DEFAULT_HANDLERS.items():
        if previous[sig] is default:
            signal.signal(sig, _on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def describe_os_error(exc: OSError) -> str:
    """'<file>: <reason>' for permissions, a full disk, a missing file and the like."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    other = f" -> {exc.filename2}" if exc.filename2 is not None else ""
    return f"{exc.filename}{other}: {reason}"


def run_command(action: Callable[[], int]) -> int:
    """Run a command; an expected failure is one `error:` line and exit 2.

    Expected: a `PipelineError`, an OS error (permissions, no space, a missing
    file), a worker process that died, and an interrupt (Ctrl-C, SIGTERM).
    Anything else is a bug: its traceback is printed, with a request to report
    it, and exit 1.
    """
    try:
        with _signals_raise():
            return action()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return 0
    except PipelineError as exc:
        message = str(exc)
    except (KeyboardInterrupt, Terminated) as exc:
        # Files the interrupted code had open are closed by the garbage collector: not worth a line.
        warnings.simplefilter("ignore", ResourceWarning)
        message = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else TERMINATED
    except OSError as exc:
        message = describe_os_error(exc)
    except MemoryError:
        message = "out of memory"
    except BrokenExecutor as exc:
        message = f"a worker process died ({exc}); out of memory? try --processes 1"
    except Exception:
        traceback.print_exc()
        print(f"error: {BUG_HINT}", file=sys.stderr)
        return EXIT_BUG
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR
