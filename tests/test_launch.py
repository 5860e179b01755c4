"""Tests for pipeline.launch: `python -m pipeline` and the `civic-entities` console script
end the same way on Ctrl-C or SIGTERM, whenever it comes.

A fast test checks, from inside the process, that both signals are the
program's before the command line's modules start loading (a second or more).
The slow tests interrupt real runs, cold (two processes, models loading, then
working) and warm (every article from the cache), at moments taken as fractions
of an undisturbed run of the same kind measured in the same session, and never
before the program has taken SIGTERM (its first lines; before them, Python
itself owns the signals).  Every outcome must be one of: the one line and exit
2 with the tables as they were (or published, when the message says so), or a
finished run (exit 0, the signal came after it); never a traceback, an exit by
signal, or a process left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.errors import INTERRUPTED, INTERRUPTED_AFTER_PUBLISHING, TERMINATED, TERMINATED_AFTER_PUBLISHING
from pipeline.schema import TABLES

from .conftest import SAMPLE, session_processes

ENTRY_POINTS = {
    "module": [sys.executable, "-m", "pipeline"],
    "script": [str(Path(sys.executable).parent / "civic-entities")],  # pyproject's console script
}
# How the signal comes: a terminal's Ctrl-C reaches the whole process group, `kill PID` the run alone.
SIGNALS = {"ctrl-c": (signal.SIGINT, True), "kill": (signal.SIGTERM, False)}
LINES = {
    signal.SIGINT: (INTERRUPTED, INTERRUPTED_AFTER_PUBLISHING),
    signal.SIGTERM: (TERMINATED, TERMINATED_AFTER_PUBLISHING),
}


def test_launch_the_console_script_runs_the_launcher() -> None:
    """The script `make setup` installs from pyproject's entry point, not `cli.main` directly."""
    script = Path(ENTRY_POINTS["script"][0]).read_text(encoding="utf-8")
    assert "from pipeline.launch import main" in script


def test_launch_usage_error_and_help_keep_their_status(tmp_path: Path) -> None:
    for argv, status in ((["--help"], 0), (["run", "--no-such-option"], 2)):
        done = subprocess.run([*ENTRY_POINTS["script"], *argv], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == status, done.stderr
        assert "Traceback" not in done.stderr


# Runs an entry point in this interpreter and prints, when `pipeline.cli` starts to import,
# whether SIGINT and SIGTERM are the program's then (not Python's default handlers).
WATCH_IMPORTS = """
import runpy, signal, sys

def hook(event, args):
    if event == "import" and args[0] == "pipeline.cli" and not seen:
        seen.append([signal.getsignal(s) not in (signal.SIG_DFL, signal.default_int_handler)
                     for s in (signal.SIGINT, signal.SIGTERM)])

seen = []
sys.addaudithook(hook)
sys.argv = [sys.argv[1], "--help"]
try:
    runpy.run_module("pipeline", run_name="__main__") if sys.argv[0] == "module" else runpy.run_path(
        {script!r}, run_name="__main__")
finally:
    print(seen, file=sys.stderr)
"""


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_launch_takes_both_signals_before_the_command_line_loads(entry: str) -> None:
    watch = WATCH_IMPORTS.format(script=ENTRY_POINTS["script"][0])
    done = subprocess.run(
        [sys.executable, "-c", watch, entry], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert done.stderr.splitlines()[-1] == "[[True, True]]", done.stderr


def _command(entry: str, out: Path, cache: Path | None) -> list[str]:
    caching = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    return [*ENTRY_POINTS[entry], "run", str(SAMPLE), "--out", str(out), "-q", "--processes", "2", *caching]


def _timed(argv: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True, cwd=PROJECT_ROOT)
    return time.monotonic() - started


class Runs(NamedTuple):
    """What the interrupted runs are compared with, measured once for the module."""

    seconds: dict[str, float]  # an undisturbed run: "cold", "warm"
    cache: Path  # filled: a warm run takes every article from it
    tables: dict[str, bytes]  # the four Parquet files of an undisturbed run


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = tmp_path_factory.mktemp("launch")
    cold = _timed(_command("module", root / "reference", None))
    _timed(_command("module", root / "filling", root / "cache"))
    warm = _timed(_command("module", root / "warm", root / "cache"))
    tables = {name: (root / "reference" / f"{name}.parquet").read_bytes() for name in TABLES}
    return Runs({"cold": cold, "warm": warm}, root / "cache", tables)


def _takes_sigterm(pid: int) -> bool:
    """Whether process `pid` has a handler for SIGTERM (Linux: the SigCgt mask of /proc/PID/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M).group(1), 16)  # type: ignore[union-attr]
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def _interrupt(argv: list[str], delay: float, how: str) -> tuple[subprocess.Popen[str], str]:
    """Run `argv`; `delay` seconds after its start, but not before it takes SIGTERM, signal it."""
    signum, group = SIGNALS[how]
    started = time.monotonic()
    child = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    while child.poll() is None and not _takes_sigterm(child.pid):
        time.sleep(0.001)
    time.sleep(max(0.0, delay - (time.monotonic() - started)))
    if child.poll() is None:
        if group:
            os.killpg(child.pid, signum)
        else:
            child.send_signal(signum)
    _, stderr = child.communicate(timeout=300)
    deadline = time.monotonic() + 10
    while session_processes(child.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session_processes(child.pid), "a process of the run outlived it"
    return child, stderr


def _check_outcome(
    child: subprocess.Popen[str], stderr: str, how: str, out: Path, tables: dict[str, bytes]
) -> None:
    assert "Traceback" not in stderr, stderr
    assert child.returncode in (0, 2), f"exit {child.returncode}: {stderr}"
    files = {name: out / f"{name}.parquet" for name in TABLES}
    published = {name: file.read_bytes() for name, file in files.items() if file.exists()}
    if child.returncode == 0:  # the run was over before the signal: it ignored it
        assert "error" not in stderr and published == tables
        return
    before, after = LINES[SIGNALS[how][0]]
    assert stderr in (f"error: {before}\n", f"error: {after}\n")
    assert published == ({} if stderr == f"error: {before}\n" else tables)


@pytest.mark.slow
@pytest.mark.parametrize("how", list(SIGNALS))
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("kind", "fraction"),
    [("cold", 0.0), ("cold", 0.15), ("cold", 0.5),
     ("warm", 0.0), ("warm", 0.3), ("warm", 0.6), ("warm", 0.95)],
)
def test_launch_an_interrupt_at_any_moment_is_one_line_or_nothing(
    kind: str, fraction: float, entry: str, how: str, runs: Runs, tmp_path: Path
) -> None:
    """Cold: 0 is while the command line's modules load, 0.15 while the fork server loads the
    models, 0.5 while the workers run; warm: imports, reading, then writing and after."""
    cache = None
    if kind == "warm":
        cache = tmp_path / "cache"
        shutil.copytree(runs.cache, cache)
    delay = fraction * runs.seconds[kind]
    out = tmp_path / "out"
    child, stderr = _interrupt(_command(entry, out, cache), delay, how)
    _check_outcome(child, stderr, how, out, runs.tables)
    if fraction <= 0.5:  # well before the end of a run that took `duration`: it was interrupted
        assert child.returncode == 2, f"the run ended before the signal, {delay:.2f} s after its start"
