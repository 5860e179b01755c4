"""Which keys a curation file names are among a run's entities, and which absent ones look like typos.

A curation file is written against one corpus; a run over another corpus (a
new folder, a held-out set, a notebook's paragraph) has few of its keys.  An
entry whose keys are all absent simply does not apply there: reported, never
an error.  An absent key one or two edits away from a key of the same type
that the run does have is another matter: most likely a typo in the file (or
an entity whose key changed), which would otherwise silently do nothing, so
it is reported loudly with the key it is close to.

Close means within `typo_distance` edits (Levenshtein, rapidfuzz's native
scorer): none for keys shorter than 5 characters (ISO codes and acronyms
differ from each other by a letter or two), 1 up to 9 characters, 2 beyond.
Two keys that differ only in a final two-letter country code
(`criminal-code-ru`, `criminal-code-ua`: `resolve.py` keys national laws and
state bodies so) are different entities, not a typo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

Key = tuple[str, str]  # (type, key)
# Candidates scored per absent key before the country-code exception filters them.
_CANDIDATES = 5


def typo_distance(key: str) -> int:
    """The most edits by which an absent key may differ from an existing one to be called a typo."""
    if len(key) < 5:
        return 0
    return 1 if len(key) < 10 else 2


def _country_variant(a: str, b: str) -> bool:
    """'criminal-code-ru' and 'criminal-code-ua': the same name in two countries."""
    stem_a, _, code_a = a.rpartition("-")
    stem_b, _, code_b = b.rpartition("-")
    return stem_a == stem_b and len(code_a) == len(code_b) == 2


class KeyIndex:
    """A run's (type, key) pairs, to tell which named keys are present and which absent ones are near one."""

    def __init__(self, known: Iterable[Key]) -> None:
        self.known = set(known)
        self._by_type_and_length: dict[tuple[str, int], list[str]] = defaultdict(list)
        for type_, key in sorted(self.known):
            self._by_type_and_length[(type_, len(key))].append(key)

    def __contains__(self, item: Key) -> bool:
        return item in self.known

    def near(self, item: Key) -> str | None:
        """The existing key of the same type that an absent `item` is a typo of, if one is close."""
        type_, key = item
        limit = typo_distance(key)
        if not limit or item in self.known:
            return None
        choices = [
            k
            for length in range(len(key) - limit, len(key) + limit + 1)
            for k in self._by_type_and_length.get((type_, length), ())
        ]
        found = process.extract(
            key, choices, scorer=Levenshtein.distance, score_cutoff=limit, limit=_CANDIDATES
        )
        close = [choice for choice, _, _ in sorted(found, key=lambda f: (f[1], f[0]))]
        return next((k for k in close if not _country_variant(key, k)), None)
