"""Jurisdiction of state bodies and national laws, and the keys that carry it.

Two countries' criminal codes, ministries of justice or constitutional courts
share a name; keyed by name alone they would become one entity.  A name headed
by a state-body or national-law noun (models/patterns/bodies.yaml) is keyed with
the state it belongs to: the country named in or beside it ("of Mexico",
"de Nicaragua", "Russia's", "Kyrgyz", "mexicano"), else the article's main
country (its most-mentioned COUNTRY), else the article alone, so that two
unknown jurisdictions stay apart.  International and regional names ("UN",
"Inter-American", "européenne") never take a country.

No spaCy here: resolution runs in the main process on warm cached runs too.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import countrynames
from pydantic import RootModel

from ..config import MODELS_DIR
from .countries import country_code
from .names import APOSTROPHES, fold, match_key, slug
from .patterns import LANGS, Lang, body_words, state_name_spellings
from .yamlfile import load

DEMONYMS_FILE = MODELS_DIR / "countries" / "demonyms.yaml"
# English country adjectives come from `countrynames`, which also maps cities
# ('Geneva') and short words ('Law' → Laos) to countries: only words shaped
# like an adjective of nationality are asked.
_EN_ADJECTIVE = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|i|ic|ch|ss|yz|ek|akh|ik|ai|eek|ot|ino)$")
_POSSESSIVE = re.compile(r"^(.+?)'s?$")


@dataclass(frozen=True)
class BodyVocabulary:
    """Per-language words of state bodies and national laws, folded (no accents, no case)."""

    heads: frozenset[str]
    shared_heads: frozenset[str]
    state_markers: frozenset[str]
    bare_heads: frozenset[str]
    legislatures: frozenset[str]
    links: tuple[str, ...]
    law_heads: frozenset[str]
    international: frozenset[str]
    number_marks: tuple[str, ...]
    locatives: frozenset[str]
    # As written (lower case, with accents), for token patterns.
    head_words: tuple[str, ...]
    marker_words: tuple[str, ...]


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=3)
def body_vocabulary(lang: str) -> BodyVocabulary:
    words = body_words(lang)
    return BodyVocabulary(
        heads=_folded(words.heads),
        shared_heads=_folded(words.shared_heads),
        state_markers=_folded(words.state_markers),
        bare_heads=_folded(words.bare_heads),
        legislatures=_folded(words.legislatures),
        links=tuple(words.links),
        law_heads=_folded(words.law_heads),
        international=_folded(words.international),
        number_marks=tuple(words.number_marks),
        locatives=_folded(words.locatives),
        head_words=tuple(sorted({w.casefold() for w in words.heads + words.shared_heads})),
        marker_words=tuple(sorted({w.casefold() for w in words.state_markers})),
    )


@lru_cache(maxsize=1)
def _country_links() -> frozenset[str]:
    """Words that link a name to its country, in every language: a French name is
    often cited in an English text."""
    return frozenset().union(*(_folded(body_words(lang).country_links) for lang in LANGS))


def _inflections(word: str, lang: str) -> set[str]:
    """Feminine and plural forms of a masculine adjective: 'mexicano' → 'mexicana',
    'mexicanos', 'mexicanas'; 'francés' → 'francesa'; 'béninois' → 'béninoise'."""
    forms = {word}
    if lang == "es":
        if word.endswith("o"):
            forms |= {word[:-1] + e for e in ("a", "os", "as")}
        else:
            plain = fold(word) if word[-2:] in ("és", "án", "ón", "ín") else word
            forms |= {plain + e for e in ("a", "as", "es")} | {word + "s", word + "es"}
    else:
        forms |= {word + e for e in ("e", "s", "es", "ne", "nes")}
    return forms


class DemonymFile(RootModel[dict[Lang, dict[str, str]]]):
    """models/countries/demonyms.yaml: per language, masculine country adjective → ISO code."""


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, dict[str, str]]:
    data = load(DemonymFile, DEMONYMS_FILE).root
    table: dict[str, dict[str, str]] = {}
    for lang, words in data.items():
        table[lang] = {
            fold(form): str(code) for word, code in words.items() for form in _inflections(word, lang)
        }
    return table


def demonym_code(word: str, lang: str) -> str | None:
    """ISO code of a country adjective ('Mexican', 'mexicana', 'béninoise'), else None."""
    code = _demonyms().get(lang, {}).get(fold(word))
    if code is None and _EN_ADJECTIVE.match(word) and country_code(word) is None:
        found = countrynames.to_code(word, fuzzy=False)
        code = found if isinstance(found, str) and len(found) == 2 else None
    return code


def preload_demonyms() -> None:
    """Read the country-adjective data now rather than on first use: the fork
    server calls this so that workers forked from it do not each pay for it
    (about 0.3 s, mostly `countrynames` reading its tables on its first call)."""
    _demonyms()
    countrynames.to_code("France", fuzzy=False)


def _words(text: str) -> list[str]:
    """Whitespace words with elided articles split off: "d'Haïti" → "d'", 'Haïti'."""
    words: list[str] = []
    for word in text.translate(APOSTROPHES).split():
        match = re.match(r"^([dlDL]')(\w.*)$", word)
        words += [match.group(1), match.group(2)] if match else [word]
    return words


def _possessive_country(word: str) -> str | None:
    match = _POSSESSIVE.match(word)
    return country_code(match.group(1)) if match and word.endswith(("'s", "s'")) else None


def named_jurisdiction(text: str, lang: str, before: str = "", after: str = "") -> tuple[str | None, str]:
    """(ISO code of the country named in or beside a name, the name without it).

    'Ministry of Justice of Kyrgyzstan' → ('KG', 'Ministry of Justice');
    "Russia's Criminal Code" / 'Kyrgyz Criminal Code' → ('RU'/'KG', 'Criminal Code');
    'Código Penal mexicano' → ('MX', 'Código Penal'); `before` / `after` are
    the words just outside the name ('the Nicaraguan [Ministry of Interior]',
    '[el Congreso] mexicano').
    """
    words = _words(text)
    found = (
        _linked_country_at_end(words)
        or _country_word_inside(words, lang)
        or _country_leading(words)
        or _country_beside(text, lang, before, after)
    )
    return found or (None, text)


def _linked_country_at_end(words: list[str]) -> tuple[str, str] | None:
    """'... of (the) Republic of Kyrgyzstan': the country ends the name."""
    for start in range(1, len(words)):
        code = country_code(" ".join(words[start:]).rstrip(".,"))
        if code is not None and fold(words[start - 1]) in _country_links():
            cut = start
            while cut > 1 and fold(words[cut - 1]) in _country_links():
                cut -= 1
            return code, " ".join(words[:cut])
    return None


def _country_word_inside(words: list[str], lang: str) -> tuple[str, str] | None:
    """A possessive ("Russia's", first in English) or a country adjective among the words."""
    for index, word in enumerate(words):
        if index == 0 or lang != "en":
            possessive = _possessive_country(word)
            if possessive is not None:
                return possessive, " ".join(words[index + 1 :])
        code = demonym_code(word.strip(".,"), lang) if word[:1].isupper() or lang != "en" else None
        if code is not None and len(words) > 1:
            return code, " ".join(words[:index] + words[index + 1 :])
    return None


def _country_leading(words: list[str]) -> tuple[str, str] | None:
    """'UK Online Safety Act', 'Hong Kong National Security Law'."""
    for size in (3, 2, 1):
        if len(words) > size and (code := country_code(" ".join(words[:size]))) is not None:
            return code, " ".join(words[size:])
    return None


def _country_beside(text: str, lang: str, before: str, after: str) -> tuple[str, str] | None:
    """The country named just outside the name, which then stays whole."""
    preceding = _words(before)[-3:]
    for size in (3, 2, 1):  # "the United States' [Foreign Agents Registration Act]"
        if len(preceding) >= size and (code := _possessive_country(" ".join(preceding[-size:]))) is not None:
            return code, text
    for word in preceding[-2:] + _words(after)[:1]:
        code = demonym_code(word.strip(".,"), lang)
        if code is not None:
            return code, text
    return None


def is_national(text: str, type_: str, lang: str, named: str | None = None) -> bool:
    """True for a state body ('Ministry of Justice', 'Asamblea Legislativa',
    'State Committee for National Security') or a national law ('Criminal Code',
    'Ley 27.275'): names that two countries can share.  `named` is the country
    named with it, which makes a shared head ('Security Service of Ukraine') a
    state body."""
    vocab = body_vocabulary(lang)
    words = [fold(w.strip(".,()")) for word in _words(text) for w in word.split("-")]
    if any(w in vocab.international for w in words) or any(
        phrase in fold(text) for phrase in vocab.international if " " in phrase
    ):
        return False
    if type_ == "LAW":  # titles are often cited in their own language: 'the Ley de …'
        law_heads = frozenset().union(*(body_vocabulary(other).law_heads for other in ("en", "fr", "es")))
        return any(w in law_heads for w in words)
    if type_ != "ORG":
        return False
    heads = _head_words(words) if lang == "en" else words[:2]
    if any(w in vocab.heads for w in heads):
        return True
    return any(w in vocab.shared_heads for w in heads) and (
        named is not None or any(w in vocab.state_markers for w in words)
    )


def _head_words(words: list[str]) -> list[str]:
    """English head nouns: the last word ('Supreme Court') and the word before
    the first link ('Ministry of Justice', 'State Committee for …'), not a word
    inside a modifier ('Open Government Partnership')."""
    heads = words[-1:]
    for index, word in enumerate(words[1:], 1):
        if word in ("of", "for", "on", "to"):
            heads.append(words[index - 1])
            break
    return heads


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    spellings = state_name_spellings()
    return {match_key(v): name for name, variants in spellings.items() for v in [name, *variants]}


# A year before or after a law's name: 'Código Penal de 2020', 'Constitution of
# 1997', 'the 1987 Constitution'.
_WITH_YEAR = re.compile(
    r"^(?:(?P<after>.+?)(?:,|\s+(?:of|de|del|du))?\s+(?:1[89]|20)\d\d|(?:1[89]|20)\d\d\s+(?P<before>.+))$"
)


def state_name(base: str) -> str:
    """One English name for a usual national law or body ('Código Penal' →
    'criminal code'), so that its key is the same in every language; with or
    without the year it was adopted ('Constitution de 1987': a country has one
    constitution in force, which its year does not tell apart)."""
    return usual_state_name(base) or base


def usual_state_name(base: str) -> str | None:
    """`state_name` of a usual national law or body, None for any other name."""
    names = _state_names()
    # `_words` splits an elided article off its word ("l' homme"): joined again here.
    found = names.get(match_key(base).replace("' ", "'"))
    if found is None and (dated := _WITH_YEAR.match(base)) is not None:
        found = names.get(match_key(dated.group("after") or dated.group("before")))
    return found


# An instrument's number as written: '1185/2020', '169-14', '006-2023-JUS', '27.275'.
_NUMBER = re.compile(r"^\d+(?:[./-]\d+)*(?:[/-][A-Za-z]+)*$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# Marks of "number" in any language, as `fold` writes them.
_MARKS = frozenset({"n", "no", "no.", "n.o", "n.º", "n°", "nº"})


def numbered_name(base: str, lang: str) -> str | None:
    """The kind and number of a numbered national instrument, and its year when
    given, which name it whatever its title: 'Proclamation 1185/2020' for 'Hate
    Speech … Proclamation No. 1185/2020' and for 'Proclamation No. 1185/2020',
    'Ley 58 2006' for 'Ley 58 de 2006 sobre …', 'Decreto Supremo 1597'.  French
    and Spanish qualifiers after the head are part of the kind ('Decreto
    Legislativo 1232' is not 'Decreto Supremo 1232')."""
    words = [w.strip(",;:()") for w in _words(base)]
    vocab = body_vocabulary(lang)
    marks = {fold(m) for m in vocab.number_marks} | _MARKS
    for index, word in enumerate(words):
        if not any(part in vocab.law_heads for part in fold(word).split("-")):
            continue
        end = index + 1
        qualifiers = lang != "en"  # 'Decreto Supremo'; English qualifiers come first
        while qualifiers and end < len(words) and words[end][:1].isupper() and fold(words[end]) not in marks:
            end += 1
        number = end + 1 if end < len(words) and fold(words[end]) in marks else end
        if number < len(words) and _NUMBER.match(words[number]):
            return " ".join([*words[index:end], words[number], _year_after(words, number)]).strip()
    return None


def _year_after(words: list[str], number: int) -> str:
    """The year given after an instrument's number ('… 58 of 2006'), if not in it."""
    if number + 2 < len(words) and fold(words[number + 1]) in ("of", "de", "del"):
        year = words[number + 2]
        if _YEAR.match(year) and year not in words[number]:
            return year
    return ""


@lru_cache(maxsize=1)
def _state_slugs() -> dict[str, str]:
    spellings = state_name_spellings()
    return {slug(v): slug(name) for name, variants in spellings.items() for v in [name, *variants]}


@lru_cache(maxsize=1)
def _number_marks() -> frozenset[str]:
    return frozenset(slug(mark) for lang in LANGS for mark in body_words(lang).number_marks) - {""}


_YEAR_LINKS = frozenset({"of", "de", "del", "du"})


@dataclass(frozen=True)
class LawNumber:
    """What identifies a numbered national law across languages: its country, its kind
    of instrument in English, its number and, when given, its year."""

    country: str
    instrument: str
    number: tuple[str, ...]
    year: str | None


def law_number(key: str) -> LawNumber | None:
    """The `LawNumber` of a national law's key ('decret-loi-n-2022-54-tn' → TN, decree
    law, 54, 2022; 'decree-law-54-tn' → TN, decree law, 54, no year), None for a key
    without an instrument, a number and an ISO country ('constitution-of-1997-er')."""
    parts = key.split("-")
    country, body = parts[-1], parts[:-1]
    first = next((i for i, part in enumerate(body) if part.isdigit()), None)
    if len(country) != 2 or first is None:
        return None
    words = [part for part in body[:first] if part not in _number_marks()]
    run = list(itertools.takewhile(str.isdigit, body[first:]))
    after = body[first + len(run) : first + len(run) + 2]
    year = after[1] if len(after) == 2 and after[0] in _YEAR_LINKS and _YEAR.match(after[1]) else None
    years = [part for part in run if _YEAR.match(part)] if len(run) > 1 else []
    number = tuple(part for part in run if part not in years)
    if not words or words[-1] in _YEAR_LINKS or not number or len(years) > 1 or (years and year):
        return None  # no instrument, or a title 'of 1997', or no number, or two years
    instrument = slug(" ".join(words))
    year = year or next(iter(years), None)
    return LawNumber(country, _state_slugs().get(instrument, instrument), number, year)


def main_country(codes: Iterable[str]) -> str | None:
    """The article's main country: most mentioned, the first one on a tie."""
    counts = Counter(code for code in codes if code)
    if not counts:
        return None
    best = max(counts.values())
    return next(code for code in counts if counts[code] == best)


def jurisdiction_key(key: str, jurisdiction: str) -> str:
    """The one place where a key gets its jurisdiction: 'ministry-of-justice' +
    'KG' → 'ministry-of-justice-kg'; an article scope keeps unknown ones apart."""
    return f"{key}-{slug(jurisdiction)}"
