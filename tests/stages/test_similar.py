"""The merge's search for near organisation names (`similar.py`): exactly the pairs, and so
the merges, that comparing every name with every other finds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from pipeline.knowledge.names import entity_key
from pipeline.records import Mention
from pipeline.stages.merge import EntityResolver, org_fingerprint
from pipeline.stages.resolve import FUZZY_MIN_CHARS, name_similarity
from pipeline.stages.similar import similar_pairs
from pipeline.tools.bench.archive import organisation_names


def _every_pair(texts: list[str], threshold: float, min_length: int) -> list[tuple[int, int]]:
    """The exhaustive comparison: every pair scored (natively, then exactly near the threshold)."""
    long = [i for i, t in enumerate(texts) if len(t) >= min_length]
    strings = [texts[i] for i in long]
    near = np.zeros((len(long), len(long)), dtype=bool)
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        scores = process.cdist(strings, strings, scorer=scorer, score_cutoff=threshold - 1, dtype=np.float64)
        near |= scores > 0
    return sorted(
        (long[i], long[j])
        for i, j in zip(*np.nonzero(np.triu(near, 1)), strict=True)
        if name_similarity(strings[i], strings[j]) >= threshold
    )


_WORDS = ["rights", "right", "human", "centre", "center", "ligue", "droits", "red", "lakewood", "lakewod",
          "in", "pour", "a", "derechos", "observatory", "x"]


@st.composite
def _fingerprints(draw: st.DrawFn) -> list[str]:
    """Token-sorted names from few words, with near copies (a letter dropped or changed)."""
    names = []
    for _ in range(draw(st.integers(0, 40))):
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5, unique=True))
        name = " ".join(sorted(words))
        if names and draw(st.booleans()):
            base = draw(st.sampled_from(names))
            i = draw(st.integers(0, len(base) - 1))
            changed = base[:i] + draw(st.sampled_from(["", "e", "s", "o"])) + base[i + 1 :]
            name = " ".join(sorted(changed.split()))
        if name:
            names.append(name)
    return list(dict.fromkeys(names))


@settings(max_examples=60)
@given(_fingerprints(), st.sampled_from([70.0, 80.0, 85.0, 92.0, 97.0]), st.sampled_from([1, 12]))
def test_similar_pairs_are_those_of_every_pair(texts: list[str], threshold: float, min_length: int) -> None:
    brute = sorted(
        (i, j) for i, j in itertools.combinations(range(len(texts)), 2)
        if min(len(texts[i]), len(texts[j])) >= min_length
        and name_similarity(texts[i], texts[j]) >= threshold
    )
    assert similar_pairs(texts, threshold, min_length) == brute


def test_similar_pairs_needs_token_sorted_names() -> None:
    with pytest.raises(ValueError, match="token-sorted"):
        similar_pairs(["rights human"], 92.0, 12)


def _components(key_map: dict[tuple[str, str], str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for (_, key), final in key_map.items():
        groups.setdefault(final, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def test_similar_merge_of_generated_names_makes_the_merges_of_every_pair() -> None:
    names = organisation_names(3000, seed=5)
    resolver = EntityResolver(fuzzy_threshold=92.0)
    for name in names:
        key = entity_key("ORG", name)
        resolver.add([Mention(0, len(name), name, "ORG", None, "rule:test", 0, name, key=key, name=name,
                              resolution="fingerprint")])
    merged = resolver.key_map()
    # The same merges from the exhaustive comparison: keys of one fingerprint, then every near pair.
    keys = sorted(k for k in resolver.stats if k[0] == "ORG")
    first: dict[str, str] = {}
    parent = {k[1]: k[1] for k in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for _, key in keys:
        text = org_fingerprint(key.replace("-", " "))
        if text:
            parent[find(key)] = find(first.setdefault(text, key))
    texts = list(first)
    pairs = _every_pair(texts, 92.0, FUZZY_MIN_CHARS)
    for i, j in pairs:
        parent[find(first[texts[i]])] = find(first[texts[j]])
    expected: dict[str, set[str]] = {}
    for _, key in keys:
        expected.setdefault(find(key), set()).add(key)
    assert _components(merged) == {frozenset(g) for g in expected.values()}
    assert len(pairs) > 20  # the sample holds near names: typos, reordered words, legal forms
