"""Jurisdiction keys: state bodies and national laws never merge across countries."""

from __future__ import annotations

import pytest

from pipeline.knowledge.jurisdiction import (
    demonym_code,
    is_national,
    jurisdiction_key,
    law_number,
    main_country,
    named_jurisdiction,
    numbered_name,
    state_name,
)
from pipeline.records import Article, Mention
from pipeline.stages.merge import EntityResolver
from pipeline.stages.resolve import resolve_article

from ..conftest import make_mention as _mention


def _article(lang: str, text: str, spans: list[tuple[str, str]], article_id: str = "a") -> Article:
    """An article of `text` with one mention per (surface, type), found in order."""
    mentions: list[Mention] = []
    cursor = 0
    for surface, type_ in spans:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        mention = _mention(surface, type_)
        mention.start, mention.end = start, cursor
        mentions.append(mention)
    return Article(article_id, "d", 0, 0, len(text), text, None, lang=lang, mentions=mentions)


def _keys(article: Article, rules_off: tuple[str, ...] = ()) -> dict[str, str]:
    resolve_article(article, rules_off=rules_off)
    return {m.text: m.key for m in article.mentions}


@pytest.mark.parametrize(
    ("lang", "text", "code", "base"),
    [
        ("en", "Ministry of Justice of Kyrgyzstan", "KG", "Ministry of Justice"),
        ("en", "Russia's Criminal Code", "RU", "Criminal Code"),
        ("en", "Kyrgyz Criminal Code", "KG", "Criminal Code"),
        ("en", "UK Online Safety Act", "GB", "Online Safety Act"),
        ("en", "Criminal Code", None, "Criminal Code"),
        ("fr", "Cour constitutionnelle du Bénin", "BJ", "Cour constitutionnelle"),
        ("fr", "Ministère de la Justice d'Haïti", "HT", "Ministère de la Justice"),
        ("fr", "Code pénal français", "FR", "Code pénal"),
        ("es", "Código Penal mexicano", "MX", "Código Penal"),
        ("es", "Ministerio del Interior de Nicaragua", "NI", "Ministerio del Interior"),
        ("es", "Constitución de la República", None, "Constitución de la República"),
    ],
)
def test_jurisdiction_named_in_the_name(lang: str, text: str, code: str | None, base: str) -> None:
    assert named_jurisdiction(text, lang) == (code, base)


@pytest.mark.parametrize(
    ("lang", "text", "before", "after", "code"),
    [
        ("en", "Ministry of Interior", "the Nicaraguan ", "", "NI"),
        ("en", "Ministry of Interior", "Uzbekistan's ", "", "UZ"),
        ("es", "Congreso", "el ", " mexicano aprobó", "MX"),
        ("fr", "Assemblée nationale", "l'", " béninoise a voté", "BJ"),
        ("en", "Supreme Court", "the ", " ruled", None),
    ],
)
def test_jurisdiction_named_beside_the_name(lang: str, text: str, before: str, after: str, code: str) -> None:
    assert named_jurisdiction(text, lang, before, after)[0] == code


@pytest.mark.parametrize(
    ("lang", "text", "type_", "national"),
    [
        ("en", "Ministry of the Interior", "ORG", True),
        ("en", "Constitutional Court", "ORG", True),
        ("en", "State Committee for National Security", "ORG", True),
        ("en", "Committee to Protect Journalists", "ORG", False),
        ("en", "Open Government Partnership", "ORG", False),
        ("en", "Inter-American Court of Human Rights", "ORG", False),
        ("en", "UN Ad Hoc Committee on Cybercrime", "ORG", False),
        ("en", "Foreign Agents Law", "LAW", True),
        ("en", "European Media Freedom Act", "LAW", False),
        ("en", "Geneva Conventions", "LAW", False),
        ("fr", "Haute Autorité de la communication audiovisuelle", "ORG", True),
        ("fr", "Comité des droits de l'homme des Nations unies", "ORG", False),
        ("fr", "Code pénal", "LAW", True),
        ("es", "Asamblea Legislativa", "ORG", True),
        ("es", "Sala de lo Penal", "ORG", True),
        ("es", "Defensoría del Pueblo", "ORG", True),
        ("es", "Corte Interamericana de Derechos Humanos", "ORG", False),
        ("es", "Ley 27.275", "LAW", True),
    ],
)
def test_jurisdiction_which_names_are_national(lang: str, text: str, type_: str, national: bool) -> None:
    assert is_national(text, type_, lang) is national


