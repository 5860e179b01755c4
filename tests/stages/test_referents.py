"""The resolve stage's indexes of earlier names (`referents.py`): the same referents as a
full scan of every earlier mention, and a cost that grows linearly with an article."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.knowledge.lexicon import lexicon
from pipeline.knowledge.names import APOSTROPHES, fold
from pipeline.records import Article, Mention
from pipeline.stages import referents
from pipeline.stages.referents import CITED_WITH, Countries, People, Referents, content_words, refers_to
from pipeline.stages.resolve import resolve_article

# --- the full scans the indexes replace, kept here as the reference ---------------------------


def _scan_person(name: str, people: list[str], partial_names: bool) -> str | None:
    return next((full for full in people if refers_to(name, full, partial_names)), None)


def _scan_latest_with_head(orgs: list[Mention], type_: str, head: str) -> Mention | None:
    for earlier in reversed(orgs):
        if earlier.type == type_ and (not head or head in fold(earlier.text).split()):
            return earlier
    return None


def _scan_law_by_subject(orgs: list[Mention], subject: set[str], lang: str) -> Mention | None:
    for earlier in reversed(orgs):
        if earlier.type == "LAW" and subject <= content_words(earlier.text, lexicon(lang)):
            return earlier
    return None


def _scan_cited_with(orgs: list[Mention], number: str, text: str) -> Mention | None:
    pattern = re.compile(re.escape(number.translate(APOSTROPHES)) + CITED_WITH, re.I)
    for earlier in orgs:
        preceding = text[max(0, earlier.start - len(number) - 12) : earlier.start]
        if earlier.type == "LAW" and pattern.search(preceding.translate(APOSTROPHES)):
            return earlier
    return None


# --- people -----------------------------------------------------------------------------------

_GIVEN = ["Ana", "Stéphane", "María José", "Aizhan", "Yasmin", "Jean-Luc", "Ali"]
_FAMILY = ["Duguin", "Hegazy", "Toktosunova", "López García", "Abdelrahman", "kyzy", "Ali", "de la Cruz"]


def _person_names() -> st.SearchStrategy[str]:
    full = st.builds(lambda g, f: f"{g} {f}", st.sampled_from(_GIVEN), st.sampled_from(_FAMILY))
    family = st.sampled_from(_FAMILY)
    three = st.builds(lambda g, m, f: f"{g} {m} {f}", st.sampled_from(_GIVEN), family, family)
    tails = st.sampled_from(["", "est", "a", "dice"])
    glued = st.builds(lambda n, tail: n.replace(" ", "") + tail, full, tails)
    single = st.sampled_from([*_GIVEN, *_FAMILY, "Stéphaneest", "Anaa", "StephaneDuguin", "—"])
    return st.one_of(full, three, glued, single)


@given(st.lists(_person_names(), max_size=40), st.booleans())
def test_referents_people_find_the_full_name_the_scan_finds(names: list[str], partial_names: bool) -> None:
    people, scanned = People(partial_names), []
    for k, name in enumerate(names):
        found = people.find(name)
        expected = _scan_person(name, scanned, partial_names)
        assert (found.name if found else None) == expected, (name, scanned)
        if found is None and len(name.split()) > 1:
            people.add(Mention(k, k + 1, name, "PERSON", None, "rule:test", 0, name, name=name))
            scanned.append(name)


# --- bodies and laws --------------------------------------------------------------------------

_ORG_NAMES = ["European Commission", "Commission nationale", "Constitutional Court", "la Sala Constitucional"]
_LAW_NAMES = [
    "Criminal Code", "Code pénal", "Budapest Convention on Cybercrime", "Convention sur la cybercriminalité",
    "Law on Foreign Agents", "Ley de Seguridad Ciudadana", "Cybercrime Act",
]
_LINKS = [" of the ", " de la ", " del ", " of ", " de l’", " du ", "  of\u00a0the ", " and the ", " "]
_NUMBERS = ["Article 4", "article 4", "ARTICLE 4", "Section 112", "Art. 12", "artículo 3", "Article 44", "4"]


@st.composite
def _article(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    """A text of laws and bodies, some cited after an article number, and their mentions in order."""
    text, mentions = "", []
    for _ in range(draw(st.integers(0, 25))):
        text += draw(st.sampled_from(["", "Under ", "x", "Sección 5", "\n"]))
        if draw(st.booleans()):
            text += draw(st.sampled_from(_NUMBERS)) + draw(st.sampled_from(_LINKS))
        type_, names = draw(st.sampled_from([("LAW", _LAW_NAMES), ("ORG", _ORG_NAMES)]))
        name = draw(st.sampled_from(names))
        mentions.append(Mention(len(text), len(text) + len(name), name, type_, None, "rule:test", 0, ""))
        text += name + ". "
    return text, mentions


@settings(max_examples=60)
@given(_article(), st.sampled_from(["en", "fr", "es"]), st.data())
def test_referents_bodies_and_laws_found_as_the_scan_finds_them(
    article: tuple[str, list[Mention]], lang: str, data: st.DataObject
) -> None:
    text, mentions = article
    index, scanned = Referents(text, lexicon(lang)), []
    for mention in mentions:
        number = data.draw(st.sampled_from(_NUMBERS))
        assert index.cited_with(number) is _scan_cited_with(scanned, number, text)
        head = data.draw(st.sampled_from(["", "commission", "court", "code", "convention", "sala", "ley"]))
        latest = _scan_latest_with_head(scanned, mention.type, head)
        assert index.latest_with_head(mention.type, head) is latest
        subject = content_words(data.draw(st.sampled_from(_LAW_NAMES)), lexicon(lang))
        assert index.law_by_subject(subject) is _scan_law_by_subject(scanned, subject, lang)
        defined = next((e for e in scanned if e.text == mention.text and e.type == mention.type), None)
        assert index.defined(mention.type, mention.text) is defined
        index.add(mention)
        scanned.append(mention)


def test_referents_a_long_form_is_found_whatever_its_spaces() -> None:
    """A key hint carries 'Ley 27692' where the text has 'Ley\u00a027692'."""
    index = Referents("Ley\u00a027692.", lexicon("es"))
    law = Mention(0, 9, "Ley\u00a027692", "LAW", None, "rule:test", 0, "")
    index.add(law)
    assert index.defined("LAW", "Ley 27692") is law


@given(st.lists(st.integers(0, 60), max_size=30), st.integers(0, 60), st.integers(0, 60))
def test_referents_countries_between_in_the_scan_order(starts: list[int], low: int, high: int) -> None:
    countries = [Mention(s, s + 2, "CN", "COUNTRY", None, "rule:test", 0, "") for s in starts]
    expected = [c for c in reversed(countries) if low <= c.start < high]
    assert list(Countries(countries).latest_between(low, high)) == expected


# --- cost -------------------------------------------------------------------------------------


def _sentence(k: int) -> list[str | tuple[str, str, str]]:
    """A news sentence naming a person, a body, its acronym, laws and bare references: plain
    text, or (surface, type, the rules' key) for a mention; `k` makes the names new."""
    stem = "".join("bcdfghjklm"[int(d)] for d in str(k)).capitalize()
    return [
        "In ", ("Kenya", "COUNTRY", "KE"), ", ", (f"Stéphane {stem}ovic", "PERSON", ""), " of the ",
        (f"{stem}ovic Press Union", "ORG", ""), " (",
        (f"{stem.upper()}PU", "ORG", f"acronym:{stem}ovic Press Union"),
        ") said ", (f"Article {k}", "LAW", ""), " of the ", ("Criminal Code", "LAW", ""), " and the ",
        ("Cybercrime Act", "LAW", ""), " breach ", ("the Convention", "LAW", ""), "; ",
        (f"{stem}ovic", "PERSON", ""), " told ", ("the Commission", "ORG", ""), ". ",
    ]


def _long_article(n_sentences: int) -> Article:
    """One article of `n_sentences` sentences; each pair of sentences names the same people and
    bodies, and every pair new ones, as a long report does."""
    text, mentions = "", []
    for i in range(n_sentences):
        sentence_start = len(text)
        for part in _sentence(i // 2):
            if isinstance(part, tuple):
                surface, type_, key = part
                mentions.append(
                    Mention(len(text), len(text) + len(surface), surface, type_, None, "rule:test",
                            sentence_start, "", key=key)
                )
                part = surface
            text += part
    return Article("a", "d", 0, 0, len(text), text, None, lang="en", mentions=mentions)


def _resolution_cost(n_sentences: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, float]:
    """(name comparisons made: `refers_to` and `cites` calls, fastest of three resolutions in s)."""
    calls = [0]
    for name in ("refers_to", "cites"):
        compare: Callable[..., bool] = getattr(referents, name)

        def counted(*args: object, compare: Callable[..., bool] = compare) -> bool:
            calls[0] += 1
            return compare(*args)

        monkeypatch.setattr(referents, name, counted)
    best = float("inf")
    for _ in range(3):
        article = _long_article(n_sentences)
        calls[0] = 0
        tick = time.perf_counter()
        resolve_article(article)
        best = min(best, time.perf_counter() - tick)
    monkeypatch.undo()
    return calls[0], best


def test_referents_resolution_cost_grows_linearly_with_one_article(monkeypatch: pytest.MonkeyPatch) -> None:
    small_calls, small_seconds = _resolution_cost(100, monkeypatch)
    large_calls, large_seconds = _resolution_cost(400, monkeypatch)
    # 4× the mentions: about 4× the comparisons and the time; comparing each with every earlier
    # name made 16× (time ratio bound generous: the machine is shared).
    assert large_calls <= 5 * small_calls
    assert large_seconds <= 8 * small_seconds


def test_referents_long_article_keys_every_kind_of_reference() -> None:
    resolved = {m.text: (m.key, m.resolution) for m in resolve_article(_long_article(4)).mentions}
    assert resolved["CPU"] == ("covic-press-union", "acronym")
    assert resolved["Covic"] == ("stephane-covic", "partial_name")
    assert resolved["Article 0"] == (resolved["Criminal Code"][0], "partial_name")  # cited with it
    assert resolved["the Commission"] == ("commission-ke", "jurisdiction")  # the country of the sentence


@pytest.mark.parametrize(
    ("name", "full", "expected"),
    [
        ("Carabalí Mina", "Yenny Carabalí Mina", True),
        ("al-Singace", "Abduljalil al-Singace", True),
        ("Pardo Lemus", "Óscar Iván Pardo Lemus", True),
        ("Iván Pardo", "Óscar Iván Pardo Lemus", False),  # not the last words
        ("Mina", "Yenny Carabalí Mina", False),  # one word: `refers_to` matches it otherwise
        ("Carabalí Mina", "Carabalí Mina", False),
    ],
)
def test_referents_surname_is_the_last_words_of_a_full_name(name: str, full: str, expected: bool) -> None:
    assert referents.surname_of(name, full) is expected


def _mention_at(text: str, surface: str, type_: str, after: int = 0) -> Mention:
    start = text.index(surface, after)
    return Mention(start, start + len(surface), surface, type_, None, "rule:test", 0, "")


@pytest.mark.parametrize(
    ("lang", "text", "first", "second", "linked"),
    [
        ("en", "Ana Lind spoke. A student known as Yosias was arrested.", "Ana Lind", "Yosias", False),
        ("en", "Ana Lind met Yosias Tebay in Jayapura.", "Ana Lind", "Yosias Tebay", False),
        ("fr", "Monel Félix, dit « Mikano », a fui.", "Monel Félix", "Mikano", True),
        ("es", "Luis Pérez, alias «el Flaco», huyó.", "Luis Pérez", "el Flaco", True),
    ],
)
def test_referents_alias_links_only_a_cue_right_after_a_name(
    lang: str, text: str, first: str, second: str, linked: bool
) -> None:
    earlier, alias = _mention_at(text, first, "PERSON"), _mention_at(text, second, "PERSON")
    links = referents.AliasLinks(text, [earlier, alias], lang).of
    assert (links.get(id(alias)) is earlier) is linked
