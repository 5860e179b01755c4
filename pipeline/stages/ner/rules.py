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
from spacy.util import filter_spans

from ...knowledge.countries import country_surfaces
from ...knowledge.jurisdiction import body_vocabulary, is_national, named_jurisdiction
from ...knowledge.lexicon import vocabulary
from ...knowledge.names import APOSTROPHES, looks_like_acronym
from ...knowledge.registry import Registry, load_registry

RULES_KEY = "civic_rules"
# Tokens around a law head noun that a law name can span: English names end in
# the head ("… Media Freedom Act"), French and Spanish ones start with it.
LAW_WINDOW_BEFORE = 16
LAW_WINDOW_AFTER = 40
OUTPUT_KEY = "civic"
_UPPER_START = r"^[A-ZÀ-ÖØ-Þ]"
_NOT_INFINITIVE = r"^(?![a-zà-öø-ÿ]+(?:er|ir|ar)(?:se|lo|la|los|las|le|les)?$)"
_NOT_PARTICIPLE = r"^(?![a-zà-öø-ÿ]+(?:ados|adas|idos|idas|és|ées)$)"
_CONJUNCTIONS = ("and", "or", "et", "ou", "y", "o", "e", "ni", "nor")
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
    numbered = _numbered_patterns(lang, strong + weak, head_cap, year)
    if lang == "en":
        first_links = ["of", "on", "against", "for", "relating", "concerning", "to"]
        # Hyphenated words inside a name: "Law on Non-Profit Entities".
        cap = {"TEXT": {"REGEX": _UPPER_START + "|^-$"}, "LOWER": cap["LOWER"]}
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
        first: TokenPattern = {"TEXT": {"REGEX": _UPPER_START}, "LOWER": cap["LOWER"]}
        parenthesised: TokenPattern = {
            "TEXT": {"REGEX": _UPPER_START + r"|^(?:of|on|and|the|for|,|-)$"},
            "OP": "*",
        }
        return [
            *numbered,
            ("law.en.name", [first, {**cap, "OP": "*"}, head_cap]),
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
            # "Criminal Law (Codification and Reform) Act"
            (
                "law.en.name",
                [
                    first,
                    {**cap, "OP": "*"},
                    {"ORTH": "("},
                    any_cap,
                    parenthesised,
                    {"ORTH": ")"},
                    {**cap, "OP": "*"},
                    head_cap,
                ],
            ),
            # "Law on Non-Governmental Organisations (Public Associations and Foundations)"
            (
                "law.en.name_of",
                [*name_of, {**cap, "OP": "*"}, {"ORTH": "("}, any_cap, parenthesised, {"ORTH": ")"}],
            ),
            ("law.en.name_of", name_of),
            (
                "law.en.name_of",
                [
                    *name_of,
                    {"TEXT": {"REGEX": _UPPER_START + r"|^(?:of|on|and|the|for|in|to|&|-)$"}, "OP": "*"},
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
    # A unit opens with a preposition or conjunction, not an article: "Code
    # pénal [le punit]" is a sentence going on.
    openers = [w for w in links if w not in _either("la", "le", "les", "l’", "el", "los", "las")]
    unit: list[TokenPattern] = [
        {"LOWER": {"IN": openers}},
        {"LOWER": {"IN": links}, "OP": "*"},
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
    # Long titles enumerate their subjects: "Ley de Transparencia, Acceso a la
    # Información Pública y Buen Gobierno" (commas are checked in `_law_span`).
    title_links = "|".join(_either(*vocab["name_links"], *vocab["title_links"], ","))
    patterns.append(
        (
            f"law.{lang}.title",
            [
                head_cap,
                {"TEXT": {"REGEX": _UPPER_START}, "OP": "{,2}"},  # "Ley Constitucional contra …"
                {
                    "LOWER": {
                        "IN": _either("de", "d’", "du", "des", "del", *vocab["topic_links"], "para", "pour")
                    }
                },
                {**articles, "OP": "?"},
                any_cap,
                {"TEXT": {"REGEX": f"{_UPPER_START}|^(?:{title_links})$"}, "OP": "*"},
                any_cap,
            ],
        )
    )
    patterns += numbered
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


def _numbered_patterns(
    lang: str, heads: list[str], head_cap: TokenPattern, year: list[TokenPattern]
) -> list[tuple[str, list[TokenPattern]]]:
    """Numbered and dated instruments: "Ley 27.275", "Law No. 5/2016", "Decreto
    Legislativo 1452", "loi n° 2021-1109", "Act CXII of 2011",
    "Constitution de 2010"; in French and Spanish maybe followed by a title
    ("Ley 27.275 de Acceso a la Información Pública")."""
    rule = f"law.{lang}.numbered"
    marks = sorted({m.casefold() for m in body_vocabulary(lang).number_marks} | {"n", "no", "nº", "n°"})
    # English puts a subject before the head: "Cybercrime Law No. 17 of 2023".
    subject: list[TokenPattern] = (
        [
            {
                "TEXT": {"REGEX": _UPPER_START + "|^-$"},
                "LOWER": {"NOT_IN": _either(*vocabulary()[0][lang]["determiners"])},
                "OP": "*",
            }
        ]
        if lang == "en"
        else []
    )
    base: list[TokenPattern] = [
        *subject,
        {"LOWER": {"IN": heads}},
        {"ORTH": "-", "OP": "?"},  # "Decree-Law No. 2022-54"
        {"LOWER": {"IN": heads}, "OP": "?"},
        {"TEXT": {"REGEX": _UPPER_START}, "LOWER": {"NOT_IN": marks}, "OP": "{,2}"},
        {"LOWER": {"IN": marks}, "OP": "?"},
        {"TEXT": {"IN": [".", "°", "º"]}, "OP": "?"},
        {"TEXT": {"REGEX": r"^\d+(?:[./]\d+)*$"}},
        {"ORTH": "-", "OP": "?"},
        {"TEXT": {"REGEX": r"^\d+$"}, "OP": "?"},
    ]
    patterns = [
        (rule, base),
        (rule, [*base, *year]),
        (rule, [head_cap, {"TEXT": {"REGEX": r"^[IVXLCDM]+$"}}, {"LOWER": "of"}, {"SHAPE": "dddd"}]),
        # "Constitution de 2010", "Código Penal de 1996"
        (rule, [head_cap, {"TEXT": {"REGEX": _UPPER_START}, "OP": "{,2}"}, *year]),
    ]
    if lang != "en":
        vocab = vocabulary()[0][lang]
        name: list[TokenPattern] = [
            {"LOWER": {"IN": _either("de", "d’", "du", "des", "del", "sobre", "sur", "relativa")}},
            {"LOWER": {"IN": _either(*vocab["articles"])}, "OP": "?"},
            {"TEXT": {"REGEX": _UPPER_START}},
            {
                "TEXT": {"REGEX": _UPPER_START + "|^(?:" + "|".join(_either(*vocab["name_links"])) + ")$"},
                "OP": "*",
            },
            {"TEXT": {"REGEX": _UPPER_START}},
        ]
        patterns.append((rule, [*base, *name]))
    return patterns


def body_patterns(lang: str) -> list[tuple[str, list[TokenPattern]]]:
    """(rule id, Matcher pattern) pairs for the names of state bodies in `lang`.

    English names end in their head ("Supreme Court", "National Security
    Service") or follow it with "of/for/on …" ("Ministry of Digital Economy and
    Society", "State Committee for National Security").  French and Spanish
    ones start with the head, maybe after a rank adjective ("Haute Autorité",
    "Suprema Corte"), and go on with adjectives ("Asamblea Legislativa", "Cour
    constitutionnelle") and "de …" blocks ("Sala de lo Penal", "Defensoría del
    Pueblo", "Conseil supérieur de l'audiovisuel").  The candidates are then
    kept only when `jurisdiction.is_national` calls them a state body.
    """
    vocab = body_vocabulary(lang)
    words = vocabulary()[0][lang]
    head: TokenPattern = {
        "LOWER": {"IN": _either(*vocab.head_words)},
        "TEXT": {"REGEX": _UPPER_START},
    }
    cap: TokenPattern = {"TEXT": {"REGEX": _UPPER_START}, "LOWER": {"NOT_IN": _either(*words["determiners"])}}
    link_words = _either(*vocab.links)
    if lang == "en":
        tail: TokenPattern = {"TEXT": {"REGEX": _UPPER_START + r"|^-$"}, "OP": "*"}
        of_the: list[TokenPattern] = [{"LOWER": {"IN": ["of", "for", "on"]}}, {"LOWER": "the", "OP": "?"}]
        # "Ministry of Public Service, Labour and Social Welfare" (commas checked in `_enumeration`)
        inner: list[TokenPattern] = [{"LOWER": {"IN": [*link_words, "-", ","]}}, {"LOWER": "the", "OP": "?"}]
        patterns: list[tuple[str, list[TokenPattern]]] = [("body.en.name", [{**cap, "OP": "*"}, head])]
        for blocks in range(4):
            patterns.append(
                (
                    "body.en.name_of",
                    [{**cap, "OP": "*"}, head, *of_the, cap, tail, *([*inner, cap, tail] * blocks)],
                )
            )
        return patterns
    markers = _either(*vocab.marker_words)
    adjective: TokenPattern = {
        "IS_LOWER": True,
        "LOWER": {"REGEX": "(?:" + "|".join(sorted(set(words["adjective_endings"]))) + ")[sx]?$"},
        # not a participle: "la Corte Suprema de Justicia [señalados] por …"
        "TEXT": {"REGEX": _NOT_PARTICIPLE},
    }
    modifier: TokenPattern = {"LOWER": {"IN": markers}, "TEXT": {"REGEX": _UPPER_START}, "OP": "?"}
    after_head: TokenPattern = {
        "TEXT": {"REGEX": _UPPER_START},
        "LOWER": {"NOT_IN": _either(*words["stops"])},
        "OP": "{,3}",
    }
    lower_marker: TokenPattern = {"LOWER": {"IN": markers}, "IS_LOWER": True}
    of = _either("de", "du", "des", "del", "d’", "pour", "para", "chargé", "chargée")
    block: list[TokenPattern] = [
        {"LOWER": {"IN": of}},
        {
            "LOWER": {"IN": _either("la", "le", "les", "l’", "el", "los", "las", "lo", "de", "à", "a")},
            "OP": "{,2}",
        },
        # Not a verb: "le Parlement d'accorder …"
        {
            "IS_ALPHA": True,
            "LOWER": {"NOT_IN": _either(*words["stops"], *words["name_links"])},
            "TEXT": {"REGEX": _NOT_INFINITIVE},
        },
        {**adjective, "OP": "{,2}"},
        # "de Registros y Notarías", "de Defensores, Periodistas y Operadores de Justicia"
        {"TEXT": {"REGEX": _UPPER_START + r"|^(?:,|y|e|et)$"}, "OP": "*"},
    ]
    # French (and at times Spanish) write a ministry or a court with a lower-case
    # head: "le ministère de la Justice", "le tribunal administratif de Ouagadougou";
    # such a name needs a capitalised word after "de".
    lower_head: TokenPattern = {"LOWER": {"IN": _either(*vocab.head_words)}, "IS_LOWER": True}
    named_block: list[TokenPattern] = [
        block[0],
        block[1],
        {"TEXT": {"REGEX": _UPPER_START}, "LOWER": {"NOT_IN": _either(*words["stops"])}},
        block[-1],
    ]
    patterns = []
    for blocks in range(5):
        for adjectives in ([], [adjective], [lower_marker], [adjective, adjective]):
            patterns.append((f"body.{lang}.name", [modifier, head, *adjectives, after_head, *block * blocks]))
            if blocks < 3:
                patterns.append((f"body.{lang}.name", [lower_head, *adjectives, *named_block * (blocks + 1)]))
    return patterns


def _enumeration(doc: Doc, start: int, end: int) -> int:
    """A comma stays inside a name only in an enumeration closed by a conjunction
    ('… Service, Labour and Social Welfare'); else the name ends at the first comma."""
    commas = [t.i for t in doc[start:end] if t.text == ","]
    if commas and not any(t.lower_ in _CONJUNCTIONS for t in doc[commas[-1] + 1 : end]):
        return commas[0]
    return end


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
        self._law_head_words = frozenset(vocab["heads_strong"] + vocab["heads_weak"])
        self.bodies = Matcher(nlp.vocab)
        for rule_id, pattern in body_patterns(lang):
            self.bodies.add(rule_id, [pattern], greedy="LONGEST")
        self._edge_words = frozenset(
            _either(
                *vocab["name_links"], *body_vocabulary(lang).links, *_CONJUNCTIONS, *vocab["determiners"][:3]
            )
        )

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
                if match.label_.endswith(".numbered") and "numbered_laws" in self.rules_off:
                    continue
                start, end = self._law_span(doc, match.start, match.end)
                found.append(Span(doc, start, end, "LAW", span_id=f"rule:{match.label_}"))
        if "public_bodies" not in self.rules_off:
            bodies = self._bodies(doc)
            # 'Supreme Council for Media Regulation' is a body named after its
            # remit, not a regulation: a law pattern inside a body's name that
            # does not start with a law head gives way.
            found = [
                s
                for s in found
                if s.label_ != "LAW"
                or s.kb_id_
                or s[0].lower_ in self._law_head_words
                or not any(b.start <= s.start and s.end <= b.end for b in bodies)
            ]
            found += bodies
        doc.spans[RULES_KEY] = found
        return doc

    def _trim(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """No name starts or ends with a link word, an article, a conjunction or a
        hyphen ('the Office of …', 'Ministry of Justice and', 'Ley de … y')."""
        while end - start > 1 and (doc[start].lower_ in self._edge_words or doc[start].text in "-,"):
            start += 1
        while end - start > 1 and (doc[end - 1].lower_ in self._edge_words or doc[end - 1].text in "-,"):
            end -= 1
        return start, end

    def _law_span(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """A comma stays inside a law's title only in an enumeration closed by a
        conjunction ('Ley de Transparencia, Acceso … y Buen Gobierno'); edges are
        trimmed of link words."""
        end = _enumeration(doc, start, end)
        # Two laws joined: 'Law on Non-Profit Entities and the Criminal Code'.
        depth = 0  # not inside brackets: 'Criminal Law (Codification and Reform) Act'
        for token in doc[start + 1 : end - 1]:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if (
                not depth
                and token.lower_ in _CONJUNCTIONS
                and self._has_law_head(doc[start : token.i])
                and self._has_law_head(doc[token.i + 1 : end])
            ):
                end = token.i
                break
        return self._trim(doc, start, end)

    def _has_law_head(self, span: Span) -> bool:
        return any(t.lower_ in self._law_head_words and t.text[:1].isupper() for t in span)

    def _bodies(self, doc: Doc) -> list[Span]:
        """State bodies by head-noun grammar; a match is cut at a conjunction that
        starts a second body ('Ministry of Digital Economy and Society | and the
        Supreme Court')."""
        heads = frozenset(body_vocabulary(self.lang).head_words)
        # A state body is named after its remit or its country, never after a person:
        # 'le gouvernement de José Luis Rodríguez Zapatero', 'la cour de Tamerlan'.
        people = [e for e in doc.ents if e.label_ in ("PER", "PERSON")]
        found: list[Span] = []
        for match_id, start, end in self.bodies(doc):
            rule = f"rule:{doc.vocab.strings[match_id]}"
            end = _enumeration(doc, start, end)
            cuts = [
                t.i for t in doc[start + 1 : end - 1] if t.lower_ in ("and", "et", "y", "e") or t.text == ","
            ]
            bounds, begin = [], start
            for index, cut in enumerate(cuts):
                segment = doc[cut + 1 : cuts[index + 1] if index + 1 < len(cuts) else end]
                if any(t.lower_ in heads and t.text[:1].isupper() for t in segment):
                    bounds.append((begin, cut))
                    begin = cut + 1
            for part_start, part_end in [*bounds, (begin, end)]:
                part_start, part_end = self._trim(doc, part_start, part_end)
                span = doc[part_start:part_end]
                named_after_person = any(span.start < p.start and p.end <= span.end for p in people)
                if len(span) < 2 or "\n" in span.text or named_after_person:
                    continue
                named, _ = named_jurisdiction(span.text, self.lang)
                if is_national(span.text, "ORG", self.lang, named):
                    found.append(Span(doc, part_start, part_end, "ORG", span_id=rule))
        return filter_spans(found)


@Language.factory("civic_rules", default_config={"lang": "en"})
def make_rule_recogniser(nlp: Language, name: str, lang: str) -> RuleRecogniser:
    return RuleRecogniser(nlp, lang)


@Language.factory("civic_decision", default_config={"lang": "en", "model_source": ""})
def make_type_decision(nlp: Language, name: str, lang: str, model_source: str) -> Any:
    from .decision import TypeDecision

    return TypeDecision(lang, model_source)
