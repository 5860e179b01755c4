"""The grammar of state bodies' names: spaCy Matcher patterns per language.

English names end in their head ("Supreme Court", "National Security
Service") or follow it with "of/for/on …" ("Ministry of Digital Economy and
Society", "State Committee for National Security").  French and Spanish
ones start with the head, maybe after a rank adjective ("Haute Autorité",
"Suprema Corte"), and go on with adjectives ("Asamblea Legislativa", "Cour
constitutionnelle") and "de …" blocks ("Sala de lo Penal", "Defensoría del
Pueblo", "Conseil supérieur de l'audiovisuel").  The candidates are then
kept only when `jurisdiction.is_national` calls them a state body
(`rules.RuleRecogniser`).
"""

from __future__ import annotations

from typing import Any

from ...knowledge.jurisdiction import BodyVocabulary, body_vocabulary
from .law_grammar import UPPER_START, RulePatterns, TokenPattern, adjective_pattern, either, law_vocabulary

_NOT_INFINITIVE = r"^(?![a-zà-öø-ÿ]+(?:er|ir|ar)(?:se|lo|la|los|las|le|les)?$)"
_NOT_PARTICIPLE = r"^(?![a-zà-öø-ÿ]+(?:ados|adas|idos|idas|és|ées)$)"


def body_patterns(lang: str) -> RulePatterns:
    """(rule id, Matcher pattern) pairs for the names of state bodies in `lang`."""
    vocab = body_vocabulary(lang)
    words = law_vocabulary(lang)
    head: TokenPattern = {"LOWER": {"IN": either(*vocab.head_words)}, "TEXT": {"REGEX": UPPER_START}}
    if lang == "en":
        return _english_patterns(vocab, words, head)
    return _romance_patterns(lang, vocab, words, head)


def _english_patterns(vocab: BodyVocabulary, words: dict[str, Any], head: TokenPattern) -> RulePatterns:
    cap: TokenPattern = {"TEXT": {"REGEX": UPPER_START}, "LOWER": {"NOT_IN": either(*words["determiners"])}}
    tail: TokenPattern = {"TEXT": {"REGEX": UPPER_START + r"|^-$"}, "OP": "*"}
    of_the: list[TokenPattern] = [{"LOWER": {"IN": ["of", "for", "on"]}}, {"LOWER": "the", "OP": "?"}]
    # "Ministry of Public Service, Labour and Social Welfare" (commas checked in `rules._enumeration`)
    inner: list[TokenPattern] = [
        {"LOWER": {"IN": [*either(*vocab.links), "-", ","]}},
        {"LOWER": "the", "OP": "?"},
    ]
    patterns: RulePatterns = [("body.en.name", [{**cap, "OP": "*"}, head])]
    for blocks in range(4):
        patterns.append(
            (
                "body.en.name_of",
                [{**cap, "OP": "*"}, head, *of_the, cap, tail, *([*inner, cap, tail] * blocks)],
            )
        )
    return patterns


def _of_block(words: dict[str, Any], adjective: TokenPattern) -> list[TokenPattern]:
    """A "de …" block after the head: "de la Justicia", "de lo Penal"."""
    of = either("de", "du", "des", "del", "d’", "pour", "para", "chargé", "chargée")
    return [
        {"LOWER": {"IN": of}},
        {
            "LOWER": {"IN": either("la", "le", "les", "l’", "el", "los", "las", "lo", "de", "à", "a")},
            "OP": "{,2}",
        },
        # Not a verb: "le Parlement d'accorder …"
        {
            "IS_ALPHA": True,
            "LOWER": {"NOT_IN": either(*words["stops"], *words["name_links"])},
            "TEXT": {"REGEX": _NOT_INFINITIVE},
        },
        {**adjective, "OP": "{,2}"},
        # "de Registros y Notarías", "de Defensores, Periodistas y Operadores de Justicia"
        {"TEXT": {"REGEX": UPPER_START + r"|^(?:,|y|e|et)$"}, "OP": "*"},
    ]


def _romance_patterns(
    lang: str, vocab: BodyVocabulary, words: dict[str, Any], head: TokenPattern
) -> RulePatterns:
    markers = either(*vocab.marker_words)
    # not a participle: "la Corte Suprema de Justicia [señalados] por …"
    adjective: TokenPattern = {
        **adjective_pattern(words["adjective_endings"]),
        "TEXT": {"REGEX": _NOT_PARTICIPLE},
    }
    modifier: TokenPattern = {"LOWER": {"IN": markers}, "TEXT": {"REGEX": UPPER_START}, "OP": "?"}
    after_head: TokenPattern = {
        "TEXT": {"REGEX": UPPER_START},
        "LOWER": {"NOT_IN": either(*words["stops"])},
        "OP": "{,3}",
    }
    lower_marker: TokenPattern = {"LOWER": {"IN": markers}, "IS_LOWER": True}
    block = _of_block(words, adjective)
    # French (and at times Spanish) write a ministry or a court with a lower-case
    # head: "le ministère de la Justice", "le tribunal administratif de Ouagadougou";
    # such a name needs a capitalised word after "de".
    lower_head: TokenPattern = {"LOWER": {"IN": either(*vocab.head_words)}, "IS_LOWER": True}
    named_block: list[TokenPattern] = [
        block[0],
        block[1],
        {"TEXT": {"REGEX": UPPER_START}, "LOWER": {"NOT_IN": either(*words["stops"])}},
        block[-1],
    ]
    patterns: RulePatterns = []
    for blocks in range(5):
        for adjectives in ([], [adjective], [lower_marker], [adjective, adjective]):
            patterns.append((f"body.{lang}.name", [modifier, head, *adjectives, after_head, *block * blocks]))
            if blocks < 3:
                patterns.append((f"body.{lang}.name", [lower_head, *adjectives, *named_block * (blocks + 1)]))
    return patterns
