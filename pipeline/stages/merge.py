"""Merge, once over the whole run (main process): one key per entity across articles.

`EntityResolver` collects statistics per (type, article-level key) while
mentions stream by, with no article text, then merges keys across articles:
acronyms defined in one article and used alone in another; organisations with
the same fingerprint (case, accents, leading article, punctuation, legal-form
and organisation-kind words across languages, word order), and fuzzy
fingerprints at a measured threshold.  It also picks each entity's canonical
name.  The entities stage (`entities.py`) applies curation on top.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from ..knowledge.lexicon import pattern_file
from ..knowledge.names import entity_key, looks_like_acronym, match_key
from ..records import Mention
from .resolve import FUZZY_MIN_CHARS
from .similar import similar_pairs


@dataclass(frozen=True)
class _OrganisationWords:
    """Words of organisation names that fingerprints drop or map (models/patterns/organisation_names.yaml)."""

    legal_forms: frozenset[str]
    kind_words: dict[str, str]
    stopwords: frozenset[str]


@cache
def _organisation_words() -> _OrganisationWords:
    data = pattern_file("organisation_names")
    return _OrganisationWords(
        frozenset(data["legal_forms"]), dict(data["kind_words"]), frozenset(data["stopwords"])
    )


def org_fingerprint(text: str) -> str:
    """Order-free key of an organisation name: 'l’Institut CyberPeace' → 'cyberpeace institute'."""
    words = _organisation_words()
    kept = {
        words.kind_words.get(w, w)
        for w in re.findall(r"[a-z0-9]+", match_key(text))
        if w not in words.legal_forms and w not in words.stopwords
    }
    return " ".join(sorted(kept))


Member = tuple[str, str]  # (type, article-level key)
# Letters that tell a word across languages ('journalists' / 'journalistes').
STEM_LETTERS = 5


def _stems(name: str) -> set[str]:
    """The words of a name long enough to tell it, cut to their first letters."""
    return {w[:STEM_LETTERS] for w in re.findall(r"[a-z]+", match_key(name)) if len(w) >= STEM_LETTERS}


class _Merges:
    """Union-find over keys: each merge keeps the stronger key as the group's."""

    def __init__(self, keys: Iterable[Member], strength: Callable[[Member], tuple[int, int, str]]) -> None:
        self.parent = {k: k for k in keys}
        self.strength = strength

    def find(self, key: Member) -> Member:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: Member, b: Member) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=self.strength)
            self.parent[drop] = keep


# The provenance prefix of the organisation families' mentions (stages/ner/org_*.py, evidence.ORG_CUE).
ORGANISATION_RULES = "rule:org."
# An acronym's mention linked to its long form in brackets (`ner/acronyms.py`),
# whatever key the long form has: an acronym key or a registry one ('… (CE)').
ACRONYM_DEFINITION = "rule:acronym.definition"
# How an organisation keyed by its own name is resolved: by the name, or as an acronym's long form.
NAMED = frozenset({"fingerprint", "acronym"})


@dataclass
class EntityStats:
    """What the resolver needs to know of one (type, key): no article text."""

    type: str
    key: str
    aliases: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    resolutions: Counter[str] = field(default_factory=Counter)
    registry_source: str | None = None
    # Mentions an organisation rule made (a list, a class noun, a cue: `rule:org.…`).
    organisation_rules: int = 0


