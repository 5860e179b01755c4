"""The type decision: one type per span, from model and rule candidates.

Run as the `civic_decision` spaCy component (registered in `components.py`)
after the model's NER and the `civic_rules` recognisers.  In order:

1. Model spans get our types: PERSON/PER → PERSON, ORG → ORG, GPE/LOC →
   COUNTRY when the country lookup knows the name (else LOCATION), LAW → LAW,
   MISC/PRODUCT → LAW or ORG only when a law head or the registry says so; a
   span that is exactly a registry name takes the registry's type.
2. Model spans are reshaped where the small models err systematically:
   coordinated names split ("Anatoly Volkov and Victoria Banjenova", "the
   Ministry of the Interior and National Security Service"), names cut at a
   glued or lower-case word ("Ian isthe Chair"), an organisation extended
   left over "Alliance of NGOs on …" when the model kept only the tail,
   titles, determiners, quotes and possessives trimmed, handles, roles and
   generic nouns ("CSOs", "OSC humanitaires") dropped.
3. Overlaps: registry laws, then pattern laws, then the longest of the rest
   (registry > model > country-name rule on equal length).
4. Document-level consistency: adjacent "X for Y" organisations merged, a place
   listed among people retyped as a person, each multi-word name propagated to
   its other exact occurrences, in-text acronyms linked to their long forms,
   "EMFA Article 4" kept as the law, and organisations and countries named
   inside a law's name added as their own mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from ...knowledge.countries import country_code
from ...knowledge.lexicon import Lexicon, common_words, cues, lexicon, vocabulary
from ...knowledge.names import APOSTROPHES, looks_like_acronym
from ...knowledge.registry import load_registry
from .evidence import drop_common_words, org_evidence, person_evidence
from .rules import OUTPUT_KEY, RULES_KEY

QUOTES = "\"'“”‘’«»„‹›()[]{}"
OPENING_BRACKETS = frozenset("([{")
CLOSING_BRACKETS = frozenset(")]}")
# Model label → our type; places are decided by the country lookup.
MODEL_TYPES = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "LAW": "LAW",
    "MISC": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
}
# Compared case-sensitively: "E" in "Mark E Haedicke" is an initial, not Spanish "e".
COORDINATORS = frozenset({"and", "et", "y", "e", "&"})
CONNECTORS = frozenset(
    {"of", "on", "for", "against", "the", "de", "du", "des", "la", "le", "del", "los", "las"}
)
# Words that never end a name: 'Fonds de résilience de l’' lost its last word.
TRAILING_LINKS = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "on",
        "in",
        "to",
        "de",
        "du",
        "des",
        "d'",
        "l'",
        "la",
        "le",
        "les",
        "et",
        "à",
        "au",
        "aux",
        "del",
        "los",
        "las",
        "y",
        "en",
    ]
)
INDEFINITES = frozenset({"a", "an", "un", "une", "uno", "una", "unos", "unas", "another", "autre"})
ARTICLE_WORDS = frozenset({"article", "art", "artículo", "section", "chapter", "chapitre", "capítulo"})


def _span(doc: Doc, start: int, end: int, like: Span, label: str | None = None) -> Span:
    return Span(doc, start, end, label or like.label_, kb_id=like.kb_id_, span_id=like.id_)


def _capitalised(token_text: str) -> bool:
    return token_text[:1].isupper()


def _folded(text: str) -> str:
    return text.casefold().translate(APOSTROPHES)


class TypeDecision:
    """Chooses one typed span per stretch of text from model and rule candidates."""

    def __init__(self, lang: str, model_source: str) -> None:
        self.lang = lang
        self.model_source = model_source
        self.lex: Lexicon = lexicon(lang)
        # Words that link the parts of a name ('Observatorio Venezolano de Conflictividad
        # Social'); coordinators join two names, so they never extend one.
        self.name_links = frozenset(w.casefold() for w in vocabulary()[0][lang]["name_links"]) - COORDINATORS
        self.cues = cues(lang)
        self.common = common_words(lang)
        self.registry = load_registry()
        # Rule families switched off (Config.rules_off), set per call by ner.recognise.
        self.rules_off: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        self._informal = _informal(doc)
        rules = self._unblocked(doc, list(doc.spans[RULES_KEY]) if RULES_KEY in doc.spans else [])
        model = [
            fixed
            for span in self._model_candidates(doc)
            for part in (self._reshape(span) if "model_reshape" not in self.rules_off else [span])
            if (fixed := _strip_edges(part, self.lex)) is not None and self._keep(fixed)
        ]
        # A state body found by its head noun is an organisation, never a place or
        # a person: model guesses of another type on its words give way.
        bodies = [s for s in rules if s.id_.startswith("rule:body.")]
        model = [m for m in model if m.label_ == "ORG" or not any(_overlaps(m, b) for b in bodies)]
        off = self.rules_off
        if "common_words" not in off:
            model = drop_common_words(doc, model, self.lex, self.common, self.cues)
        model_orgs = [s for s in model if s.label_ == "ORG"]
        registry_laws = [s for s in rules if s.label_ == "LAW" and s.kb_id_]
        registry_orgs = [s for s in rules if s.label_ == "ORG" and "registry" in s.id_]
        pattern_laws = [
            s for s in rules if s.label_ == "LAW" and not s.kb_id_ and self._pattern_law_wins(s, model_orgs)
        ]
        chosen = _greedy(registry_laws, [])
        # A registry body keeps its name whole: 'European Center for Not-for-Profit Law'.
        chosen = _greedy([o for o in registry_orgs if any(_inside(p, o) for p in pattern_laws)], chosen)
        chosen = _greedy(pattern_laws, chosen)
        chosen = _greedy([s for s in rules if s.label_ not in ("LAW",)] + model, chosen)
        if "linked_orgs" not in off:
            chosen = _merge_linked_orgs(doc, chosen)
        if "type_vote" not in off:
            chosen = _vote_types(doc, chosen, self.lex)
        if "listed_people" not in off:
            chosen = _retype_listed_people(doc, chosen)
        if "person_cues" not in off:
            chosen = person_evidence(doc, chosen, self.lex, self.common, self.cues)
        if "org_cues" not in off:
            chosen = org_evidence(doc, chosen, self.lex, self.common, self.cues)
        if "name_propagation" not in off:
            chosen = _propagate_names(doc, chosen)
        if "acronym_links" not in off:
            chosen = _link_acronyms(doc, chosen)
        chosen = _extend_articles(doc, chosen)
        if "numbered_laws" not in off:
            chosen = _extend_years(doc, chosen)
        nested = (
            _nested_names(chosen, [s for s in rules if s.label_ in ("ORG", "COUNTRY")])
            if "nested_names" not in off
            else []
        )
        doc.spans[OUTPUT_KEY] = sorted(chosen + nested, key=lambda s: (s.start, s.end, s.label_))
        return doc

    def _unblocked(self, doc: Doc, rules: list[Span]) -> list[Span]:
        """Drop a country or registry name found inside a longer name the model
        typed as something else ('BBC Canada' as a channel, 'Jeux du Commonwealth'
        as an event, 'Pegasus' as a product): the country is not named there."""
        heads = self.lex.heads_strong | self.lex.heads_weak
        blockers = [
            e for e in doc.ents if MODEL_TYPES.get(e.label_) in (None, "MISC") and e[0].lower_ not in heads
        ]
        return [
            rule
            for rule in rules
            if rule.label_ == "LAW" or not any(_inside(rule, b) and len(rule) < len(b) for b in blockers)
        ]

    def _model_candidates(self, doc: Doc) -> Iterator[Span]:
        source = f"model:{self.model_source}"
        for raw in doc.ents:
            kind = MODEL_TYPES.get(raw.label_)
            if kind is None:
                continue
            # Trim 'Según López', 'en Nicaragua' before deciding what the name is.
            ent = _strip_edges(_span(doc, raw.start, raw.end, raw, kind), self.lex)
            if ent is None:
                continue
            text = ent.text
            entry = self.registry.lookup(text)
            code = country_code(text, loose=kind == "PLACE")
            if entry is not None and kind != "PERSON":
                label, key = entry.type, entry.id
            elif code is not None and (kind != "PERSON" or len(ent) == 1):
                label, key = "COUNTRY", code
            elif kind == "PLACE" and any(t.lower_ in self.lex.org_heads for t in ent[:2]):
                label, key = "ORG", ""  # 'Ministerio de Gobernación', 'Suprema Corte …'
            elif kind == "PLACE":
                label, key = "LOCATION", ""
            elif kind == "MISC":
                if ent[0].lower_ not in self.lex.heads_strong | self.lex.heads_weak:
                    continue
                label, key = "LAW", ""
            else:
                label, key = kind, ""
            yield Span(doc, ent.start, ent.end, label, kb_id=key, span_id=f"{source}|{raw.label_}")

    def _reshape(self, span: Span) -> list[Span]:
        """Split, cut or extend a model span where small models err systematically."""
        if span.text[:1] in "@#":
            return []
        lines = _split_lines(span)
        if len(lines) != 1 or lines[0] is not span:
            return [part for line in lines for part in self._reshape(line)]
        if span.label_ in ("ORG", "PERSON") and not span.kb_id_:
            possessive = _split_possessive(span)
            if possessive is not None:
                return [p for p in (self._owner(possessive[0]), self._owned(possessive[1])) if p is not None]
        if span.label_ == "PERSON" and span[-1].lower_ in self.lex.org_heads:
            span = _span(span.doc, span.start, span.end, span, "ORG")  # 'Doublethink Lab'
        if span.label_ in ("ORG", "MISC") and len(span) == 1 and span[0].lower_ in self.lex.heads_strong:
            return [_span(span.doc, span.start, span.end, span, "LAW")]  # 'the Convention'
        if span.label_ == "PERSON":
            parts = _split_coordination(span, lambda part: _capitalised(part.text))
            return [p for part in parts for p in self._cut_person(part)]
        if span.label_ == "ORG" and not span.kb_id_:
            parts = _split_coordination(_after_word(span, "at"), self._has_org_head)
            if len(parts) == 1:
                parts = [self._extend_org_left(parts[0])]
            if "org_name_tail" not in self.rules_off:
                parts = [self._extend_org_right(part) for part in parts]
            return [t for t in map(self._trim_org, parts) if t is not None]
        return [span]

    def _owner(self, span: Span) -> Span | None:
        """The owner in "Google's Advanced Protection Program": kept when the
        registry or the country lookup knows it."""
        entry = self.registry.lookup(span.text)
        if entry is not None:
            return Span(span.doc, span.start, span.end, entry.type, kb_id=entry.id, span_id=span.id_)
        code = country_code(span.text)
        if code is not None:
            return Span(span.doc, span.start, span.end, "COUNTRY", kb_id=code, span_id=span.id_)
        return None

    def _owned(self, span: Span) -> Span | None:
        """The thing owned is an organisation only when headed like one
        ("Uzbekistan's Ministry of Interior"), not a product or a monument."""
        return _span(span.doc, span.start, span.end, span, "ORG") if self._has_org_head(span) else None

    def _cut_person(self, span: Span) -> list[Span]:
        """End a person's name before the first lower-case word that is not a particle."""
        for token in span[1:]:
            hyphenated = token.nbor(-1).text == "-" and not token.nbor(-1).whitespace_  # 'Siu-tung'
            if token.is_lower and _folded(token.text) not in self.lex.name_particles and not hyphenated:
                return [_span(span.doc, span.start, token.i, span)] if token.i > span.start else []
        return [span]

    def _has_org_head(self, span: Span) -> bool:
        return any(t.lower_ in self.lex.org_heads or t.lower_ in self.lex.bare_heads for t in span)

    def _extend_org_right(self, span: Span) -> Span:
        """'Observatorio Venezolano [de Conflictividad Social]': the small French and
        Spanish models often end an organisation's name at its first lower-case link
        word; walk right over link words followed by capitalised words, within the
        line and the sentence, never over a person the model found."""
        if self.lang == "en":  # the English model keeps 'of the …' inside names
            return span
        doc = span.doc
        end = span.end
        while end < len(doc):
            first = end
            while first < len(doc) and first - end < 3 and doc[first].lower_ in self.name_links:
                first += 1
            if first == end or first >= len(doc) or "\n" in doc[end - 1 : first + 1].text:
                break
            last = first
            while last < len(doc) and _capitalised(doc[last].text) and not doc[last].is_sent_start:
                last += 1
            people = any(e.label_ in ("PER", "PERSON") and e.start < last and e.end > first for e in doc.ents)
            if last == first or people:
                break
            end = last
        return span if end == span.end else _span(doc, span.start, end, span)

    def _extend_org_left(self, span: Span) -> Span:
        """'Alliance of NGOs on [Crime Prevention and Criminal Justice]': the model kept
        only the tail; walk left over capitalised words and connectors."""
        doc = span.doc
        start = span.start
        if start < 2 or doc[start - 1].lower_ not in CONNECTORS - {"the"}:
            return span
        i = start - 1
        while (
            i > 0
            and (doc[i - 1].lower_ in CONNECTORS or _capitalised(doc[i - 1].text))
            and not doc[i - 1].is_sent_start
        ):
            i -= 1
        while i < start and (
            doc[i].lower_ in CONNECTORS or doc[i].lower_ in self.lex.roles or doc[i].is_lower
        ):
            i += 1
        if i >= start or not self._has_org_head(doc[i:start]):
            return span
        return _span(doc, i, span.end, span)

    def _trim_org(self, span: Span) -> Span | None:
        """'OSC humanitaires' is generic.  'Comité des recommandations', after the
        committee was named, is the bare 'Comité' followed by an object; without
        an earlier body of that head it is a name ('Union des forces de droite')."""
        tokens = list(span)
        if _folded(tokens[0].text) in self.lex.generic_orgs and all(t.is_lower for t in tokens[1:]):
            return None
        head = tokens[0].lower_
        if (
            len(tokens) > 1
            and _folded(tokens[0].text) in self.lex.bare_heads
            and all(t.is_lower or t.is_punct for t in tokens[1:])
            and any(
                e.label_ == "ORG" and e.end <= span.start and len(e) > 1 and head in {t.lower_ for t in e}
                for e in span.doc.ents
            )
        ):
            return _span(span.doc, span.start, span.start + 1, span)
        return span

    def _keep(self, span: Span) -> bool:
        text = span.text.translate(APOSTROPHES)
        folded = text.casefold()
        if span.label_ == "ORG" and (
            folded in self.lex.generic_orgs or (len(span) == 1 and folded in self.lex.roles)
        ):
            return False
        if span.label_ == "PERSON":
            words = [t.lower_.rstrip(".") for t in span if not t.is_punct]
            if not words or all(w in self.lex.roles for w in words):
                return False
            if any(c.isdigit() for c in text):
                return False
        if (
            span.label_ in ("PERSON", "ORG", "COUNTRY", "LOCATION")
            and not any(c.isupper() for c in text)
            and not self._informal
        ):
            return False  # edited text capitalises names; the model's lower-case guesses are noise
        return len(text.strip()) > 1

    def _pattern_law_wins(self, span: Span, model_orgs: list[Span]) -> bool:
        """Weak heads ('Charter', 'Déclaration') lose to a model ORG on the same words;
        a match starting inside a compound ('Not-for-[Profit Law]') or an unnamed
        law ('un traité sur les droits numériques') is no law name."""
        doc = span.doc
        if span.start > 0 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_:
            return False
        if span[0].is_lower and span.start > 0 and doc[span.start - 1].lower_ in INDEFINITES:
            return False
        heads = [t.lower_ for t in span if t.lower_ in self.lex.heads_strong | self.lex.heads_weak]
        if any(h in self.lex.heads_strong for h in heads):
            return True
        return not any(o.start < span.end and span.start < o.end for o in model_orgs)


