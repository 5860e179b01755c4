"""Every pair of names at or above a similarity threshold, without comparing all pairs.

The cross-article merge (`merge.py`) joins organisations whose fingerprints
are near: `name_similarity` (rapidfuzz's ratio or token-sort ratio) at least
the threshold.  Scoring every name against every other costs the square of
the names: hours for an archive of a hundred thousand organisations.

rapidfuzz scores fast but has no similarity join, and the join libraries
(py_stringsimjoin) are unmaintained; so the filter is written here, after
Pass-Join (Li et al., VLDB 2011).  A ratio of at least t between strings of
lengths la ≥ lb means at most d = (1 - t/100)(la + lb) insertions and
deletions turn one into the other.  Cut the shorter string into d + 1 pieces:
an edit touches at most one piece, so one piece at least appears unchanged in
the longer string, shifted by at most the edits before it (and by the length
difference less the edits after it).  Every string is indexed by its pieces;
each string then looks up, for each shorter length its partners may have,
only its substrings at the positions where such a piece can be.  A pair that
shares no piece at a possible place cannot reach the threshold, so the pairs
found are exactly those of an exhaustive comparison.  The lookups run for all
strings of one length at once (polynomial hashes of their substrings, numpy);
candidates then pass a letter-count bound (an edit changes one count by one),
rapidfuzz's native ratio in bulk (`process.cpdist`, a point of slack), and
`name_similarity` itself.

The strings must be token-sorted, as organisation fingerprints are: the
token-sort ratio then equals the ratio, which is what the pieces bound.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process

from .resolve import name_similarity

# Floating-point slack in the bound: a pair exactly at the threshold is always a candidate.
_SLACK = 1e-9
# Below this the pieces get shorter than a few letters and filter nothing: compare all pairs.
_LOWEST_FILTERED = 80.0
# Pairs per step of the exhaustive comparison (thresholds below the filter's): bounds memory.
_STEP_PAIRS = 1_000_000

Steps = Iterator[tuple[np.ndarray, np.ndarray]]  # pairs of ranks (later, earlier), a step at a time


def _max_edits(length: int, threshold: float) -> int:
    """The most insertions and deletions between a string of `length` and any
    string at least as long at or above the threshold."""
    share = 1 - threshold / 100
    return math.floor(2 * share * length / (1 - share) + _SLACK)


@cache
def _pieces(length: int, threshold: float) -> tuple[tuple[int, int], ...]:
    """(start, length) of the pieces a string of `length` is cut into: one more
    than the edits it may be away from a partner, as even as possible."""
    count = _max_edits(length, threshold) + 1
    base, longer = divmod(length, count)
    pieces, start = [], 0
    for i in range(count):
        size = base + (i >= count - longer)
        pieces.append((start, size))
        start += size
    return tuple(pieces)


def _probe_places(la: int, min_length: int, threshold: float) -> tuple[tuple[int, int, int, int], ...]:
    """(lb, i, position, size): where a string of length `la` may hold unchanged the
    piece i of a partner of length lb ≤ la.

    Pass-Join's lemma: of the k + 1 pieces (k the edits the partner may be away),
    some piece i is unchanged with at most i edits before it and k - i after it,
    so the longer string holds it at p_i + s, |s| ≤ i and |s - (la - lb)| ≤ k - i."""
    share = 1 - threshold / 100
    places = []
    for lb in range(max(min_length, math.ceil(la * (1 - share) / (1 + share) - _SLACK)), la + 1):
        if la - lb > share * (la + lb) + _SLACK:
            continue
        pieces = _pieces(lb, threshold)
        edits, shift = len(pieces) - 1, la - lb
        for i, (start, size) in enumerate(pieces):
            low = max(start - i, start + shift - (edits - i), 0)
            high = min(start + i, start + shift + (edits - i), la - size)
            places += [(lb, i, position, size) for position in range(low, high + 1)]
    return tuple(places)


class _Strings:
    """Strings of one length as rows of character codes, with polynomial prefix hashes,
    so that a substring's hash is computed for all of them at once (uint64, wrapping:
    a collision only adds a candidate, which the scores then reject)."""

    def __init__(self, strings: list[str], length: int) -> None:
        encoded = "".join(strings).encode("utf-32-le", "surrogatepass")  # 4 bytes a character
        codes = np.frombuffer(encoded, dtype=np.uint32).reshape(-1, length)
        self.codes = codes.astype(np.uint64)
        self.prefix = np.zeros((len(strings), length + 1), dtype=np.uint64)
        for k in range(length):
            self.prefix[:, k + 1] = self.prefix[:, k] * _BASE + self.codes[:, k] + np.uint64(1)

    def keys(self, lb: int, i: int, position: int, size: int) -> np.ndarray:
        """The key of piece i of length-lb strings, for each row's substring at `position`."""
        substring = self.prefix[:, position + size] - self.prefix[:, position] * _POWERS[size]
        return (substring * _MIX + np.uint64(lb * 1_000_003 + i * 1_009 + size)).view(np.int64)

    def histograms(self) -> np.ndarray:
        """Letter counts per row (a-z, 0-9, space; anything else in one bin)."""
        bins = np.minimum(_BIN[np.minimum(self.codes, 127).astype(np.int64)], len(_BINNED))
        counts = np.zeros((len(self.codes), len(_BINNED) + 1), dtype=np.int16)
        np.add.at(counts, (np.arange(len(self.codes))[:, None], bins), 1)
        # Counts capped (a cap only loosens the bound) so that differences fit in a byte.
        return np.minimum(counts, 63).astype(np.int8)


