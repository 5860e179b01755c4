"""The grammar of named legal instruments: spaCy Matcher patterns per language.

English names are capitalised phrases ending in a head noun ("European Media
Freedom Act") or a head followed by "of/on/against ..." ("Convention on
Cybercrime").  French and Spanish put the head first and follow it with
blocks: a name ("de Budapest", "de l'Union européenne"), adjectives
("international", "Universal") and a subject ("sur la cybercriminalité",
"relatif aux droits civils et politiques").  A lower-case head ("loi",
"convention") needs a name or subject block; weak heads ("accord",
"déclaration") must be capitalised.  The words come from
models/patterns/laws.yaml; `rules.RuleRecogniser` runs the patterns.
"""

from __future__ import annotations

from typing import Any

from ...knowledge.dates import month_words
from ...knowledge.jurisdiction import body_vocabulary
from ...knowledge.lexicon import vocabulary
from ...knowledge.names import APOSTROPHES

TokenPattern = dict[str, Any]
RulePatterns = list[tuple[str, list[TokenPattern]]]

UPPER_START = r"^[A-ZÀ-ÖØ-Þ]"
# An instrument's number: "27.275", "1113/2019", "169-14", "006-2023-JUS" (one
# token in Spanish).
NUMBER = r"^\d+(?:[./-]\d+)*(?:[/-][A-Z]+)*$"
# French and Spanish articles, which never open a subject unit.
_ARTICLES = ("la", "le", "les", "l’", "el", "los", "las")
# Prepositions opening a name block: "de Budapest", "del Pueblo".
_OF = ("de", "d’", "du", "des", "del")


def either(*variants: str) -> list[str]:
    """A word with both apostrophe styles, for token-level matching."""
    return sorted({v for word in variants for v in (word, word.translate(APOSTROPHES))})


def law_vocabulary(lang: str) -> dict[str, Any]:
    """The law vocabulary of `lang` (models/patterns/laws.yaml)."""
    words: dict[str, Any] = vocabulary()[0][lang]
    return words


def adjective_pattern(endings: list[str]) -> TokenPattern:
    """A lower-case adjective with one of the `endings`, maybe plural."""
    return {"IS_LOWER": True, "LOWER": {"REGEX": "(?:" + "|".join(sorted(set(endings))) + ")[sx]?$"}}


def law_patterns(lang: str) -> RulePatterns:
    """(rule id, Matcher pattern) pairs for named legal instruments in `lang`."""
    vocab = law_vocabulary(lang)
    heads = vocab["heads_strong"] + vocab["heads_weak"]
    head_cap: TokenPattern = {"LOWER": {"IN": heads}, "TEXT": {"REGEX": UPPER_START}}
    year: list[TokenPattern] = [{"LOWER": {"IN": ["of", "de", "del"]}, "OP": "?"}, {"SHAPE": "dddd"}]
    numbered = _numbered_patterns(lang, heads + vocab["heads_numbered"], head_cap, year)
    if lang == "en":
        return [*numbered, *_english_patterns(vocab, head_cap, year)]
    return _romance_patterns(lang, vocab, head_cap, numbered)


