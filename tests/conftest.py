"""Shared fixtures: the sample corpus run once per session (slow tests only); the run's
closing sections: figures measured, and browser tests that did not run."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Generator
from pathlib import Path

import psutil
import pytest
from hypothesis import settings

from pipeline.config import PROJECT_ROOT, Config
from pipeline.records import Mention
from pipeline.runner import RunSummary, run

SAMPLE = PROJECT_ROOT / "corpus" / "pages" / "civicus_surveillance.txt"

# Property tests check behaviour, not speed: on a shared 2-core machine a
# per-example deadline only measures the neighbours.
settings.register_profile("civic", deadline=None)
settings.load_profile("civic")

# Figures tests report rather than assert (a clock on a shared machine measures the
# neighbours): printed in a section of their own at the end of the run.
_MEASURED: list[str] = []


@pytest.fixture
def measured() -> Callable[[str], None]:
    """Report one line in the run's "measured" section."""
    return _MEASURED.append


# Set by .ci/run: there a browser test that does not run is an error, not a skip.
REQUIRE_BROWSER = "CIVIC_ENTITIES_REQUIRE_BROWSER"
INSTALL_CHROMIUM = (
    "To run them, install Chromium (Debian/Ubuntu: sudo apt-get install chromium; any system: a "
    "`chromium` or `chromium-browser` on PATH) and run `make test` again."
)


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _browser_skip(report: pytest.TestReport) -> bool:
    """A browser test skipped (not one expected to fail: those carry `wasxfail`)."""
    return report.skipped and "browser" in report.keywords and not hasattr(report, "wasxfail")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if os.environ.get(REQUIRE_BROWSER) and _browser_skip(report):
        reason = _skip_reason(report)
        report.outcome = "failed"
        report.longrepr = f"browser test not run while {REQUIRE_BROWSER} is set: {reason}. {INSTALL_CHROMIUM}"
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _MEASURED:
        terminalreporter.section("measured")
        for line in _MEASURED:
            terminalreporter.write_line(line)
    # Said at the end, loudly: among a thousand dots an `s` is easily read as a pass.
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if _browser_skip(r)]
    if skipped:
        terminalreporter.section("BROWSER TESTS NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser test(s) skipped: the audit report was not checked in a browser.",
            red=True, bold=True,
        )
        for report in skipped:
            terminalreporter.write_line(f"  {report.nodeid}: {_skip_reason(report)}")
        terminalreporter.write_line(INSTALL_CHROMIUM)


def session_processes(pid: int) -> list[psutil.Process]:
    """Live processes of the session the run leads (everything it started, however deep)."""
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == pid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (OSError, psutil.Error):
            continue
    return found


def make_mention(text: str, type_: str, key: str = "", name: str = "") -> Mention:
    """A mention covering all of `text`, as a stage would emit it, for rule tests."""
    return Mention(
        start=0,
        end=len(text),
        text=text,
        type=type_,
        label=None,
        source="rule:test",
        sentence_start=0,
        sentence=text,
        key=key,
        name=name,
    )


def cached_results(cache_dir: Path) -> int:
    """Article results in a run's cache so far (not boilerplate languages; 0 before it exists)."""
    try:
        with sqlite3.connect(cache_dir / "articles.sqlite3", timeout=5) as db:
            query = "SELECT count(*) FROM results WHERE value LIKE '%\"status\"%'"
            return int(db.execute(query).fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> RunSummary:
    """The whole pipeline on the sample corpus, in-process, into a temporary folder."""
    out = tmp_path_factory.mktemp("sample_out")
    return run([SAMPLE], out, Config(processes=1), progress=False)


@pytest.fixture(scope="session")
def sample_out(sample_run: RunSummary) -> Path:
    return sample_run.out_dir
