"""The review queue: how doubtful each entity is, and why, from evidence the run already has.

Researchers cannot read thousands of entities, so every entity gets a doubt
score in [0, 1] and the reasons behind it; the audit report opens on the most
doubtful first.  Each reason is a piece of evidence that, on its own, makes an
extraction error more likely; reasons combine as independent signals
(noisy-OR: 1 - Π(1 - w)), so more reasons mean more doubt and no score passes 1.

The weights are set by reasoning about how each signal fails, not fitted to
any gold file; the signals name error classes seen among the held-out set's
false positives (corpus/eval/heldout), and the dev gold only checks them:

* a span that ends on a linking word ("Convention on") is cut short: nearly
  always wrong, so it weighs most;
* a one-word name (not an acronym) that is a common word (a role, a generic
  body, an ordinary word by wordfreq's frequencies) is a word the model
  mistook for a name; with nothing but the model behind it, any frequent word
  counts ('Justice', 'Existe', 'Budapest' as an organisation): organisations
  and people are rarely named by one everyday word, while names made of
  several common words are how institutions are named ('Constitutional
  Court') and count for nothing;
* support: an entity that only a statistical model found, with no rule and no
  registry or ISO code behind it, has nothing but the model's guess;
* one mention only: a real actor of civic-space reporting tends to recur;
  a one-off is as likely a misread heading or product name;
* conflicting types: the same surface is an entity of another type elsewhere.
  The model's labels disagreeing with each other or with the entity's type
  are no doubt: the decision settled the type on a cue in the context ('the
  outlet X') or on the other mentions, so the type is a rule's, not the model's;
* a one-word person ("John"): people are named in full at least once, and the
  partial-name rule links the short form to it; a lone one-word person was
  not, and is most often a word or a place the model read as a name;
* a one-word name that is a word of another entity's longer name ('Party' of
  'Move Forward Party', 'Sadykova' of 'Elnura Sadykova') is a fragment the
  model cut out of it;
* an organisation found by the model alone whose name has no organisation
  word (committee, fund, network, and the outlet and movement words of
  models/patterns/doubt.yaml) is as likely a product, an event or a person,
  unless it is an acronym or a cue typed it;
* an organisation name with lower-case words ('Centre de défense des droits
  humains') bounded by the model alone: small models often end such
  descriptive names early or run them on into the next words ('COPINH en
  Facebook'), where the rules bounding state bodies know where names end;
* a name holding a handle or web address ('LUCHA sur Twitter@luchaRDC') ran
  on past the name;
* a fuzzy or partial-name merge may have joined two different entities.

LOCATION entities are never counted in the figures (schema.py), so an error
there costs less: their doubt is halved, and counted errors come first.

Word lists come from models/patterns and models/lexicons (via `lexicon`), not
from this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..knowledge.lexicon import common_words, lexicon, pattern_file, vocabulary
from ..knowledge.names import fold, looks_like_acronym

# Reason → weight.  The reason text is what the report and the table show.
LAW_CUT_SHORT = "LAW name ends on a linking word (cut short)"
COMMON_WORD = "name is one common or frequent word"
MODEL_ONLY = "model only: no rule, registry or ISO code supports it"
ONE_MENTION = "one mention only"
TYPE_SPLIT = "type votes split: the same surface is an entity of another type"
ONE_WORD_PERSON = "person named by one word only"
NO_ORG_HEAD = "organisation name without an organisation word"
LOOSE_MERGE = "joined by a fuzzy or partial-name merge"
NAME_FRAGMENT = "one word out of another entity's longer name"
HANDLE = "name holds a handle or web address"
MODEL_BOUNDS = "descriptive organisation name bounded by the model alone: may be cut short or run on"
WEIGHTS: dict[str, float] = {
    LAW_CUT_SHORT: 0.6,
    COMMON_WORD: 0.5,
    MODEL_ONLY: 0.35,
    ONE_MENTION: 0.3,
    TYPE_SPLIT: 0.3,
    ONE_WORD_PERSON: 0.6,
    NO_ORG_HEAD: 0.3,
    LOOSE_MERGE: 0.2,
    NAME_FRAGMENT: 0.5,
    HANDLE: 0.6,
    MODEL_BOUNDS: 0.3,
}
UNCOUNTED_FACTOR = 0.5  # for LOCATION, which no figure counts
LANGS = ("en", "fr", "es")
# Model labels and the entity types they vote for (places: countries and other locations alike).
_LABEL_TYPES = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "LAW": "LAW",
                "GPE": "PLACE", "LOC": "PLACE"}
_PLACE = {"COUNTRY": "PLACE", "LOCATION": "PLACE"}


def _fold(text: str) -> str:
    return fold(text, keep_accents=True)


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


def _organisation_words() -> frozenset[str]:
    """The decision's organisation head words, and the outlet and movement words
    of models/patterns/doubt.yaml."""
    extra = pattern_file("doubt")["organisation_words"]
    return frozenset(_fold(w) for lang in LANGS for w in extra[lang]).union(
        *(lexicon(lang).org_heads for lang in LANGS)
    )


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


@dataclass(frozen=True)
class _Entity:
    """What the reasons look at of one entity: its name's words and its support."""

    type_: str
    name: str
    aliases: list[str]
    evidence: Evidence
    words: list[str]
    one_word: bool  # one word, not an acronym
    supported: bool  # a rule, a registry or an ISO code found it, not the model alone
    cue_typed: bool  # the model labelled every mention otherwise: a cue in the context decided the type

    @classmethod
    def of(cls, type_: str, name: str, aliases: list[str], evidence: Evidence) -> _Entity:
        words = [_fold(w) for w in name.split()]
        own = _PLACE.get(type_, type_)
        return cls(
            type_=type_,
            name=name,
            aliases=aliases,
            evidence=evidence,
            words=words,
            one_word=len(words) == 1 and not looks_like_acronym(name),
            supported=bool(evidence.rule_mentions or {"registry", "iso"} & evidence.resolutions),
            cue_typed=bool(evidence.label_types) and own not in evidence.label_types,
        )

    @property
    def own_type(self) -> str:
        return _PLACE.get(self.type_, self.type_)

    @property
    def model_one_word(self) -> bool:
        return self.one_word and not self.supported

    @property
    def model_org(self) -> bool:
        return self.type_ == "ORG" and not self.supported


