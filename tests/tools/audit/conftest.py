"""The tiny corpus's tables and report, written once per module for the tests that only read them, and
an archive's report in small pieces, written once per session for the browser tests that read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline.tools import audit
from pipeline.tools.audit.paging import Paging
from pipeline.tools.bench.audit_archive import write_archive

from .tiny import ARTICLES, MENTIONS, tiny_rows, write_tables

# Small pieces, so that 300 articles (about 3,000 entities) make several of each kind.
ARCHIVE_PAGING = Paging(entities=500, articles=40, mentions=300, text_chars=30_000, ids=500)


@pytest.fixture(scope="module")
def tiny_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the tests that only read; a test that changes tables writes its own."""
    return write_tables(tmp_path_factory.mktemp("tiny") / "out", tiny_rows(ARTICLES, MENTIONS))


@pytest.fixture(scope="module")
def tiny_report(tiny_out: Path) -> Path:
    return audit.write_report(tiny_out)


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The report of a 300-article archive in small pieces, and its entities' rows."""
    out = write_archive(tmp_path_factory.mktemp("archive") / "out", 300)
    report = audit.write_report(out, ARCHIVE_PAGING)
    return report, pq.read_table(out / "entities.parquet").to_pylist()
