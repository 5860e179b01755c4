"""Evidence the statistical models ignore, as three rule families of the decision.

* `common_words`: a one-word 'name' that is an ordinary word of the article's
  language ('Asimismo', 'Ensuite', 'rated as Repressed'; see `CommonWords`) is
  dropped unless something says it is a name: a person's surname used in full
  elsewhere in the article, a first name, a person or organisation cue, or
  repeated capitalised use in the middle of sentences.
* `person_cues`: people the model typed as places or organisations, cut short or
  missed.  A title before the name ('la abogada X', 'President X'), a role in
  apposition after it ('X, founder of …'), a speech verb ('said X', 'afirmó X',
  'X a déclaré') and a first name from Faker's lexicon are the evidence; a
  person's name is extended left over an unknown capitalised word ('Lysa' in
  'Lysa John') and right over a patronymic ('Bekova kyzy').
* `org_cues`: organisations named with common words or person-like names.  A
  class noun before the name ('the outlet X', 'la ONG X', 'le parti X'), an
  organisation verb ('the offices of X', 'X was liquidated'), a media or NGO name
  suffix ('X Live', 'X 24', 'Radio X') and brand spelling ('iLaw') are the
  evidence.

The cue words are data (models/patterns/cues.yaml, read by `knowledge/lexicon.py`); cues
are matched on the text around a span (`context.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ...knowledge.countries import country_code
from ...knowledge.dates import is_date
from ...knowledge.lexicon import CommonWords, Cues, Lexicon, first_names
from ...knowledge.names import PERSON_TITLES, fold, looks_like_acronym
from .class_nouns import after_class_noun, token_positions, with_media_prefix
from .context import ends_with, starts_with, text_after, text_before
from .provenance import Provenance, respan

# Longest name a cue creates; longer capitalised runs are titles or headlines.
MAX_CUED_TOKENS = 4
_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*\.?$")


@lru_cache(maxsize=3)
def _role_after(cue: Cues) -> re.Pattern[str]:
    """A role in apposition after a name, with up to three words before it:
    'X, founder of …', 'X, a human rights lawyer', 'X, la abogada de …'."""
    roles = "|".join(re.escape(r) for r in cue.apposition_roles)
    determiner = r"(?:(?:a|an|the|un|une|una|el|la|le|l'|notre|our|nuestra|nuestro)\s+)?"
    return re.compile(rf"^,\s+{determiner}(?:[^\W\d_][\w'-]*\s+){{0,3}}?(?:{roles})s?\b")


def person_cue(span: Span, cue: Cues) -> str | None:
    """'title', 'apposition' or 'speech' when the context says `span` is a person."""
    before, after = text_before(span), text_after(span)
    if ends_with(before, cue.person_titles):
        return "title"
    if _role_after(cue).search(after):
        return "apposition"
    if ends_with(before.rstrip(" ,"), cue.speech_before) or starts_with(after.lstrip(" ,"), cue.speech_after):
        return "speech"
    return None


# Words that end a class noun's modifiers: 'the newspaper of X' is not 'the
# newspaper X'.
_LINKS = (
    "of|de|du|del|des|d'|for|pour|para|the|la|le|el|les|los|las|l'|a|an|un|une|una|and|et|y|"
    "with|con|avec|by|par|por|to|à|au|aux|en|in|on|sur|that|que|qui|which|who|is|was|es|est|fue"
)


@lru_cache(maxsize=3)
def _class_patterns(cue: Cues) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A class noun right before a name, with up to two modifiers ('the outlet X',
    'la chaîne privée X', 'el partido de gobierno, X'), and heading an apposition
    after it ('X, an investigative outlet', 'X, un collectif de juristes'; not
    'X, a reporter for the broadcaster Y')."""
    classes = "|".join(re.escape(c) for c in cue.org_class_nouns)
    people = {w for phrase in cue.person_titles + cue.speech_before for w in phrase.split()}
    stop = _LINKS + "|" + "|".join(re.escape(w) for w in sorted(people))
    modifier = rf"(?:\s+(?!(?:{stop})$)(?!(?:{stop})\s)[^\W\d_][\w'-]*)"
    before = re.compile(rf"(?:^|[\s'])(?:{classes})s?{modifier}{{0,2}},?$")
    after = re.compile(
        rf"^,\s+(?:a|an|the|un|une|una|el|la|le|l')\s*(?:(?!(?:{_LINKS})\s)[^\W\d_][\w'-]*\s+){{0,4}}?"
        rf"(?:{classes})s?\b"
    )
    return before, after


