"""pipeline.tools.evaluate.gold and score_gold: output tables and gold files as scorer input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.tools.evaluate.gold import predictions_from_tables, read_gold, read_tables, select_gold_articles
from pipeline.tools.evaluate.scoring import Ratio, score_gold


def test_predictions_from_tables(tables_dir: Path) -> None:
    predictions = predictions_from_tables(read_tables(tables_dir))
    article = predictions["Alpha news"]
    by_id = {e.entity_id: e for e in article.entities}
    assert set(by_id) == {"e-roe", "e-acme", "e-fr", "e-bob"}  # LOCATION dropped, unused absent
    assert by_id["e-roe"].surfaces == ("Jane Roe", "Roe")
    assert by_id["e-acme"].name == "Acme Foundation"
    assert predictions["Other"].entities == ()


def test_score_gold_end_to_end(tables_dir: Path, gold_file: Path) -> None:
    report = score_gold(gold_file, tables_dir)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 1, 1)
    assert report.false_positives[0].string == "Bob Smith"
    assert report.n_articles == 1
    assert report.language == Ratio(1, 1)
    assert report.fragmentation == Ratio(0, 3)


def test_read_tables_missing(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        read_tables(tmp_path)


def test_select_gold_articles(tables_dir: Path, gold_file: Path) -> None:
    articles = read_tables(tables_dir).articles
    selected = select_gold_articles(articles, read_gold(gold_file))
    assert selected["article_id"].tolist() == ["a1"]
