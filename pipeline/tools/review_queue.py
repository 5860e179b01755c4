"""How well the review queue finds errors: the share of gold false positives near its top.

The queue is every entity of entities.parquet, most doubtful first (ties: fewer
mentions first, then entity id, as the audit report orders them).  The figure
is the share of the gold's false positives (one per article and predicted
entity, as `tools.evaluate.scoring.score_predictions` counts them) whose entity
is in the first 10% of the queue.  A random order finds 10% of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import OutputError

TOP_SHARE = 0.10


@dataclass(frozen=True)
class QueueFigure:
    entities: int
    top: int  # entities in the top share of the queue
    false_positives: int
    found: int  # false positives whose entity is in the top

    @property
    def share(self) -> float | None:
        return self.found / self.false_positives if self.false_positives else None


def queue_order(entities: list[dict[str, Any]]) -> list[str]:
    """Entity ids, most doubtful first."""
    ranked = sorted(entities, key=lambda e: (-e["doubt"], e["n_mentions"], e["entity_id"]))
    return [e["entity_id"] for e in ranked]


def queue_figure(tables_dir: Path, false_positive_ids: list[str]) -> QueueFigure:
    path = Path(tables_dir) / "entities.parquet"
    columns = ["entity_id", "doubt", "n_mentions"]
    if "doubt" not in pq.read_schema(path).names:
        raise OutputError(f"{path} has no doubt column: tables from before the review queue; run again")
    order = queue_order(pq.read_table(path, columns=columns).to_pylist())
    top = math.ceil(TOP_SHARE * len(order))
    head = set(order[:top])
    found = sum(1 for ident in false_positive_ids if ident in head)
    return QueueFigure(len(order), top, len(false_positive_ids), found)


def format_figure(figure: QueueFigure) -> str:
    share = "n/a" if figure.share is None else f"{figure.share:.0%}"
    return (
        "\nREVIEW QUEUE (entities by doubt, most doubtful first; a random order finds "
        f"{TOP_SHARE:.0%})\n"
        f"  gold false positives in the top {TOP_SHARE:.0%} ({figure.top} of {figure.entities} entities): "
        f"{figure.found} of {figure.false_positives} = {share}\n"
    )