def _english_patterns(
    vocab: dict[str, Any], head_cap: TokenPattern, year: list[TokenPattern]
) -> RulePatterns:
    not_determiner = {"NOT_IN": either(*vocab["determiners"])}
    # Hyphenated words inside a name: "Law on Non-Profit Entities".
    cap: TokenPattern = {"TEXT": {"REGEX": UPPER_START + "|^-$"}, "LOWER": not_determiner}
    caps: TokenPattern = {**cap, "OP": "*"}
    any_cap: TokenPattern = {"TEXT": {"REGEX": UPPER_START}}
    first: TokenPattern = {"TEXT": {"REGEX": UPPER_START}, "LOWER": not_determiner}
    inner_link: TokenPattern = {"LOWER": {"IN": vocab["inner_links"]}}
    bracketed: list[TokenPattern] = [
        {"ORTH": "("},
        any_cap,
        {"TEXT": {"REGEX": UPPER_START + r"|^(?:of|on|and|the|for|,|-)$"}, "OP": "*"},
        {"ORTH": ")"},
    ]
    name_of: list[TokenPattern] = [
        caps,
        head_cap,
        {"LOWER": {"IN": vocab["head_links"]}},
        {"LOWER": {"IN": ["to", "the"]}, "OP": "*"},
        any_cap,
    ]
    # "… of Terrorism and its Financing", "… Supported from Abroad"
    of_tail: TokenPattern = {
        "TEXT": {"REGEX": UPPER_START + r"|^(?:of|on|and|the|for|in|to|from|between|its|their|&|-)$"},
        "OP": "*",
    }
    return [
        ("law.en.name", [first, caps, head_cap]),
        # "Protection from Online Falsehoods and Manipulation Act"
        ("law.en.name", [cap, caps, inner_link, cap, caps, head_cap]),
        ("law.en.name", [cap, caps, inner_link, cap, caps, inner_link, cap, caps, head_cap]),
        ("law.en.name", [cap, caps, head_cap, *year]),
        # "United Nations (UN) Cybercrime Treaty"
        ("law.en.name", [cap, caps, {"ORTH": "("}, {"IS_UPPER": True}, {"ORTH": ")"}, caps, head_cap]),
        # "Criminal Law (Codification and Reform) Act"
        ("law.en.name", [first, caps, *bracketed, caps, head_cap]),
        # "Computer Misuse and Cybercrimes (Amendment) Act"
        ("law.en.name", [cap, caps, inner_link, cap, caps, *bracketed, caps, head_cap]),
        # "[Constitution (Amendment No. 2]) Act": the rest is found by `law_edges`
        ("law.en.name", [{"ORTH": ")"}, head_cap]),
        # "the 1987 Constitution", "the 2013 Public Benefit Organizations Act"
        ("law.en.name", [{"SHAPE": "dddd"}, caps, head_cap]),
        # "Law on Non-Governmental Organisations (Public Associations and Foundations)"
        ("law.en.name_of", [*name_of, caps, *bracketed]),
        ("law.en.name_of", name_of),
        ("law.en.name_of", [*name_of, of_tail, any_cap]),
    ]


def _name_block(vocab: dict[str, Any], articles: TokenPattern, adjective: TokenPattern) -> list[TokenPattern]:
    """A name after the head: "de Budapest", "de Telecomunicaciones y Radiodifusión";
    never another law ("el reglamento de la Ley 32301" names the law)."""
    coordinators = "|".join(("et", "y", "e"))
    return [
        {"LOWER": {"IN": either(*_OF)}},
        {**articles, "OP": "?"},
        {"TEXT": {"REGEX": UPPER_START}, "LOWER": {"NOT_IN": vocab["heads_strong"] + vocab["heads_weak"]}},
        {"TEXT": {"REGEX": f"{UPPER_START}|^(?:{coordinators})$"}, "OP": "*"},
        {"TEXT": {"REGEX": UPPER_START}, "OP": "?"},
        {**adjective, "OP": "?"},
    ]


def _title_pattern(
    lang: str, vocab: dict[str, Any], head_cap: TokenPattern, articles: TokenPattern
) -> RulePatterns:
    """Long titles enumerate their subjects: "Ley de Transparencia, Acceso a la
    Información Pública y Buen Gobierno" (commas are checked in `rules._law_span`)."""
    title_links = "|".join(either(*vocab["name_links"], *vocab["title_links"], ","))
    any_cap: TokenPattern = {"TEXT": {"REGEX": UPPER_START}}
    return [
        (
            f"law.{lang}.title",
            [
                head_cap,
                {"TEXT": {"REGEX": UPPER_START}, "OP": "{,2}"},  # "Ley Constitucional contra …"
                {"LOWER": {"IN": either(*_OF, *vocab["topic_links"], "para", "pour")}},
                {**articles, "OP": "?"},
                any_cap,
                {"TEXT": {"REGEX": f"{UPPER_START}|^(?:{title_links})$"}, "OP": "*"},
                any_cap,
            ],
        )
    ]


