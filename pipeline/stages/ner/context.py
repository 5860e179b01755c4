"""The text around a span, folded as the cue phrases are, for the evidence rules.

Cues are matched on the text around a span, casefolded, so they do not depend
on how the tokenizer split 'co-founder' or "d'après".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ...knowledge.names import APOSTROPHES

# How much text around a span the cue phrases are looked for in.
CONTEXT_CHARS = 60
_SPACES = re.compile(r"\s+")


def fold_line(text: str) -> str:
    """A line of context in the form the cue phrases are compared in: folded like
    `fold(text, keep_accents=True)` but not stripped, since a space at either end
    changes what the cue patterns match ('^,\\s+' after a name)."""
    return _SPACES.sub(" ", text.casefold().translate(APOSTROPHES))


def doc_text(doc: Doc) -> str:
    """The doc's text, kept in the doc between calls (`Doc.text` joins every
    token each time it is read)."""
    if "civic_text" not in doc.user_data:
        doc.user_data["civic_text"] = doc.text
    text: str = doc.user_data["civic_text"]
    return text


def text_before(span: Span) -> str:
    """Folded text of the line before the span, without trailing spaces and quotes."""
    text = doc_text(span.doc)[max(0, span.start_char - CONTEXT_CHARS) : span.start_char]
    return fold_line(text.rsplit("\n", 1)[-1]).rstrip(" \"'“”«»‘’")


def text_after(span: Span) -> str:
    """Folded text of the line after the span, without leading quotes."""
    text = doc_text(span.doc)[span.end_char : span.end_char + CONTEXT_CHARS]
    return fold_line(text.split("\n", 1)[0]).lstrip("\"'“”«»‘’")


def ends_with(text: str, phrases: Iterable[str]) -> bool:
    """`text` ends with one of the phrases, as whole words."""
    return any(text == p or text.endswith(" " + p) or text.endswith("'" + p) for p in phrases)


def starts_with(text: str, phrases: Iterable[str]) -> bool:
    """`text` starts with one of the phrases, as whole words."""
    return any(text.startswith(p) and not text[len(p) : len(p) + 1].isalnum() for p in phrases)
