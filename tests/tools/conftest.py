"""A headless Chromium per test, for the tests that open the audit report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.tools.bench.chromium import CHROMIUM, Chromium


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    chromium = Chromium(CHROMIUM, tmp_path / "profile")
    yield chromium
    chromium.close()
