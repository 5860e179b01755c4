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

from ..knowledge.jurisdiction import law_number
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
# A number or a year in a law's key: 'ley-162-de-…', 'constitution-of-1997-er', 'law-no-5-2016-…'.
_NUMBER_IN_KEY = re.compile(r"-(?:(?:of|de|del|du|no|n)-)?\d+(?=-)")
# Word stems compared across languages: 'journalists' / 'journalistes', 'security' / 'sécurité'.
_STEM_LENGTH = 4
_SHARED_STEMS = 0.5


def _stems(name: str) -> tuple[set[str], set[str]]:
    """(word stems, organisation kinds) of a name: its folded words other than link
    words, kind words mapped to one English word ('conseil' → 'council')."""
    words = _organisation_words()
    stems, kinds = set(), set()
    for word in re.findall(r"[a-z]+", match_key(name)):
        if word in words.stopwords or word in words.legal_forms or len(word) < 3:
            continue
        if word in words.kind_words.values() or word in words.kind_words:
            kinds.add(words.kind_words.get(word, word))
        stems.add(words.kind_words.get(word, word)[:_STEM_LENGTH])
    return stems, kinds


def translated_names(a: str, b: str) -> bool:
    """Whether two names of an organisation may be one name in two languages: the
    same kind of body when both say it, and half of their word stems shared."""
    (stems_a, kinds_a), (stems_b, kinds_b) = _stems(a), _stems(b)
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return False
    union = stems_a | stems_b
    return bool(union) and len(stems_a & stems_b) / len(union) >= _SHARED_STEMS


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
        if "translated_acronyms" not in self.rules_off:
            self._merge_translated_acronyms(merges)
        if "law_numbers" not in self.rules_off:
            self._merge_unnumbered_laws(merges)
            self._merge_numbered_laws(merges)
        if "person_short_forms" not in self.rules_off:
            self._merge_person_short_forms(merges)
        if "learned_short_names" not in self.rules_off:
            self._merge_learned_short_names(merges)
        if "acronym_merge" not in self.rules_off:
            self._merge_acronyms(merges)
        if "fuzzy_merge" not in self.rules_off:
            self._merge_organisations(merges)
        return {k: merges.find(k)[1] for k in self.stats}

    def _merge_acronyms(self, merges: _Merges) -> None:
        """An acronym defined in some article ('ECPMF') and used alone elsewhere, once
        its long forms are one body (`_merge_translated_acronyms` runs first)."""
        for (type_, acronym), keys in sorted(self.acronyms.items()):
            bare = (type_, entity_key(type_, acronym))
            roots = {merges.find((type_, key)) for key in keys}
            if len(roots) == 1 and bare in self.stats:
                merges.union(bare, (type_, min(keys)))

    def _merge_translated_acronyms(self, merges: _Merges) -> None:
        """One acronym defined in two articles after two names that translate each
        other: 'Somali Journalists Syndicate (SJS)' and 'Syndicat des journalistes
        somaliens (SJS)'.  The names must be of the same kind of body ('Council' ≠
        'Commission'), of the same country, and share most word stems
        (`translated_names`); 'Reporters sans frontières (RSF)' and 'Rapid Support
        Forces (RSF)' share none.  Compared within each acronym's few names only."""
        for (type_, _), keys in sorted(self.acronyms.items()):
            ordered = sorted(keys)
            for place, key in enumerate(ordered):
                for other in ordered[place + 1 :]:
                    if self._same_jurisdiction(type_, key, other) and translated_names(
                        self._name(type_, key), self._name(type_, other)
                    ):
                        merges.union((type_, key), (type_, other))

    def _merge_unnumbered_laws(self, merges: _Merges) -> None:
        """A national law named without its number or year in one article ('Ley de
        Comunicación Social', 'Constitution of Eritrea') and with them in another
        ('Ley 162 de Comunicación Social', 'Constitution of 1997', Eritrea's): one
        law, when that country has one numbered law of that title only."""
        numbered: dict[str, set[str]] = defaultdict(set)
        for key in self._national_laws():
            for name in self._law_names(key):
                if _NUMBER_IN_KEY.search(name):
                    numbered[_NUMBER_IN_KEY.sub("", name)].add(key)
        for plain, keys in numbered.items():
            unnumbered = self.stats.get(("LAW", plain))
            if len(keys) == 1 and unnumbered is not None and "jurisdiction" in unnumbered.resolutions:
                merges.union(("LAW", plain), ("LAW", next(iter(keys))))

    def _merge_numbered_laws(self, merges: _Merges) -> None:
        """One numbered law of a country named in two languages, or with and without
        its year ('Decree-Law 54' / 'décret-loi n° 2022-54', Tunisia's): keys of one
        kind of instrument, number and country (`jurisdiction.law_number`), when no
        two of them give different years ('Law No. 1 of 2023' ≠ '… of 2024')."""
        groups: dict[tuple[str, str, tuple[str, ...]], dict[str, str | None]] = defaultdict(dict)
        for key in self._national_laws():
            for name in self._law_names(key):
                if (number := law_number(name)) is not None:
                    years = groups[(number.country, number.instrument, number.number)]
                    years[key] = years.get(key) or number.year
        for members in groups.values():
            keys = sorted(members)
            if len({year for year in members.values() if year}) <= 1:
                for key in keys[1:]:
                    merges.union(("LAW", keys[0]), ("LAW", key))

    def _national_laws(self) -> list[str]:
        """The keys of national laws (keyed with their country by `jurisdiction`)."""
        national = [member for member, stats in self.stats.items() if "jurisdiction" in stats.resolutions]
        return sorted(key for type_, key in national if type_ == "LAW")

    def _law_names(self, key: str) -> list[str]:
        """A national law's key and the keys its names would have with its country: a
        numbered instrument is keyed by kind and number in resolve (`law_numbers`),
        'ley-162-cu', whose title is then in its names only ('Ley 162 de Comunicación
        Social' → 'ley-162-de-comunicacion-social-cu')."""
        country = key.rsplit("-", 1)[-1]
        names = sorted(self.stats[("LAW", key)].aliases)
        return [key, *(f"{entity_key('LAW', name)}-{country}" for name in names)]

    def _merge_person_short_forms(self, merges: _Merges) -> None:
        """A person named by given name and first surname in one article and with the
        second surname too in another ('José Daniel Ferrer' / 'José Daniel Ferrer
        García'): one person, when only one longer name extends the shorter by a word."""
        longer: dict[str, list[str]] = defaultdict(list)
        for type_, key in sorted(self.stats):
            if type_ == "PERSON" and len(self._name(type_, key).split()) >= 3:
                longer[key.rsplit("-", 1)[0]].append(key)
        for key, extensions in sorted(longer.items()):
            short = ("PERSON", key)
            if len(extensions) == 1 and short in self.stats and len(self._name(*short).split()) >= 2:
                merges.union(short, ("PERSON", extensions[0]))

    def _merge_learned_short_names(self, merges: _Merges) -> None:
        """A name used alone in one article ('the Ad Hoc Committee') that another article
        gave as the short name of one registry body ('UN Ad Hoc Committee on
        Cybercrime … the Ad Hoc Committee'): that body.  Names of two or more words,
        keyed by name alone (never a state body's, which carries its country)."""
        registered: dict[Member, set[Member]] = defaultdict(set)
        for (type_, key), stats in sorted(self.stats.items()):
            if "registry" in stats.resolutions:
                for alias in stats.aliases:
                    if len(alias.split()) > 1 and not looks_like_acronym(alias):
                        registered[(type_, entity_key(type_, alias))].add((type_, key))
        for member, bodies in sorted(registered.items()):
            alone = self.stats.get(member)
            by_name = alone is not None and set(alone.resolutions) <= {"fingerprint", "partial_name"}
            if len(bodies) == 1 and by_name:
                merges.union(member, next(iter(bodies)))

    def _name(self, type_: str, key: str) -> str:
        return self.stats[(type_, key)].names.most_common(1)[0][0]

    def _same_jurisdiction(self, type_: str, a: str, b: str) -> bool:
        """Whether two keys may be one body: never two countries' ('…-so' ≠ '…-ke')."""
        codes = {
            key.rsplit("-", 1)[-1] for key in (a, b) if "jurisdiction" in self.stats[(type_, key)].resolutions
        }
        return len(codes) <= 1

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
