"""pipeline.tools.evaluate.scoring: entity-set scores on invented gold and predictions."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.tools.evaluate.gold import Doubtful, GoldArticle, GoldEntity, PredictedArticle, PredictedEntity
from pipeline.tools.evaluate.scoring import Finding, Ratio, score_predictions
from pipeline.tools.evaluate.strings import title_key


def gold_entity(type_: str, key: str, name: str, *aliases: str) -> GoldEntity:
    return GoldEntity(type_, key, name, aliases or (name,))


def pred(entity_id: str, type_: str, name: str, *surfaces: str, key: str = "") -> PredictedEntity:
    return PredictedEntity(entity_id, type_, name, key or name.casefold(), surfaces or (name,))


def predicted(title: str, lang: str, *entities: PredictedEntity) -> tuple[str, Any]:
    return title_key(title), PredictedArticle(title, lang, "ok", entities)


GOLD_A = GoldArticle(
    title="Alpha news",
    lang="en",
    entities=(
        gold_entity("PERSON", "jane-roe", "Jane Roe", "Jane Roe", "Roe"),
        gold_entity("ORG", "acme", "Acme Foundation", "Acme Foundation", "AF"),
        gold_entity("COUNTRY", "FR", "France", "France"),
        gold_entity("LAW", "fake-act", "Fake Act", "Fake Act"),
    ),
    doubtful=(Doubtful("ORG", "Board", "common noun?"),),
)


def test_tp_fp_fn_and_doubtful() -> None:
    predictions = dict(
        [
            predicted(
                "Alpha  news",  # whitespace differs from the gold title
                "en",
                pred("p1", "PERSON", "Jane Roe", "Roe"),
                pred("o1", "ORG", "AF"),  # matches the gold alias
                pred("c1", "COUNTRY", "France", key="FR"),
                pred("x1", "ORG", "Zeta Corp"),  # false positive
                pred("d1", "ORG", "the Board"),  # doubtful: ignored
                pred("l1", "ORG", "Fake Act"),  # wrong type: FP, and the law is missed
                pred("z1", "LOCATION", "Paris"),  # not a core type: ignored
            )
        ]
    )
    report = score_predictions([GOLD_A], predictions, "test")
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 2, 1)
    assert report.by_type["ORG"].tp == 1 and report.by_type["ORG"].fp == 2
    assert report.by_type["LAW"].fn == 1
    assert report.by_lang["en"].tp == 3
    assert report.doubtful_matches == 1
    assert {f.string for f in report.false_positives} == {"Zeta Corp", "Fake Act"}
    assert report.misses == [Finding("Alpha news", "LAW", "Fake Act")]
    assert report.overall.precision == pytest.approx(3 / 5)
    assert report.overall.recall == pytest.approx(3 / 4)
    assert report.language == Ratio(1, 1)


def test_match_by_key_and_name() -> None:
    gold = GoldArticle("T", "fr", (gold_entity("COUNTRY", "CN", "China", "Chine"),))
    by_key = dict([predicted("T", "fr", pred("c", "COUNTRY", "République populaire", key="CN"))])
    assert score_predictions([gold], by_key, "k").overall.tp == 1
    by_name = dict([predicted("T", "fr", pred("c", "COUNTRY", "China", "la Chine", key="x"))])
    assert score_predictions([gold], by_name, "n").overall.tp == 1


def test_unmatched_title_footer_and_other_language() -> None:
    gold = [
        GOLD_A,
        GoldArticle("__footer__", "es", (gold_entity("ORG", "acme", "Acme"),)),
        GoldArticle("Artikel", "de", (gold_entity("ORG", "acme", "Acme"),)),
    ]
    predictions = dict([predicted("Artikel", "nl")])
    report = score_predictions(gold, predictions, "t")
    assert report.n_articles == 2  # footer skipped
    assert report.unmatched_titles == ["Alpha news"]
    assert report.overall.fn == 4 and report.overall.tp == 0  # German article not scored
    assert report.language == Ratio(0, 2)
    assert {(m.gold, m.predicted) for m in report.language_mismatches} == {
        ("en", None),
        ("de", "nl"),
    }
    assert set(report.by_lang) == {"en"}


def test_fragmentation() -> None:
    predictions = dict(
        [
            predicted(
                "Alpha news",
                "en",
                pred("p1", "PERSON", "Jane Roe"),
                pred("p2", "PERSON", "Roe"),
                pred("c1", "COUNTRY", "France"),
            )
        ]
    )
    report = score_predictions([GOLD_A], predictions, "t")
    assert report.fragmentation == Ratio(1, 2)
    assert report.overall.fp == 0  # the second fragment is not a false positive
    assert report.fragmented[0].string == "Jane Roe"


def _two_articles() -> list[GoldArticle]:
    acme = gold_entity("ORG", "acme", "Acme Foundation", "Acme Foundation", "AF")
    return [
        GoldArticle("One", "en", (acme, gold_entity("COUNTRY", "FR", "France"))),
        GoldArticle("Two", "fr", (acme, gold_entity("COUNTRY", "FR", "France", "la France"))),
        GoldArticle("Three", "en", (gold_entity("COUNTRY", "FR", "France"),)),
    ]


def test_key_consistency() -> None:
    predictions = dict(
        [
            predicted(
                "One",
                "en",
                pred("org-1", "ORG", "Acme Foundation"),
                pred("fr", "COUNTRY", "France"),
            ),
            predicted("Two", "fr", pred("org-2", "ORG", "AF"), pred("fr", "COUNTRY", "France")),
            predicted("Three", "en", pred("fr", "COUNTRY", "France")),
        ]
    )
    report = score_predictions(_two_articles(), predictions, "t")
    assert report.key_consistency == Ratio(1, 2)  # FR one id; acme two ids
    assert report.key_consistency_langs == Ratio(1, 2)
    assert report.keys_in_several_articles == 2
    [trace] = report.inconsistent_keys
    assert (trace.key, trace.entity_ids, trace.langs) == ("acme", ("org-1", "org-2"), ("en", "fr"))


def test_key_found_once_is_not_counted_for_consistency() -> None:
    predictions = dict([predicted("One", "en", pred("org-1", "ORG", "AF"))])
    report = score_predictions(_two_articles(), predictions, "t")
    assert report.key_consistency == Ratio(0, 0)
    assert report.key_consistency.share is None


def test_false_merges_within_and_across_articles() -> None:
    gold = [
        GoldArticle(
            "One",
            "en",
            (
                gold_entity("ORG", "european-commission", "European Commission", "Commission"),
                gold_entity("ORG", "european-parliament", "European Parliament"),
            ),
        ),
        GoldArticle("Two", "en", (gold_entity("ORG", "un-committee", "UN Committee", "Commission"),)),
    ]
    merged = pred("eu", "ORG", "European Commission", "European Parliament", "Commission")
    predictions = dict(
        [
            predicted("One", "en", merged),  # within: one id for two keys
            predicted("Two", "en", pred("com", "ORG", "Commission")),
        ]
    )
    report = score_predictions(gold, predictions, "t")
    assert [m.entity_id for m in report.false_merges] == ["eu"]
    assert report.false_merges[0].keys == ("ORG:european-commission", "ORG:european-parliament")
    assert report.matched_entity_ids == 2

    # across articles: the same id stands for two different keys in two articles
    across = dict(
        [
            predicted("One", "en", pred("com", "ORG", "Commission")),
            predicted("Two", "en", pred("com", "ORG", "Commission")),
        ]
    )
    report = score_predictions(gold, across, "t")
    assert [m.keys for m in report.false_merges] == [("ORG:european-commission", "ORG:un-committee")]
    assert report.false_merges[0].titles == ("One", "Two")
