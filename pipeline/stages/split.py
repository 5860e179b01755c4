"""Split: cut a document's text into header, articles and page chrome.

The segments tile the text exactly: ``header + articles + boilerplate == text``,
so nothing between them is ever lost.  Articles start at bullet title lines
(``  • TITLE``; a bullet line too long to be a title starts an untitled
article); the header is whatever precedes the first one, and its only
line, when short, is the page's tag.  Page chrome after the last article (a
contact footer, say) is recognised by layout: scraped list pages indent every
article line at least as deep as the bullet, so the first non-blank line that
is indented less than the bullet starts the chrome.  A text without title lines
is one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Article, Document, stable_id

# The title runs from the first to the last non-blank character of the line.
# Greedy, it backtracks once over trailing blanks; the lazy form it replaces
# (`\S[^\n]*?[ \t]*$`) rescanned every run of blanks from each of its
# positions: quadratic on a bullet line holding a long run of spaces.
TITLE_LINE = re.compile(
    r"^(?P<indent>[ \t]*)[•●▪‣◦][ \t\u00a0]+(?P<title>\S(?:[^\n]*[^ \t\u00a0\r\n])?)", re.M
)
_LINE_START = re.compile(r"^([ \t]*)(\S)", re.M)
# A header line longer than this is prose, not a tag.
MAX_TAG_CHARS = 60
# A bullet line longer than this still starts an article, but is a paragraph,
# not a title: its title is null rather than a second copy of the text.
MAX_TITLE_CHARS = 500


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    title: str | None


@dataclass(frozen=True)
class Split:
    header_end: int
    articles: list[Segment]
    boilerplate_start: int | None
    tag: str | None


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(8))


def _chrome_start(text: str, body_start: int, bullet_indent: int) -> int | None:
    if bullet_indent == 0:
        return None
    for line in _LINE_START.finditer(text, body_start):
        if _indent_width(line.group(1)) < bullet_indent:
            return line.start()
    return None


def _tag(header: str) -> str | None:
    lines = [line.strip() for line in header.splitlines() if line.strip()]
    if len(lines) == 1 and len(lines[0]) <= MAX_TAG_CHARS:
        return lines[0]
    return None


def _title(match: re.Match[str]) -> str | None:
    if match.end("title") - match.start("title") > MAX_TITLE_CHARS:
        return None
    return match.group("title")


def split_text(text: str) -> Split:
    """Find the header, article segments and trailing boilerplate of a document text."""
    titles = list(TITLE_LINE.finditer(text))
    if not titles:
        return Split(0, [Segment(0, len(text), None)] if text else [], None, None)
    starts = [m.start() for m in titles]
    last = titles[-1]
    chrome = _chrome_start(text, last.end(), _indent_width(last.group("indent")))
    ends = [*starts[1:], chrome if chrome is not None else len(text)]
    segments = [
        Segment(start, end, _title(match))
        for start, end, match in zip(starts, ends, titles, strict=True)
    ]
    return Split(starts[0], segments, chrome, _tag(text[: starts[0]]))


def split_document(doc: Document) -> list[Article]:
    """Split an ingested document; fills its tag, header and boilerplate fields.

    A document that is not ok has no articles: its whole text (whitespace, for
    an `empty` one) is its header, so ``header + articles + boilerplate == text``
    holds for every row.  The document's fields are set only once everything is
    computed, so a failure leaves it as it was.
    """
    if doc.status != "ok":
        doc.header = doc.text
        return []
    parts = split_text(doc.text)
    articles = []
    for seq, segment in enumerate(parts.articles):
        body = doc.text[segment.start : segment.end]
        articles.append(
            Article(
                article_id=stable_id("art", doc.doc_id, seq, body),
                doc_id=doc.doc_id,
                seq=seq,
                start=segment.start,
                end=segment.end,
                text=body,
                title=segment.title,
            )
        )
    doc.tag = parts.tag
    doc.header = doc.text[: parts.header_end]
    if parts.boilerplate_start is not None:
        doc.boilerplate_start = parts.boilerplate_start
        doc.boilerplate = doc.text[parts.boilerplate_start :]
    doc.n_articles = len(articles)
    return articles