_WORD = re.compile(r"[^\W\d_]+")


def _informal(doc: Doc) -> bool:
    """Text typed without capitals (web comments, chat), where names may be lower-case."""
    words = _WORD.findall(doc.text)
    if not words:
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return words[0].islower() or capitalised / len(words) < 0.04


_ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")


def _glued_credit(word: str, span: Span) -> bool:
    """An all-capitals acronym ending a mixed-case person name: 'Jordan Higgins CIVICUS'
    (not a regnal number: 'Napoléon III')."""
    return len(word) >= 3 and word.isupper() and not span.text.isupper() and not _ROMAN_NUMERAL.match(word)


# An article inside a name is kept when written as part of it ('Le Foyer juif',
# 'The Moody Blues', 'la Havane'), except English lower-case 'the'; at a
# sentence start it cannot be told from an ordinary capitalised article.
ARTICLES = frozenset(["the", "a", "an", "la", "le", "les", "l'", "el", "los", "las", "lo"])


def _not_part_of_name(token: Token) -> bool:
    if _folded(token.text) not in ARTICLES:
        return True  # 'Según', 'en', 'this': never part of a name
    if token.lang_ == "en" and token.is_lower:
        return True  # English names do not start with a lower-case 'the'
    return bool(token.is_sent_start) or token.i == 0 or "\n" in token.nbor(-1).text