class EntityResolver:
    """Collects per-key statistics while mentions stream by, then maps keys to entities."""

    def __init__(self, fuzzy_threshold: float, rules_off: tuple[str, ...] = ()) -> None:
        self.fuzzy_threshold = fuzzy_threshold
        self.rules_off = frozenset(rules_off)
        self.stats: dict[tuple[str, str], EntityStats] = {}
        self.acronyms: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            stats = self.stats.get((m.type, m.key))
            if stats is None:
                stats = self.stats[(m.type, m.key)] = EntityStats(m.type, m.key)
            stats.aliases[m.text] += 1
            stats.names[m.name] += 1
            stats.resolutions[m.resolution] += 1
            stats.registry_source = stats.registry_source or m.registry_source
            stats.organisation_rules += m.source.startswith(ORGANISATION_RULES)
            defined = m.resolution == "acronym" or m.source == ACRONYM_DEFINITION
            if defined and looks_like_acronym(m.text):
                self.acronyms[(m.type, m.text)].add(m.key)

    def retyped(self) -> dict[tuple[str, str], tuple[str, str]]:
        """One sense per corpus for a name typed as an organisation in some articles
        and as a person (or a place) in others: the organisation when a rule of
        the organisation families found it so ('Nègès Mawon' in a list of
        signatories, a person to the model elsewhere), else the person ('Stéphane
        Duguin', an organisation to the model once)."""
        moves: dict[tuple[str, str], tuple[str, str]] = {}
        if "one_sense" in self.rules_off:
            return moves
        for (type_, key), stats in sorted(self.stats.items()):
            if type_ != "ORG" or "fingerprint" not in stats.resolutions or set(stats.resolutions) - NAMED:
                continue
            name = stats.names.most_common(1)[0][0]
            for other in ("PERSON", "LOCATION"):
                member = (other, entity_key(other, name))
                if member not in self.stats or len(name.split()) < 2:
                    continue
                if stats.organisation_rules > self.stats[member].organisation_rules:
                    moves[member] = (type_, key)
                elif other == "PERSON":
                    moves[(type_, key)] = member
        return moves

    def key_map(self) -> dict[tuple[str, str], str]:
        """(type, article-level key) → final key, after cross-article merges."""
        merges = _Merges(self.stats, self._strength)
        if "acronym_merge" not in self.rules_off:
            self._merge_acronyms(merges)
        if "fuzzy_merge" not in self.rules_off:
            self._merge_organisations(merges)
        return {k: merges.find(k)[1] for k in self.stats}

    def _merge_acronyms(self, merges: _Merges) -> None:
        """An acronym defined in some article ('ECPMF') and used alone elsewhere;
        one acronym defined in two articles, in two languages, for names that share
        their words (`_translations`: 'Somali Journalists Syndicate (SJS)' and
        'Syndicat des journalistes somaliens (SJS)')."""
        for (type_, acronym), keys in sorted(self.acronyms.items()):
            bare = (type_, entity_key(type_, acronym))
            if len(keys) == 1 and bare in self.stats:
                merges.union(bare, (type_, next(iter(keys))))
            members = sorted((type_, key) for key in keys)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if len(acronym) >= 3 and self._translations(a, b):
                        merges.union(a, b)

    def _translations(self, a: Member, b: Member) -> bool:
        """Two names of one body in two languages: two words or more in common by
        their first five letters ('journalists' / 'journalistes'), and no two
        countries ('…-kh' / '…-ve' keys of state bodies)."""
        stats_a, stats_b = self.stats[a], self.stats[b]
        national = "jurisdiction" in set(stats_a.resolutions) | set(stats_b.resolutions)
        if national and a[1].rsplit("-", 1)[-1] != b[1].rsplit("-", 1)[-1]:
            return False
        stems_a, stems_b = (_stems(s.names.most_common(1)[0][0]) for s in (stats_a, stats_b))
        return len(stems_a & stems_b) >= 2

    def _merge_organisations(self, merges: _Merges) -> None:
        """Organisations keyed by name: one fingerprint, one organisation ('Institut
        CyberPeace' = 'CyberPeace Institute'), then a conservative fuzzy merge of the
        fingerprints; keys with a jurisdiction are exact ('ministry-of-justice-kg' ≠ '…-kz')."""
        exact = {"registry", "jurisdiction"} if "jurisdiction" not in self.rules_off else {"registry"}
        named = sorted(k for k, s in self.stats.items() if k[0] == "ORG" and not exact & set(s.resolutions))
        first_with: dict[str, tuple[str, str]] = {}
        for key in named:
            text = org_fingerprint(key[1].replace("-", " "))
            if text:
                merges.union(first_with.setdefault(text, key), key)
        # Every pair of distinct fingerprints at or above the threshold (`similar.py`:
        # the pairs an exhaustive comparison finds, without comparing all pairs).
        texts = list(first_with)
        for i, j in similar_pairs(texts, self.fuzzy_threshold, FUZZY_MIN_CHARS):
            merges.union(first_with[texts[i]], first_with[texts[j]])

    def _strength(self, key: tuple[str, str]) -> tuple[int, int, str]:
        """Which key survives a merge: registry first, then the most mentioned."""
        stats = self.stats[key]
        registry = 0 if "registry" in stats.resolutions else 1
        return (registry, -sum(stats.aliases.values()), key[1])

    def canonical_name(self, type_: str, members: list[EntityStats]) -> str:
        """Registry/ISO name when there is one; else the most complete, most frequent form."""
        names: Counter[str] = Counter()
        for stats in members:
            names.update(stats.names)
        if any("registry" in s.resolutions or "iso" in s.resolutions for s in members):
            official = [n for s in members for n in s.names if {"registry", "iso"} & set(s.resolutions)]
            return sorted(official, key=lambda n: (-names[n], n))[0]
        candidates = [n for n in names if not looks_like_acronym(n)] or list(names)
        if type_ == "PERSON":
            return sorted(candidates, key=lambda n: (-len(n.split()), -names[n], n))[0]
        return sorted(candidates, key=lambda n: (-names[n], -len(n), n))[0]
