"""`python -m pipeline eval` (`make eval`): every measurement, printed as one report."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ...config import Config, load_config
from ...errors import InputError, OutputError
from . import BENCHMARKS_DIR, DEFAULT_GOLD, DEFAULT_LIMIT, DEFAULT_PAGES, DEFAULT_TABLES
from .ablation import AblationRow, GoldSet, format_ablation, held_out_sets, score_fresh_run
from .ablation import ablation as ablation_rows
from .baseline import baseline_tables
from .benchmark_sets import BENCHMARKS
from .benchmarks import BenchmarkComparison, Predictor, pipeline_predictor, raw_spacy_by_lang, run_benchmarks
from .gold import predictions_from_tables, read_gold, read_tables, select_gold_articles
from .report import format_report, to_jsonable
from .scoring import GoldReport, score_gold, score_predictions

# Per held-out set: the pipeline's report, raw spaCy's (None without --baseline), the review-queue section.
HeldOut = tuple[GoldReport, GoldReport | None, str]


def review_queue_section(tables_dir: Path, report: GoldReport) -> str:
    """The review queue's figure on this gold (pipeline/tools/review_queue.py), or why it is missing."""
    from ..review_queue import format_figure, queue_figure

    try:
        return format_figure(queue_figure(tables_dir, [f.entity_id for f in report.false_positives]))
    except OutputError as exc:
        return f"\nREVIEW QUEUE\n  not measured: {exc}\n"


def score_tables(
    gold_path: Path, tables_dir: Path, config: Config, baseline: bool
) -> tuple[GoldReport, GoldReport | None]:
    """The pipeline's tables scored against a gold file, and raw spaCy on the same articles if asked.

    Only the pipeline's report names the gold file (`GoldReport.gold_path`).
    """
    gold = read_gold(gold_path)
    tables = read_tables(tables_dir)
    report = score_predictions(gold, predictions_from_tables(tables), "pipeline")
    report.gold_path = str(gold_path)
    if not baseline:
        return report, None
    articles = select_gold_articles(tables.articles, gold)
    return report, score_predictions(gold, baseline_tables(articles, config.models), "raw spaCy")


def score_held_out(gold_set: GoldSet, config: Config, baseline: bool) -> HeldOut:
    """The pipeline run afresh on a held-out set's pages, raw spaCy on the same
    articles, and the review queue's figure on that set."""

    def score(gold_path: Path, tables_dir: Path) -> HeldOut:
        report, raw = score_tables(gold_path, tables_dir, config, baseline)
        return report, raw, review_queue_section(tables_dir, report)

    return score_fresh_run(gold_set, config, score)


def _score_benchmarks(
    sets: Sequence[str], limit: int | None, baseline: bool, config: Config, root: Path, notes: list[str]
) -> list[BenchmarkComparison]:
    """Both systems on each benchmark set; a note when the pipeline's NER cannot be imported."""
    try:
        pipe_predict: Predictor | None = pipeline_predictor(config)
    except ImportError as exc:
        pipe_predict = None
        notes.append(f"pipeline NER not available for benchmarks: {exc}")
    raw_predict = raw_spacy_by_lang(config.models) if baseline else None
    return run_benchmarks(sets, limit, pipe_predict, raw_predict, root=root)


def _write_json(path: Path, payload: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _print_held_out(gold_sets: Sequence[GoldSet], config: Config, baseline: bool) -> dict[str, HeldOut]:
    reports = {s.name: score_held_out(s, config, baseline) for s in gold_sets}
    for name, (report, raw, queue) in reports.items():
        sys.stdout.write(f"\nHELD-OUT ({name}: annotated before the pipeline's output was seen)\n")
        sys.stdout.write(format_report(report, raw) + queue)
    return reports


def _print_ablation(
    gold: Path, pages: Path | None, heldout_sets: Sequence[GoldSet], config: Config
) -> list[AblationRow]:
    """The ablation on the dev gold (when its pages are known) and the held-out sets."""
    pages = pages or (DEFAULT_PAGES if gold == DEFAULT_GOLD else None)
    dev = [GoldSet("dev", gold, pages)] if pages is not None else []
    rows = ablation_rows([*dev, *heldout_sets], config, score_gold)
    sys.stdout.write("\n" + format_ablation(rows))
    return rows


def evaluate(
    *,
    gold: Path = DEFAULT_GOLD,
    tables: Path = DEFAULT_TABLES,
    benchmarks_dir: Path = BENCHMARKS_DIR,
    config: Path | None = None,
    benchmarks: bool = True,
    sets: Sequence[str] = tuple(BENCHMARKS),
    limit: int | None = DEFAULT_LIMIT,
    baseline: bool = True,
    heldout: bool = True,
    ablation: bool = True,
    pages: Path | None = None,
    json_path: Path | None = None,
) -> int:
    """Print the evaluation report to stdout; 1 when the gold could not be scored, else 0.

    The dev gold against the tables in `tables` (and raw spaCy on the same
    articles with `baseline`), the first `limit` sentences (None: all) of each
    benchmark set in `sets`, each held-out set run afresh, and the rule-family
    ablation on the dev gold (its pages: `pages`, by default the sample corpus
    for the default gold) and the held-out sets.  `json_path` also gets every figure.
    """
    unknown = [name for name in sets if name not in BENCHMARKS]
    if benchmarks and unknown:
        raise InputError(f"unknown benchmark set(s): {', '.join(unknown)}")
    cfg = load_config(config)
    notes: list[str] = []
    status = 0
    pipeline_report = baseline_report = None
    try:
        pipeline_report, baseline_report = score_tables(gold, tables, cfg, baseline)
        if baseline_report is not None:
            baseline_report.gold_path = str(gold)
    except (InputError, OutputError) as exc:
        notes.append(f"gold not scored: {exc}")
        status = 1
    comparisons = _score_benchmarks(sets, limit, baseline, cfg, benchmarks_dir, notes) if benchmarks else []
    sys.stdout.write(format_report(pipeline_report, baseline_report, comparisons, notes))
    if pipeline_report is not None:
        sys.stdout.write(review_queue_section(tables, pipeline_report))
    heldout_sets = held_out_sets() if heldout else []
    heldout_reports = _print_held_out(heldout_sets, cfg, baseline)
    rows = _print_ablation(gold, pages, heldout_sets, cfg) if ablation else []
    if json_path is not None:
        payload = {
            "gold": {"pipeline": pipeline_report, "raw_spacy": baseline_report},
            "heldout": {n: {"pipeline": p, "raw_spacy": r} for n, (p, r, _) in heldout_reports.items()},
            "ablation": rows,
            "benchmarks": comparisons,
            "limit": limit,
            "notes": notes,
        }
        _write_json(json_path, payload)
    return status