def _strip_edges(span: Span, lex: Lexicon) -> Span | None:
    """Trim determiners, titles (for people), quotes and possessives from span edges,
    and cut a name before a bracket it does not close ('Parliamentary Assembly (PACE'):
    what follows is an acronym or an aside, never the rest of the name."""
    start, end = span.start, span.end
    doc = span.doc
    end = _before_unclosed_bracket(doc, start, end)
    while start < end and (
        doc[start].text in QUOTES
        or doc[start].is_punct
        or (_folded(doc[start].text) in lex.determiners and _not_part_of_name(doc[start]))
        or (span.label_ == "PERSON" and doc[start].lower_.rstrip(".") in lex.roles)
    ):
        start += 1
    while end > start and (
        (span.label_ == "PERSON" and end - start > 1 and _glued_credit(doc[end - 1].text, span))
        or (end - start > 1 and _folded(doc[end - 1].text) in TRAILING_LINKS)
        or doc[end - 1].text in QUOTES
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or _folded(doc[end - 1].text) in ("'s", "'")
    ):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return _span(doc, start, end, span)


def _before_unclosed_bracket(doc: Doc, start: int, end: int) -> int:
    """`end`, or the index of the first opening bracket in doc[start:end] left open there."""
    open_at: list[int] = []
    for i in range(start, end):
        if doc[i].text in OPENING_BRACKETS:
            open_at.append(i)
        elif doc[i].text in CLOSING_BRACKETS and open_at:
            open_at.pop()
    return open_at[0] if open_at else end


