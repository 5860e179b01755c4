"""Registered spaCy components: the rule recognisers and the type decision.

`civic_rules` finds candidates the statistical model misses or mistypes: country
names (CLDR, via `countries.py`), registry laws and organisations (names and
acronyms, via `registry.py`) and named legal instruments (Matcher patterns built
from the vocabulary in models/patterns/laws.yaml).  It only *adds* candidates to
``doc.spans["civic_rules"]``.

`civic_decision` (`decision.py`) then keeps one type per span and writes the
result to ``doc.spans["civic"]``: label = type, kb_id = key hint, id = source.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .countries import country_surfaces
from .lexicon import vocabulary
from .names import APOSTROPHES, looks_like_acronym
from .registry import Registry, load_registry

RULES_KEY = "civic_rules"
# Tokens around a law head noun that a law name can span: English names end in
# the head ("… Media Freedom Act"), French and Spanish ones start with it.
LAW_WINDOW_BEFORE = 16
LAW_WINDOW_AFTER = 40
OUTPUT_KEY = "civic"
_UPPER_START = r"^[A-ZÀ-ÖØ-Þ]"
_QUOTES = "\"'“”‘’«»„‹›()[]{}"


def _either(*variants: str) -> list[str]:
    """A word with both apostrophe styles, for token-level matching."""
    return sorted({v for word in variants for v in (word, word.translate(APOSTROPHES))})


TokenPattern = dict[str, Any]


def law_patterns(lang: str) -> list[tuple[str, list[TokenPattern]]]:
    """(rule id, Matcher pattern) pairs for named legal instruments in `lang`.

    English names are capitalised phrases ending in a head noun ("European Media
    Freedom Act") or a head followed by "of/on/against ..." ("Convention on
    Cybercrime").  French and Spanish put the head first and follow it with
    blocks: a name ("de Budapest", "de l'Union européenne"), adjectives
    ("international", "Universal") and a subject ("sur la cybercriminalité",
    "relatif aux droits civils et politiques").  A lower-case head ("loi",
    "convention") needs a name or subject block; weak heads ("accord",
    "déclaration") must be capitalised.
    """
    vocab = vocabulary()[0][lang]
    strong, weak = vocab["heads_strong"], vocab["heads_weak"]
    cap: TokenPattern = {"TEXT": {"REGEX": _UPPER_START}, "LOWER": {"NOT_IN": _either(*vocab["determiners"])}}
    any_cap: TokenPattern = {"TEXT": {"REGEX": _UPPER_START}}
    head_cap: TokenPattern = {"LOWER": {"IN": strong + weak}, "TEXT": {"REGEX": _UPPER_START}}
    year: list[TokenPattern] = [{"LOWER": {"IN": ["of", "de", "del"]}, "OP": "?"}, {"SHAPE": "dddd"}]
    if lang == "en":
        first_links = ["of", "on", "against", "for", "relating", "concerning", "to"]
        name_of: list[TokenPattern] = [
            {**cap, "OP": "*"},
            head_cap,
            {"LOWER": {"IN": first_links}},
            {"LOWER": {"IN": ["to", "the"]}, "OP": "*"},
            any_cap,
        ]
        inner_link: TokenPattern = {
            "LOWER": {"IN": ["from", "of", "on", "for", "against", "to", "and", "in"]}
        }
        return [
            ("law.en.name", [cap, {**cap, "OP": "*"}, head_cap]),
            # "Protection from Online Falsehoods and Manipulation Act"
            ("law.en.name", [cap, {**cap, "OP": "*"}, inner_link, cap, {**cap, "OP": "*"}, head_cap]),
            (
                "law.en.name",
                [
                    cap,
                    {**cap, "OP": "*"},
                    inner_link,
                    cap,
                    {**cap, "OP": "*"},
                    inner_link,
                    cap,
                    {**cap, "OP": "*"},
                    head_cap,
                ],
            ),
            ("law.en.name", [cap, {**cap, "OP": "*"}, head_cap, *year]),
            # "United Nations (UN) Cybercrime Treaty"
            (
                "law.en.name",
                [
                    cap,
                    {**cap, "OP": "*"},
                    {"ORTH": "("},
                    {"IS_UPPER": True},
                    {"ORTH": ")"},
                    {**cap, "OP": "*"},
                    head_cap,
                ],
            ),
            ("law.en.name_of", name_of),
            (
                "law.en.name_of",
                [
                    *name_of,
                    {"TEXT": {"REGEX": _UPPER_START + r"|^(?:of|on|and|the|for|in|to|&)$"}, "OP": "*"},
                    any_cap,
                ],
            ),
        ]
    links = _either(*vocab["name_links"])
    articles: TokenPattern = {"LOWER": {"IN": _either(*vocab["articles"])}, "OP": "*"}
    stops = _either(*vocab["stops"])
    adjective: TokenPattern = {
        "IS_LOWER": True,
        "LOWER": {"REGEX": "(?:" + "|".join(sorted(set(vocab["adjective_endings"]))) + ")[sx]?$"},
    }
    word: TokenPattern = {"IS_ALPHA": True, "LOWER": {"NOT_IN": links + stops}}
    # A unit of a subject: "aux droits civils", "et politiques", "à caractère personnel".
    unit: list[TokenPattern] = [
        {"LOWER": {"IN": links}, "OP": "+"},
        articles,
        word,
        {**adjective, "OP": "{,2}"},
    ]
    coordinators = "|".join(("et", "y", "e"))
    name_block: list[TokenPattern] = [
        {"LOWER": {"IN": _either("de", "d’", "du", "des", "del")}},
        {**articles, "OP": "?"},
        any_cap,
        # "de Telecomunicaciones y Radiodifusión"
        {"TEXT": {"REGEX": f"{_UPPER_START}|^(?:{coordinators})$"}, "OP": "*"},
        {"TEXT": {"REGEX": _UPPER_START}, "OP": "?"},
        {**adjective, "OP": "?"},
    ]
    subject: list[TokenPattern] = [
        {"LOWER": {"IN": _either(*vocab["topic_links"])}},
        articles,
        word,
        {**adjective, "OP": "{,2}"},
    ]
    adjectives: list[TokenPattern] = [adjective, {**adjective, "OP": "?"}]
    head_strong_any: TokenPattern = {"LOWER": {"IN": strong}}
    patterns: list[tuple[str, list[dict[str, Any]]]] = []
    for units in range(7):
        tail = unit * units
        for head in (head_strong_any, head_cap):
            patterns += [
                # "loi sur l'IA", "traité des Nations Unies sur la cybercriminalité"
                (f"law.{lang}.subject", [head, *subject, *tail]),
                (f"law.{lang}.subject", [head, *name_block, *subject, *tail]),
            ]
        # "Pacte international relatif aux droits civils et politiques"
        patterns.append((f"law.{lang}.adjective", [head_cap, *adjectives, *subject, *tail]))
        if units:
            patterns.append((f"law.{lang}.adjective", [head_cap, *adjectives, *tail]))
    for head in (head_strong_any, head_cap):
        # "Convention de Budapest", "loi de l'Union européenne"
        patterns += [(f"law.{lang}.name", [head, *name_block]), (f"law.{lang}.name", [head, *name_block * 2])]
    patterns += [
        (f"law.{lang}.adjective", [head_cap, *adjectives]),
        (f"law.{lang}.adjective", [head_cap, *adjectives, *name_block]),
        # "Constitución Política", "Ley Orgánica de Protección de Datos Personales"
        (f"law.{lang}.capitalised", [head_cap, {"TEXT": {"REGEX": _UPPER_START}, "OP": "+"}]),
        (f"law.{lang}.capitalised", [head_cap, {"TEXT": {"REGEX": _UPPER_START}, "OP": "+"}, *name_block]),
        (
            f"law.{lang}.capitalised",
            [head_cap, {"TEXT": {"REGEX": _UPPER_START}, "OP": "+"}, *name_block * 2],
        ),
    ]
    return patterns


def _in_capitals_line(span: Span, text: str) -> bool:
    """True inside a line written mostly in capitals (a title), where an acronym
    cannot be told from an ordinary word; `text` is the doc's text."""
    line_end = text.find("\n", span.end_char)
    line = text[text.rfind("\n", 0, span.start_char) + 1 : line_end if line_end >= 0 else None]
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) >= 0.6