@lru_cache(maxsize=3)
def _employer_pattern(cue: Cues) -> re.Pattern[str]:
    """A role and 'of'/'at' right before a name: 'researcher at X', 'investigadora
    de X', 'fondateur du X' (the name is the employer; not 'coordinator for X',
    a region)."""
    roles = "|".join(re.escape(r) for r in cue.apposition_roles)
    links = r"(?:of|at|with|de|del|du|des|d'|chez)(?:\s+(?:the|la|le|el|l'))?"
    return re.compile(rf"(?:^|\s)(?:{roles})s?\s+{links}$")


def org_cue(span: Span, cue: Cues) -> str | None:
    """'name', 'class' or 'verb' when the name's own words or its context say
    `span` is an organisation."""
    words = [fold(t.text, keep_accents=True) for t in span if not t.is_punct]
    if len(words) > 1 and (words[-1] in cue.org_suffixes or words[0] in cue.org_prefixes):
        return "name"
    if any(t.is_alpha and t.text[:1].islower() and any(c.isupper() for c in t.text[1:]) for t in span):
        return "name"  # brand spelling: 'iLaw', 'eLife'
    if (
        len(span) == 1
        and span.text.isalpha()
        and span.text.isupper()
        and len(span.text) >= 4
        and not _capitals_around(span)
    ):
        return "name"  # an acronym: 'LADDH', not a person's name (nor a word of a title)
    if class_cue(span, cue):
        return "class"
    before, after = text_before(span), text_after(span)
    if (
        ends_with(before, cue.org_before)
        or _employer_pattern(cue).search(before)
        or starts_with(after.lstrip(" ,"), cue.org_after)
    ):
        return "verb"
    return None


def _capitals_around(span: Span) -> bool:
    """A word next to another all-capitals word: part of a title in capitals
    ('INTELLIGENCE ARTIFICIELLE'), not an acronym."""
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) > 1 for t in neighbours)


def class_cue(span: Span, cue: Cues) -> bool:
    """A class noun before the name or in apposition after it."""
    class_before, class_after = _class_patterns(cue)
    return bool(class_before.search(text_before(span)) or class_after.search(text_after(span)))


def name_like(token: Token, lex: Lexicon, common: CommonWords) -> bool:
    """A capitalised word that can be part of a person's name."""
    text = token.text
    return (
        bool(_NAME_WORD.match(text))
        and text[:1].isupper()
        and not (looks_like_acronym(text) and len(text) > 1)
        and text.casefold() not in lex.roles
        and text.casefold().rstrip(".") not in PERSON_TITLES
        and text.casefold() not in lex.org_heads
        and text.casefold() not in lex.determiners
        and text not in common
    )


def surnames(spans: Iterable[Span]) -> set[str]:
    return {s[-1].text for s in spans if s.label_ == "PERSON" and len(s) > 1}


def _mid_sentence_capitalised(doc: Doc, word: str) -> int:
    positions = token_positions(doc).get(word, [])
    return sum(1 for i in positions if i > 0 and not doc[i].is_sent_start and _after_ordinary_word(doc[i]))


# Before a word capitalised by its position: a sentence or line start, an
# opening quote, question or exclamation mark, a colon or a dash.
_OPENERS = frozenset("¿¡«“\"'‘(:—–-")