def _split_lines(span: Span) -> list[Span]:
    """A name never crosses a line break: cut at whitespace tokens holding one."""
    parts: list[Span] = []
    begin = span.start
    for token in span:
        if token.is_space and "\n" in token.text:
            if token.i > begin:
                parts.append(_span(span.doc, begin, token.i, span))
            begin = token.i + 1
    if begin == span.start:
        return [span]
    if begin < span.end:
        parts.append(_span(span.doc, begin, span.end, span))
    return parts


def _split_possessive(span: Span) -> tuple[Span, Span] | None:
    """("Google", "Advanced Protection Program") for "Google's Advanced Protection Program"."""
    for token in span[1:-1]:
        if _folded(token.text) == "'s":
            return _span(span.doc, span.start, token.i, span), _span(span.doc, token.i + 1, span.end, span)
    return None


def _after_word(span: Span, word: str) -> Span:
    """'Gandaki Pradesh at Body and Data' → 'Body and Data'."""
    for token in span:
        if token.lower_ == word and token.i + 1 < span.end:
            return _span(span.doc, token.i + 1, span.end, span)
    return span


def _split_coordination(span: Span, accept: Callable[[Span], bool]) -> list[Span]:
    """Split 'A and B' / 'A, B' into parts when every part passes `accept`."""
    doc = span.doc
    parts: list[Span] = []
    begin = span.start
    for token in span:
        if token.text in COORDINATORS or token.text == ",":
            if token.i > begin:
                parts.append(_span(doc, begin, token.i, span))
            begin = token.i + 1
    if begin < span.end:
        parts.append(_span(doc, begin, span.end, span))
    if len(parts) > 1 and all(accept(p) for p in parts):
        return parts
    return [span]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _priority(span: Span) -> tuple[int, int, int]:
    """Longest first; on equal length, registry and state-body rules > model > country-name rule."""
    source = span.id_
    rank = (
        0
        if "registry" in source or source.startswith("rule:body.")
        else 1
        if source.startswith("model:")
        else 2
    )
    return (-(span.end - span.start), rank, span.start)