def _subject_blocks(
    vocab: dict[str, Any], articles: TokenPattern, adjective: TokenPattern
) -> tuple[list[TokenPattern], list[TokenPattern]]:
    """A law's subject ("sur la cybercriminalité") and one more unit of it: "aux
    droits civils", "et politiques", "à caractère personnel".  A unit opens with a
    preposition or conjunction, not an article: "Code pénal [le punit]" is a
    sentence going on."""
    links = either(*vocab["name_links"])
    word: TokenPattern = {"IS_ALPHA": True, "LOWER": {"NOT_IN": links + either(*vocab["stops"])}}
    openers = [w for w in links if w not in either(*_ARTICLES)]
    # "organisations non gouvernementales": a negation before the adjectives
    # (a span left ending on it is trimmed in `rules`).
    negation: TokenPattern = {"LOWER": {"IN": vocab["negations"]}, "OP": "?"}
    unit: list[TokenPattern] = [
        {"LOWER": {"IN": openers}},
        {"LOWER": {"IN": links}, "OP": "*"},
        articles,
        word,
        negation,
        {**adjective, "OP": "{,2}"},
    ]
    subject: list[TokenPattern] = [
        {"LOWER": {"IN": either(*vocab["topic_links"])}},
        articles,
        word,
        negation,
        {**adjective, "OP": "{,2}"},
    ]
    return subject, unit


def _romance_patterns(
    lang: str, vocab: dict[str, Any], head_cap: TokenPattern, numbered: RulePatterns
) -> RulePatterns:
    """French and Spanish: the head first, then subject, adjective and name blocks."""
    articles: TokenPattern = {"LOWER": {"IN": either(*vocab["articles"])}, "OP": "*"}
    adjective = adjective_pattern(vocab["adjective_endings"])
    subject, unit = _subject_blocks(vocab, articles, adjective)
    name_block = _name_block(vocab, articles, adjective)
    adjectives = [adjective, {**adjective, "OP": "?"}]
    heads: tuple[TokenPattern, ...] = ({"LOWER": {"IN": vocab["heads_strong"]}}, head_cap)
    patterns: RulePatterns = []
    for units in range(7):
        tail = unit * units
        for head in heads:
            # "loi sur l'IA", "traité des Nations Unies sur la cybercriminalité"
            patterns += [
                (f"law.{lang}.subject", [head, *subject, *tail]),
                (f"law.{lang}.subject", [head, *name_block, *subject, *tail]),
            ]
        # "Pacte international relatif aux droits civils et politiques", "loi
        # organique portant statut des magistrats"
        for head in heads:
            patterns.append((f"law.{lang}.adjective", [head, *adjectives, *subject, *tail]))
        if units:
            patterns.append((f"law.{lang}.adjective", [head_cap, *adjectives, *tail]))
    for head in heads:
        # "Convention de Budapest", "loi de l'Union européenne"
        patterns += [(f"law.{lang}.name", [head, *name_block]), (f"law.{lang}.name", [head, *name_block * 2])]
    # "Accords de paix de Paris": a subject noun between the head and the name
    common_noun: TokenPattern = {
        "IS_LOWER": True,
        "IS_ALPHA": True,
        "LOWER": {"NOT_IN": either(*vocab["stops"])},
    }
    patterns.append(
        (f"law.{lang}.name", [head_cap, {"LOWER": {"IN": either(*_OF)}}, common_noun, *name_block])
    )
    capitalised: list[TokenPattern] = [head_cap, {"TEXT": {"REGEX": UPPER_START}, "OP": "+"}]
    return [
        *patterns,
        *_title_pattern(lang, vocab, head_cap, articles),
        *numbered,
        (f"law.{lang}.adjective", [head_cap, *adjectives]),
        (f"law.{lang}.adjective", [head_cap, *adjectives, *name_block]),
        # "Constitución Política", "Ley Orgánica de Protección de Datos Personales"
        (f"law.{lang}.capitalised", capitalised),
        (f"law.{lang}.capitalised", [*capitalised, *name_block]),
        (f"law.{lang}.capitalised", [*capitalised, *name_block * 2]),
    ]


