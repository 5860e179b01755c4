"""How a document cites one law in several ways, so that its mentions get one key.

- An article or section cited with its law ("Section 24 of the Computer Misuse
  Act", "Article 19 of the Covenant") is a mention of that law: the article
  number alone is not a second one (`attach_articles`).
- A law's other names in the same document are its aliases (`link_law_aliases`):
  a title followed by its number in brackets or in apposition ("Anti-Terrorism
  Act of 2020 (Republic Act No. 11479)", "the Anti-Terrorism Law, Law No. 58 of
  2006, is …"), the short citation of a numbered title ("Proclamation No.
  1113/2019" for "Organizations of Civil Societies Proclamation No. 1113/2019",
  "Ley 351" for "Ley 351 de Otorgación de Personalidades Jurídicas") and a title
  without its year or subject ("Computer Misuse Act" for "Computer Misuse Act,
  2011", "Convención Americana" for "Convención Americana sobre Derechos Humanos").

An alias gets the key hint of its long form (the registry id, else
`ACRONYM_KEY_PREFIX` + the long form's text, which entity resolution keys as
the long form), as an acronym defined in brackets does (`acronyms.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span

from ...knowledge.names import looks_like_acronym
from .acronyms import ACRONYM_KEY_PREFIX
from .decision_words import decision_words
from .law_edges import YEAR, word_end
from .law_grammar import NUMBER
from .provenance import respan

_NUMBER = re.compile(NUMBER)
# An article's number: "4", "280.3", "87", "III", "24a"; and its ordinal suffixes.
_ARTICLE_NUMBER = re.compile(r"^(?:\d+(?:[.-]\d+)*[a-zA-Z]?|[IVXLCDM]+)$")
_SUFFIXES = frozenset({"bis", "ter", "quater"})
_OF = frozenset({"of", "de", "du", "del", "des", "d'", "d’"})
_YEAR_LINKS = frozenset({"of", "de", "del", ","})
_DETERMINERS = frozenset({"the", "la", "le", "el", "l'", "l’", "its", "this", "that", "said", "same"})


@dataclass(frozen=True)
class Citation:
    """A law span's head word, number and year, as far as it has them."""

    head: str
    number: str
    year: str


def _citation(span: Span, heads: frozenset[str]) -> Citation:
    doc = span.doc
    head = next((t.lower_ for t in span if t.lower_ in heads), "")
    number = year = ""
    for token in span:
        after_link = token.i > span.start and token.nbor(-1).lower_ in _YEAR_LINKS
        if YEAR.match(token.text) and (after_link or number):
            year = year or token.text
        elif _NUMBER.match(token.text) and not number:
            # the whole number as written: '2022-54' is three English tokens
            end = min(word_end(doc, token.i + 1), span.end)
            number = doc[token.i : end].text
    return Citation(head, number, year)


def _is_article_reference(span: Span) -> bool:
    """'Section 27', 'Article III, Section 1', 'articles 328 and 329', 'article 87 bis'."""
    section_words = decision_words().section_words
    if span[0].lower_.rstrip(".s") not in section_words:
        return False
    return all(
        t.lower_.rstrip(".s") in section_words
        or _ARTICLE_NUMBER.match(t.text)
        or t.lower_ in _SUFFIXES
        or t.text in (",", "(", ")")
        or t.lower_ in decision_words().coordinators
        or t.is_space
        for t in span
    )


def _law_after(doc: Doc, end: int, laws: dict[int, Span]) -> Span | None:
    """The law cited right after an article reference: 'of [the] [principal] LAW'."""
    if end >= len(doc) or doc[end].lower_ not in _OF:
        return None
    for i in range(end + 1, min(end + 5, len(doc))):
        if i in laws:
            return laws[i]
        if not (doc[i].lower_ in _DETERMINERS or doc[i].is_lower):
            return None
    return None


def attach_articles(doc: Doc, chosen: list[Span]) -> list[Span]:
    """An article reference followed by its law ('Section 24 of the Computer Misuse
    Act') is part of that law's mention, not a mention of its own (nor the NGO
    Article 19); a model span of both ('Article 19 of the Covenant') is cut to
    the law."""
    laws = {s.start: s for s in chosen if s.label_ == "LAW"}
    result = []
    for span in chosen:
        cut = _split_reference(doc, span) if span.label_ == "LAW" and not span.kb_id_ else None
        if cut is not None:
            result.append(cut)
        # also an organisation's name read in an article number: 'Article 19 of the Covenant'
        elif not (_is_article_reference(span) and _law_after(doc, span.end, laws) is not None):
            result.append(span)
    return result


def _split_reference(doc: Doc, span: Span) -> Span | None:
    """'Article 19 of the Covenant' → 'Covenant': the law after the reference."""
    for token in span[1:-1]:
        if token.lower_ in _OF and _is_article_reference(doc[span.start : token.i]):
            start = token.i + 1
            while start < span.end - 1 and doc[start].lower_ in _DETERMINERS:
                start += 1
            law = doc[start : span.end]
            if any(t.text[:1].isupper() for t in law):
                return respan(doc, start, span.end, span)
    return None


