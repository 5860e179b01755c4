"""Held-out scores and the ablation table: what each rule family is worth.

A score on the text the rules were written against proves little, so `make eval`
also runs the pipeline afresh on gold sets whose pages were annotated before
the pipeline's output on them was seen (`corpus/eval/<set>/`), and once more
with each rule family of `models/rule_families.yaml` switched off
(`Config.rules_off`).  Every run is in-process, without the article cache, into
a temporary folder; spaCy's pipelines are loaded once and shared by all runs.
Blind sets (`sets.py`) get no ablation row: a row per rule family is a map of
where the errors are.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from spacy.scorer import PRFScore

from ...config import Config, rule_families
from ...runner import run
from ...schema import CORE_TYPES
from .report import delta, pct
from .scoring import GoldReport
from .sets import GoldSet

Report = TypeVar("Report")
# Scores a tables folder against a gold file (`scoring.score_gold`, or a stand-in in tests).
Scorer = Callable[[Path, Path], GoldReport]

log = logging.getLogger(__name__)

ALL_RULES = "(all rules on)"
NORMALISATION_COLUMNS = ("Δfrag", "Δinc", "Δmerge")


@dataclass
class AblationRow:
    """Scores with one rule family switched off (or none, for the first row)."""

    family: str
    stage: str
    by_set: dict[str, GoldReport] = field(default_factory=dict)


def score_fresh_run(gold_set: GoldSet, config: Config, score: Callable[[Path, Path], Report]) -> Report:
    """Run the pipeline on the set's pages in this process and score the tables."""
    with tempfile.TemporaryDirectory(prefix="civic-eval-") as tmp:
        run([gold_set.pages], Path(tmp), config.replace(cache=False, processes=1), progress=False)
        return score(gold_set.gold, Path(tmp))


def ablation(gold_sets: Sequence[GoldSet], config: Config, score: Scorer) -> list[AblationRow]:
    """All rules on, then each rule family off in turn, scored on every gold set but the blind ones."""
    gold_sets = [s for s in gold_sets if not s.blind]
    rows = [AblationRow(ALL_RULES, "")]
    rows += [AblationRow(name, spec["stage"]) for name, spec in rule_families().items()]
    for row in rows:
        rules_off = () if row.family == ALL_RULES else (row.family,)
        log.info("ablation: %s", row.family)
        for gold_set in gold_sets:
            row.by_set[gold_set.name] = score_fresh_run(gold_set, config.replace(rules_off=rules_off), score)
    return rows


def _f1(counts: PRFScore | None) -> float | None:
    return None if counts is None or (counts.tp + counts.fn) == 0 else counts.fscore


def _normalisation(report: GoldReport) -> tuple[int, int, int]:
    """(fragmented gold entities, gold keys under several ids, false merges) of one set."""
    key_consistency = report.key_consistency
    return (
        report.fragmentation.hits,
        key_consistency.total - key_consistency.hits,
        len(report.false_merges),
    )


def _normalisation_cells(row: AblationRow, base: AblationRow, sets: Sequence[str]) -> list[str]:
    """Δ counts of fragmented entities, inconsistent keys and false merges, summed over the sets."""
    off = [sum(_normalisation(row.by_set[s])[i] for s in sets) for i in range(3)]
    on = [sum(_normalisation(base.by_set[s])[i] for s in sets) for i in range(3)]
    return [f"{a - b:+d}" for a, b in zip(off, on, strict=True)]


def _cells(row: AblationRow, base: AblationRow, sets: Sequence[str]) -> list[str]:
    """A row's family, stage, F1 per set, and (but for the base row) its ΔF1 per set and per
    type and its Δ normalisation counts."""
    cells = [row.family, row.stage]
    cells += [pct(row.by_set[s].overall.fscore) for s in sets]
    if row is base:
        return cells + [""] * (len(sets) + len(CORE_TYPES) + len(NORMALISATION_COLUMNS))
    cells += [delta(row.by_set[s].overall.fscore, base.by_set[s].overall.fscore) for s in sets]
    for type_ in CORE_TYPES:
        total = 0.0
        for s in sets:
            off, on = _f1(row.by_set[s].by_type.get(type_)), _f1(base.by_set[s].by_type.get(type_))
            if off is not None and on is not None:
                total += off - on
        cells.append(f"{100 * total:+.1f}")
    return cells + _normalisation_cells(row, base, sets)


def format_ablation(rows: Sequence[AblationRow]) -> str:
    """One line per family: overall F1 per gold set and ΔF1 per type against all rules on."""
    if not rows:
        return ""
    sets = list(rows[0].by_set)
    header = ["family", "stage"] + [f"{s} F1" for s in sets] + [f"Δ {s}" for s in sets]
    header += [f"Δ{t[:3]}" for t in CORE_TYPES] + list(NORMALISATION_COLUMNS)
    lines = [
        "ABLATION — entity-set F1 (%) with one rule family switched off; Δ = F1 off − F1 on",
        "  (Δ per type summed over the gold sets; negative = the family helps;",
        "  Δfrag, Δinc, Δmerge: fragmented gold entities, gold keys under several ids and false",
        "  merges, off − on, summed over the gold sets; positive = the family helps)",
    ]
    table = [_cells(row, rows[0], sets) for row in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *table, strict=True)]
    for cells in [header, ["-" * w for w in widths], *table]:
        padded = [
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(padded))
    return "\n".join(lines) + "\n"
