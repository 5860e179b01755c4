"""How heavy the audit report is at archive size, in headless Chromium: a measurement, not a test.

    .venv/bin/python -m tests.tools.audit.measure_report [--articles 20000] [--work DIR]

Writes an archive's tables (`archive.py`, seeded) unless DIR already holds them,
writes the report, then opens it from file:// in a fresh headless Chromium and
times what a person does first: the page (first paint, script ready), the
Entities tab, a search over every entity, the most mentioned entity's page and
one article.  Page weight counts the bytes of every file the page has loaded
so far (the index and each data file), read from the disk.  Prints one table;
timings on a shared machine are noisy, so compare runs made side by side.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow.parquet as pq

from pipeline.tools import audit

from ..chromium import CHROMIUM, Chromium
from .archive import write_archive


def _loaded_bytes(browser: Chromium) -> int:
    """Bytes of the files the page has asked for so far, from the disk (file:// reports no sizes)."""
    browser.evaluate("1")  # reads the events that arrived meanwhile
    files = {Path(unquote(urlparse(url).path)) for url in browser.requested if url.startswith("file:")}
    return sum(f.stat().st_size for f in files if f.is_file())


def _timed(browser: Chromium, action: str, done: str, timeout: float = 120) -> float:
    start = time.monotonic()
    browser.evaluate(action)
    browser.wait_for(done, timeout=timeout)
    return time.monotonic() - start


def _heap_bytes(browser: Chromium) -> int:
    """The page's JavaScript heap in use, after a garbage collection."""
    browser.page("HeapProfiler.collectGarbage")
    metrics = browser.page("Performance.getMetrics")["metrics"]
    return int(next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize"))


def _search(browser: Chromium, needle: str) -> float:
    return _timed(
        browser,
        "(() => { const q = document.querySelector('#entities input[name=q]'); "
        f"q.value = '{needle}'; q.dispatchEvent(new Event('input')); }})()",
        "/^[0-9,]+ of /.test(document.querySelector('#entities .count').textContent) && "
        f"location.hash.includes('q={needle}')",
    )


def _open(browser: Chromium, url: str) -> dict[str, float]:
    start = time.monotonic()
    browser.call("Page.navigate", browser.session, timeout=300, url=url)
    browser.wait_for(
        "document.readyState === 'complete' && performance.getEntriesByName('audit-ready').length > 0",
        timeout=300,
    )
    wall = time.monotonic() - start
    paint = browser.wait_for("performance.getEntriesByName('first-contentful-paint')[0]?.startTime")
    ready = browser.evaluate("performance.getEntriesByName('audit-ready')[0].startTime")
    return {"open_s": wall, "first_paint_s": paint / 1000, "ready_s": ready / 1000}


def measure(out: Path, profile: Path) -> dict[str, float]:
    """Open the report of `out` and time the first steps of an audit (see the module docstring)."""
    assert CHROMIUM is not None, "chromium is not installed (Debian: apt-get install chromium)"
    entities = pq.read_table(out / "entities.parquet", columns=["entity_id", "n_mentions"]).to_pylist()
    biggest = max(entities, key=lambda e: (e["n_mentions"], e["entity_id"]))["entity_id"]
    article = pq.read_table(out / "articles.parquet", columns=["article_id"]).column(0)[-1].as_py()
    index = out / "audit" / "index.html"
    browser = Chromium(CHROMIUM, profile)
    browser.page("Performance.enable")
    try:
        figures = _open(browser, index.as_uri() + "#/summary")
        figures["first_load_bytes"] = _loaded_bytes(browser)
        figures["first_heap_bytes"] = _heap_bytes(browser)
        figures["entities_tab_s"] = _timed(
            browser,
            "location.hash = '#/entities'",
            "document.querySelectorAll('#entities tbody tr').length > 0",
        )
        figures["entities_tab_bytes"] = _loaded_bytes(browser)
        figures["search_s"] = _search(browser, "zz")  # the first search loads the whole index
        figures["search_again_s"] = _search(browser, "ka")
        figures["after_search_bytes"] = _loaded_bytes(browser)
        figures["entity_page_s"] = _timed(
            browser,
            f"location.hash = '#/entity/{biggest}'",
            "document.querySelectorAll('#entity li.mention').length > 0",
        )
        figures["article_s"] = _timed(
            browser, f"location.hash = '#/article/{article}'", "!!document.querySelector('#article .doc')"
        )
        figures["all_loaded_bytes"] = _loaded_bytes(browser)
        figures["last_heap_bytes"] = _heap_bytes(browser)
        assert browser.exceptions == [], browser.exceptions
    finally:
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/audit-measure"))
    args = parser.parse_args()
    out = args.work / f"archive-{args.articles}"
    if not (out / "entities.parquet").exists():
        write_archive(out, args.articles)
    start = time.monotonic()
    audit.write_report(out)
    report_s = time.monotonic() - start
    report_dir = out / "audit"
    files = [f for f in report_dir.rglob("*") if f.is_file()]
    figures = {
        "report_write_s": report_s,
        "index_bytes": (report_dir / "index.html").stat().st_size,
        "report_bytes": sum(f.stat().st_size for f in files),
        "report_files": len(files),
        **measure(out, Path(tempfile.mkdtemp(prefix="audit-measure-"))),
    }
    for name, value in figures.items():
        shown = (
            f"{value / 1e6:,.2f} MB"
            if name.endswith("bytes")
            else (f"{value:,.2f} s" if name.endswith("_s") else f"{value:,}")
        )
        print(f"{name:20} {shown}")
    (args.work / f"figures-{args.articles}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
