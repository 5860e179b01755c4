"""pipeline.tools.evaluate.report: the printed report from invented scores."""

from __future__ import annotations

from pathlib import Path

from spacy.scorer import PRFScore

from pipeline.tools.evaluate.benchmarks import BENCH_TYPES, BenchmarkComparison, BenchmarkResult
from pipeline.tools.evaluate.gold import read_gold
from pipeline.tools.evaluate.report import format_report
from pipeline.tools.evaluate.scoring import score_gold, score_predictions


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