@pytest.mark.parametrize(
    ("lang", "word", "code"),
    [
        ("en", "Mexican", "MX"),
        ("en", "Thai", "TH"),
        ("en", "Law", None),
        ("en", "Geneva", None),
        ("es", "mexicana", "MX"),
        ("es", "francesas", "FR"),
        ("fr", "béninoise", "BJ"),
        ("fr", "ivoiriens", "CI"),
    ],
)
def test_jurisdiction_country_adjectives(lang: str, word: str, code: str | None) -> None:
    assert demonym_code(word, lang) == code


def test_jurisdiction_main_country_is_the_most_mentioned_then_the_first() -> None:
    assert main_country(["MX", "US", "MX"]) == "MX"
    assert main_country(["NI", "CR"]) == "NI"
    assert main_country([]) is None
    assert jurisdiction_key("ministry-of-justice", "KG") == "ministry-of-justice-kg"


@pytest.mark.parametrize(
    ("lang", "text_a", "text_b", "spans_a", "spans_b"),
    [
        (
            "en",
            "In Kyrgyzstan the Criminal Code was amended. Kyrgyzstan again.",
            "Kazakhstan's Criminal Code is harsh.",
            [("Kyrgyzstan", "COUNTRY"), ("Criminal Code", "LAW"), ("Kyrgyzstan", "COUNTRY")],
            [("Criminal Code", "LAW")],
        ),
        (
            "es",
            "En Nicaragua, el Ministerio del Interior cerró ONG.",
            "En El Salvador, el Ministerio del Interior respondió.",
            [("Nicaragua", "COUNTRY"), ("Ministerio del Interior", "ORG")],
            [("El Salvador", "COUNTRY"), ("Ministerio del Interior", "ORG")],
        ),
        (
            "fr",
            "La Cour constitutionnelle du Bénin a statué.",
            "Au Togo, la Cour constitutionnelle a statué.",
            [("Cour constitutionnelle du Bénin", "ORG")],
            [("Togo", "COUNTRY"), ("Cour constitutionnelle", "ORG")],
        ),
    ],
)
def test_jurisdiction_two_countries_same_name_get_different_keys(
    lang: str, text_a: str, text_b: str, spans_a: list[tuple[str, str]], spans_b: list[tuple[str, str]]
) -> None:
    name_a, name_b = spans_a[-1][0] if spans_a[-1][1] != "COUNTRY" else spans_a[1][0], spans_b[-1][0]
    a = _article(lang, text_a, spans_a, "a")
    b = _article(lang, text_b, spans_b, "b")
    key_a, key_b = _keys(a)[name_a], _keys(b)[name_b]
    assert key_a != key_b
    resolver = EntityResolver(fuzzy_threshold=80.0)
    resolver.add(a.mentions + b.mentions)
    type_ = next(m.type for m in a.mentions if m.text == name_a)
    key_map = resolver.key_map()
    assert key_map[(type_, key_a)] != key_map[(type_, key_b)]


