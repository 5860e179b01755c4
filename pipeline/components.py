"""Registered spaCy components: the rule recognisers and the type decision.

`civic_rules` finds candidates the statistical model misses or mistypes: country
names (CLDR, via `countries.py`), registry laws and organisations (names and
acronyms, via `registry.py`) and named legal instruments (Matcher patterns built
from the vocabulary in models/patterns/laws.yaml).  It only *adds* candidates to
``doc.spans["civic_rules"]``.

`civic_decision` then keeps one type per span: it maps the model's labels to
PERSON / ORG / COUNTRY / LAW (or LOCATION for non-country places), cleans span
edges (titles, determiners, possessives), drops generic nouns and roles,
resolves overlaps (registry laws, then pattern laws, then the longest of the
rest), links in-text acronyms to their long forms, and writes the result to
``doc.spans["civic"]``: label = type, kb_id = key hint, id = source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .config import MODELS_DIR
from .countries import country_code, country_surfaces
from .names import APOSTROPHES, looks_like_acronym
from .registry import Registry, load_registry

RULES_KEY = "civic_rules"
OUTPUT_KEY = "civic"
_UPPER_START = r"^[A-ZÀ-ÖØ-Þ]"
_QUOTES = "\"'“”‘’«»„‹›()[]{}"


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, Any], dict[str, Any]]:
    laws = yaml.safe_load((MODELS_DIR / "patterns" / "laws.yaml").read_text(encoding="utf-8"))
    stops = yaml.safe_load((MODELS_DIR / "patterns" / "stoplists.yaml").read_text(encoding="utf-8"))
    return laws, stops


def _either(*variants: str) -> list[str]:
    """A word with both apostrophe styles, for token-level matching."""
    return sorted({v for word in variants for v in (word, word.translate(APOSTROPHES))})


def law_patterns(lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(rule id, Matcher pattern) pairs for named legal instruments in `lang`."""
    vocab = _vocabulary()[0][lang]
    heads = vocab["heads_strong"] + vocab["heads_weak"]
    cap = {"TEXT": {"REGEX": _UPPER_START}, "LOWER": {"NOT_IN": _either(*vocab["determiners"])}}
    head_cap = {"LOWER": {"IN": heads}, "TEXT": {"REGEX": _UPPER_START}}
    head_any = {"LOWER": {"IN": heads}}
    links = _either(*vocab["name_links"])
    cap_or_link = {"TEXT": {"REGEX": _UPPER_START + "|^[0-9]"}, "OP": "*"}
    link_or_cap = [{"LOWER": {"IN": links}, "OP": "*"}]
    # "X ... Act of 2007", "Act 2017"
    year = [{"LOWER": {"IN": ["of", "de", "del"]}, "OP": "?"}, {"SHAPE": "dddd"}]
    patterns: list[tuple[str, list[dict[str, Any]]]] = []
    if lang == "en":
        first_links = ["of", "on", "against", "for", "relating", "concerning", "to"]
        patterns += [
            ("law.en.name", [cap, {**cap, "OP": "*"}, head_cap]),
            ("law.en.name", [cap, {**cap, "OP": "*"}, head_cap, *year]),
            (
                "law.en.name_of",
                [
                    {**cap, "OP": "*"},
                    head_cap,
                    {"LOWER": {"IN": first_links}},
                    {"LOWER": {"IN": ["to", "the"]}, "OP": "*"},
                    {"TEXT": {"REGEX": _UPPER_START}},
                    {"TEXT": {"REGEX": _UPPER_START + r"|^(?:of|on|and|the|for|in|to|&)$"}, "OP": "*"},
                    {"TEXT": {"REGEX": _UPPER_START}},
                ],
            ),
            (
                "law.en.name_of",
                [
                    {**cap, "OP": "*"},
                    head_cap,
                    {"LOWER": {"IN": first_links}},
                    {"LOWER": {"IN": ["to", "the"]}, "OP": "*"},
                    {"TEXT": {"REGEX": _UPPER_START}},
                ],
            ),
        ]
        return patterns
    articles = _either(*vocab["articles"])
    de = _either("de", "d’", "du", "des", "del")
    adjective = {
        "IS_LOWER": True,
        "LOWER": {"REGEX": "(?:" + "|".join(sorted(set(vocab["adjective_endings"]))) + ")$"},
    }
    topic = {"LOWER": {"IN": _either(*vocab["topic_links"])}}
    stops = _either(*vocab["stops"])
    word = {"IS_ALPHA": True, "LOWER": {"NOT_IN": links + stops}}
    lower_word = {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": stops}}
    complement = [
        {"LOWER": {"IN": links}},
        {"LOWER": {"IN": articles}, "OP": "*"},
        word,
        {**lower_word, "OP": "{,5}"},
        {"IS_ALPHA": True, "LOWER": {"NOT_IN": links + stops}},
    ]
    patterns += [
        # "Convention de Budapest", "Ley de Regulación de Agentes Extranjeros"
        (f"law.{lang}.name_de", [head_any, {"LOWER": {"IN": de}}, {"LOWER": {"IN": articles}, "OP": "?"},
                                 {"TEXT": {"REGEX": _UPPER_START}}, *link_or_cap, cap_or_link,
                                 {"TEXT": {"REGEX": _UPPER_START}, "OP": "?"}]),
        (f"law.{lang}.name_de", [head_any, {"LOWER": {"IN": de}}, {"LOWER": {"IN": articles}, "OP": "?"},
                                 {"TEXT": {"REGEX": _UPPER_START}}]),
        # "loi sur l'IA", "Convention sur la cybercriminalité"
        (f"law.{lang}.topic", [head_any, topic, {"LOWER": {"IN": articles}, "OP": "*"}, word]),
        # "traité des Nations Unies sur la cybercriminalité"
        (f"law.{lang}.name_topic", [head_any, {"LOWER": {"IN": de}}, {"LOWER": {"IN": articles}, "OP": "?"},
                                    {"TEXT": {"REGEX": _UPPER_START}, "OP": "+"}, topic,
                                    {"LOWER": {"IN": articles}, "OP": "*"}, word]),
        # "Pacte international relatif aux droits civils et politiques"
        (f"law.{lang}.adjective", [head_cap, adjective, {**adjective, "OP": "?"}, *complement]),
        (f"law.{lang}.adjective", [head_cap, adjective, {**adjective, "OP": "?"}, *complement[:3]]),
        (f"law.{lang}.adjective", [head_cap, adjective, {**adjective, "OP": "?"}]),
        # "Constitución Política", "Ley Orgánica 1/2015"
        (f"law.{lang}.capitalised", [head_cap, {"TEXT": {"REGEX": _UPPER_START}, "OP": "+"}]),
    ]
    return patterns


@dataclass(frozen=True)
class _Lexicon:
    """Per-language word lists used by the decision, compared casefolded."""

    generic_orgs: frozenset[str]
    bare_heads: frozenset[str]
    roles: frozenset[str]
    determiners: frozenset[str]
    heads_strong: frozenset[str]
    heads_weak: frozenset[str]


@lru_cache(maxsize=3)
def lexicon(lang: str) -> _Lexicon:
    laws, stops = _vocabulary()
    fold = lambda words: frozenset(w.casefold().translate(APOSTROPHES) for w in words)  # noqa: E731
    return _Lexicon(
        generic_orgs=fold(stops[lang]["generic_orgs"]),
        bare_heads=fold(stops[lang]["bare_heads"]),
        roles=fold(stops[lang]["roles"]),
        determiners=fold(laws[lang]["determiners"] + laws["en"]["determiners"][:3]),
        heads_strong=fold(laws[lang]["heads_strong"]),
        heads_weak=fold(laws[lang]["heads_weak"]),
    )


class RuleRecogniser:
    """Adds country, registry and law-pattern candidates to doc.spans["civic_rules"]."""

    def __init__(self, nlp: Language, lang: str, registry: Registry | None = None) -> None:
        self.lang = lang
        registry = registry or load_registry()
        self.countries = PhraseMatcher(nlp.vocab, attr="ORTH")
        for code, names in sorted(country_surfaces().items()):
            variants = {v for name in names for v in (name, name.upper(), name.translate(APOSTROPHES))}
            self.countries.add(code, list(nlp.tokenizer.pipe(sorted(variants))))
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = Matcher(nlp.vocab)
        self._entries = {entry.id: entry for entry in registry.entries}
        for entry in registry.entries:
            surfaces = {v for s in entry.surfaces for v in (s, s.translate(APOSTROPHES), s.replace("'", "’"))}
            self.names.add(entry.id, list(nlp.tokenizer.pipe(sorted(surfaces))))
            patterns = [[{"ORTH": token.text} for token in nlp.tokenizer(a)] for a in entry.acronyms]
            if patterns:
                self.acronyms.add(entry.id, patterns)
        self.laws = Matcher(nlp.vocab)
        for rule_id, pattern in law_patterns(lang):
            self.laws.add(rule_id, [pattern], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        strings = doc.vocab.strings
        for match_id, start, end in self.countries(doc):
            code = strings[match_id]
            found.append(Span(doc, start, end, "COUNTRY", kb_id=code, span_id="rule:country.cldr"))
        acronyms = self.acronyms(doc) if len(self.acronyms) else []
        for matches, how in ((self.names(doc), "name"), (acronyms, "acronym")):
            for match_id, start, end in matches:
                entry = self._entries[strings[match_id]]
                rule = f"rule:registry.{entry.type.lower()}.{how}"
                found.append(Span(doc, start, end, entry.type, kb_id=entry.id, span_id=rule))
        for match_id, start, end in self.laws(doc):
            found.append(Span(doc, start, end, "LAW", span_id=f"rule:{strings[match_id]}"))
        doc.spans[RULES_KEY] = found
        return doc


@Language.factory("civic_rules", default_config={"lang": "en"})
def make_rule_recogniser(nlp: Language, name: str, lang: str) -> RuleRecogniser:
    return RuleRecogniser(nlp, lang)


# Model label → our type; places are decided by the country lookup.
_MODEL_TYPES = {
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


def _glued_credit(word: str, span: Span) -> bool:
    """An all-capitals acronym ending a mixed-case person name: 'Jordan Higgins CIVICUS'."""
    return len(word) >= 3 and word.isupper() and not span.text.isupper()


def _strip_edges(span: Span, lex: _Lexicon) -> Span | None:
    """Trim determiners, titles (for people), quotes and possessives from span edges."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].text in _QUOTES
        or doc[start].is_punct
        or doc[start].lower_.translate(APOSTROPHES) in lex.determiners
        or (span.label_ == "PERSON" and doc[start].lower_.rstrip(".") in lex.roles)
    ):
        start += 1
    while end > start and (
        (span.label_ == "PERSON" and end - start > 1 and _glued_credit(doc[end - 1].text, span))
        or doc[end - 1].text in _QUOTES
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or doc[end - 1].lower_.translate(APOSTROPHES) in ("'s", "'")
    ):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, span.label_, kb_id=span.kb_id_, span_id=span.id_)


class TypeDecision:
    """Chooses one typed span per stretch of text from model and rule candidates."""

    def __init__(self, nlp: Language, lang: str, model_source: str) -> None:
        self.lang = lang
        self.model_source = model_source
        self.lex = lexicon(lang)
        self.registry = load_registry()

    def _model_candidates(self, doc: Doc) -> Iterable[Span]:
        for ent in doc.ents:
            kind = _MODEL_TYPES.get(ent.label_)
            if kind is None:
                continue
            text = ent.text
            entry = self.registry.lookup(text)
            code = country_code(text, loose=kind == "PLACE")
            if entry is not None and kind != "PERSON":
                label, key = entry.type, entry.id
            elif code is not None and kind in ("PLACE", "ORG", "MISC"):
                label, key = "COUNTRY", code
            elif kind == "PLACE":
                label, key = "LOCATION", ""
            elif kind == "MISC":
                first = ent[0].lower_
                if first not in self.lex.heads_strong | self.lex.heads_weak:
                    continue
                label, key = "LAW", ""
            else:
                label, key = kind, ""
            yield Span(doc, ent.start, ent.end, label, kb_id=key, span_id=f"model:{self.model_source}|{ent.label_}")

    def _keep(self, span: Span) -> bool:
        text = span.text.translate(APOSTROPHES)
        folded = text.casefold()
        if span.label_ == "ORG" and folded in self.lex.generic_orgs:
            return False
        if span.label_ == "PERSON":
            words = [t.lower_.rstrip(".") for t in span if not t.is_punct]
            if not words or all(w in self.lex.roles for w in words):
                return False
            if any(t.like_num for t in span) or text.islower():
                return False
        if span.label_ in ("PERSON", "ORG", "COUNTRY", "LOCATION") and not re.search(r"[A-ZÀ-Þ]", text):
            return False
        return len(text.strip()) > 1

    def __call__(self, doc: Doc) -> Doc:
        rules = list(doc.spans[RULES_KEY]) if RULES_KEY in doc.spans else []
        model = [s for s in (_strip_edges(s, self.lex) for s in self._model_candidates(doc)) if s]
        model = [s for s in model if self._keep(s)]
        model_orgs = [s for s in model if s.label_ == "ORG"]
        registry_laws = [s for s in rules if s.label_ == "LAW" and s.kb_id_]
        pattern_laws = [
            s for s in rules
            if s.label_ == "LAW" and not s.kb_id_ and self._pattern_law_wins(s, model_orgs)
        ]
        chosen = _greedy(registry_laws, [])
        chosen = _greedy(pattern_laws, chosen)
        others = [s for s in rules if s.label_ != "LAW"] + model
        chosen = _greedy(sorted(others, key=_priority), chosen)
        chosen = _extend_articles(doc, _link_acronyms(doc, chosen))
        doc.spans[OUTPUT_KEY] = sorted(chosen, key=lambda s: (s.start, s.end))
        return doc

    def _pattern_law_wins(self, span: Span, model_orgs: list[Span]) -> bool:
        """Weak heads ('Charter', 'Déclaration') lose to a model ORG on the same words."""
        heads = [t.lower_ for t in span if t.lower_ in self.lex.heads_strong | self.lex.heads_weak]
        if any(h in self.lex.heads_strong for h in heads):
            return True
        return not any(o.start < span.end and span.start < o.end for o in model_orgs)


def _priority(span: Span) -> tuple[int, int, int]:
    """Longest first; on equal length, registry > model > country names."""
    source = span.id_
    rank = 0 if "registry" in source else 1 if source.startswith("model:") else 2
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


_ARTICLE_WORDS = {"article", "art", "artículo", "section", "chapter", "chapitre", "capítulo"}


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
            and doc[end].lower_.rstrip(".") in _ARTICLE_WORDS
            and doc[end + 1].like_num
            and (follower is None or (follower.label_ == "LAW" and follower.end <= end + 2))
        ):
            if follower is not None:
                absorbed.add(id(follower))
            span = Span(doc, span.start, end + 2, "LAW", kb_id=span.kb_id_, span_id=span.id_)
        extended.append(span)
    return [span for span in extended if id(span) not in absorbed]


def _is_abbreviation(short: str, long: str) -> bool:
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
            long_text[l_index] != char
            or (s_index == 0 and l_index > 0 and long_text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return False
        s_index -= 1
        l_index -= 1
    return True


def _link_acronyms(doc: Doc, chosen: list[Span]) -> list[Span]:
    """'Open Government Partnership (OGP)': type every 'OGP' in the doc like its long form.

    The acronym's mentions get kb_id 'acronym:<long form>' unless they already
    carry a registry or ISO key; resolution then keys them to the long form.
    """
    definitions: dict[str, Span] = {}
    for span in chosen:
        end = span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            short = doc[end + 1].text
            if looks_like_acronym(short) and _is_abbreviation(short, span.text):
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
        result.append(Span(doc, token.i, token.i + 1, long_form.label_, kb_id=key,
                           span_id="rule:acronym.definition"))
    return [s for s in result if id(s) not in replaced]


@Language.factory("civic_decision", default_config={"lang": "en", "model_source": ""})
def make_type_decision(nlp: Language, name: str, lang: str, model_source: str) -> TypeDecision:
    return TypeDecision(nlp, lang, model_source)
