"""Per-article resolution rules, in all three languages, on hand-made mentions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import process

from pipeline.records import Article, Mention
from pipeline.stages.referents import short_form
from pipeline.stages.resolve import best_match, name_similarity, person_name, resolve_article

from ..conftest import make_mention as _mention


def _resolve(
    lang: str, mentions: list[Mention], rules_off: tuple[str, ...] = ()
) -> list[tuple[str, str, str]]:
    article = Article("a", "d", 0, 0, 0, "", None, lang=lang, mentions=mentions)
    resolve_article(article, rules_off=rules_off)
    return [(m.text, m.key, m.resolution) for m in article.mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US House Speaker Nancy Pelosi", "Nancy Pelosi"),
        ("Secretary Salcedo", "Salcedo"),
        ("la présidente Amina Diallo", "Amina Diallo"),
        ("el ministro Carlos Pérez", "Carlos Pérez"),
        ("Ana", "Ana"),
    ],
)
def test_resolve_person_name_strips_titles(text: str, expected: str) -> None:
    assert person_name(text) == expected


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_resolve_partial_person_names_link_to_full_name(lang: str) -> None:
    resolved = _resolve(
        lang,
        [
            _mention("Duguin", "PERSON"),
            _mention("Stéphane Duguin", "PERSON"),
            _mention("Stéphane", "PERSON"),
            _mention("StephaneDuguin", "PERSON"),
            _mention("Stéphaneest", "PERSON"),
        ],
    )
    assert {key for _, key, _ in resolved} == {"stephane-duguin"}
    assert [r for _, _, r in resolved].count("partial_name") == 4


def test_resolve_distinct_people_sharing_a_given_name_stay_apart_without_full_name() -> None:
    resolved = _resolve("en", [_mention("Anna Berg", "PERSON"), _mention("Anna Lind", "PERSON")])
    assert [key for _, key, _ in resolved] == ["anna-berg", "anna-lind"]


@pytest.mark.parametrize(
    ("lang", "long", "acronym"),
    [
        ("en", "Open Government Partnership", "OGP"),
        ("fr", "Union européenne", "UE"),
        ("es", "Comisión Interamericana de Derechos Humanos", "CIDH"),
    ],
)
def test_resolve_acronym_links_to_its_long_form(lang: str, long: str, acronym: str) -> None:
    resolved = _resolve(lang, [_mention(long, "ORG"), _mention(acronym, "ORG", f"acronym:{long}")])
    assert resolved[0][1] == resolved[1][1]
    assert resolved[1][2] == "acronym"


@pytest.mark.parametrize(
    ("lang", "surface", "key"),
    [
        ("en", "United Nations", "united-nations"),
        ("fr", "Nations Unies", "united-nations"),
        ("es", "Naciones Unidas", "united-nations"),
        ("fr", "ONU", "united-nations"),
        ("en", "Organization of Security and Cooperation in Europe", "osce"),
    ],
)
def test_resolve_registry_keys_organisations_in_every_language(lang: str, surface: str, key: str) -> None:
    ((_, resolved_key, resolution),) = _resolve(lang, [_mention(surface, "ORG")])
    assert resolved_key == key
    assert resolution in ("registry", "fuzzy")


@pytest.mark.parametrize(
    ("lang", "surface"),
    [
        ("en", "International Covenant on Civil and Political Rights"),
        ("fr", "Pacte international relatif aux droits civils et politiques"),
        ("es", "Pacto Internacional de Derechos Civiles y Políticos"),
    ],
)
def test_resolve_registry_keys_laws_in_every_language(lang: str, surface: str) -> None:
    assert _resolve(lang, [_mention(surface, "LAW")])[0][1] == "iccpr"


@pytest.mark.parametrize(
    ("lang", "named", "bare"),
    [
        ("en", "European Commission", "Commission"),
        ("fr", "Comité ad hoc des Nations Unies", "Comité"),
        ("es", "Consejo de Derechos Humanos", "Consejo"),
    ],
)
def test_resolve_bare_head_refers_to_the_body_named_before(lang: str, named: str, bare: str) -> None:
    resolved = _resolve(lang, [_mention(named, "ORG"), _mention(bare, "ORG")])
    assert resolved[0][1] == resolved[1][1] and resolved[1][2] == "partial_name"


def test_resolve_bare_head_without_referent_is_dropped() -> None:
    assert _resolve("en", [_mention("Commission", "ORG")]) == []


@pytest.mark.parametrize(("lang", "bare"), [("en", "Senate"), ("fr", "Sénat"), ("es", "Congreso")])
def test_resolve_a_legislature_named_by_its_head_alone_is_kept(lang: str, bare: str) -> None:
    """'stalled in the Senate': one chamber per state, the article's country's."""
    resolved = _resolve(lang, [_mention("Kenya", "COUNTRY", "KE"), _mention(bare, "ORG")])
    assert [(text, resolution) for text, _, resolution in resolved][1] == (bare, "jurisdiction")
    assert _resolve(lang, [_mention(bare.lower(), "ORG")]) == []


def test_resolve_law_article_and_unnamed_title_refer_to_the_law_before() -> None:
    resolved = _resolve(
        "fr",
        [
            _mention("traité des Nations Unies sur la cybercriminalité", "LAW"),
            _mention("Convention sur la cybercriminalité", "LAW"),
            _mention("Article 4", "LAW"),
            _mention("Convention", "LAW"),
        ],
    )
    assert len({key for _, key, _ in resolved}) == 1


def test_resolve_one_sense_per_article() -> None:
    resolved = _resolve(
        "fr",
        [
            _mention("Convention sur la cybercriminalité", "LAW", "un-cybercrime-convention"),
            _mention("Convention de Budapest sur la cybercriminalité", "LAW", "budapest-convention"),
            _mention("Convention sur la cybercriminalité", "LAW"),
        ],
    )
    assert resolved[2][1] == "un-cybercrime-convention"


@pytest.mark.parametrize(
    ("lang", "surface", "code"),
    [("en", "Egypt", "EG"), ("fr", "Égypte", "EG"), ("es", "Egipto", "EG")],
)
def test_resolve_countries_key_by_iso_code(lang: str, surface: str, code: str) -> None:
    assert _resolve(lang, [_mention(surface, "COUNTRY")]) == [(surface, code, "iso")]


@pytest.mark.parametrize(
    ("lang", "type_", "surface", "key"),
    [
        ("en", "ORG", "Ad Hoc Committee", "ad-hoc-committee"),
        ("en", "ORG", "COVID-19", "covid-19"),
        ("fr", "ORG", "l’Observatoire Karisma", "observatoire-karisma"),
        ("es", "ORG", "Fundación Karisma", "fundacion-karisma"),
        ("en", "PERSON", "Natalia Carfi", "natalia-carfi"),
        ("fr", "PERSON", "la présidente Amina Diallo", "amina-diallo"),
    ],
)
def test_resolve_keys_read_like_names(lang: str, type_: str, surface: str, key: str) -> None:
    assert _resolve(lang, [_mention(surface, type_)])[0][1] == key


@pytest.mark.parametrize(
    ("name", "full", "short"),
    [
        ("Yasmin Hegazy", "Yasmin Abdelrahman Hegazy", True),
        ("YasminHegazy", "Yasmin Abdelrahman Hegazy", True),
        ("Aigerim Bekova", "Aigerim Bekova kyzy", True),
        ("María Cruz", "María José Cruz Pérez", True),
        ("Awa Ndoye", "Awa Diop Ndoye", True),
        ("Awa Diop", "Awa Diop", False),
        ("Paul Ndoye", "Awa Diop Ndoye", False),
        ("Hegazy Yasmin", "Yasmin Abdelrahman Hegazy", False),
        ("Ana Ortiz", "Ana Ortiz", False),
    ],
)
def test_short_forms_of_a_full_name(name: str, full: str, short: bool) -> None:
    assert short_form(name, full) is short


_REGISTRY_LIKE = ["european commission", "european court of human rights", "united nations", "osce",
                  "organization for security and cooperation in europe", "amnesty international"]


@given(
    st.text(alphabet="abcdeoinrst ", min_size=12, max_size=40),
    st.lists(st.text(alphabet="abcdeoinrst ", max_size=40), max_size=30),
    st.sampled_from([50.0, 80.0, 92.0, 100.0]),
)
def test_resolve_best_match_picks_what_extract_one_picks(
    query: str, choices: list[str], threshold: float
) -> None:
    choices = [*choices, *_REGISTRY_LIKE, query[:-1], query[1:], " ".join(reversed(query.split()))]
    best = process.extractOne(query, choices, scorer=name_similarity)
    expected = best[2] if best is not None and best[1] >= threshold else None
    assert best_match(query, choices, threshold) == expected


def _located(
    lang: str, text: str, spans: list[tuple[str, str]], rules_off: tuple[str, ...] = ()
) -> list[Mention]:
    """Resolve an article of `text` with a mention of each (surface, type) at the surface's next
    occurrence, each in its sentence (after the last full stop or line break before it)."""
    mentions, position = [], 0
    for surface, type_ in spans:
        start = text.index(surface, position)
        sentence_start = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
        mentions.append(
            Mention(start, start + len(surface), surface, type_, None, "rule:test", sentence_start, "")
        )
        position = start + 1
    article = Article("a", "d", 0, 0, len(text), text, None, lang=lang, mentions=mentions)
    return resolve_article(article, rules_off=rules_off).mentions


def _keys(mentions: list[Mention], type_: str) -> list[str]:
    return [m.key for m in mentions if m.type == type_]


def test_resolve_round_up_sections_give_each_national_law_its_heading_country() -> None:
    text = (
        "  • Week in review: Viet Nam and Indonesia\n\n"
        "    Viet Nam. A blogger was jailed under the Penal Code.\n\n"
        "    Indonesia. The new Penal Code enters into force in January.\n\n"
        "    The Penal Code also punishes defamation."
    )
    spans = [("Viet Nam", "COUNTRY"), ("Indonesia", "COUNTRY"), ("Viet Nam", "COUNTRY"),
             ("Penal Code", "LAW"), ("Indonesia", "COUNTRY"), ("Penal Code", "LAW"), ("Penal Code", "LAW")]
    expected = ["criminal-code-vn", "criminal-code-id", "criminal-code-id"]
    assert _keys(_located("en", text, spans), "LAW") == expected
    # Off, every section takes the article's most-mentioned country.
    assert set(_keys(_located("en", text, spans, ("sections",)), "LAW")) == {"criminal-code-vn"}


def test_resolve_a_country_alone_on_its_line_heads_a_section_without_a_blank_line() -> None:
    text = (
        "  • Legislative round-up\n\nKenya\nThe Penal Code was amended.\n"
        "Ghana and Togo\nThe Penal Code stays.\nWorkers moved to Kenya\nlast year under the Penal Code."
    )
    spans = [("Kenya", "COUNTRY"), ("Penal Code", "LAW"), ("Ghana", "COUNTRY"), ("Togo", "COUNTRY"),
             ("Penal Code", "LAW"), ("Kenya", "COUNTRY"), ("Penal Code", "LAW")]
    # 'Kenya' ending a line of prose heads nothing: the last code is still Ghana's.
    expected = ["criminal-code-ke", "criminal-code-gh", "criminal-code-gh"]
    assert _keys(_located("en", text, spans), "LAW") == expected


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        (
            "fr",
            "  • Revue\n\n    Djibouti\n\n    L’Assemblée nationale a voté.\n\n    Somalie\n\n"
            "    À Mogadiscio, l’Assemblée nationale a voté aussi. La Somalie et Djibouti.",
            [("Djibouti", "COUNTRY"), ("Assemblée nationale", "ORG"), ("Somalie", "COUNTRY"),
             ("Assemblée nationale", "ORG"), ("Somalie", "COUNTRY"), ("Djibouti", "COUNTRY")],
            ["national-assembly-dj", "national-assembly-so"],
        ),
        (
            "es",
            "  • Bolivia: entrevista\n\n    En Bolivia la Defensoría del Pueblo abrió un proceso.\n\n"
            "    Es distinto en otros países. En Perú, la Defensoría del Pueblo archivó el caso.",
            [("Bolivia", "COUNTRY"), ("Bolivia", "COUNTRY"), ("Defensoría del Pueblo", "ORG"),
             ("Perú", "COUNTRY"), ("Defensoría del Pueblo", "ORG")],
            ["ombudsman-bo", "ombudsman-pe"],
        ),
        (
            "es",
            "  • Nicaragua: entrevista\n\n    Nicaragua cerró periódicos.\n\n"
            "    La Prensa se trasladó a Costa Rica. El Tribunal de Apelaciones de Managua condenó a 94.",
            [("Nicaragua", "COUNTRY"), ("Nicaragua", "COUNTRY"), ("Costa Rica", "COUNTRY"),
             ("Tribunal de Apelaciones de Managua", "ORG")],
            ["tribunal-de-apelaciones-de-managua-ni"],
        ),
        (
            "en",
            "  • Bahrain: interview\n\n    Bahrain jails bloggers. Bahrain has no free press.\n\n"
            "    Bahrain. The United Kingdom trained the Ministry of Interior.\n\n"
            "    The United Kingdom has close ties with the Ministry of Interior.",
            [("Bahrain", "COUNTRY"), ("Bahrain", "COUNTRY"), ("Bahrain", "COUNTRY"), ("Bahrain", "COUNTRY"),
             ("United Kingdom", "COUNTRY"), ("Ministry of Interior", "ORG"), ("United Kingdom", "COUNTRY"),
             ("Ministry of Interior", "ORG")],
            ["ministry-of-the-interior-bh", "ministry-of-the-interior-bh"],
        ),
    ],
)
def test_resolve_a_body_takes_the_country_of_its_passage(
    lang: str, text: str, spans: list[tuple[str, str]], expected: list[str]
) -> None:
    """A heading or a sentence opening on a place sets the country of what follows in its
    section or paragraph; a country merely named in a paragraph does not."""
    assert _keys(_located(lang, text, spans), "ORG") == expected


@pytest.mark.parametrize(
    ("lang", "text", "spans", "expected"),
    [
        (
            "es",
            "  • Resumen\n\n    Perú. La CNDDHH acudió al Tribunal Constitucional.\n\n"
            "    República Dominicana. Una sentencia del Tribunal Constitucional dominicano dejó apátridas.",
            [("Perú", "COUNTRY"), ("Tribunal Constitucional", "ORG"), ("República Dominicana", "COUNTRY"),
             ("Tribunal Constitucional dominicano", "ORG")],
            ["constitutional-court-pe", "constitutional-court-do"],
        ),
        (
            "fr",
            "  • Revue\n\n    Bénin. Les avocats ont saisi la Cour constitutionnelle.\n\n"
            "    Togo. La Cour constitutionnelle togolaise a validé le scrutin.",
            [("Bénin", "COUNTRY"), ("Cour constitutionnelle", "ORG"), ("Togo", "COUNTRY"),
             ("Cour constitutionnelle togolaise", "ORG")],
            ["constitutional-court-bj", "constitutional-court-tg"],
        ),
        (
            "en",
            "  • Week in review\n\n    Peru. Lawyers went to the Constitutional Court.\n\n"
            "    Colombia. The Colombian Constitutional Court protected a journalist.",
            [("Peru", "COUNTRY"), ("Constitutional Court", "ORG"), ("Colombia", "COUNTRY"),
             ("Colombian Constitutional Court", "ORG")],
            ["constitutional-court-pe", "constitutional-court-co"],
        ),
    ],
)
def test_resolve_a_round_up_keeps_two_countries_courts_of_one_name_apart(
    lang: str, text: str, spans: list[tuple[str, str]], expected: list[str]
) -> None:
    """The court of one section, and the court named with its country's adjective in
    another: two courts, each of its own country."""
    assert _keys(_located(lang, text, spans), "ORG") == expected


@pytest.mark.parametrize(
    ("lang", "text", "spans"),
    [
        ("en", "Fessehaye Yohannes, known as “Joshua”, founded Setit. Joshua died.",
         [("Fessehaye Yohannes", "PERSON"), ("Joshua", "PERSON"), ("Joshua", "PERSON")]),
        ("fr", "Le chef de gang Jimmy Chérizier, dit « Barbecue », contrôle la ville.",
         [("Jimmy Chérizier", "PERSON"), ("Barbecue", "LOCATION")]),
        ("es", "Maykel Castillo Pérez, conocido como «Osorbo», sigue preso.",
         [("Maykel Castillo Pérez", "PERSON"), ("Osorbo", "PERSON")]),
    ],
)
def test_resolve_a_nickname_introduced_after_a_name_is_that_person(
    lang: str, text: str, spans: list[tuple[str, str]]
) -> None:
    resolved = _located(lang, text, spans)
    assert {m.type for m in resolved} == {"PERSON"}
    assert len({m.key for m in resolved}) == 1


@pytest.mark.parametrize(
    ("lang", "text", "spans"),
    [
        ("en", "The Law on NGOs, which everyone now calls the Foreign Representatives Law.",
         [("Law on NGOs", "LAW"), ("Foreign Representatives Law", "LAW")]),
        ("fr", "Le décret-loi n° 2022-54, que tout le monde appelle simplement le décret 54, punit.",
         [("décret-loi n° 2022-54", "LAW"), ("décret 54", "LAW")]),
    ],
)
def test_resolve_another_name_of_a_law_is_that_law(
    lang: str, text: str, spans: list[tuple[str, str]]
) -> None:
    assert len(set(_keys(_located(lang, text, spans), "LAW"))) == 1


@pytest.mark.parametrize(
    ("lang", "text", "spans"),
    [
        ("es", "Siguen vigentes la Ley Orgánica de Comunicación, la Ley 1712 de 2014 y la Ley 348.",
         [("Ley Orgánica de Comunicación", "LAW"), ("Ley 1712 de 2014", "LAW"), ("Ley 348", "LAW")]),
        ("en", "Under the Penal Code, Law No. 1 of 2023 and the Media Law.",
         [("Penal Code", "LAW"), ("Law No. 1 of 2023", "LAW"), ("Media Law", "LAW")]),
        ("en", "The Computer Misuse Act, 2011, then the Computer Misuse (Amendment) Act, 2022.",
         [("Computer Misuse Act", "LAW"), ("Computer Misuse (Amendment) Act", "LAW")]),
        ("en", "Law No. 1 of 2023 replaced it. Law No. 1 of 2024 amended another.",
         [("Law No. 1 of 2023", "LAW"), ("Law No. 1 of 2024", "LAW")]),
    ],
)
def test_resolve_laws_listed_or_amended_stay_apart(
    lang: str, text: str, spans: list[tuple[str, str]]
) -> None:
    assert len(set(_keys(_located(lang, text, spans), "LAW"))) == len(spans)


@pytest.mark.parametrize(
    ("lang", "full", "surname"),
    [
        ("es", "Yenny Carabalí Mina", "Carabalí Mina"),
        ("en", "Abduljalil al-Singace", "al-Singace"),
        ("en", "Rowena Dela Cruz-Umali", "Dela Cruz-Umali"),
        ("fr", "Marie-Laure de la Fontaine", "de la Fontaine"),
    ],
)
def test_resolve_a_surname_of_several_words_is_the_person(lang: str, full: str, surname: str) -> None:
    resolved = _resolve(lang, [_mention(full, "PERSON"), _mention(surname, "PERSON")])
    assert resolved[0][1] == resolved[1][1] and resolved[1][2] == "partial_name"


def test_resolve_a_un_body_named_without_un_is_that_body() -> None:
    text = "The UN Ad Hoc Committee on Cybercrime met. The Ad Hoc Committee adopted the text."
    spans = [("UN Ad Hoc Committee on Cybercrime", "ORG"), ("Ad Hoc Committee", "ORG")]
    assert len(set(_keys(_located("en", text, spans), "ORG"))) == 1


@pytest.mark.parametrize(
    ("lang", "surface"),
    [
        ("fr", "Commission des Nations Unies pour la prévention du crime et la justice pénale"),
        ("es", "Comisión de Prevención del Delito y Justicia Penal de las Naciones Unidas"),
    ],
)
def test_resolve_a_un_body_matches_the_registry_with_its_un_qualifier(lang: str, surface: str) -> None:
    key = "commission-on-crime-prevention-and-criminal-justice"
    assert _resolve(lang, [_mention(surface, "ORG")]) == [(surface, key, "registry")]
    assert _resolve(lang, [_mention(surface, "ORG")], ("un_qualifier",))[0][1] != key


def test_resolve_an_alias_used_before_it_is_introduced_is_that_law_throughout() -> None:
    text = "Le décret 54 inquiète. Le décret-loi n° 2022-54, que tout le monde appelle le décret 54, punit."
    spans = [("décret 54", "LAW"), ("décret-loi n° 2022-54", "LAW"), ("décret 54", "LAW")]
    assert len(set(_keys(_located("fr", text, spans), "LAW"))) == 1
    assert len(set(_keys(_located("fr", text, spans, ("aliases",)), "LAW"))) == 2


@pytest.mark.parametrize(
    ("lang", "text", "spans", "type_"),
    [
        ("en", "The Parliamentary Assembly of the Council of Europe voted. The Parliamentary Assembly said.",
         [("Parliamentary Assembly of the Council of Europe", "ORG"), ("Parliamentary Assembly", "ORG")],
         "ORG"),
        ("es", "La Corte Suprema de Justicia falló. La Corte Suprema ordenó un protocolo.",
         [("Corte Suprema de Justicia", "ORG"), ("Corte Suprema", "ORG")], "ORG"),
    ],
)
def test_resolve_a_short_name_of_a_body_is_that_one(
    lang: str, text: str, spans: list[tuple[str, str]], type_: str
) -> None:
    assert len(set(_keys(_located(lang, text, spans), type_))) == 1


def test_resolve_a_short_name_never_reaches_another_country_s_body() -> None:
    text = "The Constitutional Court of Georgia ruled. In Hungary, the Constitutional Court did not."
    spans = [("Constitutional Court of Georgia", "ORG"), ("Hungary", "COUNTRY"),
             ("Constitutional Court", "ORG")]
    assert _keys(_located("en", text, spans), "ORG") == ["constitutional-court-ge", "constitutional-court-hu"]


@pytest.mark.parametrize(
    ("lang", "surface"),
    [("fr", "Cour de justice de la CEDEAO"), ("en", "ECOWAS Court"),
     ("es", "Tribunal de Justicia de la CEDEAO")],
)
def test_resolve_a_body_of_an_international_organisation_has_no_country(lang: str, surface: str) -> None:
    text = f"Au Niger, la {surface} a jugé."
    spans = [("Niger", "COUNTRY"), (surface, "ORG")]
    assert _located(lang, text, spans)[1].resolution != "jurisdiction"