def test_jurisdiction_same_country_same_key_and_bare_head_follows() -> None:
    a = _article(
        "es",
        "En Nicaragua la Asamblea Nacional votó; la Asamblea cerró ONG.",
        [("Nicaragua", "COUNTRY"), ("Asamblea Nacional", "ORG"), ("Asamblea", "ORG")],
    )
    b = _article(
        "es", "La Asamblea Nacional de Nicaragua aprobó la ley.", [("Asamblea Nacional de Nicaragua", "ORG")]
    )
    keys_a, keys_b = _keys(a), _keys(b)
    assert keys_a["Asamblea Nacional"] == keys_a["Asamblea"] == keys_b["Asamblea Nacional de Nicaragua"]


def test_jurisdiction_unknown_countries_stay_apart() -> None:
    a = _article("en", "The Ministry of Justice said no.", [("Ministry of Justice", "ORG")], "a1")
    b = _article("en", "The Ministry of Justice said yes.", [("Ministry of Justice", "ORG")], "b2")
    key_a, key_b = _keys(a)["Ministry of Justice"], _keys(b)["Ministry of Justice"]
    assert key_a != key_b
    # Switched off, the same name is one key again (the ablation measures it).
    c = _article("en", "The Ministry of Justice said no.", [("Ministry of Justice", "ORG")], "a1")
    d = _article("en", "The Ministry of Justice said yes.", [("Ministry of Justice", "ORG")], "b2")
    assert (
        _keys(c, ("jurisdiction",))["Ministry of Justice"]
        == _keys(d, ("jurisdiction",))["Ministry of Justice"]
    )


@pytest.mark.parametrize(
    ("text", "spans", "registry"),
    [
        # Another country's foreign agents law is not Nicaragua's registry entry.
        (
            "Kyrgyzstan adopted a Foreign Agents Law. Kyrgyzstan again.",
            [("Kyrgyzstan", "COUNTRY"), ("Foreign Agents Law", "LAW")],
            False,
        ),
        ("Nicaragua's Foreign Agents Law", [("Nicaragua's Foreign Agents Law", "LAW")], True),
        (
            "In Nicaragua the Ley de Agentes Extranjeros was used.",
            [("Nicaragua", "COUNTRY"), ("Ley de Agentes Extranjeros", "LAW")],
            True,
        ),
        (
            "In Peru the Ley de Agentes Extranjeros was proposed.",
            [("Peru", "COUNTRY"), ("Ley de Agentes Extranjeros", "LAW")],
            False,
        ),
    ],
)
def test_jurisdiction_registry_entry_of_one_country_never_absorbs_another(
    text: str, spans: list[tuple[str, str]], registry: bool
) -> None:
    article = _article("en", text, spans)
    resolve_article(article)
    law = next(m for m in article.mentions if m.type == "LAW")
    assert (law.key == "nicaragua-foreign-agents-law") is registry


@pytest.mark.parametrize(
    ("lang", "text", "spans", "body", "suffix"),
    [
        (
            "en",
            "The Constitutional Court of Georgia refused. Even in Hungary, the Constitutional Court agreed.",
            [
                ("Constitutional Court of Georgia", "ORG"),
                ("Hungary", "COUNTRY"),
                ("Constitutional Court", "ORG"),
            ],
            "Constitutional Court",
            "-hu",
        ),
        (
            "fr",
            "Au Burundi, la Cour a jugé. En Guinée, la Cour constitutionnelle pourrait statuer.",
            [("Burundi", "COUNTRY"), ("Guinée", "COUNTRY"), ("Cour constitutionnelle", "ORG")],
            "Cour constitutionnelle",
            "-gn",
        ),
        (
            "en",
            "It copies the United States' Foreign Agents Registration Act of 1938.",
            [("Foreign Agents Registration Act of 1938", "LAW")],
            "Foreign Agents Registration Act of 1938",
            "-us",
        ),
    ],
)
def test_jurisdiction_from_the_sentence(
    lang: str, text: str, spans: list[tuple[str, str]], body: str, suffix: str
) -> None:
    key = _keys(_article(lang, text, spans))[body]
    assert key.endswith(suffix) or key == suffix


