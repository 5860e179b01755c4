"""pipeline.tools.evaluate.ablation: the table from invented scores (no model, no run); no blind row."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.scorer import PRFScore

from pipeline.config import load_config
from pipeline.tools.evaluate import ablation as ablation_module
from pipeline.tools.evaluate.ablation import ALL_RULES, AblationRow, ablation, format_ablation
from pipeline.tools.evaluate.scoring import FalseMerge, GoldReport, Ratio
from pipeline.tools.evaluate.sets import GoldSet


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


def test_a_blind_set_gets_no_ablation_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[str] = []

    def fake_run(gold_set: GoldSet, config: object, score: object) -> GoldReport:
        runs.append(gold_set.name)
        return _report(1, 0, 0, (0, 0, 0))

    monkeypatch.setattr(ablation_module, "score_fresh_run", fake_run)
    sets = [
        GoldSet("dev", tmp_path / "d.jsonl", tmp_path, "developed"),
        GoldSet("sealed", tmp_path / "s.jsonl", tmp_path, "blind"),
        GoldSet("undeclared", tmp_path / "u.jsonl", tmp_path, declared=False),
    ]
    rows = ablation(sets, load_config(None), lambda gold, tables: _report(1, 0, 0, (0, 0, 0)))
    assert all(list(row.by_set) == ["dev"] for row in rows)
    assert set(runs) == {"dev"}
    assert "sealed" not in format_ablation(rows)


def test_ablation_table_shows_what_a_family_does_for_normalisation() -> None:
    base = _report(9, 1, 1, (4, 0, 0))
    off = _report(9, 1, 1, (4, 0, 0))
    base.fragmentation, off.fragmentation = Ratio(1, 9), Ratio(4, 9)
    base.key_consistency, off.key_consistency = Ratio(5, 5), Ratio(3, 5)
    off.false_merges = [FalseMerge("ent_x", "LAW", ("a", "b"), ("t",))]
    rows = [AblationRow(ALL_RULES, "", {"dev": base}), AblationRow("sections", "resolve", {"dev": off})]
    line = next(x for x in format_ablation(rows).splitlines() if x.startswith("sections"))
    assert line.split()[-3:] == ["+3", "+2", "+1"]