def numbered_base(lang: str, heads: list[str]) -> list[TokenPattern]:
    """An instrument's head and number: "Ley 27.275", "Law No. 5/2016", "Decree-Law
    No. 2022-54", "Ley 169-14"; in English after its subject ("Cybercrime Law No. 17")."""
    marks = sorted({m.casefold() for m in body_vocabulary(lang).number_marks} | {"n", "no", "nº", "n°"})
    subject: list[TokenPattern] = (
        [
            {
                "TEXT": {"REGEX": UPPER_START + "|^-$"},
                "LOWER": {"NOT_IN": either(*law_vocabulary(lang)["determiners"])},
                "OP": "*",
            }
        ]
        if lang == "en"
        else []
    )
    # A lower-case qualifier after a French or Spanish head: "arrêté ministériel n° 45",
    # "decreto presidencial 2024-15".
    qualifier: list[TokenPattern] = (
        [] if lang == "en" else [{**adjective_pattern(law_vocabulary(lang)["adjective_endings"]), "OP": "?"}]
    )
    return [
        *subject,
        {"LOWER": {"IN": heads}},
        {"ORTH": "-", "OP": "?"},  # "Decree-Law No. 2022-54"
        {"LOWER": {"IN": heads}, "OP": "?"},
        {"TEXT": {"REGEX": UPPER_START}, "LOWER": {"NOT_IN": marks}, "OP": "{,2}"},
        *qualifier,
        {"LOWER": {"IN": marks}, "OP": "?"},
        {"TEXT": {"IN": [".", "°", "º"]}, "OP": "?"},
        {"TEXT": {"REGEX": NUMBER}},
        {"ORTH": "-", "OP": "?"},
        {"TEXT": {"REGEX": r"^\d+$"}, "OP": "?"},
    ]


def _numbered_patterns(
    lang: str, heads: list[str], head_cap: TokenPattern, year: list[TokenPattern]
) -> RulePatterns:
    """Numbered and dated instruments: "Ley 27.275", "Law No. 5/2016", "Decreto
    Legislativo 1452", "loi n° 2021-1109", "Act CXII of 2011",
    "Constitution de 2010"; maybe followed by a title ("Ley 27.275 de Acceso a la
    Información Pública", "Law No. 14 of 2002 on the Exercise of Political Rights")."""
    rule = f"law.{lang}.numbered"
    base = numbered_base(lang, heads)
    patterns = [
        (rule, base),
        (rule, [*base, *year]),
        (rule, [head_cap, {"TEXT": {"REGEX": r"^[IVXLCDM]+$"}}, {"LOWER": "of"}, {"SHAPE": "dddd"}]),
        # "Constitution de 2010", "Código Penal de 1996"
        (rule, [head_cap, {"TEXT": {"REGEX": UPPER_START}, "OP": "{,2}"}, *year]),
        # an unnumbered title named by its date: "Constitution du 18 février 2006"
        (rule, [head_cap, {"TEXT": {"REGEX": UPPER_START}, "OP": "{,2}"}, *_date(lang)]),
    ]
    if lang == "en":
        patterns.append((rule, [*base, *year, *_english_numbered_title(law_vocabulary(lang))]))
    else:
        patterns.append((rule, [*base, *_numbered_title(law_vocabulary(lang))]))
    return patterns


def _date(lang: str) -> list[TokenPattern]:
    """'du 18 février 2006', 'de 20 de julio de 2001', 'of 18 February 2006'."""
    links = ["of", "du", "de", "del"]
    return [
        {"LOWER": {"IN": links}},
        {"TEXT": {"REGEX": r"^(?:[12]?\d|3[01])(?:er)?$"}},
        {"LOWER": "de", "OP": "?"},
        {"LOWER": {"IN": list(month_words(lang))}},
        {"LOWER": {"IN": links}, "OP": "?"},
        {"SHAPE": "dddd"},
    ]


def _english_numbered_title(vocab: dict[str, Any]) -> list[TokenPattern]:
    """The subject after an English number and year: "on the Exercise of Political Rights"."""
    links = "|".join(either(*vocab["inner_links"], "the", "its", "their", "&", "-"))
    return [
        {"LOWER": {"IN": ["on", "concerning", "regarding", "relating"]}},
        {"LOWER": {"IN": ["to", "the"]}, "OP": "*"},
        {"TEXT": {"REGEX": UPPER_START}},
        {"TEXT": {"REGEX": UPPER_START + "|^(?:" + links + ")$"}, "OP": "*"},
        {"TEXT": {"REGEX": UPPER_START}},
    ]


def _numbered_title(vocab: dict[str, Any]) -> list[TokenPattern]:
    """The title after a number: "de Acceso a la Información Pública"."""
    links = "|".join(either(*vocab["name_links"]))
    return [
        {"LOWER": {"IN": either(*_OF, "sobre", "sur", "relativa")}},
        {"LOWER": {"IN": either(*vocab["articles"])}, "OP": "?"},
        {"TEXT": {"REGEX": UPPER_START}},
        {"TEXT": {"REGEX": UPPER_START + "|^(?:" + links + ")$"}, "OP": "*"},
        {"TEXT": {"REGEX": UPPER_START}},
    ]
