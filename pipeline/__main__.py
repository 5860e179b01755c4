"""`python -m pipeline`: see `pipeline.cli`."""

import sys

try:
    from .cli import main
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
    raise SystemExit(2) from None

raise SystemExit(main())