class RuleRecogniser:
    """Adds country, registry and law-pattern candidates to doc.spans["civic_rules"]."""

    def __init__(self, nlp: Language, lang: str, registry: Registry | None = None) -> None:
        self.lang = lang
        # Rule families switched off (Config.rules_off), set per call by ner.recognise.
        self.rules_off: frozenset[str] = frozenset()
        registry = registry or load_registry()
        self.countries = PhraseMatcher(nlp.vocab, attr="ORTH")
        for code, names in sorted(country_surfaces().items()):
            variants = {v for name in names for v in (name, name.upper(), name.translate(APOSTROPHES))}
            self.countries.add(code, [nlp.make_doc(v) for v in sorted(variants)])
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")  # case-sensitive, whole tokens
        self._entries = {entry.id: entry for entry in registry.entries}
        self._lowercase_names = {
            v.casefold()
            for entry in registry.entries
            for s in entry.surfaces
            if s[:1].islower()
            for v in (s, s.translate(APOSTROPHES), s.replace("'", "’"))
        }
        for entry in registry.entries:
            surfaces = {v for s in entry.surfaces for v in (s, s.translate(APOSTROPHES), s.replace("'", "’"))}
            self.names.add(entry.id, [nlp.make_doc(v) for v in sorted(surfaces)])
            if entry.acronyms:
                self.acronyms.add(entry.id, [nlp.make_doc(a) for a in entry.acronyms])
        self.law_heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        vocab = vocabulary()[0][lang]
        self.law_heads.add("HEAD", [nlp.make_doc(h) for h in vocab["heads_strong"] + vocab["heads_weak"]])
        self.laws = Matcher(nlp.vocab)
        for rule_id, pattern in law_patterns(lang):
            self.laws.add(rule_id, [pattern], greedy="LONGEST")

    def _law_windows(self, doc: Doc) -> list[Span]:
        """Stretches of the doc around law head nouns: the law patterns only match
        there, and running the Matcher on them alone keeps the rules cheap."""
        windows: list[list[int]] = []
        for _, head, _ in self.law_heads(doc):
            start, end = max(0, head - LAW_WINDOW_BEFORE), min(len(doc), head + LAW_WINDOW_AFTER)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        return [doc[start:end] for start, end in windows]

    def _plausible(self, span: Span, how: str, text: str) -> bool:
        """Names match case-insensitively ('TRAITÉ DES NATIONS UNIES'), but a name
        written with capitals must not match plain words ('a signal', 'apple');
        an acronym inside an all-capitals title line is just a word there."""
        if how == "acronym":
            return not _in_capitals_line(span, text)
        return any(c.isupper() for c in span.text) or span.text.casefold() in self._lowercase_names

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        text = doc.text
        strings = doc.vocab.strings
        for match_id, start, end in self.countries(doc) if "countries" not in self.rules_off else []:
            if looks_like_acronym(doc[start:end].text) and _in_capitals_line(doc[start:end], text):
                continue  # 'US' in 'WHAT THEY DID TO US'
            code = strings[match_id]
            found.append(Span(doc, start, end, "COUNTRY", kb_id=code, span_id="rule:country.cldr"))
        registry_on = "registry" not in self.rules_off
        names = self.names(doc) if registry_on else []
        acronyms = self.acronyms(doc) if registry_on and len(self.acronyms) else []
        for matches, how in ((names, "name"), (acronyms, "acronym")):
            for match_id, start, end in matches:
                if not self._plausible(doc[start:end], how, text):
                    continue
                entry = self._entries[strings[match_id]]
                rule = f"rule:registry.{entry.type.lower()}.{how}"
                found.append(Span(doc, start, end, entry.type, kb_id=entry.id, span_id=rule))
        for window in self._law_windows(doc) if "law_patterns" not in self.rules_off else []:
            for match in self.laws(window, as_spans=True):
                found.append(Span(doc, match.start, match.end, "LAW", span_id=f"rule:{match.label_}"))
        doc.spans[RULES_KEY] = found
        return doc


@Language.factory("civic_rules", default_config={"lang": "en"})
def make_rule_recogniser(nlp: Language, name: str, lang: str) -> RuleRecogniser:
    return RuleRecogniser(nlp, lang)


@Language.factory("civic_decision", default_config={"lang": "en", "model_source": ""})
def make_type_decision(nlp: Language, name: str, lang: str, model_source: str) -> Any:
    from .decision import TypeDecision

    return TypeDecision(lang, model_source)