def test_jurisdiction_numbered_registry_names_match_without_number_mark() -> None:
    article = _article(
        "es",
        "En Nicaragua, la Ley 1040 obliga a registrarse.",
        [("Nicaragua", "COUNTRY"), ("Ley 1040", "LAW")],
    )
    assert _keys(article)["Ley 1040"] == "nicaragua-foreign-agents-law"


def test_jurisdiction_article_number_keyed_to_the_law_it_was_cited_with() -> None:
    text = (
        "In Thailand people were charged under Section 112 of the Criminal Code and the Computer Crime Act. "
        "The court said Section 112 protects the king."
    )
    spans = [
        ("Thailand", "COUNTRY"),
        ("Criminal Code", "LAW"),
        ("Computer Crime Act", "LAW"),
        ("Section 112", "LAW"),
    ]
    keys = _keys(_article("en", text, spans))
    assert keys["Section 112"] == keys["Criminal Code"] != keys["Computer Crime Act"]


@pytest.mark.parametrize(
    ("lang", "text", "spans", "name"),
    [
        (
            "en",
            "Russia's Criminal Code is harsh.",
            [("Russia's Criminal Code", "LAW")],
            "Russia's Criminal Code",
        ),
        (
            "fr",
            "Le Code pénal de la Fédération de Russie.",
            [("Code pénal de la Fédération de Russie", "LAW")],
            "Code pénal de la Fédération de Russie",
        ),
        ("es", "El Código Penal ruso castiga.", [("Código Penal ruso", "LAW")], "Código Penal ruso"),
    ],
)
def test_jurisdiction_one_key_for_a_national_law_in_every_language(
    lang: str, text: str, spans: list[tuple[str, str]], name: str
) -> None:
    assert _keys(_article(lang, text, spans))[name] == "criminal-code-ru"


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Ethiopian Human Rights Commission"),
        ("fr", "Commission éthiopienne des droits de l’homme"),
        ("es", "Comisión etíope de Derechos Humanos"),
    ],
)
def test_jurisdiction_a_national_body_has_one_name_in_every_language(lang: str, name: str) -> None:
    code, base = named_jurisdiction(name, lang)
    assert code == "ET" and state_name(base) == "human rights commission"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("decret-loi-n-2022-54-tn", ("tn", "decree-law", ("54",), "2022")),
        ("decree-law-54-tn", ("tn", "decree-law", ("54",), None)),
        ("decreto-ley-54-tn", ("tn", "decree-law", ("54",), None)),
        ("law-no-1-of-2023-id", ("id", "law", ("1",), "2023")),
        ("ley-27-275-ar", ("ar", "law", ("27", "275"), None)),
        ("proclamation-no-1113-2019-et", ("et", "proclamation", ("1113",), "2019")),
        ("constitution-of-1997-er", None),  # a year, no number
        ("criminal-code-ru", None),
        ("ley-5-art-3f2a", None),  # no country: an article's scope
    ],
)
def test_jurisdiction_law_number_identifies_a_numbered_law_across_languages(
    key: str, expected: tuple[str, str, tuple[str, ...], str | None] | None
) -> None:
    number = law_number(key)
    found = None if number is None else (number.country, number.instrument, number.number, number.year)
    assert found == expected


@pytest.mark.parametrize(
    ("base", "name"),
    [
        ("Código Penal de 1998", "criminal code"),
        ("Constitution of 1960", "constitution"),
        ("1960 Constitution", "constitution"),
        ("Penal Code, 1930", "criminal code"),
        # a title that is no usual state law keeps its year
        ("Press Law of 1999", "Press Law of 1999"),
    ],
)
def test_jurisdiction_usual_law_named_with_its_year_is_that_law(base: str, name: str) -> None:
    assert state_name(base) == name


