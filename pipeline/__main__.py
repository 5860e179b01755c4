"""`python -m pipeline`: see `pipeline.cli`."""

import os
import sys

from .errors import EXIT_ERROR, INTERRUPTED, interrupted


def _leave(status: int) -> None:
    """End the process now with `status`, after an interrupt the command handled.

    CPython remembers a KeyboardInterrupt that passed through code that `exec`
    made from a string (dataclasses make their methods so) and, at its normal exit,
    kills the process with SIGINT although the interrupt was handled.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the command's modules load: the one line it gets later too
    print(f"error: {INTERRUPTED}", file=sys.stderr)
    _leave(EXIT_ERROR)
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
    raise SystemExit(EXIT_ERROR) from None

status = main()
if interrupted():
    _leave(status)
raise SystemExit(status)