def _greedy(candidates: Iterable[Span], chosen: list[Span]) -> list[Span]:
    """Add candidates, longest first, that overlap nothing already chosen."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    result = list(chosen)
    for span in sorted(candidates, key=_priority):
        if taken.isdisjoint(range(span.start, span.end)):
            result.append(span)
            taken.update(range(span.start, span.end))
    return result


def _merge_linked_orgs(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'[European Board] for [Media Services]' is one organisation."""
    by_start = {s.start: s for s in chosen}
    merged: list[Span] = []
    absorbed: set[int] = set()
    for span in sorted(chosen, key=lambda s: s.start):
        if id(span) in absorbed:
            continue
        following = by_start.get(span.end + 1)
        if (
            span.label_ == "ORG"
            and not span.kb_id_
            and following is not None
            and following.label_ == "ORG"
            and not following.kb_id_
            and doc[span.end].lower_ in ("for", "of", "on", "pour", "para")
        ):
            absorbed.add(id(following))
            span = _span(doc, span.start, following.end, span)
        merged.append(span)
    return merged


def _vote_types(doc: Doc, chosen: list[Span], lex: Lexicon) -> list[Span]:
    """One type per name in an article.  A name the model typed differently in
    different places takes its majority type (ties: PERSON unless it has an
    organisation noun, else ORG); a surname alone typed as a place ('Ndiaye'
    after 'Awa Ndiaye') is the person; a two- or three-word 'organisation'
    without an organisation noun whose last word is used alone as a person
    ('Min-Hsuan Wu' … 'Wu') is a person."""
    votes: dict[str, Counter[str]] = {}
    for span in chosen:
        if span.label_ in ("PERSON", "ORG", "LOCATION") and span.id_.startswith("model:"):
            votes.setdefault(span.text, Counter())[span.label_] += 1
    people = {s.text for s in chosen if s.label_ == "PERSON"}
    surnames = {s[-1].text for s in chosen if s.label_ == "PERSON" and len(s) > 1}
    result = []
    for span in chosen:
        label = span.label_
        counts = votes.get(span.text)
        headless = not any(t.lower_ in lex.org_heads or t.lower_ in lex.bare_heads for t in span)
        if counts is not None and len(counts) > 1:
            best = max(counts.values())
            leaders = sorted(kind for kind, n in counts.items() if n == best)
            if len(leaders) == 1:
                label = leaders[0]
            else:
                label = "PERSON" if "PERSON" in leaders and headless else "ORG"
        if label == "LOCATION" and len(span) == 1 and span.text in surnames:
            label = "PERSON"
        words = [t for t in span if not t.is_punct]
        if (
            label == "ORG"
            and span.id_.startswith("model:")
            and 2 <= len(words) <= 3
            and span[-1].text in people
            and headless
        ):
            label = "PERSON"
        result.append(span if label == span.label_ else _span(doc, span.start, span.end, span, label))
    return result


