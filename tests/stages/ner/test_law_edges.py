"""law_edges: a law title's number, year, glued end, compound start and amended law."""

from __future__ import annotations

import pytest
import spacy

from pipeline.stages.ner.law_edges import LawEdges, word_end


def _extended(lang: str, text: str, title: str) -> str:
    """`title` (a substring of `text` on token bounds) after `LawEdges.extend`."""
    doc = spacy.blank(lang)(text)
    span = doc.char_span(text.index(title), text.index(title) + len(title))
    assert span is not None
    start, end = LawEdges(lang).extend(doc, span.start, span.end)
    return doc[start:end].text


@pytest.mark.parametrize(
    ("lang", "text", "title", "extended"),
    [
        # the number after the head, with or without a mark
        (
            "en",
            "the Mining Proclamation No. 61/2014 applies",
            "Mining Proclamation",
            "Mining Proclamation No. 61/2014",
        ),
        ("es", "la Ley General de Pesca 307-08 rige", "Ley General de Pesca", "Ley General de Pesca 307-08"),
        # Commonwealth short titles put the year after a comma
        ("en", "the Public Order Act, 2019, which", "Public Order Act", "Public Order Act, 2019"),
        ("en", "the Public Order Act 2019 which", "Public Order Act", "Public Order Act 2019"),
        ("es", "la Ley de Prensa de 1995 rige", "Ley de Prensa", "Ley de Prensa de 1995"),
        # a number written as one word runs to the word's end
        ("en", "Decree 12/2021/TT-BTC took effect", "Decree 12/2021", "Decree 12/2021/TT-BTC"),
        # an English compound with a lower-case second part
        ("en", "the Trade Co-operation Act of 1990 was", "Act of 1990", "Trade Co-operation Act of 1990"),
    ],
)
def test_law_edges_extend_a_title(lang: str, text: str, title: str, extended: str) -> None:
    assert _extended(lang, text, title) == extended


@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        # a treaty's year is its signature's, not part of its name
        ("fr", "les Accords de paix de Lomé de 1999 sont", "Accords de paix de Lomé"),
        # a plain number after a head is no instrument number
        ("en", "the Penal Code 2 years ago", "Penal Code"),
        # a year that starts a range is no title's year
        ("en", "the Press Act, 2013-2015 period", "Press Act"),
    ],
)
def test_law_edges_leave_a_title_alone(lang: str, text: str, title: str) -> None:
    assert _extended(lang, text, title) == title


def test_law_edges_word_end_only_over_a_whole_word() -> None:
    doc = spacy.blank("en")("Decree 12/2021/AB-CDx and Decree 12/2021/AB")
    assert word_end(doc, 2) == 2  # the word goes on with lower-case letters
    assert doc[7 : word_end(doc, 9)].text == "Decree 12/2021/AB"


@pytest.mark.parametrize(
    ("lang", "text", "first", "second", "amended"),
    [
        ("es", "la Ley Reformatoria a la Ley de Minería rige", "Ley Reformatoria", "Ley de Minería", True),
        ("es", "la Ley de Aguas y la Ley de Minería rigen", "Ley de Aguas", "Ley de Minería", False),
    ],
)
def test_law_edges_amending_title_names_the_amended_law(
    lang: str, text: str, first: str, second: str, amended: bool
) -> None:
    doc = spacy.blank(lang)(text)
    spans = []
    for title in (first, second):
        span = doc.char_span(text.index(title), text.index(title) + len(title))
        assert span is not None
        spans.append((span.start, span.end))
    assert LawEdges(lang).amended(doc, spans[0], spans[1]) is amended


@pytest.mark.parametrize(
    ("text", "title", "extended"),
    [
        # bracket groups and link words before an English head
        (
            "the Fisheries in Lakes (Control) (Amendment) Act 2021 was",
            "Act 2021",
            "Fisheries in Lakes (Control) (Amendment) Act 2021",
        ),
        ("the Elections (Amendment No. 3) Act passed", ") Act", "Elections (Amendment No. 3) Act"),
        # a bracket of lower-case words is no part of a title
        ("the (new) Act passed", ") Act", ") Act"),
    ],
)
def test_law_edges_english_title_start(text: str, title: str, extended: str) -> None:
    assert _extended("en", text, title) == extended