_BASE = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
# B^k modulo 2^64, for every piece length (pieces are far shorter than 1024 characters).
_POWERS = np.array([pow(int(_BASE), k, 2**64) for k in range(1024)], dtype=np.uint64)
_BINNED = "abcdefghijklmnopqrstuvwxyz0123456789 "
_BIN = np.full(128, len(_BINNED), dtype=np.int64)
_BIN[[ord(c) for c in _BINNED]] = np.arange(len(_BINNED))


def similar_pairs(texts: list[str], threshold: float, min_length: int) -> list[tuple[int, int]]:
    """Index pairs (i < j) of `texts` whose `name_similarity` is at least `threshold`,
    both of at least `min_length` characters; `texts` token-sorted and distinct."""
    if any(text != " ".join(sorted(text.split())) for text in texts):
        raise ValueError("similar_pairs needs token-sorted strings (organisation fingerprints)")
    kept = sorted((len(t), i) for i, t in enumerate(texts) if len(t) >= min_length)
    ids = np.array([i for _, i in kept], dtype=np.int64)
    strings = np.array([texts[i] for _, i in kept], dtype=object)
    lengths = np.array([length for length, _ in kept], dtype=np.int64)
    groups = {n: _Strings([texts[i] for m, i in kept if m == n], n) for n in sorted({n for n, _ in kept})}
    histograms = np.concatenate([g.histograms() for g in groups.values()]) if groups else np.zeros((0, 1))
    if threshold < _LOWEST_FILTERED:
        steps = _all_pairs(len(kept))
    else:
        steps = _candidates(groups, lengths, threshold, min_length)
    found = set()
    for a, b in steps:
        for x, y in _verified(strings, *_near(a, b, histograms, lengths, threshold), threshold):
            found.add((int(min(ids[x], ids[y])), int(max(ids[x], ids[y]))))
    return sorted(found)


def _near(
    a: np.ndarray, b: np.ndarray, histograms: np.ndarray, lengths: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs whose letter counts are close enough: each insertion or deletion
    changes one letter's count by one, so counts further apart than the edits allowed
    rule a pair out, cheaply."""
    apart = np.abs(histograms[a] - histograms[b]).sum(axis=1, dtype=np.int16)
    near = apart <= (1 - threshold / 100) * (lengths[a] + lengths[b]) + _SLACK
    return a[near], b[near]


def _all_pairs(n: int) -> Steps:
    """Every pair (later, earlier), in steps: for thresholds too low for the filter."""
    rows = max(1, _STEP_PAIRS // max(n, 1))
    for first in range(0, n, rows):
        a, b = np.meshgrid(np.arange(first, min(n, first + rows)), np.arange(n), indexing="ij")
        keep = b < a
        yield a[keep], b[keep]


def _candidates(groups: dict[int, _Strings], lengths: np.ndarray, threshold: float, min_length: int) -> Steps:
    """Pairs (later, earlier) of ranks (strings in length order) where a piece of the
    earlier one is in the later one where it may be; a place of a length at a time."""
    first_rank = dict(zip(groups, np.searchsorted(lengths, list(groups)).tolist(), strict=True))
    index_keys, index_owners = [], []
    for n, group in groups.items():
        ranks = np.arange(first_rank[n], first_rank[n] + len(group.codes))
        for i, (start, size) in enumerate(_pieces(n, threshold)):
            index_keys.append(group.keys(n, i, start, size))
            index_owners.append(ranks)
    keys = np.concatenate(index_keys or [np.zeros(0, dtype=np.int64)])
    order = np.argsort(keys, kind="stable")
    keys, owners = keys[order], np.concatenate(index_owners or [np.zeros(0, dtype=np.int64)])[order]
    for n, group in groups.items():
        ranks = np.arange(first_rank[n], first_rank[n] + len(group.codes))
        for lb, i, position, size in _probe_places(n, min_length, threshold):
            a, b = _join(group.keys(lb, i, position, size), ranks, keys, owners)
            yield a[b < a], b[b < a]


def _join(keys: np.ndarray, owners: np.ndarray, index_keys: np.ndarray,
          index_owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probing owner, indexed owner) for every probe key equal to an indexed key."""
    low = np.searchsorted(index_keys, keys, side="left")
    counts = np.searchsorted(index_keys, keys, side="right") - low
    total = int(counts.sum())
    starts = np.repeat(low - (np.cumsum(counts) - counts), counts)
    return np.repeat(owners, counts), index_owners[starts + np.arange(total)]


def _verified(
    strings: np.ndarray, a: np.ndarray, b: np.ndarray, threshold: float
) -> Iterator[tuple[int, int]]:
    """The candidate pairs at or above the threshold: native ratios in bulk (a point
    of slack), then `name_similarity` on what is left."""
    if not len(a):
        return
    cutoff = max(0.0, threshold - 1)
    scores = process.cpdist(list(strings[a]), list(strings[b]), scorer=fuzz.ratio, score_cutoff=cutoff,
                            dtype=np.float64)
    for i in np.flatnonzero(scores >= cutoff):
        if name_similarity(strings[a[i]], strings[b[i]]) >= threshold:
            yield int(a[i]), int(b[i])