def _retype_listed_people(doc: Doc, chosen: list[Span]) -> list[Span]:
    """A 'place' in a list of people ('…, and Anatoly Volkov and Victoria …') is a person."""
    ordered = sorted(chosen, key=lambda s: s.start)
    result = []
    for index, span in enumerate(ordered):
        if span.label_ == "LOCATION" and len(span) > 1:
            neighbours = ordered[max(0, index - 1) : index] + ordered[index + 1 : index + 2]
            for other in neighbours:
                between = doc[min(span.end, other.end) : max(span.start, other.start)]
                if other.label_ == "PERSON" and all(t.text in COORDINATORS or t.text == "," for t in between):
                    span = _span(doc, span.start, span.end, span, "PERSON")
                    break
        result.append(span)
    return result


def _propagate_names(doc: Doc, chosen: list[Span]) -> list[Span]:
    """Label every other exact occurrence of a multi-word name like its first one,
    replacing shorter spans inside it ('Data' inside a second 'Body and Data')."""
    names: dict[tuple[str, ...], Span] = {}
    for span in chosen:
        if len(span) > 1 and span.label_ in ("PERSON", "ORG", "LAW"):
            names.setdefault(tuple(t.text for t in span), span)
    if not names:
        return chosen
    owner = {i: span for span in chosen for i in range(span.start, span.end)}
    positions: dict[str, list[int]] = {}
    for token in doc:
        positions.setdefault(token.text, []).append(token.i)
    added: list[Span] = []
    dropped: set[int] = set()
    for words, model in sorted(names.items(), key=lambda kv: -len(kv[0])):
        size = len(words)
        for start in positions.get(words[0], []):
            if tuple(t.text for t in doc[start : start + size]) != words:
                continue
            inside = {id(owner[i]): owner[i] for i in range(start, start + size) if i in owner}
            if any(s.start < start or s.end > start + size for s in inside.values()):
                continue  # part of a longer span already
            if any(s.start == start and s.end == start + size for s in inside.values()):
                continue  # already labelled
            dropped.update(inside)
            new = _span(doc, start, start + size, model)
            added.append(new)
            for i in range(start, start + size):
                owner[i] = new
    return [s for s in chosen if id(s) not in dropped] + added