_WORD = re.compile(r"\w+")
# A social-media handle or a web address inside a name.
_HANDLE = re.compile(r"@\w|https?:|www\.|\.(?:com|org|net)\b")


class DoubtScorer:
    """Scores entities; built once per run (word lists), then `score` per entity."""

    def __init__(self, surfaces: Iterable[tuple[str, str]]) -> None:
        """`surfaces`: (type, surface) of every entity's aliases, to see a surface typed
        otherwise by another entity and a one-word name that is a word of a longer name."""
        self.common = _common_words()
        self.frequent = frozenset().union(*(common_words(lang).frequent_words for lang in LANGS))
        self.links = _law_links()
        self.org_words = _organisation_words()
        self.surface_types: dict[str, set[str]] = {}
        self.longer_names: dict[str, set[str]] = {}  # word → the folded surfaces of several words holding it
        for type_, surface in surfaces:
            folded = _fold(surface)
            self.surface_types.setdefault(folded, set()).add(_PLACE.get(type_, type_))
            words = _WORD.findall(folded)
            if len(words) > 1:
                for word in words:
                    self.longer_names.setdefault(word, set()).add(folded)
        self.checks = self._checks()

    def reasons(self, type_: str, name: str, aliases: list[str], evidence: Evidence) -> list[str]:
        entity = _Entity.of(type_, name, aliases, evidence)
        return [reason for reason, applies in self.checks if applies(entity)]

    def _checks(self) -> tuple[tuple[str, Callable[[_Entity], bool]], ...]:
        """Every reason with its test, in the order reasons are listed (built once per run)."""
        return (
            (LAW_CUT_SHORT, lambda e: e.type_ == "LAW" and bool(e.words) and e.words[-1] in self.links),
            (COMMON_WORD, self._common_word),
            (MODEL_ONLY, lambda e: not e.supported),
            (ONE_MENTION, lambda e: e.evidence.n_mentions <= 1),
            (TYPE_SPLIT, self._typed_otherwise),
            (ONE_WORD_PERSON, lambda e: e.type_ == "PERSON" and len(e.words) == 1 and not e.supported),
            (NAME_FRAGMENT, lambda e: e.model_one_word and self._in_longer_name(e.words[0], e.aliases)),
            (NO_ORG_HEAD, self._without_organisation_word),
            (MODEL_BOUNDS, lambda e: e.model_org and any(w[:1].islower() for w in e.name.split())),
            (HANDLE, lambda e: bool(_HANDLE.search(e.name))),
            (LOOSE_MERGE, lambda e: bool({"fuzzy", "partial_name"} & e.evidence.resolutions)),
        )

    def _common_word(self, entity: _Entity) -> bool:
        if not entity.one_word:
            return False
        word = entity.words[0]
        return word in self.common or (not entity.supported and word in self.frequent)

    def _typed_otherwise(self, entity: _Entity) -> bool:
        own = entity.own_type
        return any(self.surface_types.get(_fold(a), set()) - {own} for a in entity.aliases)

    def _without_organisation_word(self, entity: _Entity) -> bool:
        if not entity.model_org or entity.cue_typed or looks_like_acronym(entity.name):
            return False
        return not any(w in self.org_words for w in entity.words)

    def _in_longer_name(self, word: str, aliases: list[str]) -> bool:
        """Whether another entity's name of several words holds this word (without
        copying the set of names that hold it: a frequent word is in thousands)."""
        own = {_fold(a) for a in aliases}
        return any(name not in own for name in self.longer_names.get(word, ()))

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
