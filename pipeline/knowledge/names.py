"""Pure name normalisers shared by the NER rules and entity resolution.

Small functions returning a value (or None), each with a table-driven test in
all three languages (tests/knowledge/test_names.py): the one text fold, the one
leading-article rule, and the person titles (a word list of models/patterns/).
Accent folding uses the standard library's Unicode decomposition; nothing here
depends on a model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .patterns import LANGS, alias_words, stop_words

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\u00a0": " "})

# One leading definite article, in the three languages, in any case and with any
# apostrophe.  Indefinite articles are left alone: 'un'/'una' would eat the acronym 'UN'.
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:the|la|le|les|el|los|las|del|de la|des|du)\s+|(?:de l|l|d)['’ʼ]\s*)", re.I
)
# An elided article glued to the next word: lower-case it is never part of a name
# ("l’ONU", "d’Amnesty"); capitalised it may be ("L’Oréal", "D’Souza").
_ELIDED = r"^(?:de l|l|d)['’ʼ]\s*(?=\w)"
_ELIDED_ARTICLE = re.compile(_ELIDED)
_ELIDED_ARTICLE_ANY_CASE = re.compile(_ELIDED, re.I)
_POSSESSIVE = re.compile(r"['’]s$|['’]$", re.I)
_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")

# Titles and roles that precede a person's name but are not part of it, in all
# languages (models/patterns/stoplists.yaml: titles and titles_only).
PERSON_TITLES = frozenset(
    word for lang in LANGS for word in (*stop_words(lang).titles, *stop_words(lang).titles_only)
)


def fold(text: str, *, keep_accents: bool = False) -> str:
    """Case-, accent-, apostrophe- and space-insensitive form of a string.

    With `keep_accents`, only case, apostrophes and spacing are folded: the form
    of a spaCy token's lower-case text, which the word lists are compared with
    (no Unicode normalisation either, which would make 'Nº' 'no').  Hand-written
    rather than `normality`, whose transliteration ('ø' → 'o', 'ß' → 'ss') would
    change the keys of existing entities.
    """
    if keep_accents:
        return _SPACES.sub(" ", text.casefold().translate(APOSTROPHES)).strip()
    text = unicodedata.normalize("NFKC", text).translate(APOSTROPHES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.casefold()).strip()


def strip_leading_article(text: str) -> str:
    """Drop one leading article ('the', 'La', "l'", 'l’', 'los', 'du'...)."""
    return _LEADING_ARTICLE.sub("", text, count=1)


def match_key(text: str) -> str:
    """The comparison form used for registry and alias lookups.

    Folded, one leading article removed, a trailing possessive removed and
    surrounding punctuation stripped: 'l’Union européenne' → 'union europeenne'.
    """
    folded = fold(text)
    folded = _PUNCT_EDGES.sub("", folded)
    folded = _POSSESSIVE.sub("", strip_leading_article(folded))
    return _PUNCT_EDGES.sub("", folded)


def slug(text: str) -> str:
    """lowercase-with-dashes, accents removed: 'Stéphane Duguin' → 'stephane-duguin'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def entity_key(type_: str, name: str) -> str:
    """The key of an entity known by `name` alone (no registry id, no ISO code).

    A slug of the name in its natural word order, so keys read like names:
    'Natalia Carfi' → 'natalia-carfi', 'the Ad Hoc Committee' → 'ad-hoc-committee',
    'COVID-19' → 'covid-19'.  Case, accents, punctuation, one leading article
    and a possessive are dropped (person names keep a leading particle: 'De la
    Cruz').  Keys are matched across spellings elsewhere (by fingerprint, in
    stages/resolve.py); this is only how an entity's key is spelled.
    """
    if type_ == "PERSON":
        return slug(name)
    return slug(match_key(name)) or slug(name)


@lru_cache(maxsize=1)
def _un_qualifier() -> re.Pattern[str]:
    phrases = sorted({q for lang in LANGS for q in alias_words(lang).un_qualifiers}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.I)


def without_un_qualifier(name: str) -> str:
    """The name of a UN body without the qualifier the text gives it, in any of the
    three languages: 'Commission des Nations Unies pour la prévention du crime' →
    'Commission pour la prévention du crime', 'UN Ad Hoc Committee' → 'Ad Hoc Committee'."""
    return _SPACES.sub(" ", _un_qualifier().sub(" ", name.translate(APOSTROPHES))).strip()


def alias_form(surface: str) -> str:
    """A surface form as an entity's alias: without a leading elided article.

    'l’ONU' → 'ONU', 'd’Amnesty International' → 'Amnesty International';
    a capitalised one stays ('L’Oréal') unless an acronym follows ('L’ONU' → 'ONU').
    """
    stripped = _ELIDED_ARTICLE.sub("", surface, count=1)
    if stripped == surface:
        rest = _ELIDED_ARTICLE_ANY_CASE.sub("", surface, count=1)
        if rest != surface and looks_like_acronym(rest.split()[0]):
            stripped = rest
    return stripped or surface


def acronym_letters(text: str) -> str:
    """Upper-case letters of an acronym ('U.S.' → 'US', 'EE. UU.' → 'EEUU')."""
    return re.sub(r"[^A-Z]", "", fold(text).upper())


def looks_like_acronym(text: str) -> bool:
    """2–10 capitals (dots allowed), optionally with digits: 'OGP', 'U.N.', 'G20'."""
    return bool(re.fullmatch(r"(?:[A-ZÀ-Þ]\.?){2,10}\d*|[A-Z]\d{1,2}", text.strip()))
