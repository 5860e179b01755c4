"""pipeline.tools.evaluate.report: the printed report from invented scores, in full and as a summary."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from spacy.scorer import PRFScore

from pipeline.tools.evaluate.benchmarks import BENCH_TYPES, BenchmarkComparison, BenchmarkResult
from pipeline.tools.evaluate.gold import read_gold
from pipeline.tools.evaluate.report import format_report, format_summary
from pipeline.tools.evaluate.scoring import GoldSummary, score_gold, score_predictions


def test_format_report(tables_dir: Path, gold_file: Path) -> None:
    pipe = score_gold(gold_file, tables_dir)
    raw = score_predictions(read_gold(gold_file), {}, "raw spaCy")
    counts = {t: PRFScore(tp=1, fp=0, fn=1) for t in BENCH_TYPES}
    bench = BenchmarkResult("btc_g", "en", "raw", 2, counts, PRFScore(tp=3, fp=0, fn=3))
    text = format_report(pipe, raw, [BenchmarkComparison("btc_g", "en", None, bench, "tweets")])
    assert "GOLD ENTITY SETS" in text and "NORMALISATION" in text and "BENCHMARKS" in text
    assert "False positives (pipeline) (1)" in text and "'Bob Smith'" in text
    assert "Misses (pipeline) (1)" in text and "'Fake Act'" in text
    assert "gold titles without output article" in text  # the raw report matched nothing
    assert format_report(None, None, [], ["only a note"]).strip() == "note: only a note"


def test_a_summary_holds_figures_only_and_prints_no_error(tables_dir: Path, gold_file: Path) -> None:
    report = score_gold(gold_file, tables_dir)
    summary = report.summary()
    # No list of any kind: a blind set's findings cannot be printed from what is not there.
    assert not [f.name for f in fields(GoldSummary) if isinstance(getattr(summary, f.name), list | tuple)]
    text = format_summary(summary)
    assert "GOLD ENTITY SETS" in text and "NORMALISATION AND LANGUAGE" in text
    assert "Bob Smith" not in text and "Fake Act" not in text and "Alpha news" not in text
    assert summary.overall.tp == report.overall.tp and summary.false_merges == len(report.false_merges)
    unmatched = score_predictions(read_gold(gold_file), {}, "pipeline").summary()
    assert "gold titles without output article: 1" in format_summary(unmatched)
