"""The review queue: how doubtful each entity is, and why, from evidence the run already has.

Researchers cannot read thousands of entities, so every entity gets a doubt
score in [0, 1] and the reasons behind it; the audit report opens on the most
doubtful first.  Each reason is a piece of evidence that, on its own, makes an
extraction error more likely; reasons combine as independent signals
(noisy-OR: 1 - Π(1 - w)), so more reasons mean more doubt and no score passes 1.

The weights are set by reasoning about how each signal fails, not fitted to
any gold file:

* a span that ends on a linking word ("Convention on") is cut short: nearly
  always wrong, so it weighs most;
* a name that is a common word of the language (a role, a generic body, an
  ordinary word by wordfreq's frequencies) is a word the model mistook for a name;
* support: an entity that only a statistical model found, with no rule and no
  registry or ISO code behind it, has nothing but the model's guess;
* one mention only: a real actor of civic-space reporting tends to recur;
  a one-off is as likely a misread heading or product name;
* conflicting types: the same surface is typed differently elsewhere, or
  the model's labels for its mentions disagree with the entity's type;
* a one-word person ("John"): people are named in full at least once, and the
  partial-name rule links the short form to it; a lone one-word person was not;
* an organisation found by the model alone whose name has no organisation
  head word (committee, fund, network…) is as likely a
  product, an event or a person;
* a fuzzy or partial-name merge may have joined two different entities.

LOCATION entities are never counted in the figures (schema.py), so an error
there costs less: their doubt is halved, and counted errors come first.

Word lists come from models/patterns and models/lexicons (via `lexicon`), not
from this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..knowledge.lexicon import common_words, lexicon, vocabulary
from ..knowledge.names import APOSTROPHES

# Reason → weight.  The reason text is what the report and the table show.
LAW_CUT_SHORT = "LAW name ends on a linking word (cut short)"
COMMON_WORD = "name is a common word"
MODEL_ONLY = "model only: no rule, registry or ISO code supports it"
ONE_MENTION = "one mention only"
TYPE_SPLIT = "type votes split: the same surface is typed otherwise"
ONE_WORD_PERSON = "person named by one word only"
NO_ORG_HEAD = "organisation name without an organisation word"
LOOSE_MERGE = "joined by a fuzzy or partial-name merge"
WEIGHTS: dict[str, float] = {
    LAW_CUT_SHORT: 0.6,
    COMMON_WORD: 0.5,
    MODEL_ONLY: 0.35,
    ONE_MENTION: 0.3,
    TYPE_SPLIT: 0.3,
    ONE_WORD_PERSON: 0.3,
    NO_ORG_HEAD: 0.3,
    LOOSE_MERGE: 0.2,
}
UNCOUNTED_FACTOR = 0.5  # for LOCATION, which no figure counts
LANGS = ("en", "fr", "es")
# Model labels and the entity types they vote for (places: countries and other locations alike).
_LABEL_TYPES = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "LAW": "LAW",
                "GPE": "PLACE", "LOC": "PLACE"}
_PLACE = {"COUNTRY": "PLACE", "LOCATION": "PLACE"}


def _fold(word: str) -> str:
    return word.casefold().translate(APOSTROPHES)


def _common_words() -> frozenset[str]:
    """Every word the word lists call generic (generic bodies, bare heads, roles,
    determiners) and every ordinary word of the three languages (frequent in the
    language and much rarer in the others, from wordfreq: 'Asimismo', 'Ensuite')."""
    words: set[str] = set()
    for lang in LANGS:
        lex = lexicon(lang)
        words |= lex.generic_orgs | lex.bare_heads | lex.roles | lex.determiners
        words |= common_words(lang).ordinary_words
    return frozenset(words)


def _law_links() -> frozenset[str]:
    laws = vocabulary()[0]
    return frozenset(_fold(w) for lang in LANGS for w in laws[lang]["name_links"])


@dataclass
class Evidence:
    """What the writer saw of one entity's mentions while streaming them."""

    n_mentions: int = 0
    rule_mentions: int = 0
    label_types: set[str] = field(default_factory=set)
    resolutions: set[str] = field(default_factory=set)

    def add(self, source: str, label: str | None, resolution: str) -> None:
        self.n_mentions += 1
        self.rule_mentions += source.startswith("rule:")
        if not source.startswith("rule:") and label in _LABEL_TYPES:
            self.label_types.add(_LABEL_TYPES[label])
        self.resolutions.add(resolution)


class DoubtScorer:
    """Scores entities; built once per run (word lists), then `score` per entity."""

    def __init__(self, surfaces: Iterable[tuple[str, str]]) -> None:
        """`surfaces`: (type, surface) of every entity's aliases, to see types split across entities."""
        self.common = _common_words()
        self.links = _law_links()
        self.org_heads = frozenset().union(*(lexicon(lang).org_heads for lang in LANGS))
        self.surface_types: dict[str, set[str]] = {}
        for type_, surface in surfaces:
            self.surface_types.setdefault(_fold(surface), set()).add(_PLACE.get(type_, type_))

    def reasons(self, type_: str, name: str, aliases: list[str], evidence: Evidence) -> list[str]:
        words = [_fold(w) for w in name.split()]
        own = _PLACE.get(type_, type_)
        supported = evidence.rule_mentions or {"registry", "iso"} & evidence.resolutions
        found = []
        if type_ == "LAW" and words and words[-1] in self.links:
            found.append(LAW_CUT_SHORT)
        if words and all(w in self.common for w in words):
            found.append(COMMON_WORD)
        if not supported:
            found.append(MODEL_ONLY)
        if evidence.n_mentions <= 1:
            found.append(ONE_MENTION)
        if evidence.label_types - {own} or any(
            self.surface_types.get(_fold(a), set()) - {own} for a in aliases
        ):
            found.append(TYPE_SPLIT)
        if type_ == "PERSON" and len(words) == 1 and not supported:
            found.append(ONE_WORD_PERSON)
        if type_ == "ORG" and not supported and not any(w in self.org_heads for w in words):
            found.append(NO_ORG_HEAD)
        if {"fuzzy", "partial_name"} & evidence.resolutions:
            found.append(LOOSE_MERGE)
        return found

    def score(self, type_: str, name: str, aliases: list[str], evidence: Evidence) -> tuple[float, list[str]]:
        """(doubt in [0, 1], reasons); rounded so the tables are byte-identical across platforms."""
        reasons = self.reasons(type_, name, aliases, evidence)
        trust = 1.0
        for reason in reasons:
            trust *= 1.0 - WEIGHTS[reason]
        doubt = 1.0 - trust
        if type_ == "LOCATION":
            doubt *= UNCOUNTED_FACTOR
        return round(doubt, 4), reasons
