"""Cross-article key merges (`EntityResolver`), on hand-made mentions."""

from __future__ import annotations

import pytest

from pipeline.stages.merge import EntityResolver, org_fingerprint

from ..conftest import make_mention as _mention


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Institut CyberPeace", "CyberPeace Institute"),
        ("l’Institut CyberPeace", "CyberPeace Institute"),
        ("Fundación Karisma", "Karisma Foundation"),
        ("Centre for Law and Democracy", "Center for Law and Democracy"),
        ("Acme Ltd", "ACME"),
    ],
)
def test_merge_org_fingerprint_across_languages(a: str, b: str) -> None:
    assert org_fingerprint(a) == org_fingerprint(b)


def test_merge_merges_acronym_defined_elsewhere_and_fuzzy_spellings() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    defined = _mention("ECPX", "ORG", "european-centre-for-press-x")
    defined.resolution = "acronym"
    alone = _mention("ECPX", "ORG", "ecpx")
    typo_a = _mention("Economic Democracy Union", "ORG", "democracy-economic-union")
    typo_b = _mention("Economy Democracy Union", "ORG", "democracy-economy-union")
    long_form = _mention("European Centre for Press X", "ORG", "european-centre-for-press-x")
    resolver.add([long_form, defined, alone, typo_a, typo_a, typo_b])
    key_map = resolver.key_map()
    assert key_map[("ORG", "ecpx")] == "european-centre-for-press-x"
    assert key_map[("ORG", "democracy-economy-union")] == key_map[("ORG", "democracy-economic-union")]


def test_merge_an_acronym_defined_for_a_registry_body_keys_its_bare_uses_elsewhere() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    long_form = _mention("Commission européenne", "ORG", "european-commission")
    long_form.resolution = "registry"
    defined = _mention("CE", "ORG", "european-commission")
    defined.resolution, defined.source = "registry", "rule:acronym.definition"
    alone = _mention("CE", "ORG", "ce")
    resolver.add([long_form, defined, alone])
    assert resolver.key_map()[("ORG", "ce")] == "european-commission"


def test_merge_keeps_distinct_bodies_apart() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    resolver.add(
        [
            _mention("European Parliament", "ORG", "european-parliament"),
            _mention("European Commission", "ORG", "commission-european"),
            _mention("European Council", "ORG", "council-european"),
        ]
    )
    assert len(set(resolver.key_map().values())) == 3


def test_merge_retypes_an_organisation_that_is_a_person_elsewhere() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    as_org = _mention("Amara Osei", "ORG", "amara-osei")
    as_person = _mention("Amara Osei", "PERSON", "amara-osei")
    as_person.name = "Amara Osei"
    as_org.name = "Amara Osei"
    real_org = _mention("Bits of Light", "ORG", "bits-light")
    real_org.name = "Bits of Light"
    resolver.add([as_org, as_person, real_org])
    assert resolver.retyped() == {("ORG", "amara-osei"): ("PERSON", "amara-osei")}


def test_merge_merges_one_organisation_written_in_two_word_orders() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    french = _mention("Fondation Karisma", "ORG", "fondation-karisma")
    english = _mention("Karisma Foundation", "ORG", "karisma-foundation")
    resolver.add([french, english, english])
    key_map = resolver.key_map()
    assert key_map[("ORG", "fondation-karisma")] == "karisma-foundation"
    assert key_map[("ORG", "karisma-foundation")] == "karisma-foundation"


def test_merge_keeps_an_organisation_a_rule_found_over_a_person_or_place_elsewhere() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    listed = _mention("Nègès Vanno", "ORG", "neges-vanno")
    listed.source = "rule:org.list"
    as_person = _mention("Nègès Vanno", "PERSON", "neges-vanno")
    cued = _mention("Solidarité Vanno", "ORG", "solidarite-vanno")
    cued.source = "rule:org.list"
    as_place = _mention("Solidarité Vanno", "LOCATION", "solidarite-vanno")
    for mention in (listed, as_person, cued, as_place):
        mention.name = mention.text
    resolver.add([listed, as_person, cued, as_place])
    assert resolver.retyped() == {
        ("PERSON", "neges-vanno"): ("ORG", "neges-vanno"),
        ("LOCATION", "solidarite-vanno"): ("ORG", "solidarite-vanno"),
    }
    assert EntityResolver(92.0, rules_off=("one_sense",)).retyped() == {}


def test_merge_one_acronym_defined_in_two_languages_is_one_body_of_one_country() -> None:
    resolver = EntityResolver(fuzzy_threshold=92.0)
    mentions = []
    for text, key in [
        ("Vardo Journalists Syndicate", "vardo-journalists-syndicate"),
        ("Syndicat des journalistes vardois", "syndicat-des-journalistes-vardois"),
        ("Comité national des élections", "national-election-committee-kh"),
        ("Consejo Nacional Electoral", "national-electoral-council-ve"),
    ]:
        long_form = _mention(text, "ORG", key, name=text)
        long_form.resolution = "jurisdiction" if key.endswith(("-kh", "-ve")) else "fingerprint"
        acronym = _mention("VJS" if "ournal" in text else "CNE", "ORG", key, name=text)
        acronym.resolution = "acronym"
        mentions += [long_form, acronym]
    resolver.add(mentions)
    key_map = resolver.key_map()
    assert (
        key_map[("ORG", "vardo-journalists-syndicate")]
        == key_map[("ORG", "syndicat-des-journalistes-vardois")]
    )
    assert (
        key_map[("ORG", "national-election-committee-kh")]
        != key_map[("ORG", "national-electoral-council-ve")]
    )