def _capitalised_by_position(token: Token) -> bool:
    if token.i == 0 or token.is_sent_start:
        return True
    previous = token.doc[token.i - 1]
    return "\n" in previous.text or previous.text in _OPENERS


def _after_ordinary_word(token: Token) -> bool:
    """Preceded by a lower-case word on the same line: not a sentence or line
    start, not one more capitalised word of a title ('Defensores, Periodistas')."""
    previous = token.doc[token.i - 1]
    return previous.is_alpha and previous.is_lower


def drop_common_words(
    doc: Doc, spans: list[Span], lex: Lexicon, common: CommonWords, cue: Cues
) -> list[Span]:
    """Drop one-word model people and organisations that are ordinary words of
    the language, capitalised by their position or also written in lower case in
    the article, unless it gives evidence that they are names (see the module
    doc).  Places are left alone: a language's own names for them ('Californie',
    'Manille') are ordinary words of it by frequency."""
    used_as_surname = surnames(spans)
    names = first_names()
    kept = []
    for span in spans:
        word = span.text
        if (
            len(span) == 1
            and span.label_ in ("PERSON", "ORG")
            and not span.kb_id_
            and word[:1].isupper()
            and not word.isupper()
            and word in common
            and (_capitalised_by_position(span[0]) or word.lower() in token_positions(doc))
            and word not in used_as_surname
            and not (span.label_ == "PERSON" and word.casefold() in names)
            and person_cue(span, cue) is None
            and org_cue(span, cue) is None
            and _mid_sentence_capitalised(doc, word) < 2
        ):
            continue
        kept.append(span)
    return kept


# What the cue rules' spans are marked as made by.
PERSON_CUE = Provenance.rule("person.cue")
ORG_CUE = Provenance.rule("org.cue")


def _has_org_head(span: Span, lex: Lexicon) -> bool:
    return any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span)


def person_evidence(
    doc: Doc,
    chosen: list[Span],
    lex: Lexicon,
    common: CommonWords,
    cue: Cues,
    family_names: frozenset[str] = frozenset(),
) -> list[Span]:
    """Retype, extend and add people on the evidence of cues and first names;
    `family_names` (the rule family `last_names`: Faker's last names) are
    evidence beside a speech verb too ('Ruto said')."""
    names = first_names()
    taken = {i for s in chosen for i in range(s.start, s.end)}
    result = []
    for span in chosen:
        if not span.kb_id_ and Provenance.of(span).from_model and span.label_ in ("ORG", "LOCATION"):
            span = _retyped_person(span, lex, common, cue, (names, family_names))
        if span.label_ == "PERSON" and not span.kb_id_:
            span = _extended_person(span, lex, common, cue, taken)
            taken.update(range(span.start, span.end))
        result.append(span)
    orgs = {i for s in result if s.label_ == "ORG" for i in range(s.start, s.end)}
    for start, end in _capitalised_runs(doc, taken, lex, common):
        candidate = Span(doc, start, end, "PERSON", span_id=PERSON_CUE.span_id)
        found = person_cue(candidate, cue)
        first_name = doc[start].text.casefold() in names
        listed = first_name and _followed_by_org(candidate, orgs)
        if (
            end - start >= 2
            and org_cue(candidate, cue) is None
            and (found in ("title", "apposition") or (found == "speech" and first_name) or listed)
        ):
            result.append(candidate)
    result = _spread(
        result, "PERSON", ("ORG", "LOCATION"), lambda s: person_cue(s, cue) in ("title", "apposition")
    )
    return result


def _spread(
    spans: list[Span], label: str, others: tuple[str, ...], cued_at: Callable[[Span], bool]
) -> list[Span]:
    """A name typed `label` where the cues say so (`cued_at`) has that type at
    its other mentions too ('co-founder of X, a legal aid collective' … 'get in
    touch with X')."""
    cued = {s.text for s in spans if s.label_ == label and not s.kb_id_ and cued_at(s)}
    return [
        respan(s.doc, s.start, s.end, s, label)
        if s.label_ in others and not s.kb_id_ and Provenance.of(s).from_model and s.text in cued
        else s
        for s in spans
    ]


