"""`python -m pipeline eval` on invented tables: the report, --json, what it refuses, and what it
never prints of a blind set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import DEFAULT_INPUT, main
from pipeline.config import PROJECT_ROOT
from pipeline.tools.evaluate import BENCHMARKS_DIR, DEFAULT_GOLD, DEFAULT_LIMIT, command
from pipeline.tools.evaluate.benchmark_sets import BENCHMARKS
from pipeline.tools.evaluate.command import evaluate
from pipeline.tools.evaluate.gold import read_gold
from pipeline.tools.evaluate.scoring import score_gold
from pipeline.tools.evaluate.sets import GoldSet, held_out_sets


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


# The invented gold of conftest has one false positive ('Bob Smith'), one miss ('Fake Act')
# and a fragmented entity ('Jane Roe'); none may appear in a blind set's report.
ERROR_ITEMS = ("Bob Smith", "Fake Act", "False positives", "Misses", "Fragmented", "Alpha news")


def _sealed_set(root: Path, gold_file: Path, role: str | None, name: str = "sealed") -> Path:
    """A set folder holding the invented gold, declared with `role` (None: no set.yaml)."""
    folder = root / "eval" / name
    (folder / "pages").mkdir(parents=True)
    gold = folder / "gold.jsonl"
    gold.write_text(gold_file.read_text(encoding="utf-8"), encoding="utf-8")
    if role is not None:
        (folder / "set.yaml").write_text(f"role: {role}\ndescription: invented\n", encoding="utf-8")
    return gold


def _eval_gold(gold: Path, tables_dir: Path, json_path: Path) -> str:
    argv = ["eval", "--gold", str(gold), "--tables", str(tables_dir), "--no-benchmarks", "--no-heldout"]
    assert main([*argv, "--no-baseline", "--no-ablation", "--json", str(json_path)]) == 0
    return json_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("role", ["blind", None])
def test_a_blind_gold_prints_its_figures_and_never_its_errors(
    role: str | None, tables_dir: Path, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _sealed_set(tmp_path, gold_file, role)
    written = _eval_gold(gold, tables_dir, tmp_path / "report.json")
    out = capsys.readouterr().out
    assert "GOLD ENTITY SETS" in out and "NORMALISATION AND LANGUAGE" in out and "REVIEW QUEUE" in out
    assert "sealed, blind: summary figures only" in out
    for item in ERROR_ITEMS:
        assert item not in out, item
        assert item not in written, item
    payload = json.loads(written)
    assert payload["gold"]["role"] == "blind"
    assert payload["gold"]["pipeline"]["overall"]["tp"] == 3
    assert payload["gold"]["pipeline"]["false_merges"] == 0
    assert "false_positives" not in payload["gold"]["pipeline"]


def test_a_developed_gold_prints_its_errors_under_a_developed_on_heading(
    tables_dir: Path, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _sealed_set(tmp_path, gold_file, "developed")
    written = _eval_gold(gold, tables_dir, tmp_path / "report.json")
    out = capsys.readouterr().out
    assert "sealed, developed on: its errors are read while developing rules" in out
    assert "'Bob Smith'" in out and "'Fake Act'" in out
    assert json.loads(written)["gold"]["pipeline"]["false_positives"][0]["string"] == "Bob Smith"


def test_a_blind_held_out_set_prints_its_figures_and_never_its_errors(
    tables_dir: Path,
    gold_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The held-out path, with the pipeline run replaced by the invented tables."""
    _sealed_set(tmp_path, gold_file, "blind")
    _sealed_set(tmp_path, gold_file, "developed", name="open")

    def fake_score_held_out(gold_set: GoldSet, config: object, baseline: bool) -> command.HeldOut:
        report = score_gold(gold_set.gold, tables_dir)
        return report, None, f"\nREVIEW QUEUE\n  figure of {gold_set.name}\n"

    monkeypatch.setattr(command, "held_out_sets", lambda: held_out_sets(tmp_path / "eval"))
    monkeypatch.setattr(command, "score_held_out", fake_score_held_out)
    json_path = tmp_path / "report.json"
    status = evaluate(
        gold=gold_file,
        tables=tables_dir,
        benchmarks=False,
        baseline=False,
        ablation=False,
        json_path=json_path,
    )
    assert status == 0
    out = capsys.readouterr().out
    sealed = out[out.index("HELD-OUT (sealed") :]
    assert "GOLD ENTITY SETS" in sealed and "figure of sealed" in sealed
    for item in ERROR_ITEMS:
        assert item not in sealed, item
    assert "HELD-OUT (open, developed on" in out and "'Bob Smith'" in out[: out.index("HELD-OUT (sealed")]
    heldout = json.loads(json_path.read_text(encoding="utf-8"))["heldout"]
    assert heldout["open"]["pipeline"]["false_positives"]
    assert heldout["sealed"]["role"] == "blind"
    for item in ERROR_ITEMS:
        assert item not in json.dumps(heldout["sealed"], ensure_ascii=False), item
