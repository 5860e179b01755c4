"""`python -m pipeline eval` on invented tables: the report, --json, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import DEFAULT_INPUT, main
from pipeline.config import PROJECT_ROOT
from pipeline.tools.evaluate import BENCHMARKS_DIR, DEFAULT_GOLD, DEFAULT_LIMIT
from pipeline.tools.evaluate.benchmark_sets import BENCHMARKS
from pipeline.tools.evaluate.command import evaluate
from pipeline.tools.evaluate.gold import read_gold


def test_eval_without_models(
    tables_dir: Path, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    argv = [
        "eval",
        "--gold",
        str(gold_file),
        "--tables",
        str(tables_dir),
        "--no-benchmarks",
        "--no-baseline",
        "--no-heldout",
        "--no-ablation",
        "--json",
        str(out),
    ]
    assert main(argv) == 0
    assert "GOLD ENTITY SETS" in capsys.readouterr().out
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["gold"]["pipeline"]["overall"]["tp"] == 3
    assert payload["gold"]["pipeline"]["overall"]["precision"] == 0.75
    assert payload["gold"]["raw_spacy"] is None


def test_eval_of_missing_tables_notes_it_and_exits_1(gold_file: Path, tmp_path: Path) -> None:
    status = evaluate(
        gold=gold_file, tables=tmp_path / "none", benchmarks=False, heldout=False, ablation=False
    )
    assert status == 1


def test_eval_of_missing_tables_says_so_in_the_report(
    gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eval", "--gold", str(gold_file), "--tables", str(tmp_path / "none"), "--no-benchmarks"]
    assert main([*argv, "--no-heldout", "--no-ablation"]) == 1
    assert "gold not scored" in capsys.readouterr().out


def test_eval_of_an_unknown_benchmark_set_is_one_error_line_exit_2(
    gold_file: Path, tables_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eval", "--gold", str(gold_file), "--tables", str(tables_dir), "--sets", "btc_g, nonesuch"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: unknown benchmark set(s): nonesuch\n"
    assert captured.out == ""


def test_evaluate_defaults_ship_with_the_repository() -> None:
    """`make eval` works from a clone alone: gold and every benchmark subset read
    by default are inside the repository, outside the default input folder."""
    assert DEFAULT_GOLD.relative_to(PROJECT_ROOT) == Path("corpus/eval/dev_gold.jsonl")
    assert read_gold(DEFAULT_GOLD)
    for name, spec in BENCHMARKS.items():
        path = BENCHMARKS_DIR / spec.path
        assert len(spec.reader(path)) >= DEFAULT_LIMIT, name
        set_dir = BENCHMARKS_DIR / Path(spec.path).parts[0]
        assert [p for p in path.parents if p.is_relative_to(set_dir) and list(p.glob("LICENSE*"))], name
    assert not BENCHMARKS_DIR.is_relative_to(DEFAULT_INPUT)


def test_evaluate_help_shows_default_paths(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # argparse wraps long lines, at hyphens too
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert "(default <project>/corpus/eval/dev_gold.jsonl)" in out
    assert "(default <project>/corpus/eval/benchmarks)" in out
