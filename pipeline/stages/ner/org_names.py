"""Organisations named by a class noun inside the name, as a rule family of the
decision (`org_name_nouns`).

A class noun anywhere in a name makes it an organisation's ('Somali Journalists
Syndicate', 'Raoul Wallenberg Centre for Human Rights', 'Fundación Laura
Pollán'), even when the organisation is named after a person: the small models
type such names by the person in them.  So a model 'person' of two or more
words holding a capitalised class noun (`org_heads` of models/patterns/
stoplists.yaml) is an organisation, unless a title or a role in apposition says
it is a person; and a capitalised class noun that no span covers, followed by
a name (capitalised words, or a person's name the model found: 'la Fundación
TIERRA', 'Centre Pétion-Bolivar'), starts an organisation's name that runs to
the name's end.  A name before or with a remit that ends like an organisation's
('Salam | for Democracy and Human Rights') is one name.  State bodies' heads are
left to the state-body grammar (`body_grammar.py`): a body is never named after
a person.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...knowledge.jurisdiction import body_vocabulary
from ...knowledge.lexicon import Cues, Lexicon
from ...knowledge.names import fold
from .class_nouns import token_positions
from .decision_words import decision_words
from .evidence import ORG_CUE, org_cue, person_cue
from .provenance import Provenance, respan
from .rules import RULES_KEY

ORG_NOUN = Provenance.rule("org.class_noun")
# Longest name a free class noun heads ('Fundación Andina para la Observación y Estudio de Medios').
MAX_NAME_TOKENS = 12
# Links after which a country's name is part of the organisation's ('Confederación … de Bolivia').
_OF = frozenset({"of", "de", "del", "du", "des", "d'", "d’"})


def _class_noun(text: str, heads: frozenset[str]) -> bool:
    return text[:1].isupper() and text.casefold() in heads


def _named_like_organisation(span: Span, lex: Lexicon, cue: Cues) -> bool:
    return (
        span.label_ == "PERSON"
        and len(span) > 1
        and not span.kb_id_
        and Provenance.of(span).from_model
        and any(_class_noun(t.text, lex.org_heads) for t in span)
        and person_cue(span, cue) not in ("title", "apposition")
    )


def _absorbable(span: Span, link: str, remit: bool) -> bool:
    """A name the model or a cue found inside the organisation's name, which is
    part of it ('Fundación [Laura Pollán]', 'Confederación … de [Bolivia]'); not
    one after a coordinator, which is another name ('Fundación X y [Juan Pérez]')."""
    words = decision_words()
    if span.kb_id_ and span.label_ == "COUNTRY":
        return link in _OF or link in words.remit_links or (remit and link in words.place_links)
    source = Provenance.of(span)
    if span.label_ == "PERSON" and link in words.connectors | words.coordinators:
        return False  # 'la Fundación de [Rigoberta Menchú]' is hers, not named after her
    return (
        not span.kb_id_
        and link not in words.coordinators
        and (remit or link not in words.place_links or span.label_ != "LOCATION")
        and ((source.from_model and span.label_ in ("PERSON", "LOCATION", "ORG")) or source == ORG_CUE)
    )


def _next_link(doc: Doc, end: int, cue: Cues, remit: bool) -> int:
    """The index after link words at `end` ('de la'), `end` when there are none.  A
    coordinator joins two names ('Fundación Acción | y Justicia', 'Network Rail | and
    the Department …') except inside a remit ('para la Observación y Estudio de …')
    or before a link word that is no article ('… del Río Desaguadero y del Lago
    Poopó'): no name starts with one."""
    words = decision_words()
    link = end
    coordinated = doc[end].lower_ in words.coordinators
    if (
        coordinated
        and end + 1 < len(doc)
        and (remit or doc[end + 1].lower_ in cue.name_links)
        and doc[end + 1].lower_ not in words.articles  # 'Network Rail | and the Department …'
    ):
        link = end + 1
    while link < len(doc) and doc[link].lower_ in cue.name_links and link - end < 3:
        link += 1
    return link


def name_end(
    doc: Doc, first: int, start: int, owner: dict[int, Span], cue: Cues, heads: frozenset[str]
) -> int:
    """Where an organisation's name that starts at `first` and runs to `start`
    ends: over capitalised words, names found inside it, and link words (or one
    coordinator) followed by a capitalised word; not past a line, a sentence or
    punctuation, and never ending on a link word."""
    remit_links = decision_words().remit_links
    end = start
    while end < len(doc) and end - first < MAX_NAME_TOKENS and not doc[end].is_sent_start:
        remit = any(t.lower_ in remit_links for t in doc[first:end])
        named = owner.get(end)
        if named is not None:
            if not _absorbable(named, doc[end - 1].lower_, remit):
                break
            end = named.end
            continue
        if doc[end].text[:1].isupper() and not doc[end].is_punct:
            end += 1
            continue
        link = _next_link(doc, end, cue, remit)
        if link == end or link >= len(doc) or not doc[link].text[:1].isupper() or doc[link].is_sent_start:
            break
        if link in owner and not _absorbable(owner[link], doc[link - 1].lower_, remit):
            break
        if link not in owner and _class_noun(doc[link].text, heads):
            break  # a second organisation: 'la Fundación X y [Fundación] Y'
        end = link
    return end


class _ClassNouns:
    """The class nouns of a document's language that head a free name."""

    def __init__(self, lang: str, lex: Lexicon) -> None:
        vocabulary = body_vocabulary(lang)
        self.heads = lex.org_heads
        # State bodies are the state-body grammar's; 'International' qualifies a name, never heads one.
        self.excluded = frozenset(vocabulary.head_words) | vocabulary.international

    def start(self, span: Span, lex: Lexicon) -> bool:
        """The span starts with a class noun, maybe after a determiner ('la Fundación …')."""
        first = 1 if len(span) > 1 and span[0].lower_ in lex.determiners else 0
        return self.heads_name(span[first])

    def heads_name(self, token: Token) -> bool:
        return (
            _class_noun(token.text, self.heads)
            and not token.is_upper
            and token.lower_ not in self.excluded
            and fold(token.text) not in self.excluded
        )


def class_noun_names(doc: Doc, chosen: list[Span], lex: Lexicon, cue: Cues) -> list[Span]:
    """Model 'people' with a class noun made organisations, organisations that a
    class noun heads extended to their name's end, and names that a free
    capitalised class noun heads added as organisations (see the module doc)."""
    nouns = _ClassNouns(doc.lang_, lex)
    result = [
        respan(doc, s.start, s.end, s, "ORG") if _named_like_organisation(s, lex, cue) else s for s in chosen
    ]
    owner = {i: s for s in result for i in range(s.start, s.end)}
    dropped: set[int] = set()
    spans: list[Span] = []
    for span in sorted(result, key=lambda s: s.start):
        if id(span) in dropped:
            continue
        if span.label_ == "ORG" and not span.kb_id_ and nouns.start(span, lex):
            end = name_end(doc, span.start, span.end, owner, cue, nouns.heads)
            if end > span.end:
                dropped.update(id(owner[j]) for j in range(span.end, end) if j in owner)
                span = respan(doc, span.start, end, span)
        elif _with_remit(span):
            end = name_end(doc, span.start, span.end, owner, cue, nouns.heads)
            candidate = respan(doc, span.start, end, span, "ORG")
            if end > span.end and org_cue(candidate, cue) == "name":
                dropped.update(id(owner[j]) for j in range(span.end, end) if j in owner)
                span = candidate  # 'Salam for Democracy and Human Rights'
        spans.append(span)
    return _free_names(doc, [s for s in spans if id(s) not in dropped], nouns, cue)


def _with_remit(span: Span) -> bool:
    """A guess of the model or the cues with a remit link in it or right after it:
    'Salam | for Democracy and Human Rights', '[Salam for Democracy] and Human Rights'."""
    doc = span.doc
    source = Provenance.of(span)
    remits = decision_words().remit_links
    return (
        span.label_ in ("PERSON", "LOCATION", "ORG")
        and not span.kb_id_
        and (source.from_model or source == ORG_CUE)
        and (
            any(t.lower_ in remits for t in span) or (span.end < len(doc) and doc[span.end].lower_ in remits)
        )
    )


def _crosses_known_name(doc: Doc, start: int, end: int) -> bool:
    """A name the rules know (a registry name the model's span hid) crosses the
    run's end: 'l'[Organisation des Nations] unies' is not a name of its own."""
    return any(s.start < end < s.end and s.start >= start for s in doc.spans.get(RULES_KEY, []))


def _free_names(doc: Doc, chosen: list[Span], nouns: _ClassNouns, cue: Cues) -> list[Span]:
    """`chosen` with the names headed by a capitalised class noun no span covers
    ('la Fundación TIERRA') added, replacing the spans inside them."""
    owner = {i: s for s in chosen for i in range(s.start, s.end)}
    added: list[Span] = []
    replaced: set[int] = set()
    starts = sorted(
        i for word, found in token_positions(doc).items() if _class_noun(word, nouns.heads) for i in found
    )
    taken_until = 0
    for i in starts:
        if i < taken_until or i in owner or not nouns.heads_name(doc[i]):
            continue
        end = name_end(doc, i, i + 1, owner, cue, nouns.heads)
        if end > i + 1 and not _crosses_known_name(doc, i, end):
            replaced.update(id(owner[j]) for j in range(i + 1, end) if j in owner)
            added.append(Span(doc, i, end, "ORG", span_id=ORG_NOUN.span_id))
            taken_until = end
    return [s for s in chosen if id(s) not in replaced] + added
