"""The review queue's doubt score: each reason fires on its evidence, and scores stay in [0, 1]."""

from __future__ import annotations

from pipeline.stages import doubt
from pipeline.stages.doubt import DoubtScorer, Evidence


def _evidence(*mentions: tuple[str, str | None, str]) -> Evidence:
    evidence = Evidence()
    for source, label, resolution in mentions:
        evidence.add(source, label, resolution)
    return evidence


MODEL = ("model:en_core_web_sm@3.8.0", "ORG", "fingerprint")
REGISTRY = ("rule:registry.org.name", None, "registry")


def test_doubt_supported_recurring_entity_is_not_doubtful() -> None:
    scorer = DoubtScorer([("ORG", "Amnesty International")])
    score, reasons = scorer.score("ORG", "Amnesty International", ["Amnesty International"],
                                  _evidence(REGISTRY, REGISTRY, REGISTRY))
    assert (score, reasons) == (0.0, [])


def test_doubt_one_model_mention_without_org_word_is_doubtful() -> None:
    scorer = DoubtScorer([("ORG", "Android")])
    score, reasons = scorer.score("ORG", "Android", ["Android"], _evidence(MODEL))
    assert reasons == [doubt.MODEL_ONLY, doubt.ONE_MENTION, doubt.NO_ORG_HEAD]
    assert 0.6 < score < 1


def test_doubt_more_reasons_more_doubt() -> None:
    scorer = DoubtScorer([("ORG", "Steering Committee"), ("ORG", "Android")])
    one, _ = scorer.score("ORG", "Steering Committee", ["Steering Committee"], _evidence(MODEL, MODEL))
    three, _ = scorer.score("ORG", "Android", ["Android"], _evidence(MODEL))
    assert 0 < one < three <= 1


def test_doubt_law_cut_short_on_a_linking_word() -> None:
    scorer = DoubtScorer([])
    rule = ("rule:law.en.name", "LAW", "fingerprint")
    _, reasons = scorer.score("LAW", "Convention on", ["Convention on"], _evidence(rule))
    assert doubt.LAW_CUT_SHORT in reasons


def test_doubt_common_word_and_split_types() -> None:
    scorer = DoubtScorer([("LOCATION", "États"), ("ORG", "États")])
    _, reasons = scorer.score("LOCATION", "États", ["États"], _evidence(("model:fr", "LOC", "fingerprint")))
    assert doubt.COMMON_WORD in reasons and doubt.TYPE_SPLIT in reasons


def test_doubt_one_word_person_and_loose_merge() -> None:
    scorer = DoubtScorer([("PERSON", "John")])
    _, reasons = scorer.score("PERSON", "John", ["John"], _evidence(("model:en", "PERSON", "partial_name")))
    assert doubt.ONE_WORD_PERSON in reasons and doubt.LOOSE_MERGE in reasons


def test_doubt_uncounted_type_weighs_half() -> None:
    scorer = DoubtScorer([])
    org, _ = scorer.score("ORG", "Xyz Network", ["Xyz Network"], _evidence(MODEL))
    loc = ("model:en", "LOC", "fingerprint")
    place, _ = scorer.score("LOCATION", "Xyz Network", ["Xyz Network"], _evidence(loc))
    assert place == round(org / 2, 4)
