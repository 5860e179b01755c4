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
MODEL_PERSON = ("model:en_core_web_sm@3.8.0", "PERSON", "fingerprint")
MODEL_FR = ("model:fr_core_news_md@3.8.0", "ORG", "fingerprint")
REGISTRY = ("rule:registry.org.name", None, "registry")


def test_doubt_supported_recurring_entity_is_not_doubtful() -> None:
    scorer = DoubtScorer([("ORG", "Amnesty International")])
    score, reasons = scorer.score("ORG", "Amnesty International", ["Amnesty International"],
                                  _evidence(REGISTRY, REGISTRY, REGISTRY))
    assert (score, reasons) == (0.0, [])


def test_doubt_one_model_mention_without_org_word_is_doubtful() -> None:
    scorer = DoubtScorer([("ORG", "Kyzyl Tuu")])
    score, reasons = scorer.score("ORG", "Kyzyl Tuu", ["Kyzyl Tuu"], _evidence(MODEL))
    assert reasons == [doubt.MODEL_ONLY, doubt.ONE_MENTION, doubt.NO_ORG_HEAD]
    assert 0.6 < score < 1


def test_doubt_more_reasons_more_doubt() -> None:
    scorer = DoubtScorer([("ORG", "Steering Committee"), ("ORG", "Android")])
    one, _ = scorer.score("ORG", "Steering Committee", ["Steering Committee"], _evidence(MODEL, MODEL))
    four, _ = scorer.score("ORG", "Android", ["Android"], _evidence(MODEL))
    assert 0 < one < four <= 1


def test_doubt_law_cut_short_on_a_linking_word() -> None:
    scorer = DoubtScorer([])
    rule = ("rule:law.en.name", "LAW", "fingerprint")
    _, reasons = scorer.score("LAW", "Convention on", ["Convention on"], _evidence(rule))
    assert doubt.LAW_CUT_SHORT in reasons


def test_doubt_common_word_and_split_types() -> None:
    scorer = DoubtScorer([("LOCATION", "États"), ("ORG", "États")])
    _, reasons = scorer.score("LOCATION", "États", ["États"], _evidence(("model:fr", "LOC", "fingerprint")))
    assert doubt.COMMON_WORD in reasons and doubt.TYPE_SPLIT in reasons


def test_doubt_frequent_word_counts_only_without_support() -> None:
    scorer = DoubtScorer([("ORG", "Justice"), ("ORG", "Google")])
    _, model_only = scorer.score("ORG", "Justice", ["Justice"], _evidence(MODEL_FR))
    _, registry = scorer.score("ORG", "Google", ["Google"], _evidence(REGISTRY))
    assert doubt.COMMON_WORD in model_only and doubt.COMMON_WORD not in registry


def test_doubt_common_words_in_a_longer_name_are_no_doubt() -> None:
    scorer = DoubtScorer([("ORG", "Constitutional Court")])
    body = ("rule:body.en.name", None, "jurisdiction")
    _, reasons = scorer.score("ORG", "Constitutional Court", ["Constitutional Court"], _evidence(body, body))
    assert reasons == []


def test_doubt_model_labels_settled_by_a_cue_are_no_type_split() -> None:
    # The model read the outlet as a person; an organisation cue in the context retyped it.
    scorer = DoubtScorer([("ORG", "Nasha Niva")])
    cue_typed = ("model:fr_core_news_md@3.8.0", "PER", "fingerprint")
    _, reasons = scorer.score("ORG", "Nasha Niva", ["Nasha Niva"], _evidence(cue_typed))
    assert reasons == [doubt.MODEL_ONLY, doubt.ONE_MENTION]
    _, split = scorer.score("ORG", "Nasha Niva", ["Nasha Niva"], _evidence(cue_typed, MODEL_FR))
    assert doubt.TYPE_SPLIT not in split


def test_doubt_one_word_person_and_loose_merge() -> None:
    scorer = DoubtScorer([("PERSON", "John")])
    _, reasons = scorer.score("PERSON", "John", ["John"], _evidence(("model:en", "PERSON", "partial_name")))
    assert doubt.ONE_WORD_PERSON in reasons and doubt.LOOSE_MERGE in reasons


def test_doubt_one_word_person_outranks_a_full_name() -> None:
    scorer = DoubtScorer([("PERSON", "Akyikatchy"), ("PERSON", "Elnura Sadykova")])
    lone, _ = scorer.score("PERSON", "Akyikatchy", ["Akyikatchy"], _evidence(MODEL_PERSON))
    full, _ = scorer.score("PERSON", "Elnura Sadykova", ["Elnura Sadykova"], _evidence(MODEL_PERSON))
    assert lone > full


def test_doubt_word_cut_out_of_another_entitys_name() -> None:
    scorer = DoubtScorer([("PERSON", "Elnura Sadykova"), ("ORG", "Sadykova")])
    _, reasons = scorer.score("ORG", "Sadykova", ["Sadykova"], _evidence(MODEL))
    assert doubt.NAME_FRAGMENT in reasons
    # The longer name is the entity's own alias: no other entity's name is cut.
    own = DoubtScorer([("ORG", "Jogorku Kenesh"), ("ORG", "Kenesh")])
    _, reasons = own.score("ORG", "Kenesh", ["Kenesh", "Jogorku Kenesh"], _evidence(MODEL, MODEL))
    assert doubt.NAME_FRAGMENT not in reasons


def test_doubt_outlet_word_and_acronym_count_as_organisation_names() -> None:
    scorer = DoubtScorer([("ORG", "Meydan TV"), ("ORG", "MBDHP")])
    for name in ("Meydan TV", "MBDHP"):
        _, reasons = scorer.score("ORG", name, [name], _evidence(MODEL))
        assert doubt.NO_ORG_HEAD not in reasons, name


def test_doubt_descriptive_name_bounded_by_the_model() -> None:
    name = "Centre de défense des droits humains"
    scorer = DoubtScorer([("ORG", name)])
    _, model_only = scorer.score("ORG", name, [name], _evidence(MODEL_FR))
    _, rule = scorer.score("ORG", name, [name], _evidence(("rule:body.fr.name", None, "jurisdiction")))
    assert doubt.MODEL_BOUNDS in model_only and doubt.MODEL_BOUNDS not in rule


def test_doubt_handle_inside_a_name() -> None:
    scorer = DoubtScorer([("ORG", "LUCHA sur Twitter@luchaRDC")])
    _, reasons = scorer.score("ORG", "LUCHA sur Twitter@luchaRDC", ["LUCHA sur Twitter@luchaRDC"],
                              _evidence(MODEL_FR))
    assert doubt.HANDLE in reasons


def test_doubt_every_reason_together_stays_below_one() -> None:
    trust = 1.0
    for weight in doubt.WEIGHTS.values():
        assert 0 < weight < 1
        trust *= 1 - weight
    assert 0 < 1 - trust < 1


def test_doubt_uncounted_type_weighs_half() -> None:
    scorer = DoubtScorer([])
    org, _ = scorer.score("ORG", "Xyz Network", ["Xyz Network"], _evidence(MODEL))
    loc = ("model:en", "LOC", "fingerprint")
    place, _ = scorer.score("LOCATION", "Xyz Network", ["Xyz Network"], _evidence(loc))
    assert place == round(org / 2, 4)
