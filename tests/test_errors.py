"""Tests for pipeline.errors: an interrupt (Ctrl-C, SIGTERM) ends any command with one line.

The slow tests interrupt a real cold run while its fork server loads the
models, the way a terminal does (SIGINT to the whole process group) and the
way a single `kill` does (the run's process only), and check that stderr holds
exactly one line and that no process of the run is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline import runner
from pipeline.config import PROJECT_ROOT, Config
from pipeline.errors import (
    INTERRUPTED,
    INTERRUPTED_AFTER_PUBLISHING,
    TERMINATED,
    TERMINATED_AFTER_PUBLISHING,
    check_interrupted,
    interrupted,
    run_command,
)
from pipeline.records import Article
from pipeline.runner import ArticleStages, Stages
from pipeline.store import write

from .conftest import SAMPLE, session_processes

PAGE = (
    "  • Rights groups meet in Geneva\n\n    Human rights organisations met in Geneva to ask the "
    "authorities for an independent inquiry into the use of force against students.\n\n"
    "Contact us · Privacy · Newsletter\n"
)


def _swallowing(signum: int) -> None:
    """What langdetect does while it loads its profiles: any exception becomes its own error."""
    try:
        signal.raise_signal(signum)
    except BaseException as exc:  # the library's habit this test reproduces
        raise ValueError("Profile format error") from exc


@pytest.mark.parametrize(("signum", "line"), [(signal.SIGINT, INTERRUPTED), (signal.SIGTERM, TERMINATED)])
def test_errors_an_interrupt_is_one_line_and_exit_2(
    signum: int, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def command() -> int:
        signal.raise_signal(signum)
        return 0

    assert run_command(command) == 2
    assert capsys.readouterr().err == f"error: {line}\n"
    assert interrupted()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers are the command's only
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_errors_an_interrupt_a_library_swallowed_is_raised_at_the_next_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def command() -> int:
        with pytest.raises(ValueError, match="Profile format error"):
            _swallowing(signal.SIGINT)
        check_interrupted()
        return 0

    assert run_command(command) == 2
    assert capsys.readouterr().err == f"error: {INTERRUPTED}\n"
    assert run_command(lambda: 0) == 0 and not interrupted()  # the next command starts afresh


def test_errors_a_swallowed_interrupt_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page's chrome whose language detection swallows Ctrl-C: the run still stops, no table."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE, encoding="utf-8")

    def detect_language(text: str) -> tuple[str, float]:
        _swallowing(signal.SIGINT)
        return "en", 1.0

    def no_ner(articles: list[Article], config: Config) -> None:
        return None

    stages = Stages(detect_language=detect_language, per_article=ArticleStages(recognise=no_ner))
    out = tmp_path / "out"

    def command() -> int:
        runner.run([tmp_path / "in"], out, Config(processes=1, cache=False), progress=False, stages=stages)
        return 0

    assert run_command(command) == 2
    assert capsys.readouterr().err == f"error: {INTERRUPTED}\n"
    assert not list(out.glob("*.parquet"))


def test_errors_a_background_jobs_ignored_ctrl_c_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert run_command(lambda: 0 if signal.getsignal(signal.SIGINT) is signal.SIG_IGN else 1) == 0
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize(
    ("signum", "line"),
    [(signal.SIGINT, INTERRUPTED_AFTER_PUBLISHING), (signal.SIGTERM, TERMINATED_AFTER_PUBLISHING)],
)
def test_errors_an_interrupt_while_tables_are_published_waits_for_the_last_move(
    signum: int, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C between two moves of a publish would leave tables of two runs side by side, and
    "the published tables are as they were" would be false once the first move is done."""
    out, staging = tmp_path / "out", tmp_path / "out" / ".staging-run"
    staging.mkdir(parents=True)
    names = ["documents.parquet", "articles.parquet"]
    for name in names:
        (staging / name).write_text("new")
        (out / name).write_text("old")
    replace = os.replace

    def interrupted_replace(source: Path, target: Path) -> None:
        replace(source, target)
        if Path(target).name == names[0]:
            signal.raise_signal(signum)

    monkeypatch.setattr(write.os, "replace", interrupted_replace)

    def command() -> int:
        write._publish(staging, out, names)
        raise AssertionError("the interrupt was not raised after the publish")

    assert run_command(command) == 2
    assert capsys.readouterr().err == f"error: {line}\n"
    assert [(out / name).read_text() for name in names] == ["new", "new"]
    assert not staging.exists() and not (out / write.JOURNAL).exists()


def test_errors_an_interrupt_before_publishing_says_the_tables_are_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message of the previous test is the publishing command's own: the next command starts afresh."""
    def command() -> int:
        signal.raise_signal(signal.SIGINT)
        return 0

    assert run_command(command) == 2
    assert capsys.readouterr().err == f"error: {INTERRUPTED}\n"


# --- a real cold run, interrupted while the models load ----------------------------------------


def _fork_server(run: psutil.Process) -> psutil.Process | None:
    for child in run.children():
        try:
            if "forkserver" in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    return None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "group", "line"),
    [
        (signal.SIGINT, True, INTERRUPTED),  # Ctrl-C in a terminal
        (signal.SIGINT, False, INTERRUPTED),
        (signal.SIGTERM, True, TERMINATED),  # a service manager stopping the job
        (signal.SIGTERM, False, TERMINATED),  # kill PID
    ],
)
def test_errors_interrupted_while_the_models_load_is_one_line(
    signum: int, group: bool, line: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(out), "--no-cache", "-q",
         "--processes", "2"],
        cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    run = psutil.Process(child.pid)
    server = None
    while child.poll() is None and server is None:
        server = _fork_server(run)
        time.sleep(0.02)
    assert server is not None, "the run ended before its fork server started"
    time.sleep(1.0)  # spaCy and the models take several seconds to load
    assert not server.children(), "the fork server had finished loading: too late to test"
    if group:
        os.killpg(child.pid, signum)
    else:
        child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert stderr == f"error: {line}\n"
    assert child.returncode == 2
    deadline = time.monotonic() + 10
    while session_processes(child.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session_processes(child.pid)
    assert not list(out.glob("*.parquet"))
