"""The test run's closing report (tests/conftest.py), on tiny suites run by pytester: a
browser test that did not run is named at the end with how to install what it needs,
and where CI requires the browser (.ci/run) it is an error, not a skip."""

from __future__ import annotations

import pytest

from pipeline.config import PROJECT_ROOT

from .conftest import REQUIRE_BROWSER

pytest_plugins = ("pytester",)

INI = "[pytest]\nmarkers =\n    browser: drives headless Chromium\n"
HOOKS = "from tests.conftest import pytest_runtest_makereport, pytest_terminal_summary\n"
SUITE = """
import pytest


@pytest.fixture
def chromium():
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def test_without_a_browser():
    pass


@pytest.mark.browser
def test_report_in_chromium(chromium):
    pass


@pytest.mark.browser
def test_round_trip():
    pytest.skip("no chromium here")
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makeconftest(HOOKS)
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_conftest_skipped_browser_tests_are_named_at_the_end(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REQUIRE_BROWSER, raising=False)
    result = suite.runpytest()
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == 0
    result.stdout.fnmatch_lines([  # in this order: after the dots, at the end
        "test_suite.py .ss *",
        "*BROWSER TESTS NOT RUN*",
        "2 browser test(s) skipped: the audit report was not checked in a browser.",
        "  test_suite.py::test_report_in_chromium: chromium is not installed (Debian: apt-get install*",
        "  test_suite.py::test_round_trip: no chromium here",
        "To run them, install Chromium (Debian/Ubuntu: sudo apt-get install chromium;*",
    ])


def test_conftest_a_skipped_browser_test_is_an_error_where_ci_requires_the_browser(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    result = suite.runpytest()
    result.assert_outcomes(passed=1, failed=1, errors=1)  # the fixture's skip is an error in setup
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"*browser test not run while {REQUIRE_BROWSER} is set: no chromium here*"])
    assert "BROWSER TESTS NOT RUN" not in result.stdout.str()  # nothing skipped: all failed


def test_conftest_other_skips_and_browser_tests_that_ran_say_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    pytester.makeini(INI)
    pytester.makeconftest(HOOKS)
    pytester.makepyfile(test_suite="""
import pytest


@pytest.mark.browser
def test_report_in_chromium():
    pass


@pytest.mark.skip(reason="root reads a file whatever its mode")
def test_permissions():
    pass
""")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == 0
    assert "BROWSER" not in result.stdout.str()


def test_conftest_ci_requires_the_browser() -> None:
    assert f"export {REQUIRE_BROWSER}=1" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
