"""law_citations: articles attached to their law, a law's other names keyed like it."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.stages.ner.acronyms import ACRONYM_KEY_PREFIX
from pipeline.stages.ner.law_citations import attach_articles, link_law_aliases
from pipeline.stages.ner.law_grammar import law_vocabulary

MODEL = "model:m@1|LAW"
RULE = "rule:law.test"


def _span(doc: Doc, text: str, surface: str, label: str = "LAW", kb_id: str = "", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    span = doc.char_span(start, start + len(surface), label=label, kb_id=kb_id, span_id=RULE)
    assert span is not None
    return span


def _keys(
    lang: str, text: str, laws: list[tuple[str, int]], registry: dict[str, str] | None = None
) -> list[str]:
    """The key hints `link_law_aliases` gives the law `surfaces` (nth occurrence)."""
    doc = spacy.blank(lang)(text)
    registry = registry or {}
    chosen = [_span(doc, text, s, kb_id=registry.get(s, ""), nth=n) for s, n in laws]
    words = law_vocabulary(lang)
    heads = frozenset(words["heads_strong"] + words["heads_weak"] + words["heads_numbered"])
    links = frozenset(words["topic_links"] + words.get("head_links", []))
    return [s.kb_id_ for s in link_law_aliases(doc, chosen, heads, frozenset(words["alias_links"]), links)]


def test_law_citations_article_followed_by_its_law_is_no_mention() -> None:
    text = "Section 9 of the revised Press Act, 2012 and Article 4 apply."
    doc = spacy.blank("en")(text)
    section = _span(doc, text, "Section 9")
    law = _span(doc, text, "Press Act, 2012")
    alone = _span(doc, text, "Article 4")
    assert attach_articles(doc, [section, law, alone]) == [law, alone]


def test_law_citations_ngo_name_read_in_an_article_number_is_dropped() -> None:
    text = "Article 19 of the Charter binds."
    doc = spacy.blank("en")(text)
    ngo = _span(doc, text, "Article 19", label="ORG", kb_id="article-19")
    law = _span(doc, text, "Charter")
    assert attach_articles(doc, [ngo, law]) == [law]


def test_law_citations_model_span_over_article_and_law_is_cut_to_the_law() -> None:
    text = "Article 2 of the Covenant binds."
    doc = spacy.blank("en")(text)
    both = doc.char_span(0, len("Article 2 of the Covenant"), label="LAW", span_id=MODEL)
    assert [s.text for s in attach_articles(doc, [both])] == ["Covenant"]


@pytest.mark.parametrize(
    ("lang", "text", "laws", "keys"),
    [
        # a number in brackets
        (
            "en",
            "the Cyber Safety Act of 2019 (Republic Act No. 1234) applies",
            [("Cyber Safety Act of 2019", 0), ("Republic Act No. 1234", 0)],
            ["", ACRONYM_KEY_PREFIX + "Cyber Safety Act of 2019"],
        ),
        # in apposition, or given as another name
        (
            "en",
            "The Sedition Law, Law No. 7 of 2001, is used.",
            [("Sedition Law", 0), ("Law No. 7 of 2001", 0)],
            ["", ACRONYM_KEY_PREFIX + "Sedition Law"],
        ),
        (
            "es",
            "el Código Civil, aprobado como Ley 40 de 1990, rige",
            [("Código Civil", 0), ("Ley 40 de 1990", 0)],
            ["", ACRONYM_KEY_PREFIX + "Código Civil"],
        ),
        # a list of two laws is no apposition: both have numbers
        (
            "es",
            "la Ley 10 de 2001, la Ley 12 de 2003 y otras",
            [("Ley 10 de 2001", 0), ("Ley 12 de 2003", 0)],
            ["", ""],
        ),
        # the short citation of a numbered title, before or after it
        (
            "fr",
            "le décret 12 puis le décret-loi n° 2019-12 relatif aux médias et le décret 12",
            [("décret 12", 0), ("décret-loi n° 2019-12 relatif aux médias", 0), ("décret 12", 1)],
            ["", ACRONYM_KEY_PREFIX + "décret 12", ""],
        ),
        # never one short citation for two years
        (
            "en",
            "Law No. 3 of 2020 and Law No. 3 of 2021 replaced Law No. 3 there",
            [("Law No. 3 of 2020", 0), ("Law No. 3 of 2021", 0), ("Law No. 3", 0)],
            ["", "", ""],
        ),
        # a title without its year or its subject
        (
            "en",
            "the Press Act, 2011 and later the Press Act",
            [("Press Act, 2011", 0), ("Press Act", 1)],
            ["", ACRONYM_KEY_PREFIX + "Press Act, 2011"],
        ),
        (
            "es",
            "la Carta Andina sobre Derechos Humanos y la Carta Andina",
            [("Carta Andina sobre Derechos Humanos", 0), ("Carta Andina", 1)],
            ["andean-charter", "andean-charter"],
        ),
        # a title whose first words are written as their acronym
        (
            "en",
            "the Civic Groups Registration Act and the CGR Act",
            [("Civic Groups Registration Act", 0), ("CGR Act", 0)],
            ["", ACRONYM_KEY_PREFIX + "Civic Groups Registration Act"],
        ),
    ],
)
def test_law_citations_aliases_keyed_like_their_law(
    lang: str, text: str, laws: list[tuple[str, int]], keys: list[str]
) -> None:
    registry = {"Carta Andina sobre Derechos Humanos": "andean-charter"}
    assert _keys(lang, text, laws, registry) == keys


def test_law_citations_acronym_title_needs_the_exact_initials() -> None:
    text = "the Public Interest and Media Law and the PIN Law"
    laws = [("Public Interest and Media Law", 0), ("PIN Law", 0)]
    assert _keys("en", text, laws) == ["", ""]
