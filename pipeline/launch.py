"""How the program starts and ends: `python -m pipeline` and the `civic-entities` console script alike.

Both run `main`.  It takes Ctrl-C and SIGTERM before it imports the command
line, whose modules take a second or more to load: an interrupt at any moment
once the interpreter has started, imports included, is the one line and exit
status 2 of an interrupted command (`errors.run_command`), never a traceback or
an exit by signal.  Once the command is over the process ignores both, so that
a late one cannot turn a finished command into an exit by signal while the
interpreter shuts down.

Only the standard library and `errors` are imported here: this module loads
before the project's libraries are known to be there.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from .errors import (
    EXIT_ERROR,
    Terminated,
    catch_interrupts,
    check_interrupted,
    ignore_interrupts,
    interrupt_message,
    interrupted,
)


def main() -> NoReturn:
    """Run the command line on `sys.argv` and exit with its status."""
    catch_interrupts()
    status: int | str | None
    try:
        status = _command()
        ignore_interrupts()  # in the try: an interrupt just before it is still reported as one
    except SystemExit as leaving:  # --help, a usage error
        ignore_interrupts()
        status = leaving.code
    except (KeyboardInterrupt, Terminated) as exc:  # while the modules load, or around the command
        ignore_interrupts()
        print(f"error: {interrupt_message(exc)}", file=sys.stderr)
        status = EXIT_ERROR
    if interrupted():
        _leave(status if isinstance(status, int) else EXIT_ERROR)
    sys.exit(status)


def _command() -> int:
    try:
        from .cli import main as command
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] == __package__:
            raise  # a module of ours missing is a bug, shown as one
        # A Python without the project's environment (the system's, say) finds this
        # folder but not the libraries: an expected failure, one line and exit 2.
        print(
            f"error: {missing}: {sys.executable} is not the project's Python; run "
            ".venv/bin/python -m pipeline (make setup creates .venv), or source .venv/bin/activate first",
            file=sys.stderr,
        )
        return EXIT_ERROR
    check_interrupted()  # one that a library swallowed while the modules loaded
    return command()


def _leave(status: int) -> NoReturn:
    """End the process now with `status`, after an interrupt the command handled.

    CPython remembers a KeyboardInterrupt that passed through code that `exec`
    made from a string (dataclasses make their methods so) and, at its normal exit,
    kills the process with SIGINT although the interrupt was handled.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
