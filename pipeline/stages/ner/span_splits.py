"""Cutting one candidate span into the names it holds: at line breaks, at a
possessive, after a word, and at coordinators."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span

from ...knowledge.names import fold
from .decision_words import decision_words
from .provenance import respan


def split_lines(span: Span) -> list[Span]:
    """A name never crosses a line break: cut at whitespace tokens holding one."""
    parts: list[Span] = []
    begin = span.start
    for token in span:
        if token.is_space and "\n" in token.text:
            if token.i > begin:
                parts.append(respan(span.doc, begin, token.i, span))
            begin = token.i + 1
    if begin == span.start:
        return [span]
    if begin < span.end:
        parts.append(respan(span.doc, begin, span.end, span))
    return parts


def split_possessive(span: Span) -> tuple[Span, Span] | None:
    """("Google", "Advanced Protection Program") for "Google's Advanced Protection Program"."""
    for token in span[1:-1]:
        if fold(token.text, keep_accents=True) == "'s":
            return respan(span.doc, span.start, token.i, span), respan(span.doc, token.i + 1, span.end, span)
    return None


def after_word(span: Span, word: str) -> Span:
    """'Gandaki Pradesh at Body and Data' → 'Body and Data'."""
    for token in span:
        if token.lower_ == word and token.i + 1 < span.end:
            return respan(span.doc, token.i + 1, span.end, span)
    return span


def split_coordination(span: Span, accept: Callable[[Span], bool]) -> list[Span]:
    """Split 'A and B' / 'A, B' into parts when every part passes `accept`."""
    doc = span.doc
    coordinators = decision_words().coordinators
    parts: list[Span] = []
    begin = span.start
    for token in span:
        if token.text in coordinators or token.text == ",":
            if token.i > begin:
                parts.append(respan(doc, begin, token.i, span))
            begin = token.i + 1
    if begin < span.end:
        parts.append(respan(doc, begin, span.end, span))
    if len(parts) > 1 and all(accept(p) for p in parts):
        return parts
    return [span]
