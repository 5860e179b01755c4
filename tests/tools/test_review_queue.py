"""The review queue's figure: gold false positives found in the first 10% of the queue."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import OutputError
from pipeline.tools.review_queue import queue_figure, queue_order


def test_review_queue_figure_counts_false_positives_in_the_top(tmp_path: Path) -> None:
    rows = [{"entity_id": f"ent_{i}", "doubt": i / 20, "n_mentions": 1} for i in range(20)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "entities.parquet")
    assert queue_order(rows)[:2] == ["ent_19", "ent_18"]
    figure = queue_figure(tmp_path, ["ent_19", "ent_18", "ent_0", "ent_19"])
    assert (figure.top, figure.found, figure.false_positives) == (2, 3, 4)


def test_review_queue_figure_needs_the_doubt_column(tmp_path: Path) -> None:
    table = pa.Table.from_pylist([{"entity_id": "ent_1", "n_mentions": 1}])
    pq.write_table(table, tmp_path / "entities.parquet")
    with pytest.raises(OutputError, match="no doubt column"):
        queue_figure(tmp_path, [])


def test_review_queue_ties_go_to_fewer_mentions_then_entity_id() -> None:
    rows = [
        {"entity_id": "ent_b", "doubt": 0.5, "n_mentions": 1},
        {"entity_id": "ent_a", "doubt": 0.5, "n_mentions": 3},
        {"entity_id": "ent_c", "doubt": 0.5, "n_mentions": 1},
        {"entity_id": "ent_d", "doubt": 0.9, "n_mentions": 9},
    ]
    assert queue_order(rows) == ["ent_d", "ent_b", "ent_c", "ent_a"]


def test_review_queue_top_share_rounds_up(tmp_path: Path) -> None:
    rows = [{"entity_id": f"ent_{i:02d}", "doubt": i / 100, "n_mentions": 1} for i in range(11)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "entities.parquet")
    figure = queue_figure(tmp_path, ["ent_09"])
    assert (figure.entities, figure.top, figure.found, figure.share) == (11, 2, 1, 1.0)