def test_jurisdiction_from_the_country_heading_the_section() -> None:
    text = (
        "Round-up of the month.\n\nLaos\n\nThe Penal Code was amended.\n\n"
        "Nepal. The Penal Code was used against a poet.\n\nGhana and Togo\n\nThe Penal Code stays."
    )
    spans = [("Laos", "COUNTRY"), ("Penal Code", "LAW"), ("Nepal", "COUNTRY"), ("Penal Code", "LAW")]
    spans += [("Ghana", "COUNTRY"), ("Togo", "COUNTRY"), ("Penal Code", "LAW")]
    article = _article("en", text, spans)
    resolve_article(article)
    assert [m.key for m in article.mentions if m.type == "LAW"] == [
        "criminal-code-la",
        "criminal-code-np",
        "criminal-code-gh",
    ]


def test_jurisdiction_a_country_opening_a_sentence_heads_no_section() -> None:
    text = "Peru has a new law.\nChile has the Penal Code and Peru has more.\n\nPeru passed it."
    spans = [("Peru", "COUNTRY"), ("Chile", "COUNTRY"), ("Penal Code", "LAW"), ("Peru", "COUNTRY")]
    spans += [("Peru", "COUNTRY")]
    article = _article("en", text, spans)
    resolve_article(article)
    assert [m.key for m in article.mentions if m.type == "LAW"] == ["criminal-code-pe"]  # the main country


@pytest.mark.parametrize(
    ("lang", "base", "name"),
    [
        ("en", "Broadcasting Service Proclamation No. 533/2007", "Proclamation 533/2007"),
        ("en", "Proclamation No. 533/2007", "Proclamation 533/2007"),
        ("en", "Law No. 9 of 2011 on Public Assembly", "Law 9 2011"),
        ("es", "Decreto Legislativo 1452 de 2019", "Decreto Legislativo 1452 2019"),
        ("es", "Ley N.º 2020/2024 sobre ONG", "Ley 2020/2024"),
        ("fr", "loi n° 2016-12 relative aux médias", "loi 2016-12"),
        # no number, no numbered name
        ("en", "Constitution of 1960", None),
        ("es", "Ley de Prensa", None),
    ],
)
def test_jurisdiction_numbered_instrument_named_by_kind_and_number(
    lang: str, base: str, name: str | None
) -> None:
    assert numbered_name(base, lang) == name


def test_jurisdiction_numbered_instrument_one_key_whatever_its_title() -> None:
    full = _article(
        "en",
        "In Chad, the Broadcasting Proclamation No. 533/2007 applies.",
        [("Chad", "COUNTRY"), ("Broadcasting Proclamation No. 533/2007", "LAW")],
    )
    short = _article(
        "en",
        "Chad repealed Proclamation No. 533/2007 last year.",
        [("Chad", "COUNTRY"), ("Proclamation No. 533/2007", "LAW")],
        article_id="b",
    )
    assert _keys(full)["Broadcasting Proclamation No. 533/2007"] == "proclamation-533-2007-td"
    assert _keys(short)["Proclamation No. 533/2007"] == "proclamation-533-2007-td"
    titled = _article(
        "en",
        "Chad repealed Proclamation No. 533/2007.",
        [("Chad", "COUNTRY"), ("Proclamation No. 533/2007", "LAW")],
        article_id="c",
    )
    assert (
        _keys(titled, rules_off=("law_numbers",))["Proclamation No. 533/2007"]
        == "proclamation-no-533-2007-td"
    )


def test_jurisdiction_bare_constitution_with_no_law_before_is_the_country_s() -> None:
    article = _article(
        "fr", "Au Tchad, la Constitution protège la presse.", [("Tchad", "COUNTRY"), ("Constitution", "LAW")]
    )
    assert _keys(article)["Constitution"] == "constitution-td"
    bare_court = _article("fr", "Au Tchad, la Cour a statué.", [("Tchad", "COUNTRY"), ("Cour", "ORG")])
    assert "Cour" not in _keys(bare_court)  # a bare body head with nothing to refer to is dropped
