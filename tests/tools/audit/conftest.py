"""The tiny corpus's tables and report, written once per module for the tests that only read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tools import audit

from .tiny import ARTICLES, MENTIONS, tiny_rows, write_tables


@pytest.fixture(scope="module")
def tiny_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the tests that only read; a test that changes tables writes its own."""
    return write_tables(tmp_path_factory.mktemp("tiny") / "out", tiny_rows(ARTICLES, MENTIONS))


@pytest.fixture(scope="module")
def tiny_report(tiny_out: Path) -> Path:
    return audit.write_report(tiny_out)
