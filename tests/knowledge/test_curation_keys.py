"""Tests for pipeline.knowledge.curation_keys: which absent keys are near misses (typos) of a run's keys."""

from __future__ import annotations

import pytest

from pipeline.knowledge.curation_keys import KeyIndex, typo_distance


@pytest.mark.parametrize(
    ("absent", "near"),
    [
        (("ORG", "doublethink-lb"), "doublethink-lab"),  # a letter dropped
        (("ORG", "doublethinklab"), "doublethink-lab"),
        (("ORG", "dubblethink-lab"), "doublethink-lab"),  # two edits in a long key
        (("ORG", "dubbletink-lab"), None),  # three
        (("PERSON", "doublethink-lb"), None),  # another type
        (("ORG", "amnesti"), "amnesty"),
        (("ORG", "amnisti"), None),  # two edits in a short key
        (("COUNTRY", "FT"), None),  # ISO codes differ by a letter: no typo below 5 characters
        (("ORG", "criminal-code-ua"), None),  # the same name in another country
        (("ORG", "criminal-cod-ru"), "criminal-code-ru"),
        (("ORG", "doublethink-lab"), None),  # present
    ],
)
def test_curation_keys_near_misses(absent: tuple[str, str], near: str | None) -> None:
    index = KeyIndex(
        {("ORG", "doublethink-lab"), ("ORG", "amnesty"), ("COUNTRY", "FR"), ("ORG", "criminal-code-ru")}
    )
    assert index.near(absent) == near


def test_curation_keys_the_closest_and_then_the_first_in_order_is_named() -> None:
    index = KeyIndex({("ORG", "press-unionx"), ("ORG", "press-union"), ("ORG", "press-unione")})
    assert index.near(("ORG", "press-unio")) == "press-union"
    assert index.near(("ORG", "press-unionz")) == "press-union"  # press-unione, press-unionx: 1 edit too


@pytest.mark.parametrize(
    ("key", "distance"), [("FR", 0), ("abcd", 0), ("abcde", 1), ("a" * 9, 1), ("a" * 10, 2)]
)
def test_curation_keys_typo_distance_grows_with_the_key(key: str, distance: int) -> None:
    assert typo_distance(key) == distance
