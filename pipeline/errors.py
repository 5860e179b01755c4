"""Errors that end a run or reject a file, each with a readable one-line message.

Per-document and per-article failures are not exceptions to the caller: they are
recorded as a status and message in the tables (see `schema.py`).  The exceptions
here are for what must stop the run; every command prints them, and the other
expected failures (`run_command`), as one `error:` line with exit status 2.
The Python API (`pipeline.extract`, `read_tables`, `Tables`, `load_nlp`) raises
the same classes, with the same messages: catch `PipelineError` for all of them.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from concurrent.futures import BrokenExecutor

EXIT_ERROR = 2
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
    file), a worker process that died, and an interrupt.  Anything else is a
    bug: its traceback is printed, with a request to report it, and exit 1.
    """
    try:
        return action()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return 0
    except PipelineError as exc:
        message = str(exc)
    except KeyboardInterrupt:
        message = "interrupted; the published tables are as they were before this command"
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
