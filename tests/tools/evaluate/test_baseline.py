"""pipeline.tools.evaluate.baseline: raw spaCy entity sets, with blank pipelines and an entity ruler."""

from __future__ import annotations

import pandas as pd

from pipeline.tools.evaluate.baseline import baseline_tables

from .conftest import PATTERNS, article_row, ruler_loader


def test_baseline_tables() -> None:
    articles = pd.DataFrame(
        [
            article_row("a1", "One", "Jane Roe in France. FRANCE and Europe. Gare. French. Fake Act. AF."),
            article_row("a2", "Two", "France again", lang="fr"),
            article_row("a3", "Three", "France ignored", lang="de", status="unsupported_language"),
        ]
    )
    asked: list[str] = []
    predictions = baseline_tables(
        articles, {"en": "en_x", "fr": "fr_x"}, load=ruler_loader(PATTERNS, asked)
    )
    assert sorted(asked) == ["en_x", "fr_x"]  # one model per language, none for "de"
    one = {e.entity_id: e for e in predictions["One"].entities}
    assert set(one) == {
        "PERSON:jane roe",
        "COUNTRY:france",
        "COUNTRY:europe",
        "LAW:fake act",
        "ORG:af",
    }
    assert one["COUNTRY:france"].surfaces == ("France", "FRANCE")
    assert {e.entity_id for e in predictions["Two"].entities} == {"COUNTRY:france"}
    assert predictions["Three"].entities == () and predictions["Three"].lang == "de"