def _retyped_person(
    span: Span, lex: Lexicon, common: CommonWords, cue: Cues, names: tuple[frozenset[str], frozenset[str]]
) -> Span:
    """An 'organisation' or 'place' that is a person: a strong person cue, a
    speech verb and a first name (or a last name, `names` being the first and
    the last names), or (organisations only) a first name opening a headless
    two- or three-word name on an affiliation line."""
    if _has_org_head(span, lex) or country_code(span.text) is not None:
        return span
    if not all(name_like(t, lex, common) for t in span):
        return span
    found = person_cue(span, cue)
    given, family = names
    first_name = span[0].text.casefold() in given
    last_name = span[-1].text.casefold() in family
    named = span.label_ == "ORG" and first_name and 2 <= len(span) <= 3 and _affiliation_line(span)
    if found in ("title", "apposition") or (
        org_cue(span, cue) is None and ((found == "speech" and (first_name or last_name)) or named)
    ):
        return respan(span.doc, span.start, span.end, span, "PERSON")
    return span


def _extended_person(span: Span, lex: Lexicon, common: CommonWords, cue: Cues, taken: set[int]) -> Span:
    """'[Lysa] John': a name-like capitalised word right before a person's name
    (not a title, not an ordinary word, on the same line) belongs to it; so do
    patronymics after it ('Bekova [kyzy]').  A frequent word ('But', 'Then')
    joins only when it is a first name."""
    doc = span.doc
    names = first_names()
    start, end = span.start, span.end
    while (
        start > 0
        and start - 1 not in taken
        and end - start < MAX_CUED_TOKENS
        and name_like(doc[start - 1], lex, common)
        and doc[start - 1].whitespace_
        and fold(doc[start - 1].text, keep_accents=True) not in cue.person_titles
        and country_code(doc[start - 1].text) is None
        and (doc[start - 1].text.casefold() in names or not common.frequent(doc[start - 1].text))
    ):
        start -= 1
    while end < len(doc) and end not in taken and fold(doc[end].text, keep_accents=True) in cue.patronymics:
        end += 1
    if (start, end) == (span.start, span.end):
        return span
    return respan(doc, start, end, span)


def _capitalised_runs(doc: Doc, taken: set[int], lex: Lexicon, common: CommonWords) -> list[tuple[int, int]]:
    """Runs of name-like words outside every chosen span, on one line."""
    runs = []
    i = 0
    while i < len(doc):
        if i in taken or not name_like(doc[i], lex, common):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j not in taken and doc[j - 1].whitespace_ and name_like(doc[j], lex, common):
            j += 1
        if j - i <= MAX_CUED_TOKENS:
            runs.append((i, j))
        i = j
    return runs


def _affiliation_line(span: Span) -> bool:
    """A line 'Natalia Ferreira, Open Data Group': a name opening a line, then a
    comma and a capitalised word, the list form of speakers and affiliations."""
    doc = span.doc
    return (
        span.start > 0
        and "\n" in doc[span.start - 1].text
        and span.end + 1 < len(doc)
        and doc[span.end].text == ","
        and doc[span.end + 1].text[:1].isupper()
    )


