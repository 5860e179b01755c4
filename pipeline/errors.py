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
import warnings
from collections.abc import Callable, Iterator
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


INTERRUPTED_AFTER_PUBLISHING = "interrupted after this command had published its tables: they are complete"
TERMINATED_AFTER_PUBLISHING = (
    "terminated (SIGTERM) after this command had published its tables: they are complete"
)
_DEFAULT_HANDLERS = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}


class _Command:
    """What the running command's interrupts depend on (one command at a time, in the main thread)."""

    def __init__(self) -> None:
        self.start(active=False)

    def start(self, *, active: bool) -> None:
        self.active = active  # this process's handlers are `_on_signal`
        self.received: list[int] = []  # the interrupting signal, once received
        self.holding = False  # tables are being moved into place: the interrupt waits
        self.published = False  # the command's tables are in place: its message must not say otherwise


_command = _Command()


def _interrupt(signum: int) -> BaseException:
    # The files the interrupted code had open (an import's, a table's) are closed by the
    # garbage collector as the interrupt unwinds: not worth a line each.
    warnings.simplefilter("ignore", ResourceWarning)
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM: raise in the main thread, once; a repeat (Ctrl-C pressed again
    while the workers are being stopped) would only break that clean-up.  While the
    tables are being published the interrupt waits for the end of it (`publishing`)."""
    if not _command.received:
        _command.received.append(signum)
        if not _command.holding:
            raise _interrupt(signum)


def check_interrupted() -> None:
    """Raise again an interrupt that library code swallowed.

    Some libraries turn any exception into their own error: langdetect, while
    loading its profiles, raises `LangDetectException` for a KeyboardInterrupt
    too, which the pipeline records as a page's or an article's failure and goes
    on.  The runner calls this after each document and each batch, so an
    interrupt still ends the command, before any table is published.
    """
    if _command.active and _command.received:
        raise _interrupt(_command.received[0])


def interrupted() -> bool:
    """Whether the last command was interrupted (Ctrl-C, SIGTERM)."""
    return bool(_command.received)


def interrupt_message(exc: BaseException) -> str:
    """The one line for an interrupt: whether the tables had been published when it came."""
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED_AFTER_PUBLISHING if _command.published else INTERRUPTED
    return TERMINATED_AFTER_PUBLISHING if _command.published else TERMINATED


@contextmanager
def publishing() -> Iterator[None]:
    """Moving a run's finished tables into place: an interrupt waits until every file is
    moved, so the folder never holds tables of two runs, and is then raised with a
    message that says the tables are published.  Without the command's handlers (the
    Python API) this changes nothing."""
    _command.holding = True
    try:
        yield
        _command.published = True
    finally:
        _command.holding = False
    if _command.published:
        check_interrupted()


def catch_interrupts() -> None:
    """Take Ctrl-C and SIGTERM for the whole process, before the program imports anything
    heavy: an interrupt while the command line's modules load (a second or more) is then
    the same one line as during the command (see `pipeline.launch`).  A signal this process
    was started ignoring (a background job's Ctrl-C) stays ignored."""
    _command.start(active=True)
    for sig, default in _DEFAULT_HANDLERS.items():
        if signal.getsignal(sig) is default:
            signal.signal(sig, _on_signal)


def ignore_interrupts() -> None:
    """The command is over: its process leaves in a moment, and no signal may cut that
    short into an exit by signal or a traceback from the interpreter's clean-up."""
    for sig in _DEFAULT_HANDLERS:
        signal.signal(sig, signal.SIG_IGN)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Ctrl-C and SIGTERM (a service manager, `timeout`, `kill`) raise KeyboardInterrupt and
    Terminated in the main thread: they unwind through the `finally` blocks that stop the
    workers and remove the staging folder, instead of the process vanishing on the spot.
    A signal this process was started ignoring (a background job's Ctrl-C) stays ignored.
    When the program took them already (`catch_interrupts`), they stay as they are."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        _command.start(active=False)
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in _DEFAULT_HANDLERS}
    if not any(handler is _on_signal for handler in previous.values()):
        catch_interrupts()
    check_interrupted()  # one that came before the command and that an import swallowed
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _command.active = any(handler is _on_signal for handler in previous.values())


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
        warnings.simplefilter("ignore", ResourceWarning)  # as `_interrupt` does, for one raised otherwise
        message = interrupt_message(exc)
    except OSError as exc:
        message = describe_os_error(exc)
    except MemoryError:
        message = "out of memory"
    except Exception as exc:
        return _unexpected(exc)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _unexpected(exc: Exception) -> int:
    """A worker pool that broke is one line and exit 2; anything else is a bug: its traceback, exit 1.

    concurrent.futures is imported here, not with this module: `pipeline.launch`
    imports this module before it takes Ctrl-C, and that moment should be short."""
    from concurrent.futures import BrokenExecutor

    if isinstance(exc, BrokenExecutor):
        print(f"error: a worker process died ({exc}); out of memory? try --processes 1", file=sys.stderr)
        return EXIT_ERROR
    import traceback

    traceback.print_exc()
    print(f"error: {BUG_HINT}", file=sys.stderr)
    return EXIT_BUG
