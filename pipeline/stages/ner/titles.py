"""Titles and generic plurals the model types as organisations, as a rule family
of the decision (`generic_titles`).

A mandate or an office held by a person is a title, not an organisation: 'UN
Special Rapporteurs', 'Relatora Especial', 'Haut-Commissaire des Nations Unies'
(the High Commissioner, whose office is the organisation).  A model
'organisation' made only of roles (in the singular or the plural) and acronyms,
or opening with roles and a link word to what they serve, is dropped; a
registry body named inside it is then chosen on its own.  So is the plural of a
body's head that the article names in full ('the Special Rapporteurs and
Working Groups' after 'the Working Group on Arbitrary Detention'): a kind of
body, not one.

The state-body grammar's names are held to the same: a body's name never ends
with a title ('le gouvernement du Premier | ministre X' names no body), and a
body written in lower case after an indefinite article is not named ('un
juzgado de Tarija', a court of that town).
"""

from __future__ import annotations

from spacy.tokens import Span

from ...knowledge.jurisdiction import body_vocabulary
from ...knowledge.lexicon import Lexicon
from ...knowledge.names import fold, looks_like_acronym
from .decision_words import decision_words
from .provenance import Provenance


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _role(word: str, lex: Lexicon, heads: frozenset[str]) -> bool:
    """A role that heads no body: 'Rapporteur', not 'House' ('House of Representatives')."""
    folded = fold(word, keep_accents=True).rstrip(".")
    return (folded in lex.roles or _singular(folded) in lex.roles) and folded not in heads


def _is_title(span: Span, lex: Lexicon, heads: frozenset[str]) -> bool:
    """Roles and acronyms alone ('UN Special Rapporteurs'), or roles and a link to
    what they serve ('Haut-Commissaire des Nations Unies')."""
    words = decision_words()
    links = words.connectors | words.remit_links
    roles = 0
    for token in span:
        if _role(token.text, lex, heads):
            roles += 1
        elif not (looks_like_acronym(token.text) or token.is_punct):
            return roles > 0 and token.lower_ in links
    return roles > 0


def _plural_of_named_body(span: Span, bodies: set[str]) -> bool:
    """'Working Groups' when a 'Working Group …' is named in the article."""
    words = [t.lower_ for t in span]
    if len(words) < 2 or not words[-1].endswith("s"):
        return False
    return " ".join([*words[:-1], _singular(words[-1])]) in bodies


def drop_titles(spans: list[Span], rules: list[Span], lex: Lexicon, lang: str) -> list[Span]:
    """The model's spans less the organisations that are titles or generic plurals
    (see the module doc)."""
    heads = lex.org_heads | frozenset(body_vocabulary(lang).head_words)
    bodies = {
        " ".join(t.lower_ for t in body[:size])
        for body in rules
        if body.label_ == "ORG" and Provenance.of(body).from_registry
        for size in range(2, len(body))
    }
    return [
        span
        for span in spans
        if span.label_ != "ORG"
        or span.kb_id_
        or not (_is_title(span, lex, heads) or _plural_of_named_body(span, bodies))
    ]


def _trimmed_body(span: Span, lex: Lexicon, heads: frozenset[str]) -> Span | None:
    """A state body's name less the titles and links that end it; None when no name is left."""
    end = span.end
    links = decision_words().trailing_links
    while end > span.start and (
        _role(span.doc[end - 1].text, lex, heads) or span.doc[end - 1].lower_ in links
    ):
        end -= 1
    if end == span.end:
        return span
    return None if end - span.start < 2 else Span(span.doc, span.start, end, span.label_, span_id=span.id_)


def _unnamed_body(span: Span) -> bool:
    """'un juzgado de Tarija': a lower-case head after an indefinite article."""
    doc = span.doc
    return span[0].is_lower and span.start > 0 and doc[span.start - 1].lower_ in decision_words().indefinites


def state_body_titles(rules: list[Span], lex: Lexicon, lang: str) -> list[Span]:
    """The rules' candidates with state bodies held to the titles rule (see the module doc)."""
    vocabulary = body_vocabulary(lang)
    # 'Prosecutor General', 'Fiscalía General': a state marker ends a body's name as a title never does.
    heads = lex.org_heads | frozenset(vocabulary.head_words) | frozenset(vocabulary.marker_words)
    result = []
    for span in rules:
        if Provenance.of(span).from_state_body:
            trimmed = None if _unnamed_body(span) else _trimmed_body(span, lex, heads)
            if trimmed is None:
                continue
            span = trimmed
        result.append(span)
    return result
