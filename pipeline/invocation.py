"""How the user runs this program, for usage lines and messages that say what to type next.

A message telling a newcomer to run a bare `python -m pipeline run` sends them to
whatever `python` their shell finds, often one without the project's libraries.
`command()` names the program the way it can be typed in this environment: the
console script when that is what runs, else this interpreter, by the name the
shell finds it under (`python` in an activated environment), else by its path
(relative to the current folder when inside it: `.venv/bin/python`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SCRIPT = "civic-entities"  # the console script of pyproject.toml


def _typed(path: Path, bare: str) -> str:
    """How to type `path` here: `bare` when the shell finds exactly it under that name, else
    its path, relative to the current folder when inside it."""
    found = shutil.which(bare)
    if found is not None and Path(os.path.abspath(found)) == Path(os.path.abspath(path)):
        return bare
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return str(absolute)
    return str(relative) if len(relative.parts) > 1 else f"./{relative}"


def command() -> str:
    """The program as the user can type it in this environment (see the module docstring)."""
    if Path(sys.argv[0]).name == SCRIPT:
        return _typed(Path(sys.argv[0]), SCRIPT)
    return f"{_typed(Path(sys.executable), 'python')} -m pipeline"
