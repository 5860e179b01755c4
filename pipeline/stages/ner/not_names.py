"""Model names that are no names: nationality words and dates, as two rule
families of the decision.

* `demonyms`: the guidelines count no demonym alone as an entity ("Chinese",
  "Mexican"), but the small models often type one as a person or an
  organisation ('Azerbaijani', 'Mexicanos').  A model person or organisation
  made only of country adjectives of the article's language (English ones
  from `countrynames`, French and Spanish ones with their feminine and plural
  forms from models/countries/demonyms.yaml, both through
  `knowledge.jurisdiction.demonym_code`) is dropped.  The registry's names
  and the rules' candidates are not touched, and a word the article also
  uses as a person's surname ('Dawn French' … 'French said') stays.
* `dates`: the models type dates as names ('April 2025' as an organisation).
  A model span made only of month names (CLDR via `knowledge.dates`), day or
  year numbers, link words and punctuation, with at least one month and one
  number, is dropped (the organisation cues skip such runs too).
"""

from __future__ import annotations

from spacy.tokens import Span

from ...knowledge.dates import is_date
from ...knowledge.jurisdiction import demonym_code
from .evidence import surnames


def _demonyms_only(span: Span, lang: str) -> bool:
    words = [t.text for t in span if not t.is_punct]
    return bool(words) and all(demonym_code(word, lang) is not None for word in words)


def drop_demonyms(spans: list[Span], lang: str) -> list[Span]:
    """The model's spans less the people and organisations that are demonyms alone."""
    used_as_surname = surnames(spans)
    return [
        span
        for span in spans
        if span.kb_id_
        or span.label_ not in ("PERSON", "ORG")
        or span.text in used_as_surname
        or not _demonyms_only(span, lang)
    ]


def drop_dates(spans: list[Span], lang: str) -> list[Span]:
    """The model's spans less those that write a date ('April 2025', '5 de mayo de 2024')."""
    return [span for span in spans if span.kb_id_ or not is_date([t.text for t in span], lang)]
