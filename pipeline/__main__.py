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

status = main()
if interrupted():
    _leave(status)
raise SystemExit(status)
