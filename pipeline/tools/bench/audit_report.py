"""The bench's `report` part: how heavy the audit report is at archive size, in headless Chromium.

Writes the tables of an archive (`audit_archive.py`, seeded; 20,000 articles
by default, `--report-articles`), then the audit report, then opens it from
file:// in a fresh headless Chromium (`chromium.py`) and times what a person
does first: the page (first paint, script ready), the Entities tab, a search
over every entity (twice: the first loads the whole index), the most mentioned
entity's page and one article.  Page weight counts the bytes of every file the
page has asked for so far (the index and each data file), read from the disk,
since file:// reports no sizes; the script heap is read after a garbage
collection.  Without Chromium the report's sizes and writing time are still
measured, and the section says how to install it.  Timings on a shared machine
are noisy: compare runs made side by side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow.parquet as pq

from .audit_archive import write_archive
from .chromium import CHROMIUM, Chromium

REPORT_ARTICLES = 20_000
INSTALL = "install Chromium (Debian: apt-get install chromium) for the browser figures"
_READY = "document.readyState === 'complete' && performance.getEntriesByName('audit-ready').length > 0"


@dataclass
class ReportFigures:
    """The archive's size, the report's weight on disk and the browser's figures (empty without one)."""

    articles: int
    mentions: int
    entities: int
    write_s: float
    index_bytes: int
    report_bytes: int
    report_files: int
    browser: dict[str, float] = field(default_factory=dict)


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
    browser.wait_for(_READY, timeout=300)
    wall = time.monotonic() - start
    paint = browser.wait_for("performance.getEntriesByName('first-contentful-paint')[0]?.startTime")
    ready = browser.evaluate("performance.getEntriesByName('audit-ready')[0].startTime")
    return {"open_s": wall, "first_paint_s": paint / 1000, "ready_s": ready / 1000}


def _browse(browser: Chromium, index: Path, biggest: str, article: str) -> dict[str, float]:
    """What a person does first in the report, timed, with the bytes and heap it took."""
    figures = _open(browser, index.as_uri() + "#/summary")
    figures["first_load_bytes"] = _loaded_bytes(browser)
    figures["first_heap_bytes"] = _heap_bytes(browser)
    figures["entities_tab_s"] = _timed(
        browser, "location.hash = '#/entities'", "document.querySelectorAll('#entities tbody tr').length > 0"
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
    if browser.exceptions:
        raise RuntimeError(f"the report raised in the browser: {browser.exceptions[0]}")
    return figures


def browser_figures(out: Path, profile: Path) -> dict[str, float]:
    """Open the report of the tables in `out` in headless Chromium (see the module docstring)."""
    assert CHROMIUM is not None
    entities = pq.read_table(out / "entities.parquet", columns=["entity_id", "n_mentions"]).to_pylist()
    biggest = max(entities, key=lambda e: (e["n_mentions"], e["entity_id"]))["entity_id"]
    article = pq.read_table(out / "articles.parquet", columns=["article_id"]).column(0)[-1].as_py()
    browser = Chromium(CHROMIUM, profile)
    browser.page("Performance.enable")
    try:
        return _browse(browser, out / "audit" / "index.html", biggest, article)
    finally:
        browser.close()


def measure_report(work: Path, n_articles: int = REPORT_ARTICLES) -> ReportFigures:
    """The archive's tables (kept in `work` and reused when there), the report written and timed,
    then opened in the browser when there is one."""
    from ..audit import write_report

    out = work / f"report-archive-{n_articles}"
    if not (out / "entities.parquet").exists():
        write_archive(out, n_articles)
    start = time.perf_counter()
    write_report(out)
    write_s = time.perf_counter() - start
    files = [f for f in (out / "audit").rglob("*") if f.is_file()]
    figures = ReportFigures(
        articles=pq.read_metadata(out / "articles.parquet").num_rows,
        mentions=pq.read_metadata(out / "mentions.parquet").num_rows,
        entities=pq.read_metadata(out / "entities.parquet").num_rows,
        write_s=write_s,
        index_bytes=(out / "audit" / "index.html").stat().st_size,
        report_bytes=sum(f.stat().st_size for f in files),
        report_files=len(files),
    )
    if CHROMIUM is not None:
        figures.browser = browser_figures(out, work / "report-browser-profile")
    return figures


def _mb(n: float) -> str:
    return f"{n / 1e6:,.2f} MB"


def _s(n: float) -> str:
    return f"{n:,.2f} s"


def report_section(f: ReportFigures) -> str:
    """The part's markdown section."""
    lines = [
        f"## The audit report at archive size ({f.articles:,} articles, {f.mentions:,} mentions, "
        f"{f.entities:,} entities)",
        "",
        "| measure | value |",
        "|---|--:|",
        f"| `index.html` | {_mb(f.index_bytes)} |",
        f"| report on disk | {_mb(f.report_bytes)}, {f.report_files:,} files |",
        f"| writing the report | {_s(f.write_s)} |",
    ]
    b = f.browser
    if not b:
        return "\n".join([*lines, "", f"Not opened in a browser: {INSTALL}."]) + "\n"
    lines += [
        f"| open → ready (first paint) | {_s(b['ready_s'])} ({_s(b['first_paint_s'])}) |",
        f"| loaded to open | {_mb(b['first_load_bytes'])} |",
        f"| script heap once open | {_mb(b['first_heap_bytes'])} |",
        f"| Entities tab | {_s(b['entities_tab_s'])} "
        f"(+{_mb(b['entities_tab_bytes'] - b['first_load_bytes'])}) |",
        f"| first search over every entity | {_s(b['search_s'])} (loads "
        f"{_mb(b['after_search_bytes'] - b['entities_tab_bytes'])}) |",
        f"| another search | {_s(b['search_again_s'])} |",
        f"| most mentioned entity's page | {_s(b['entity_page_s'])} |",
        f"| one article | {_s(b['article_s'])} |",
        f"| loaded in all, script heap at the end | {_mb(b['all_loaded_bytes'])}, "
        f"{_mb(b['last_heap_bytes'])} |",
    ]
    return "\n".join(lines) + "\n"
