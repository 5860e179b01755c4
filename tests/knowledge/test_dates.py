"""Dates written in words (pipeline/knowledge/dates.py): CLDR month names via Babel."""

from __future__ import annotations

import pytest

from pipeline.knowledge.dates import is_date, is_day_or_year, is_month, month_names, month_words


def test_month_names_come_from_cldr_in_each_language() -> None:
    assert {"april", "apr", "september", "sep"} <= month_names("en")
    assert {"avril", "fevrier", "fevr", "aout", "decembre"} <= month_names("fr")
    assert {"abril", "mayo", "septiembre", "sept", "dic"} <= month_names("es")


@pytest.mark.parametrize(
    ("word", "lang", "month"),
    [
        ("April", "en", True),
        ("Sep.", "en", True),
        ("Avril", "fr", True),
        ("janv.", "fr", True),
        ("Février", "fr", True),
        ("Mayo", "es", True),
        ("abril", "fr", False),  # another language's month
        ("Justice", "en", False),
        ("April", "xx", True),  # a language without a model: English, as the other word lists
    ],
)
def test_is_month(word: str, lang: str, month: bool) -> None:
    assert is_month(word, lang) is month


@pytest.mark.parametrize(
    ("word", "number"),
    [("5", True), ("05", True), ("31", True), ("21st", True), ("1er", True), ("2º", True), ("2025", True)],
)
def test_days_and_years(word: str, number: bool) -> None:
    assert is_day_or_year(word) is number


@pytest.mark.parametrize("word", ["0", "32", "999", "12345", "27.275", "No"])
def test_other_numbers_are_no_day_or_year(word: str) -> None:
    assert not is_day_or_year(word)


@pytest.mark.parametrize(
    ("words", "lang", "date"),
    [
        ("April 2025", "en", True),
        ("the 5th of May , 2025", "en", True),
        ("May 5 , 2025", "en", True),
        ("June", "en", False),  # a month alone is also a name
        ("Jan Kowalski", "en", False),
        ("Act of 2011", "en", False),
        ("May Day 2025", "en", False),
        ("le 1er mars 2023", "fr", True),
        ("Avril 2024", "fr", True),
        ("Avril Dupont", "fr", False),
        ("Constitution de 2010", "fr", False),
        ("5 de mayo de 2024", "es", True),
        ("Mayo de 2024", "es", True),
        ("Plaza de Mayo", "es", False),
        ("Ley 27.275", "es", False),
    ],
)
def test_is_date(words: str, lang: str, date: bool) -> None:
    assert is_date(words.split(), lang) is date


def test_month_words_keep_their_accents_for_token_patterns() -> None:
    assert {"février", "août"} <= set(month_words("fr"))
    assert {"julio", "diciembre"} <= set(month_words("es"))
    assert "may" in month_words("en")