def link_law_aliases(
    doc: Doc,
    chosen: list[Span],
    heads: frozenset[str],
    alias_links: frozenset[str],
    subject_links: frozenset[str],
) -> list[Span]:
    """Each group of a law's names keyed like one of them (see the module's
    docstring): its registry name, else its first mention, so that entity
    resolution has keyed it before the others refer to it."""
    laws = sorted((s for s in chosen if s.label_ == "LAW"), key=lambda s: s.start)
    if len(laws) < 2:
        return chosen
    citations = {id(s): _citation(s, heads) for s in laws}
    group = {id(s): id(s) for s in laws}

    def root(span_id: int) -> int:
        while group[span_id] != span_id:
            span_id = group[span_id]
        return span_id

    for alias, long_form in (
        *_bracketed(doc, laws, citations, alias_links),
        *_short_citations(laws, citations),
        *_short_titles(doc, laws, citations, subject_links),
        *_acronym_titles(laws),
    ):
        group[root(id(alias))] = root(id(long_form))
    members: dict[int, list[Span]] = {}
    for span in laws:
        members.setdefault(root(id(span)), []).append(span)
    keys: dict[int, str] = {}
    for spans in members.values():
        named = [s for s in spans if s.kb_id_ and not s.kb_id_.startswith(ACRONYM_KEY_PREFIX)]
        first = named[0] if named else spans[0]
        key = first.kb_id_ if named else ACRONYM_KEY_PREFIX + first.text
        keys.update({id(s): key for s in spans if s.text != first.text and not s.kb_id_})
    return [
        Span(doc, s.start, s.end, s.label_, kb_id=keys[id(s)], span_id=s.id_) if id(s) in keys else s
        for s in chosen
    ]


def _bracketed(
    doc: Doc, laws: list[Span], citations: dict[int, Citation], alias_links: frozenset[str]
) -> Iterable[tuple[Span, Span]]:
    """'A (B)'; and, where one of the two has a number and the other not, 'A, B,',
    'A, or B,' and 'A, adopted as B'."""
    for first, second in pairwise(laws):
        # 'A, el Decreto 02-2003, …', 'A, la Ley 1115, …'
        between = [t.lower_ for t in doc[first.end : second.start] if t.lower_ not in _DETERMINERS]
        closed = second.end < len(doc) and doc[second.end].text in (",", ")", ".", ";")
        if between == ["("] and closed and doc[second.end].text == ")":
            yield second, first
            continue
        if bool(citations[id(first)].number) == bool(citations[id(second)].number) or between[:1] != [","]:
            continue
        rest = between[1:]
        if (not rest and closed) or (rest and rest[-1] in alias_links and len(rest) <= 2):
            yield second, first


def _short_citations(laws: list[Span], citations: dict[int, Citation]) -> Iterable[tuple[Span, Span]]:
    """'Ley 351' for 'Ley 351 de Otorgación …': same head and number (or running
    number: 'décret 54' for 'décret-loi n° 2022-54'), a longer title, and one year
    among the longer ones (never 'Law No. 1' for both 'Law No. 1 of 2023' and
    'Law No. 1 of 2024')."""
    by_number: dict[tuple[str, str], list[Span]] = {}
    for span in laws:
        cited = citations[id(span)]
        if cited.head and cited.number:
            by_number.setdefault(_sequence(cited), []).append(span)
    for spans in by_number.values():
        for short in spans:
            cited = citations[id(short)]
            longer = [
                s
                for s in spans
                if len(s) > len(short)
                and cited.number in (citations[id(s)].number, _sequence(citations[id(s)])[1])
            ]
            if cited.year:
                longer = [s for s in longer if citations[id(s)].year == cited.year]
            if len({citations[id(s)].year for s in longer}) == 1:
                yield short, max(longer, key=len)


def _sequence(cited: Citation) -> tuple[str, str]:
    """The kind and running number of an instrument: 'décret 54' is cited for
    'décret-loi n° 2022-54' ('décret', '54')."""
    return cited.head.split("-")[0], re.split(r"\s*[-/]\s*", cited.number)[-1]


def _short_titles(
    doc: Doc, laws: list[Span], citations: dict[int, Citation], title_links: frozenset[str]
) -> Iterable[tuple[Span, Span]]:
    """'Computer Misuse Act' for 'Computer Misuse Act, 2011', 'Convención Americana'
    for 'Convención Americana sobre Derechos Humanos': the start of one longer
    title, cut before its year or its subject, when the document has one such."""
    by_first: dict[str, list[Span]] = {}
    for span in laws:
        by_first.setdefault(span[0].text, []).append(span)
    for short in laws:
        if len(short) < 2 or citations[id(short)].number or citations[id(short)].year:
            continue
        words = [t.text for t in short]
        longer = {
            span.text: span
            for span in by_first[short[0].text]
            if len(span) > len(short)
            and [t.text for t in span[: len(short)]] == words
            and _cut_before_year_or_subject(doc, span.start + len(short), title_links)
        }
        if len(longer) == 1:
            yield short, next(iter(longer.values()))


def _cut_before_year_or_subject(doc: Doc, i: int, title_links: frozenset[str]) -> bool:
    """The title goes on at doc[i] with its year (', 2011', 'of 2016') or its subject ('sobre …')."""
    if doc[i].lower_ in _YEAR_LINKS:
        return i + 1 < len(doc) and bool(YEAR.match(doc[i + 1].text))
    return doc[i].lower_ in title_links


def _acronym_titles(laws: list[Span]) -> Iterable[tuple[Span, Span]]:
    """'PVO Amendment Act' for 'Private Voluntary Organisations Amendment Act': the
    same title with its first words written as their acronym."""
    for short in laws:
        if len(short) < 2 or not looks_like_acronym(short[0].text):
            continue
        tail = [t.text for t in short[1:]]
        for long in laws:
            cut = len(long) - len(tail)
            if cut > 1 and [t.text for t in long[cut:]] == tail and _initials(long[:cut]) == short[0].text:
                yield short, long
                break


def _initials(words: Span) -> str:
    """The capitals starting the words of a name: 'Private Voluntary Organisations'
    → 'PVO', 'Non-Governmental Organisations' → 'NGO'."""
    return "".join(part[0] for t in words for part in t.text.split("-") if part[:1].isupper())
