"""pipeline.tools.evaluate.ablation: the table from invented scores (no model, no run); held-out sets."""

from __future__ import annotations

from pathlib import Path

from spacy.scorer import PRFScore

from pipeline.tools.evaluate.ablation import ALL_RULES, AblationRow, format_ablation, held_out_sets
from pipeline.tools.evaluate.scoring import GoldReport


def _report(tp: int, fp: int, fn: int, law: tuple[int, int, int]) -> GoldReport:
    law_tp, law_fp, law_fn = law
    return GoldReport(
        "pipeline",
        overall=PRFScore(tp=tp, fp=fp, fn=fn),
        by_type={"LAW": PRFScore(tp=law_tp, fp=law_fp, fn=law_fn)},
    )


def test_ablation_table_shows_the_loss_of_each_family() -> None:
    rows = [
        AblationRow(ALL_RULES, "", {"dev": _report(9, 1, 1, (4, 0, 0))}),
        AblationRow("law_patterns", "recognise", {"dev": _report(5, 1, 5, (0, 0, 4))}),
    ]
    table = format_ablation(rows)
    line = next(x for x in table.splitlines() if x.startswith("law_patterns"))
    assert "90.0" in table and "62.5" in line
    assert "-27.5" in line  # overall ΔF1
    assert "-100.0" in line  # ΔLAW: every law lost


def test_ablation_held_out_sets_are_folders_with_gold_and_pages(tmp_path: Path) -> None:
    for name, files in {
        "b": ("gold.jsonl", "pages/"),
        "a": ("gold.jsonl", "pages/"),
        "c": ("gold.jsonl",),
    }.items():
        for f in files:
            target = tmp_path / name / f
            target.mkdir(parents=True) if f.endswith("/") else (
                target.parent.mkdir(parents=True, exist_ok=True),
                target.write_text(""),
            )
    assert [s.name for s in held_out_sets(tmp_path)] == ["a", "b"]
    assert held_out_sets(tmp_path / "missing") == []
