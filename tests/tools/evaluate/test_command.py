"""`python -m pipeline eval` on invented tables: the report, --json, what it refuses, and what it
never prints of a blind set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import invocation
from pipeline.cli import DEFAULT_INPUT, main
from pipeline.config import PROJECT_ROOT, Config
from pipeline.tools.evaluate import BENCHMARKS_DIR, DEFAULT_GOLD, DEFAULT_LIMIT, command
from pipeline.tools.evaluate.benchmark_sets import BENCHMARKS
from pipeline.tools.evaluate.command import evaluate
from pipeline.tools.evaluate.gold import read_gold
from pipeline.tools.evaluate.scoring import score_gold
from pipeline.tools.evaluate.sets import GoldSet, gold_file_set, held_out_sets


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


@pytest.mark.parametrize("tables", ["none", "file"])
def test_eval_of_missing_tables_is_one_error_line_exit_2_before_any_work(
    tables: str, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(command, "_score_benchmarks", _never)
    path = tmp_path / tables
    if tables == "file":
        path.write_text("not tables", encoding="utf-8")
    assert main(["eval", "--gold", str(gold_file), "--tables", str(path), "--no-heldout"]) == 2
    captured = capsys.readouterr()
    missing = f"does not exist: run `{invocation.command()} run --out"
    reason = "is not a folder" if tables == "file" else missing
    assert captured.err.startswith(f"error: {path} {reason}") and captured.err.count("\n") == 1
    assert captured.out == ""


def test_eval_of_an_unreadable_gold_is_one_error_line_exit_2_before_any_work(
    tables_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "_score_benchmarks", _never)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json\n", encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--tables", str(tables_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: {gold}:1: invalid gold line") and captured.out == ""


def _never(*args: object) -> None:
    raise AssertionError("eval did work before checking its inputs")


def test_eval_without_tables_runs_the_pipeline_on_the_gold_pages_without_curation(
    tables_dir: Path, gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No earlier `make run` needed, and a curation file (here one that would fail a run on
    these pages) has no say in the scores: the fresh run is given no curation."""
    gold = _sealed_set(tmp_path, gold_file, "developed")
    curation = tmp_path / "curation.yaml"
    curation.write_text("reject:\n  - {type: ORG, key: alpha-news}\n", encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'curation = "{curation}"\n', encoding="utf-8")
    runs: list[tuple[GoldSet, object]] = []

    def fresh_run(gold_set: GoldSet, config: Config, baseline: bool) -> command.HeldOut:
        runs.append((gold_set, config.curation))
        return score_gold(gold_set.gold, tables_dir), None, "\nREVIEW QUEUE\n  figure\n"

    monkeypatch.setattr(command, "score_held_out", fresh_run)
    argv = ["eval", "--gold", str(gold), "--config", str(settings), "--no-benchmarks", "--no-heldout"]
    assert main([*argv, "--no-baseline", "--no-ablation"]) == 0
    assert runs == [(gold_file_set(gold, gold.parent / "pages"), None)]
    out = capsys.readouterr().out
    assert f"scored: the pipeline run now on {gold.parent / 'pages'}, without curation" in out
    assert "GOLD ENTITY SETS" in out and "figure" in out


def test_eval_without_tables_nor_pages_is_one_error_line_exit_2(
    gold_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--gold", str(gold_file), "--no-benchmarks"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no pages to run the pipeline on for {gold_file}: ")
    assert "give --pages DIR" in err and "--tables DIR" in err and err.count("\n") == 1


def test_eval_of_an_unknown_benchmark_set_is_one_error_line_exit_2(
    gold_file: Path, tables_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eval", "--gold", str(gold_file), "--tables", str(tables_dir), "--sets", "btc_g, nonesuch"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    known = "wikineural_en, wikineural_fr, wikineural_es, uner_pud, uner_ewt, wikigold, btc_g"
    assert captured.err == f"error: unknown benchmark set(s): nonesuch (known: {known})\n"
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


def test_eval_json_naming_a_folder_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was said only when writing, after the whole evaluation (minutes)."""
    monkeypatch.setattr(command, "load_config", lambda *a, **k: pytest.fail("work started"))
    assert main(["eval", "--json", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    example = tmp_path / "eval.json"
    assert captured.err == (
        f"error: --json {tmp_path} is a folder: give the file to write, such as {example}\n"
    )
