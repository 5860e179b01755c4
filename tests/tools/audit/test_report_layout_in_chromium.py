"""The report at common screen widths in headless Chromium: nothing under the panel, nothing cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.tools import audit
from pipeline.tools.bench.chromium import CHROMIUM, Chromium

from ..chromium import texts
from .tiny import ARTICLES, MANIFEST, MENTIONS, tiny_rows, write_tables

pytestmark = pytest.mark.browser

# Every element of a view whose box meets the pending-decisions panel: in its column when the panel
# is docked (fixed: what scrolls passes under it), else where it lies on the page.
_UNDER_PANEL = """((selector) => {
    const panel = document.getElementById('review');
    const box = panel.getBoundingClientRect();
    const docked = getComputedStyle(panel).position === 'fixed';
    const width = document.documentElement.clientWidth;
    const cut = [], under = [];
    for (const el of document.querySelectorAll(selector)) {
        const r = el.getBoundingClientRect();
        if (!r.width) continue;
        const name = el.tagName + ' ' + el.textContent.trim().slice(0, 30);
        if (r.right > width + 0.5) cut.push(name);
        const meets = r.right > box.left + 0.5 && r.left < box.right - 0.5;
        if (docked ? meets : meets && r.bottom > box.top && r.top < box.bottom) under.push(name);
    }
    return {docked, cut, under, scrolls: document.documentElement.scrollWidth > width};
})"""


@pytest.fixture
def at_width(tmp_path: Path) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    opened: list[Chromium] = []

    def open_at(width: int) -> Chromium:
        browser = Chromium(CHROMIUM, tmp_path / f"profile-{width}", width=width, height=900)
        opened.append(browser)
        return browser

    yield open_at
    for browser in opened:
        browser.close()


def _check(browser: Chromium, selector: str) -> bool:
    found = browser.evaluate(f"{_UNDER_PANEL}({selector!r})")
    assert found["under"] == [] and found["cut"] == [] and not found["scrolls"], found
    return found["docked"]


@pytest.mark.parametrize(("width", "docked"), [(1280, False), (1400, False), (1920, True)])
def test_audit_report_nothing_lies_under_the_panel(
    archive: tuple[Path, list[dict]], at_width: Any, width: int, docked: bool
) -> None:
    report, entities = archive
    browser = at_width(width)
    browser.open(report.as_uri() + "#/entities")
    for row in range(3):  # pending decisions, so that the panel has something to show
        browser.evaluate(f"document.querySelectorAll('#entities [data-action=reject]')[{row}].click()")
    browser.wait_for("document.querySelectorAll('#review li').length === 3")
    assert _check(browser, "#entities th, #entities td") is docked
    print(f"\nscreenshot: {browser.screenshot(report.parent.parent / f'entities-{width}.png')}")

    biggest = max(entities, key=lambda e: (e["n_mentions"], e["entity_id"]))
    browser.evaluate(f"location.hash = '#/entity/{biggest['entity_id']}'")
    browser.wait_for("document.querySelectorAll('#entity li.mention').length > 0")
    _check(browser, "#entity h2, #entity dd, #entity .actions, #entity li.mention p")

    # The header says how many decisions wait, and its button brings the panel into view.
    assert browser.evaluate("document.getElementById('review-button').textContent") == "Pending decisions (3)"
    assert browser.evaluate("getComputedStyle(document.getElementById('review-button')).display !== 'none'") \
        is not docked
    if not docked:
        browser.evaluate("document.getElementById('review-button').click()")
        top = browser.evaluate("document.getElementById('review').getBoundingClientRect().top")
        assert 0 <= top < 900
    assert browser.exceptions == []


_CUT_PLACEHOLDERS = """(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    const cut = [];
    for (const input of document.querySelectorAll('input[placeholder]')) {
        if (!input.offsetParent) continue;  // not shown
        const style = getComputedStyle(input);
        ctx.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (ctx.measureText(input.placeholder).width > room) cut.push(input.placeholder);
    }
    return cut;
})()"""


def test_audit_report_placeholders_fit_their_boxes(tiny_report: Path, at_width: Any) -> None:
    browser = at_width(1280)
    browser.open(tiny_report.as_uri() + "#/entity/ent_org_amnesty-international")
    browser.wait_for("!!document.querySelector('#entity [data-action=merge] input')")
    browser.evaluate("document.querySelector('#entity [data-action=detach]').click()")  # shows 'move onto'
    assert browser.evaluate("document.querySelectorAll('#entity input[placeholder]').length") == 3
    assert browser.evaluate(_CUT_PLACEHOLDERS) == []
    for view in ("entities", "articles"):
        browser.evaluate(f"location.hash = '#/{view}'")
        browser.wait_for(f"!document.getElementById('{view}').hidden")
        assert browser.evaluate(_CUT_PLACEHOLDERS) == []


def test_audit_report_curation_page_when_empty_and_when_not(
    tmp_path: Path, tiny_report: Path, at_width: Any
) -> None:
    browser = at_width(1280)
    browser.open(tiny_report.as_uri() + "#/curation")
    assert browser.evaluate("document.querySelectorAll('#curation table').length") == 0
    sentence = browser.evaluate("document.querySelector('#curation p.empty').textContent")
    assert sentence.startswith("Nothing has been decided yet.") and "curate apply FILE" in sentence

    long_entry = {"type": "ORG", "into": "commission-nationale-de-l-informatique-et-des-libertes",
                  "keys": [f"commission-{n}-de-l-informatique" for n in range(6)], "added": "2026-12-07"}
    decision = {"operation": "merge", "entry": long_entry, "line": 12, "mentions": 3, "entities": 2,
                "stale": False}
    elsewhere = {"operation": "reject", "entry": {"type": "ORG", "key": "steering-committee"}, "line": 14,
                 "mentions": 0, "entities": 0, "stale": False, "applies": False,
                 "absent_keys": ["ORG steering-committee"]}
    typo = {"operation": "reject", "entry": {"type": "ORG", "key": "amnesty-internationl"}, "line": 15,
            "mentions": 0, "entities": 0, "stale": False, "applies": False,
            "absent_keys": ["ORG amnesty-internationl"],
            "near_misses": [{"type": "ORG", "key": "amnesty-internationl", "near": "amnesty-international"}]}
    curation = {"path": "models/curation.yaml", "stale": 0, "not_applicable": 2, "near_misses": 1,
                "decisions": [decision, elsewhere, typo]}
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS), {**MANIFEST, "curation": curation})
    browser.open(audit.write_report(out).as_uri() + "#/curation")
    statuses = texts(browser, "#curation tbody td:nth-child(6)")
    assert statuses == [
        "in force",
        "not applicable in this run: none of its keys is an entity here",
        "not applied: ORG amnesty-internationl is not in this run, amnesty-international is (a typo?)",
    ]
    intro = browser.evaluate("document.querySelector('#curation p').textContent")
    assert "2 not applicable in this run" in intro and "1 naming a key close to one of this run's" in intro
    # A date is one line however narrow its column: the text has a single line box.
    lines = browser.evaluate("""[...document.querySelectorAll('#curation td.date')].map(td => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return range.getClientRects().length; })""")
    assert lines == [1, 1, 1]
    assert browser.exceptions == []
