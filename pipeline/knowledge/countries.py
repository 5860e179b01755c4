"""Country names in English, French and Spanish → ISO 3166-1 alpha-2 codes.

Names come from the Unicode CLDR territory names shipped by Babel, restricted
to codes that pycountry lists in ISO 3166-1 (so 'EU', '001' or 'XK' are never
countries), CLDR's alternate names that Babel drops ('Turkey', 'Burma', 'UK';
models/countries/variants.yaml) and pycountry's own English names.  A second source,
`countrynames` (OpenSanctions), resolves the looser spellings a model finds
('USA', 'U.S.', 'UK'); it also maps demonyms and some cities to countries, so it
is used only for abbreviations on spans the model already typed as a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import countrynames
import pycountry
from babel import Locale
from pydantic import RootModel

from ..config import MODELS_DIR
from .names import acronym_letters, looks_like_acronym, match_key
from .yamlfile import load

VARIANTS_FILE = MODELS_DIR / "countries" / "variants.yaml"

NAME_LANGS = ("en", "fr", "es")
# Parenthesised qualifiers in CLDR names ('RAE de Hong Kong (China)').
_QUALIFIER = re.compile(r"\s*\(.*?\)")


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


class VariantFile(RootModel[dict[str, list[str]]]):
    """models/countries/variants.yaml: ISO code → CLDR's alternate names."""


@lru_cache(maxsize=1)
def _variants() -> dict[str, list[str]]:
    """CLDR's alternate names ('Turkey', 'Burma', 'UK'), which Babel leaves out."""
    return load(VariantFile, VARIANTS_FILE).root


def _pycountry_names(country: Any) -> Iterator[str]:
    yield country.name
    for attribute in ("common_name", "official_name"):
        if hasattr(country, attribute):
            yield getattr(country, attribute)


def _candidate_names() -> Iterator[tuple[str, str]]:
    """(name, code) pairs, the first source of a match key winning: CLDR in each
    language, then CLDR's variants, then pycountry's English names."""
    codes = iso_codes()
    for lang in NAME_LANGS:
        for code, name in sorted(Locale(lang).territories.items()):
            if code in codes:
                yield name, code
    for code, variants in sorted(_variants().items()):
        if code in codes:
            for name in variants:
                yield name, code
    for country in pycountry.countries:
        for name in _pycountry_names(country):
            yield name, country.alpha_2


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, str], dict[str, list[str]]]:
    """(match_key → code, code → surface names in all languages)."""
    by_key: dict[str, str] = {}
    surfaces: dict[str, list[str]] = {}
    for written, code in _candidate_names():
        name = _QUALIFIER.sub("", written).strip()
        if not name or "," in name:
            continue
        by_key.setdefault(match_key(name), code)
        if name not in surfaces.setdefault(code, []):
            surfaces[code].append(name)
    return by_key, surfaces


def country_code(text: str, loose: bool = False) -> str | None:
    """ISO alpha-2 code for a country name in en/fr/es, else None.

    `loose` also resolves abbreviations ('USA', 'U.S.', 'UK') through
    countrynames, for spans a model has typed as a place.  Only abbreviations:
    countrynames also maps cities ('Geneva') and demonyms to countries.
    """
    code = _names()[0].get(match_key(text))
    if code is None and loose and looks_like_acronym(text):
        found = countrynames.to_code(text, fuzzy=False) or countrynames.to_code(acronym_letters(text))
        code = found if found in iso_codes() else None
    return code


def country_surfaces() -> dict[str, list[str]]:
    """Every CLDR/pycountry name per code, for phrase matching."""
    return _names()[1]


def country_name(code: str) -> str:
    """Short English display name: pycountry's common name, else CLDR's."""
    country = pycountry.countries.get(alpha_2=code)
    if country is not None and hasattr(country, "common_name"):
        return str(country.common_name)
    cldr = Locale("en").territories.get(code)
    if cldr and "SAR" not in cldr:
        return _QUALIFIER.sub("", str(cldr))
    return str(country.name) if country is not None else code
