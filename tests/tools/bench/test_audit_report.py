"""The bench's `report` part: the audit report of a generated archive, weighed and opened in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.tools.bench import audit_report
from pipeline.tools.bench.audit_report import ReportFigures, measure_report, report_section
from pipeline.tools.bench.chromium import CHROMIUM

BROWSER_FIGURES = (
    "open_s", "first_paint_s", "ready_s", "first_load_bytes", "first_heap_bytes", "entities_tab_s",
    "entities_tab_bytes", "search_s", "search_again_s", "after_search_bytes", "entity_page_s", "article_s",
    "all_loaded_bytes", "last_heap_bytes",
)


def test_bench_report_part_without_a_browser_weighs_the_report_and_says_how_to_install_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit_report, "CHROMIUM", None)
    results = tmp_path / "bench.md"
    argv = ["bench", "--parts", "report", "--report-articles", "40", "--work", str(tmp_path), "--results"]
    assert main([*argv, str(results)]) == 0
    section = results.read_text(encoding="utf-8")
    assert capsys.readouterr().out.strip() == section.strip()
    assert section.startswith("## The audit report at archive size (40 articles, ")
    assert "| `index.html` | 0.1" in section and "| writing the report |" in section
    assert section.rstrip().endswith(f"Not opened in a browser: {audit_report.INSTALL}.")
    assert (tmp_path / "report-archive-40" / "audit" / "index.html").is_file()


def test_bench_report_section_gives_each_browser_figure() -> None:
    figures = ReportFigures(300, 6_000, 3_000, 2.5, 150_000, 3_000_000, 17,
                            dict.fromkeys(BROWSER_FIGURES, 0.25) | {"after_search_bytes": 400_000})
    section = report_section(figures)
    assert "| open → ready (first paint) | 0.25 s (0.25 s) |" in section
    assert "| first search over every entity | 0.25 s (loads 0.40 MB) |" in section
    assert "Not opened" not in section


@pytest.mark.browser
def test_bench_report_part_opens_the_report_in_chromium(tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    figures = measure_report(tmp_path, 60)
    assert figures.articles == 60 and figures.report_files > 2
    assert set(figures.browser) == set(BROWSER_FIGURES)
    assert all(value > 0 for value in figures.browser.values())
    assert figures.browser["first_load_bytes"] < figures.report_bytes
