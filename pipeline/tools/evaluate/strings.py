"""String normalisation for scoring, as corpus/eval/GUIDELINES.md defines it ("How a gold file is scored")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = str.maketrans(
    {c: "'" for c in "\u2019\u2018\u201b\u02bc\u2032\u00b4\u0060\uff07"}
    | {c: " " for c in "\u00a0\u202f\u2007\u2060"}
)
# Leading articles, one of which is removed; elided forms take no space after them.
_ARTICLES = ("the", "la", "le", "les", "el", "los", "las", "del", "de la", "des", "du")
_ELIDED_ARTICLES = ("l'", "d'", "de l'")
# Longest first, so "de la " wins over "la " and "de l'" over "d'".
_LEADING_ARTICLES = tuple(
    sorted([f"{a} " for a in _ARTICLES] + list(_ELIDED_ARTICLES), key=len, reverse=True)
)
_WHITESPACE = re.compile(r"\s+")


def _is_edge_char(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge_char(text[start]):
        start += 1
    while end > start and _is_edge_char(text[end - 1]):
        end -= 1
    return text[start:end]


def normalise(text: str) -> str:
    """Normalise a name for comparison, exactly as the gold guidelines define it.

    The scorer must not depend on the pipeline's own name normalisation (that is
    what is being measured), so this is a separate, literal implementation: NFKC,
    typographic apostrophes to ``'``, no-break spaces to spaces, accents removed,
    casefold, whitespace collapsed, one leading article removed, a trailing
    possessive ``'s`` removed, surrounding punctuation and quotes stripped.
    Punctuation is stripped before and after the article/possessive steps so that
    ``« l'ONU »`` and ``the UN's,`` reduce to ``onu`` and ``un``.
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))
    text = _WHITESPACE.sub(" ", text.casefold()).strip()
    text = _strip_edges(text)
    for article in _LEADING_ARTICLES:
        if text.startswith(article) and text[len(article) :].strip():
            text = text[len(article) :].lstrip()
            break
    if text.endswith("'s") and len(text) > 2:
        text = text[:-2]
    return _strip_edges(text)


def normalised_set(strings: Iterable[str]) -> frozenset[str]:
    """The non-empty normalised forms of `strings`."""
    return frozenset(n for n in map(normalise, strings) if n)


def title_key(title: str | None) -> str:
    """Titles match gold to outputs after whitespace normalisation (NBSP included)."""
    return " ".join((title or "").split())


def short_title(title: str, width: int = 48) -> str:
    """A title cut to `width` characters for the report's lists."""
    return title if len(title) <= width else title[: width - 1] + "…"
