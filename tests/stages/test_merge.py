"""Cross-article key merges (`EntityResolver`), on hand-made mentions."""

from __future__ import annotations

import pytest

from pipeline.knowledge.names import slug
from pipeline.records import Mention
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


def _named(text: str, type_: str, key: str, resolution: str, name: str = "") -> Mention:
    mention = _mention(text, type_, key, name or text)
    mention.resolution = resolution
    return mention


def _defined(long_form: str, acronym: str, key: str, resolution: str = "fingerprint") -> list[Mention]:
    """A long form and its acronym defined after it in one article, as resolution keys them."""
    return [_named(long_form, "ORG", key, resolution), _named(acronym, "ORG", key, "acronym", long_form)]


def _merged(mentions: list[Mention], type_: str, a: str, b: str, rules_off: tuple[str, ...] = ()) -> bool:
    resolver = EntityResolver(fuzzy_threshold=92.0, rules_off=rules_off)
    resolver.add(mentions)
    key_map = resolver.key_map()
    return key_map[(type_, a)] == key_map[(type_, b)]


@pytest.mark.parametrize(
    ("a", "b", "acronym", "merged"),
    [
        (("Somali Journalists Syndicate", "somali-journalists-syndicate"),
         ("Syndicat des journalistes somaliens", "syndicat-des-journalistes-somaliens"), "SJS", True),
        (("Consejo Presidencial de Transición", "consejo-presidencial-de-transicion"),
         ("Transitional Presidential Council", "transitional-presidential-council"), "CPT", True),
        (("Reporters sans frontières", "reporters-sans-frontieres"),
         ("Rapid Support Forces", "rapid-support-forces"), "RSF", False),
        (("Human Rights Commission", "human-rights-commission"),
         ("Human Rights Council", "human-rights-council"), "HRC", False),
    ],
)
def test_merge_one_acronym_after_two_translated_names_is_one_organisation(
    a: tuple[str, str], b: tuple[str, str], acronym: str, merged: bool
) -> None:
    alone = _named(acronym, "ORG", acronym.lower(), "fingerprint")
    mentions = [*_defined(a[0], acronym, a[1]), *_defined(b[0], acronym, b[1]), alone]
    assert _merged(mentions, "ORG", a[1], b[1]) is merged
    assert _merged(mentions, "ORG", a[1], acronym.lower()) is merged  # used alone elsewhere: the one body
    assert not _merged(mentions, "ORG", a[1], b[1], ("translated_acronyms",))


def test_merge_translated_names_of_two_countries_stay_apart() -> None:
    somali, djiboutian = "national-intelligence-and-security-agency-so", "agence-nationale-de-securite-dj"
    mentions = [
        *_defined("National Intelligence and Security Agency", "NISA", somali, "jurisdiction"),
        *_defined("Agence nationale de sécurité", "NISA", djiboutian, "jurisdiction"),
    ]
    assert not _merged(mentions, "ORG", somali, djiboutian)


@pytest.mark.parametrize(
    ("plain", "numbered", "merged"),
    [
        (("Constitution of Eritrea", "constitution-er"),
         [("Constitution of 1997", "constitution-of-1997-er")], True),
        (("Ley de Comunicación Social", "ley-de-comunicacion-social-cu"),
         [("Ley 162 de Comunicación Social", "ley-162-de-comunicacion-social-cu")], True),
        (("Constitución", "constitution-ec"),
         [("Constitución de 1998", "constitution-de-1998-ec"),
          ("Constitución de 2008", "constitution-de-2008-ec")], False),
        (("Media Law", "media-law-so"), [("Media Law of 2016", "media-law-of-2016-ke")], False),
    ],
)
def test_merge_a_law_without_its_number_is_the_one_numbered_law_of_its_title(
    plain: tuple[str, str], numbered: list[tuple[str, str]], merged: bool
) -> None:
    mentions = [_named(text, "LAW", key, "jurisdiction") for text, key in [plain, *numbered]]
    assert _merged(mentions, "LAW", plain[1], numbered[0][1]) is merged


@pytest.mark.parametrize(
    ("short", "longer", "merged"),
    [
        ("José Daniel Ferrer", ["José Daniel Ferrer García"], True),
        ("Luis Arce", ["Luis Arce Catacora"], True),
        ("Luis Arce", ["Luis Arce Catacora", "Luis Arce Gómez"], False),  # two people it may be
        ("Luis Arce", ["Luis Arce Catacora Vda"], False),  # more than one word longer
    ],
)
def test_merge_a_person_without_a_last_surname_is_the_one_person_with_it(
    short: str, longer: list[str], merged: bool
) -> None:
    mentions = [_named(name, "PERSON", slug(name), "fingerprint") for name in [short, *longer]]
    assert _merged(mentions, "PERSON", slug(short), slug(longer[0])) is merged


def test_merge_a_short_name_given_to_a_registry_body_is_that_body_elsewhere() -> None:
    registry = "un-ad-hoc-committee-on-cybercrime"
    mentions = [
        _named("UN Ad Hoc Committee on Cybercrime", "ORG", registry, "registry"),
        _named("Ad Hoc Committee", "ORG", registry, "partial_name"),
        _named("Ad Hoc Committee", "ORG", "ad-hoc-committee", "fingerprint"),  # alone, in another article
        _named("Ministry of Justice", "ORG", "ministry-of-justice-ke", "jurisdiction"),
    ]
    assert _merged(mentions, "ORG", "ad-hoc-committee", registry)
    assert not _merged(mentions, "ORG", "ad-hoc-committee", registry, ("learned_short_names",))


@pytest.mark.parametrize(
    ("keys", "merged"),
    [
        (["decree-law-54-tn", "decret-loi-n-2022-54-tn"], True),
        (["law-no-1-of-2023-id", "law-no-1-of-2024-id"], False),
        (["law-no-1-of-2023-id", "law-no-1-id", "law-no-1-of-2024-id"], False),
        (["decree-54-tn", "decree-law-54-tn"], False),  # two kinds of instrument
        (["decree-law-54-tn", "decree-law-54-dz"], False),
    ],
)
def test_merge_one_numbered_law_in_two_languages_is_one_law(keys: list[str], merged: bool) -> None:
    mentions = [_named(key, "LAW", key, "jurisdiction") for key in keys]
    assert _merged(mentions, "LAW", keys[0], keys[1]) is merged


@pytest.mark.parametrize(
    ("plain", "numbered", "merged"),
    [
        # resolve keys a numbered instrument by kind and number: its title is in its names only
        (("Ley de Comunicación Social", "ley-de-comunicacion-social-cu"),
         ("Ley 162 de Comunicación Social", "ley-162-cu"), True),
        (("Decree-Law 54", "decree-law-54-tn"), ("décret-loi n° 2022-54", "decret-54-tn"), True),
        (("Decree-Law 54", "decree-law-54-tn"), ("décret 54", "decret-54-tn"), False),  # a decree
    ],
)
def test_merge_a_numbered_law_keyed_by_its_number_is_found_by_its_names(
    plain: tuple[str, str], numbered: tuple[str, str], merged: bool
) -> None:
    mentions = [_named(text, "LAW", key, "jurisdiction") for text, key in [plain, numbered]]
    assert _merged(mentions, "LAW", plain[1], numbered[1]) is merged
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
