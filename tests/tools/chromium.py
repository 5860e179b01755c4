"""What the browser tests do on a page: read texts, fill a field (the browser: the bench's chromium.py)."""

from __future__ import annotations

import json

from pipeline.tools.bench.chromium import Chromium


def texts(browser: Chromium, selector: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent)")


def fill(browser: Chromium, selector: str, value: str, event: str) -> None:
    browser.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
        el.value = {json.dumps(value)}; el.dispatchEvent(new Event({json.dumps(event)})); }})()""")