def _followed_by_org(span: Span, orgs: set[int]) -> bool:
    """'Eka Gigauri, Transparency International Georgia': a name then a comma
    and an organisation, the list form of speakers and their affiliations."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and span.end + 1 in orgs


def org_evidence(doc: Doc, chosen: list[Span], lex: Lexicon, common: CommonWords, cue: Cues) -> list[Span]:
    """Retype people and places with organisation cues; add names after a class noun."""
    names = first_names()
    result = []
    for span in chosen:
        if span.label_ in ("PERSON", "LOCATION") and not span.kb_id_ and Provenance.of(span).from_model:
            found = org_cue(span, cue)
            # A first name outweighs context ('Rugby union expert Mick X'), not
            # the name's own words ('Mick Live').
            first_name = span.label_ == "PERSON" and span[0].text.casefold() in names
            if (found == "name" or (found in ("class", "verb") and not first_name)) and person_cue(
                span, cue
            ) not in ("title", "apposition"):
                span = respan(doc, span.start, span.end, span, "ORG")
        result.append(span)
    result = _spread(result, "ORG", ("PERSON", "LOCATION"), lambda s: org_cue(s, cue) in ("class", "name"))
    taken = {i for s in result for i in range(s.start, s.end)}
    for start, end in _org_runs(doc, taken, cue.name_links):
        # The name starts after the class noun when that is capitalised too ('La ONG X').
        for first in range(max(start, end - MAX_CUED_TOKENS), end):
            candidate = Span(doc, first, end, "ORG", span_id=ORG_CUE.span_id)
            if (
                not doc[first].text[:1].isupper()
                or (
                    doc[first].text in common
                    and all(t.like_num for t in doc[first + 1 : end])
                    and not after_class_noun(doc, first, cue)
                )
                or is_date([t.text for t in candidate], doc.lang_)
            ):
                continue  # 'de [la Justicia]', 'Asimismo', 'Then 2025', 'April 2025'
            found = "class" if class_cue(candidate, cue) else org_cue(candidate, cue)
            employer = found == "verb" and first + 1 < end and doc[first].text.casefold() not in names
            if (found == "class" or employer) and person_cue(candidate, cue) not in ("title", "apposition"):
                result.append(with_media_prefix(candidate, common, cue))
                break
    return _listed_orgs(doc, result, cue)


# Words joining the members of a list: 'the outlets X and Y', 'medios como X, Y y Z'.
_LIST_LINKS = frozenset({",", "and", "et", "y", "e", "or", "ou", "o", "&"})


def _listed_orgs(doc: Doc, spans: list[Span], cue: Cues) -> list[Span]:
    """Names listed after one that a class noun introduces are of that class too
    ('founder of the outlets X and Y', 'medios como X, Y y Z'), unless a first name
    opens a person's full name ('la Fundación X y Juan Pérez')."""
    ordered = sorted(spans, key=lambda s: s.start)
    result = []
    previous: Span | None = None
    for span in ordered:
        if (
            previous is not None
            and previous.label_ == "ORG"
            and span.label_ in ("PERSON", "LOCATION")
            and not span.kb_id_
            and span.start > previous.end
            and all(t.lower_ in _LIST_LINKS for t in doc[previous.end : span.start])
            and (Provenance.of(previous) == ORG_CUE or class_cue(previous, cue))
            and person_cue(span, cue) not in ("title", "apposition")
            and not (span.label_ == "PERSON" and len(span) > 1 and span[0].text.casefold() in first_names())
        ):
            span = Span(doc, span.start, span.end, "ORG", kb_id=span.kb_id_, span_id=ORG_CUE.span_id)
        result.append(span)
        previous = span
    return result


def _org_runs(doc: Doc, taken: set[int], links: frozenset[str]) -> list[tuple[int, int]]:
    """Capitalised runs (numbers allowed after the first word: 'Canal 24'; up to
    two link words between capitalised ones) outside chosen spans."""
    runs = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in taken or not token.text[:1].isupper() or token.is_punct:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j not in taken and doc[j - 1].whitespace_ and not doc[j].is_punct:
            if doc[j].text[:1].isupper() or doc[j].like_num:
                j += 1
                continue
            # 'Acceso [a la] Justicia', 'Bufete [para] Pueblos Indígenas'
            k = j
            while k < len(doc) and k not in taken and doc[k].lower_ in links and k - j < 2:
                k += 1
            if k == j or k >= len(doc) or k in taken or not doc[k].text[:1].isupper():
                break
            j = k + 1
        runs.append((i, j))
        i = j
    return runs
