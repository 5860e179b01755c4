"""Organisation names cut or padded, as a rule family of the decision (`org_extents`).

The small models end an organisation's name where a country's name starts, and
keep a generic noun before it:

* a national branch or chapter is named by its parent and its country
  ('Amnesty International Indonesia', 'PEN Eritrea'): a country's name right
  after an organisation's, on the same line and ending the name, belongs to it;
* 'of (the) <country>' is part of the name it follows ('Communist Party of the
  Philippines', 'Integrated Bar of the Philippines');
* 'in <country>' is part of a name that states a remit ('Association for Human
  Rights in Ethiopia', 'Commission of Inquiry on Human Rights in Eritrea'), but
  only places one that does not ('Amnesty International in Indonesia');
* a media prefix and a number are a name ('camarógrafo de Canal 2'); French 'à'
  and a capitalised name place it ('Radio Télé Métronome à Saint-Marc');
* a name the article gave before, followed by lower-case words, is that name
  ('[Parti de la bougie] des législatives'); 'de', an infinitive and its object
  are a clause, not a name's end ('Conseil de sécurité | de renforcer l'embargo');
* a generic noun is no part of the name after it ('la ONG Temblores', 'the NGO
  Tesfa'): the name starts after it;
* a country's name inside a capitalised run that an organisation cue types
  ('a photojournalist of Myanmar Now', 'reporteros de Diario de Cuba', 'la radio
  en ligne La Voix de Djibouti') is part of an organisation's name, which the
  country's name cut short.

State bodies keep the state-body grammar's bounds (`body_grammar.py`), which
already takes their country in; the country named inside stays a mention of its
own (`selection.nested_names`).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ...knowledge.lexicon import Cues, Lexicon
from ...knowledge.names import fold
from .decision_words import decision_words
from .evidence import org_cue, person_cue
from .provenance import Provenance, respan

ORG_EXTENT = Provenance.rule("org.extent")
# Links between an organisation's name and the country that ends it: 'of', 'of the', 'de la'.
_OF = frozenset({"of", "de", "del", "du", "des", "d'", "d’"})


def _country_after(doc: Doc, end: int, countries: dict[int, Span]) -> Span | None:
    country = countries.get(end)
    return country if country is not None and country.start == end else None


def _ends_name(doc: Doc, end: int) -> bool:
    """Nothing capitalised goes on after `end` on the line: the name ends there."""
    return end >= len(doc) or not (doc[end].text[:1].isupper() and not doc[end].is_punct)


def _extended_end(span: Span, countries: dict[int, Span]) -> int:
    """Where the name `span` begins really ends, taking in the country after it."""
    doc, end = span.doc, span.end
    words = decision_words()
    if end >= len(doc) or "\n" in doc[end - 1].whitespace_ + doc[end].text:
        return end
    country = _country_after(doc, end, countries) if doc[end - 1].whitespace_ else None
    if country is not None and _ends_name(doc, country.end):
        return country.end  # 'Amnesty International Indonesia'
    link = doc[end].lower_
    after = end + 1
    if link in _OF and after < len(doc) and doc[after].lower_ in words.articles:
        after += 1
    country = _country_after(doc, after, countries)
    if country is None:
        return end
    remit = any(t.lower_ in words.remit_links for t in span)
    if link in _OF or (link in words.place_links and remit):
        return country.end
    return end


def _with_channel_number(span: Span, cue: Cues) -> Span:
    """'Canal 2', 'Radio 1': a media name made of its prefix and a number."""
    doc, end = span.doc, span.end
    if (
        end < len(doc)
        and fold(span[-1].text, keep_accents=True) in cue.org_prefixes
        and doc[end].is_digit
        and len(doc[end]) <= 3
        and span[-1].whitespace_
    ):
        return respan(doc, span.start, end + 1, span)
    return span


# A French or Spanish infinitive: 'de [renforcer] l'embargo', 'de [garantizar] la …'.
_INFINITIVE = re.compile(r"^[a-zà-öø-ÿ]{3,}(?:er|ir|ar)$")


def _before_a_clause(span: Span, lex: Lexicon) -> Span:
    """'Conseil de sécurité [de renforcer l'embargo]': 'de', an infinitive and its
    object end the name (the model read the verb's clause into it)."""
    for token in span[1:-2]:
        verb, after = token.nbor(1), token.nbor(2)
        if (
            token.lower_ in ("de", "d'", "d’")
            and _INFINITIVE.match(verb.text)
            and (after.lower_ in lex.determiners or after.lower_ in ("l'", "l’"))
        ):
            return respan(span.doc, span.start, token.i, span)
    return span


def _without_known_complement(span: Span, known: set[str]) -> Span:
    """'[Parti de la bougie] des législatives': a name the article gave before,
    followed by lower-case words only, is that name and a complement."""
    remits = decision_words().remit_links
    for token in span[1:]:
        if (
            token.lower_ not in remits  # 'Alliance des ONG | pour la prévention du crime …' is the name
            and span.doc[span.start : token.i].text in known
            and all(t.is_lower for t in span.doc[token.i : span.end])
        ):
            return respan(span.doc, span.start, token.i, span)
    return span


def _without_place(span: Span) -> Span:
    """'Radio Télé Métronome [à Saint-Marc]': French 'à' and a capitalised name end
    an organisation's name with a place ('à la sécurité', 'à l'Énergie' go on)."""
    for token in span[1:-1]:
        if token.lower_ == "à" and token.nbor(1).text[:1].isupper():
            return respan(span.doc, span.start, token.i, span)
    return span


def _after_generic_noun(span: Span, lex: Lexicon) -> Span:
    """'ONG Temblores' → 'Temblores': a generic noun before a name is not part of it."""
    first = 1 if len(span) > 2 and span[0].lower_ in lex.determiners else 0
    if (
        len(span) - first > 1
        and fold(span[first].text, keep_accents=True) in lex.generic_orgs
        and span[first + 1].text[:1].isupper()
    ):
        return respan(span.doc, span.start + first + 1, span.end, span)
    return span


def organisation_extents(doc: Doc, chosen: list[Span], lex: Lexicon, cue: Cues) -> list[Span]:
    """Organisations' names extended over the country that ends them and trimmed
    of a generic noun before them (see the module doc)."""
    countries = {s.start: s for s in chosen if s.label_ == "COUNTRY"}
    known = {s.text for s in chosen if s.label_ == "ORG" and len(s) > 1}
    absorbed: set[int] = set()
    result: list[Span] = []
    for span in chosen:
        source = Provenance.of(span)
        if span.label_ != "ORG" or source.from_state_body:
            result.append(span)
            continue
        if not span.kb_id_:
            span = _before_a_clause(_without_known_complement(_after_generic_noun(span, lex), known), lex)
            span = _with_channel_number(_without_place(span), cue)
        end = _extended_end(span, countries)
        if end > span.end:
            absorbed.update(id(countries[i]) for i in range(span.end, end) if i in countries)
            span = Span(doc, span.start, end, "ORG", span_id=ORG_EXTENT.span_id)
        result.append(span)
    return [s for s in result if id(s) not in absorbed]


def _name_word(doc: Doc, i: int, owner: dict[int, Span]) -> bool:
    token = doc[i]
    return i not in owner and token.text[:1].isupper() and not token.is_punct and "\n" not in token.text


def _run_around(doc: Doc, country: Span, owner: dict[int, Span], links: frozenset[str]) -> tuple[int, int]:
    """The capitalised run a country's name stands in, with link words between
    capitalised words ('Diario de [Cuba]', '[Myanmar] Now'), within a sentence."""
    start, end = country.start, country.end
    while not doc[start].is_sent_start and start > 0:
        if _name_word(doc, start - 1, owner) and doc[start - 1].whitespace_:
            start -= 1
        elif start > 1 and doc[start - 1].lower_ in links and _name_word(doc, start - 2, owner):
            start -= 2
        else:
            break
    while end < len(doc) and not doc[end].is_sent_start and doc[end - 1].whitespace_:
        if _name_word(doc, end, owner):
            end += 1
        elif end + 1 < len(doc) and doc[end].lower_ in links and _name_word(doc, end + 1, owner):
            end += 2
        else:
            break
    return start, end


def named_with_country(doc: Doc, chosen: list[Span], cue: Cues) -> list[Span]:
    """Organisations whose name holds a country's name, where a cue says so (see the module doc)."""
    owner = {i: s for s in chosen for i in range(s.start, s.end)}
    replaced: dict[int, Span] = {}
    for country in (s for s in chosen if s.label_ == "COUNTRY"):
        start, end = _run_around(doc, country, owner, cue.name_links)
        if (start, end) == (country.start, country.end):
            continue
        candidate = Span(doc, start, end, "ORG", span_id=ORG_EXTENT.span_id)
        if org_cue(candidate, cue) is not None and person_cue(candidate, cue) is None:
            replaced[id(country)] = candidate
    return [replaced.get(id(s), s) for s in chosen]
