"""Tests for pipeline.stages.split: header, articles and page chrome tile the text exactly."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.records import Document
from pipeline.stages.split import MAX_TITLE_CHARS, Split, split_document, split_text


def _pieces(text: str, parts: Split) -> tuple[str, list[str], str]:
    """(header, article texts, boilerplate) as cut by `parts`."""
    end = parts.boilerplate_start if parts.boilerplate_start is not None else len(text)
    return text[: parts.header_end], [text[s.start : s.end] for s in parts.articles], text[end:]


@pytest.mark.parametrize(
    ("text", "header", "titles", "boilerplate", "tag"),
    [
        ("", "", [], "", None),
        ("Just prose.\nNo bullets.\n", "", [None], "", None),
        (
            "surveillance\n\n  • One\n\n    Body one.\n  • Two\n    Body two.\n",
            "surveillance\n\n", ["One", "Two"], "", "surveillance",
        ),
        # Page chrome: the first line indented less than the last bullet.
        (
            "tag\n  • One\n    Body.\n\nCONTACT US\nmail@example.org\n",
            "tag\n", ["One"], "CONTACT US\nmail@example.org\n", "tag",
        ),
        # Bullets at the margin: no chrome can be told apart.
        ("• One\nBody.\nFooter\n", "", ["One"], "", None),
        # Tabs count as 8 columns.
        ("\t• One\n\t\tBody.\n    Footer\n", "", ["One"], "    Footer\n", None),
        # NBSP after the bullet, trailing blanks and NBSP stripped from the title.
        ("  •\u00a0Title one \u00a0 \n    Body.\n", "", ["Title one"], "", None),
        # Every bullet shape; a blank line holding NBSP is not chrome.
        ("  ● A\n    \u00a0\n    x\n  ▪ B\n  ‣ C\n  ◦ D\n", "", ["A", "B", "C", "D"], "", None),
        # A header of prose is not a tag; a bullet without a title is not a title line.
        ("Prose, not a tag.\nMore.\n  •\n  • T\n", "Prose, not a tag.\nMore.\n  •\n", ["T"], "", None),
    ],
    ids=["empty", "no-bullets", "tag-two-articles", "chrome", "margin-bullets", "tabs", "nbsp-title",
         "bullet-shapes", "prose-header"],
)
def test_split_text(
    text: str, header: str, titles: list[str | None], boilerplate: str, tag: str | None
) -> None:
    parts = split_text(text)
    got_header, _, got_boilerplate = _pieces(text, parts)
    assert got_header == header
    assert [s.title for s in parts.articles] == titles
    assert got_boilerplate == boilerplate
    assert parts.tag == tag


@pytest.mark.parametrize("blanks", [10, 1_000_000])
def test_split_text_long_run_of_blanks_on_a_title_line_is_linear(blanks: int) -> None:
    """Regression: the title pattern backtracked quadratically (16k spaces took 1.7 s)."""
    text = "  • Title" + " " * blanks + "end  \n    body\n  • Next \t\n"
    started = time.perf_counter()
    parts = split_text(text)
    assert time.perf_counter() - started < 0.5
    assert [s.start for s in parts.articles] == [0, text.index("  • Next")]
    assert parts.articles[1].title == "Next"


@pytest.mark.parametrize(
    ("length", "title"), [(MAX_TITLE_CHARS, "x" * MAX_TITLE_CHARS), (MAX_TITLE_CHARS + 1, None)]
)
def test_split_text_bullet_line_too_long_for_a_title_is_an_untitled_article(
    length: int, title: str | None
) -> None:
    text = "  • " + "x" * length + "\n    body\n"
    assert [(s.start, s.end, s.title) for s in split_text(text).articles] == [(0, len(text), title)]


def test_split_document_fills_the_document() -> None:
    text = "tag\n\n  • First\n    Body.\n  • Second\n    More.\nFooter\n"
    doc = Document("doc_1", "p.txt", "ok", text=text)
    articles = split_document(doc)
    assert (doc.tag, doc.header, doc.boilerplate, doc.n_articles) == ("tag", "tag\n\n", "Footer\n", 2)
    assert doc.boilerplate_start == text.index("Footer")
    assert [(a.seq, a.title, a.doc_id) for a in articles] == [(0, "First", "doc_1"), (1, "Second", "doc_1")]
    assert all(text[a.start : a.end] == a.text for a in articles)
    assert split_document(Document("doc_1", "p.txt", "ok", text=text))[0].article_id == articles[0].article_id


@pytest.mark.parametrize("status", ["empty", "binary", "unreadable"])
def test_split_document_not_ok_has_no_articles_and_keeps_its_text_as_header(status: str) -> None:
    doc = Document("doc_1", "p.txt", status, text=" \n\u00a0\n" if status == "empty" else "")
    assert split_document(doc) == []
    assert (doc.header, doc.n_articles, doc.boilerplate) == (doc.text, 0, None)


# ---------------------------------------------------------------------------
# Property: header + articles + boilerplate == text, whatever the text
# ---------------------------------------------------------------------------

_title_line = st.builds(
    lambda indent, bullet, gap, title, trail: indent + bullet + gap + title + trail,
    st.sampled_from(["", " ", "  ", "\t", "    "]),
    st.sampled_from("•●▪‣◦"),
    st.sampled_from([" ", "\u00a0", " \u00a0", "\t", ""]),
    st.text(max_size=20),
    st.sampled_from(["", " ", "\u00a0 ", "\t"]),
)
_body_line = st.builds(
    lambda indent, body: indent + body,
    st.sampled_from(["", " ", "    ", "\t", "\u00a0", "    \u00a0", "        "]),
    st.text(max_size=40),
)
_page = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(st.one_of(_title_line, _body_line, st.just("")), max_size=15),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


@given(st.one_of(_page, st.text()))
def test_split_text_tiles_any_text(text: str) -> None:
    parts = split_text(text)
    header, articles, boilerplate = _pieces(text, parts)
    assert header + "".join(articles) + boilerplate == text
    position = parts.header_end
    for segment in parts.articles:
        assert segment.start == position and segment.end >= segment.start
        position = segment.end
    assert position == (parts.boilerplate_start if parts.boilerplate_start is not None else len(text))
    if parts.articles and parts.articles[0].title is not None:
        for segment in parts.articles:
            assert segment.title and segment.title in text[segment.start : segment.end].split("\n")[0]


@given(st.one_of(_page, st.text()))
def test_split_document_accounts_for_every_character(text: str) -> None:
    doc = Document("doc_1", "p.txt", "ok", text=text)
    articles = split_document(doc)
    assert doc.header + "".join(a.text for a in articles) + (doc.boilerplate or "") == text
    assert [a.seq for a in articles] == list(range(doc.n_articles))
    assert all(text[a.start : a.end] == a.text for a in articles)
