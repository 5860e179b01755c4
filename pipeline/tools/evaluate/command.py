"""`python -m pipeline eval` (`make eval`): every measurement, printed as one report.

A blind set (`sets.py`) is reported by its figures alone, on the console and in
`--json`: its scores are reduced to a `GoldSummary` as soon as they are made, and
it gets no ablation row.  Developed sets are reported in full, labelled so.

Evaluation measures the pipeline, so its own runs (the dev gold's pages, the
held-out sets, the ablation) apply no curation file: a researcher's decisions
are made for their corpus, and scores must not move with them (the tables of
a curated run can still be scored, `--tables`).  Everything that can be checked
at once (the gold file, the tables or pages to score) is checked before the
minutes of work, and a problem is an `InputError` or `OutputError` (one
`error:` line, exit 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ...config import Config, load_config
from ...errors import InputError, OutputError
from . import BENCHMARKS_DIR, DEFAULT_GOLD, DEFAULT_LIMIT, DEFAULT_PAGES
from .ablation import AblationRow, format_ablation, score_fresh_run
from .ablation import ablation as ablation_rows
from .baseline import baseline_tables
from .benchmark_sets import BENCHMARKS
from .benchmarks import BenchmarkComparison, Predictor, pipeline_predictor, raw_spacy_by_lang, run_benchmarks
from .gold import predictions_from_tables, read_gold, read_tables, select_gold_articles
from .report import format_report, format_summary, to_jsonable
from .scoring import GoldReport, score_gold, score_predictions
from .sets import GoldSet, gold_file_set, held_out_sets

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


def _check_arguments(sets: Sequence[str], json_path: Path | None) -> None:
    """What the arguments get wrong is said at once, not after minutes of work."""
    unknown = [name for name in sets if name not in BENCHMARKS]
    if unknown:
        raise InputError(f"unknown benchmark set(s): {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    if json_path is not None and Path(json_path).is_dir():
        example = Path(json_path) / "eval.json"
        raise OutputError(f"--json {json_path} is a folder: give the file to write, such as {example}")


def _write_json(path: Path, payload: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _entry(gold_set: GoldSet) -> dict[str, object]:
    """A gold set's JSON entry before its scores: its role and description."""
    return {"role": gold_set.role, "description": gold_set.description}


def _print_gold(
    gold_set: GoldSet,
    tables: Path | None,
    config: Config,
    baseline: bool,
    comparisons: Sequence[BenchmarkComparison],
    notes: list[str],
) -> dict[str, object]:
    """The gold file against the tables (None: a fresh run on the set's pages), then the
    benchmarks, notes and review queue; its JSON entry."""
    if tables is None:
        report, raw, queue = score_held_out(gold_set, config, baseline)
        scored = f"the pipeline run now on {gold_set.pages}, without curation"
    else:
        report, raw = score_tables(gold_set.gold, tables, config, baseline)
        queue, scored = review_queue_section(tables, report), f"the tables in {tables}"
    if raw is not None:
        raw.gold_path = str(gold_set.gold)
    text, entry = _section(gold_set, report, raw)
    sys.stdout.write(f"GOLD ({gold_set.heading()})\n  scored: {scored}\n{text}")
    if comparisons or notes:
        sys.stdout.write(format_report(None, None, comparisons, notes))
    sys.stdout.write(queue)
    return entry


def _section(gold_set: GoldSet, report: GoldReport, raw: GoldReport | None) -> tuple[str, dict[str, object]]:
    """A gold set's report and its JSON entry: in full if developed on, its figures alone if blind."""
    entry = _entry(gold_set)
    if not gold_set.blind:
        return format_report(report, raw), entry | {"pipeline": report, "raw_spacy": raw}
    summary = report.summary()
    raw_summary = None if raw is None else raw.summary()
    return format_summary(summary, raw_summary), entry | {"pipeline": summary, "raw_spacy": raw_summary}


def _print_held_out(
    gold_sets: Sequence[GoldSet], config: Config, baseline: bool
) -> dict[str, dict[str, object]]:
    """Each held-out set run afresh and printed under a heading with its role; their JSON entries."""
    entries = {}
    for gold_set in gold_sets:
        report, raw, queue = score_held_out(gold_set, config, baseline)
        text, entries[gold_set.name] = _section(gold_set, report, raw)
        sys.stdout.write(f"\nHELD-OUT ({gold_set.heading()})\n{text}{queue}")
    return entries


def _print_ablation(
    dev: GoldSet | None, heldout_sets: Sequence[GoldSet], config: Config
) -> list[AblationRow]:
    """The ablation on the dev gold (when its pages are known) and the held-out sets, blind ones left out."""
    gold_sets = [*([dev] if dev is not None else []), *heldout_sets]
    rows = ablation_rows(gold_sets, config, score_gold)
    sys.stdout.write("\n" + format_ablation(rows))
    left_out = [s.name for s in gold_sets if s.blind]
    if left_out:
        sys.stdout.write(f"  (blind sets have no ablation row: {', '.join(left_out)})\n")
    return rows


def _dev_set(gold: Path, tables: Path | None, pages: Path | None) -> tuple[GoldSet, bool]:
    """The gold file as a set, checked before any work, and whether the ablation scores it
    (its pages are known: given, the default gold's, or the ones run to score it).

    InputError for a gold file that cannot be read or, without `tables`, pages that are
    not a folder; OutputError for `tables` that are missing or not a run's."""
    read_gold(gold)
    known_pages = pages or (DEFAULT_PAGES if gold == DEFAULT_GOLD else None)
    gold_set = gold_file_set(gold, known_pages or gold.parent / "pages")
    if tables is not None:
        read_tables(tables)
    elif not gold_set.pages.is_dir():
        raise InputError(
            f"no pages to run the pipeline on for {gold}: {gold_set.pages} is not a folder; give --pages DIR "
            "(the pages its articles come from) or --tables DIR (the tables of a run on them)"
        )
    return gold_set, known_pages is not None or tables is None


def evaluate(
    *,
    gold: Path = DEFAULT_GOLD,
    tables: Path | None = None,
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
    """Print the evaluation report to stdout; 0 (a problem raises, see the module docstring).

    The dev gold against the tables in `tables`, or, by default, against a
    fresh run of the pipeline on its pages (`pages`, by default the sample
    corpus for the default gold, else the `pages/` folder beside the gold
    file); raw spaCy on the same articles with `baseline`; the first `limit`
    sentences (None: all) of each benchmark set in `sets`; each held-out set
    run afresh; and the rule-family ablation on the dev gold (when its pages
    are known) and the held-out sets.  The pipeline's runs here apply no
    curation file, whatever `config` says.  `json_path` also gets every figure.
    """
    _check_arguments(sets if benchmarks else [], json_path)
    cfg = load_config(config).replace(curation=None)
    gold_set, ablate_dev = _dev_set(gold, tables, pages)
    notes: list[str] = []
    comparisons = _score_benchmarks(sets, limit, baseline, cfg, benchmarks_dir, notes) if benchmarks else []
    gold_entry = _print_gold(gold_set, tables, cfg, baseline, comparisons, notes)
    heldout_sets = held_out_sets() if heldout else []
    heldout_entries = _print_held_out(heldout_sets, cfg, baseline)
    rows = _print_ablation(gold_set if ablate_dev else None, heldout_sets, cfg) if ablation else []
    if json_path is not None:
        payload = {
            "gold": gold_entry,
            "heldout": heldout_entries,
            "ablation": rows,
            "benchmarks": comparisons,
            "limit": limit,
            "notes": notes,
        }
        _write_json(json_path, payload)
    return 0