def _extend_years(doc: Doc, chosen: list[Span]) -> list[Span]:
    """A year after a law's name is part of its title: 'Foreign Agents
    Registration Act of 1938', 'Ley de Prensa de 1995' (the registry matched
    only the name)."""
    taken = {i for span in chosen for i in range(span.start, span.end)}
    extended = []
    for span in chosen:
        end = span.end
        if (
            span.label_ == "LAW"
            and end + 1 < len(doc)
            and doc[end].lower_ in ("of", "de", "del")
            and doc[end + 1].shape_ == "dddd"
            and taken.isdisjoint((end, end + 1))
        ):
            span = _span(doc, span.start, end + 2, span)
        extended.append(span)
    return extended


def _extend_articles(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'EMFA Article 4' is the law EMFA: extend a LAW span over a following article
    number, absorbing a span the model made of 'Article 4' alone."""
    by_start = {span.start: span for span in chosen}
    absorbed: set[int] = set()
    extended = []
    for span in chosen:
        end = span.end
        follower = by_start.get(end)
        if (
            span.label_ == "LAW"
            and end + 1 < len(doc)
            and doc[end].lower_.rstrip(".") in ARTICLE_WORDS
            and doc[end + 1].like_num
            and (follower is None or (follower.label_ == "LAW" and follower.end <= end + 2))
        ):
            if follower is not None:
                absorbed.add(id(follower))
            span = _span(doc, span.start, end + 2, span)
        extended.append(span)
    return [span for span in extended if id(span) not in absorbed]


def is_abbreviation(short: str, long: str) -> bool:
    """Schwartz & Hearst (2003): the short form's letters appear in order in the long
    form, the first one starting a word.  Used to accept 'Long Form (LF)'."""
    short_letters = [c.lower() for c in short if c.isalnum()]
    if len(short_letters) < 2:
        return False
    long_text = long.lower()
    s_index, l_index = len(short_letters) - 1, len(long_text) - 1
    while s_index >= 0:
        char = short_letters[s_index]
        while l_index >= 0 and (
            long_text[l_index] != char or (s_index == 0 and l_index > 0 and long_text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return False
        s_index -= 1
        l_index -= 1
    return True


def _link_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'Open Government Partnership (OGP)': type every 'OGP' in the doc like its long form.

    The acronym's mentions get kb_id 'acronym:<long form>' unless the long form
    carries a registry or ISO key; resolution then keys them to the long form.
    """
    definitions: dict[str, Span] = {}
    for span in chosen:
        end = span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            short = doc[end + 1].text
            if looks_like_acronym(short) and is_abbreviation(short, span.text):
                definitions.setdefault(short, span)
    if not definitions:
        return chosen
    by_token = {i: span for span in chosen for i in range(span.start, span.end)}
    result = list(chosen)
    replaced: set[int] = set()
    for token in doc:
        long_form = definitions.get(token.text)
        if long_form is None:
            continue
        existing = by_token.get(token.i)
        if existing is not None:
            if existing.end - existing.start > 1 or existing.kb_id_:
                continue
            replaced.add(id(existing))
        key = long_form.kb_id_ or f"acronym:{long_form.text}"
        result.append(
            Span(doc, token.i, token.i + 1, long_form.label_, kb_id=key, span_id="rule:acronym.definition")
        )
    return [s for s in result if id(s) not in replaced]


def _nested_names(chosen: list[Span], candidates: list[Span]) -> list[Span]:
    """Names inside a longer name are mentions of their own: registry bodies and
    countries inside a law ('TRAITÉ DES NATIONS UNIES SUR …', 'Convention de
    l'Union africaine …'), countries inside an organisation ('Transparency
    International Georgia', 'Government of Kenya').  The model's guesses inside a
    law ('Data Protection') are not."""
    nested: dict[tuple[int, int], Span] = {}
    for candidate in sorted(candidates, key=_priority):
        for outer in chosen:
            allowed = outer.label_ == "LAW" or (outer.label_ == "ORG" and candidate.label_ == "COUNTRY")
            if allowed and _inside(candidate, outer) and len(candidate) < len(outer):
                nested.setdefault((candidate.start, candidate.end), candidate)
    return list(nested.values())
