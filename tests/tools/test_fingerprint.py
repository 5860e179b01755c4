"""The refactoring check: recorded table hashes compared line by line."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.tools import fingerprint

RECORDED = ["sample aaa  documents.parquet", "sample bbb  mentions.parquet"]


def test_compare_ignores_comments_and_blank_lines(tmp_path: Path) -> None:
    expected = tmp_path / "hashes.txt"
    expected.write_text("# recorded before a change\n\n" + "\n".join(RECORDED) + "\n", encoding="utf-8")
    assert fingerprint.compare(RECORDED, expected) == []


def test_compare_names_both_sides_of_a_changed_table(tmp_path: Path) -> None:
    expected = tmp_path / "hashes.txt"
    expected.write_text("\n".join(RECORDED), encoding="utf-8")
    changed = [RECORDED[0], "sample ccc  mentions.parquet"]
    differences = fingerprint.compare(changed, expected)
    assert differences == ["sample bbb  mentions.parquet", "sample ccc  mentions.parquet"]


def test_fingerprint_command_exits_1_when_a_table_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = tmp_path / "hashes.txt"
    expected.write_text("\n".join(RECORDED), encoding="utf-8")
    monkeypatch.setattr(fingerprint, "table_hashes", lambda: [RECORDED[0], "sample ccc  mentions.parquet"])
    assert cli.main(["fingerprint", "--expect", str(expected)]) == 1
    assert "differs: sample bbb  mentions.parquet" in capsys.readouterr().err
    monkeypatch.setattr(fingerprint, "table_hashes", lambda: list(RECORDED))
    assert cli.main(["fingerprint", "--expect", str(expected)]) == 0


def test_recorded_hashes_cover_every_table_of_both_inputs() -> None:
    recorded = Path(fingerprint.PROJECT_ROOT, "docs", "table-hashes.txt").read_text(encoding="utf-8")
    lines = [line.split() for line in recorded.splitlines() if line and not line.startswith("#")]
    inputs = ("sample", f"{fingerprint.BENCH_SCALE}x")
    expected = sorted((name, f"{table}.parquet") for name in inputs for table in fingerprint.TABLES)
    assert sorted((name, table) for name, _, table in lines) == expected


def test_fingerprint_runs_one_at_a_time_on_the_fixed_folder(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The folder's paths are fixed (ids hash them), so a second run waits for the first, saying so."""
    work = tmp_path / "civic-entities-fingerprint"
    entered, release, order = threading.Event(), threading.Event(), []

    def first() -> None:
        with fingerprint.exclusive(work):
            order.append("first in")
            entered.set()
            release.wait(10)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(10)
    second = threading.Thread(target=lambda: _enter_and_note(work, order))
    second.start()
    second.join(0.5)
    assert second.is_alive() and order == ["first in"]  # waiting
    release.set()
    thread.join(10)
    second.join(10)
    assert order == ["first in", "first out", "second in"]
    assert f"another fingerprint is using {work}: waiting" in caplog.text


def _enter_and_note(work: Path, order: list[str]) -> None:
    with fingerprint.exclusive(work):
        order.append("second in")
