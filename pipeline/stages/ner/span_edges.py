"""Trimming a candidate name's edges: determiners, titles, quotes, possessives,
trailing link words, a handle, a photo credit and an unclosed bracket; and no
name edge inside a word."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ...knowledge.lexicon import Lexicon
from ...knowledge.names import fold
from .decision_words import decision_words
from .provenance import respan

QUOTES = "\"'“”‘’«»„‹›()[]{}"
OPENING_BRACKETS = frozenset("([{")
CLOSING_BRACKETS = frozenset(")]}")
_ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")


def strip_edges(span: Span, lex: Lexicon) -> Span | None:
    """Trim determiners, titles (for people), quotes and possessives from span edges,
    and cut a name before a bracket it does not close ('Parliamentary Assembly (PACE'):
    what follows is an acronym or an aside, never the rest of the name."""
    doc = span.doc
    end = _before_unclosed_bracket(doc, span.start, span.end)
    start = _first_name_token(span, end, lex)
    end = _after_last_name_token(span, start, end)
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return respan(doc, start, end, span)


def _first_name_token(span: Span, end: int, lex: Lexicon) -> int:
    doc, start = span.doc, span.start
    while start < end and (
        doc[start].text in QUOTES
        or doc[start].is_punct
        or (
            fold(doc[start].text, keep_accents=True) in lex.determiners
            and _not_part_of_name(doc[start])
            and not _capitalised_in_organisation(span, doc[start])
        )
        or (span.label_ == "PERSON" and doc[start].lower_.rstrip(".") in lex.roles)
    ):
        start += 1
    return start


def _after_last_name_token(span: Span, start: int, end: int) -> int:
    doc = span.doc
    trailing_links = decision_words().trailing_links
    while end > start and (
        (span.label_ == "PERSON" and end - start > 1 and _glued_credit(doc[end - 1].text, span))
        or (end - start > 1 and fold(doc[end - 1].text, keep_accents=True) in trailing_links)
        or doc[end - 1].text in QUOTES
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or fold(doc[end - 1].text, keep_accents=True) in ("'s", "'")
        or (end - start > 1 and doc[end - 1].text[:1] in "@#")  # 'Twitter [@UNHumanRights]': a handle
    ):
        end -= 1
    return end


def _capitalised_in_organisation(span: Span, token: Token) -> bool:
    """'the [New] People's Army': a word of the determiner list written with a
    capital inside a sentence starts an organisation's name."""
    return (
        span.label_ == "ORG"
        and token.text[:1].isupper()
        and not token.is_sent_start
        and token.i > 0
        and token.nbor(-1).is_lower
    )


def _not_part_of_name(token: Token) -> bool:
    """An article inside a name is kept when written as part of it ('Le Foyer juif',
    'The Moody Blues', 'la Havane'), except English lower-case 'the'; at a
    sentence start it cannot be told from an ordinary capitalised article."""
    if fold(token.text, keep_accents=True) not in decision_words().articles:
        return True  # 'Según', 'en', 'this': never part of a name
    if token.lang_ == "en" and token.is_lower:
        return True  # English names do not start with a lower-case 'the'
    return bool(token.is_sent_start) or token.i == 0 or "\n" in token.nbor(-1).text


def _before_unclosed_bracket(doc: Doc, start: int, end: int) -> int:
    """`end`, or the index of the first opening bracket in doc[start:end] left open there."""
    open_at: list[int] = []
    for i in range(start, end):
        if doc[i].text in OPENING_BRACKETS:
            open_at.append(i)
        elif doc[i].text in CLOSING_BRACKETS and open_at:
            open_at.pop()
    return open_at[0] if open_at else end


def _glued_credit(word: str, span: Span) -> bool:
    """An all-capitals acronym ending a mixed-case person name: 'Jordan Higgins CIVICUS'
    (not a regnal number: 'Napoléon III')."""
    return len(word) >= 3 and word.isupper() and not span.text.isupper() and not _ROMAN_NUMERAL.match(word)


def inside_word(doc: Doc, i: int) -> bool:
    """True when the boundary before token `i` cuts a word: the tokenizer split it
    ('wo|n’t', 'can|not') and nothing says two words were glued there (a change
    from lower to upper case, or between letters and digits: 'theMinistry',
    'Act2024'; the scrape repair has already put a space at other glue points)."""
    if i <= 0 or i >= len(doc) or doc[i - 1].whitespace_:
        return False
    left, right = doc[i - 1].text[-1], doc[i].text[0]
    if not (left.isalnum() and right.isalnum()):
        return False
    glued = (left.islower() and right.isupper()) or left.isdigit() != right.isdigit()
    return not glued


def whole_words(span: Span) -> bool:
    """The span starts and ends at word boundaries (`inside_word`)."""
    return not (inside_word(span.doc, span.start) or inside_word(span.doc, span.end))
