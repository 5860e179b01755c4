"""Words that write a date: month names from the Unicode CLDR (via Babel) and
day or year numbers, so that no month list is written by hand.

No spaCy here, like the other knowledge loaders.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.dates import get_month_names

from .jurisdiction import body_vocabulary
from .names import fold
from .patterns import LANGS

# A day of the month, with an ordinal mark if any ('5', '1st', '1er', '2º'), or a year.
_DAY_OR_YEAR = re.compile(r"^(?:[12]\d{3}|(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|er|re|º|°|o)?)$", re.I)


@lru_cache(maxsize=3)
def month_names(lang: str) -> frozenset[str]:
    """The month names of a language, full and abbreviated, in CLDR's format and
    stand-alone forms, casefolded without accents or a final dot ('april', 'apr',
    'fevrier', 'fevr', 'septiembre', 'sept'); English ones for a language
    without a model, as for the other word lists."""
    locale = lang if lang in LANGS else "en"
    return frozenset(
        fold(name).rstrip(".")
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for name in get_month_names(width, context, locale=locale).values()
    )


@lru_cache(maxsize=3)
def month_words(lang: str) -> tuple[str, ...]:
    """The full month names of a language, lower case with their accents, as a
    token's lower-case text is ('février', 'julio')."""
    locale = lang if lang in LANGS else "en"
    return tuple(
        sorted({name.casefold() for name in get_month_names("wide", "format", locale=locale).values()})
    )


def is_month(word: str, lang: str) -> bool:
    return fold(word).rstrip(".") in month_names(lang)


def is_day_or_year(word: str) -> bool:
    """A day of the month ('5', '21st', '1er') or a four-digit year ('2025')."""
    return bool(_DAY_OR_YEAR.match(word))


@lru_cache(maxsize=3)
def _links(lang: str) -> frozenset[str]:
    return frozenset(fold(word) for word in body_vocabulary(lang).links)


def is_date(words: list[str], lang: str) -> bool:
    """Words that write a date and nothing else: month names, day or year numbers,
    the link words of names (models/patterns/bodies.yaml) and punctuation, with
    at least one month and one number ('April 2025', '5 de mayo de 2024',
    'le 1er mars 2023').  A month alone is no date: it is also a first name
    or a surname ('June', 'Avril', 'Mayo')."""
    months = numbers = 0
    for word in words:
        if is_month(word, lang):
            months += 1
        elif is_day_or_year(word):
            numbers += 1
        elif any(c.isalnum() for c in word) and fold(word) not in _links(lang):
            return False
    return months > 0 and numbers > 0
