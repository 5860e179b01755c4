"""The word lists of models/patterns/, each file read once and checked against its typed schema.

`pattern_file(name)` is the one way the code reads `models/patterns/<name>.yaml`:
the file's data, after its schema in `PATTERN_SCHEMAS` accepted it (a key the
schema does not know, or a word that is not a string, is an error naming file
and line).  The typed lexicon (lexicon.py) and the other loaders build on it.

A new word-list file is registered by adding its schema (a `Schema` subclass
naming every key the code reads) to `PATTERN_SCHEMAS`;
tests/knowledge/test_yaml_keys.py fails for a YAML file under models/ without a
schema, and for a schema key that no code reads.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, RootModel

from ..config import MODELS_DIR
from .yamlfile import check, parse, read_text

PATTERNS_DIR = MODELS_DIR / "patterns"

Lang = Literal["en", "fr", "es"]
LANGS: tuple[str, ...] = get_args(Lang)
Words = list[str]
Typed = TypeVar("Typed", bound=BaseModel)


class Schema(BaseModel):
    """A mapping of a YAML file: every key known, every value of its type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LawWords(Schema):
    """laws.yaml, per language: the vocabulary of law titles."""

    heads_strong: Words
    heads_weak: Words
    determiners: Words
    name_links: Words
    topic_links: Words
    articles: Words
    adjective_endings: Words
    title_links: Words
    stops: Words
    heads_numbered: Words
    negations: Words
    amending: Words
    amended_links: Words
    alias_links: Words
    drafts: Words
    # English only: the links the law grammar accepts after an instrument noun
    # and inside a title (other languages' grammar uses `name_links`).
    head_links: Words = []
    inner_links: Words = []


class StopWords(Schema):
    """stoplists.yaml, per language: words the model takes for names that are not entities.

    The titles and roles are one list in three parts: `titles` are both titles
    before a name and roles, `roles_only` and `titles_only` serve one use only.
    """

    generic_orgs: Words
    bare_heads: Words
    titles: Words
    roles_only: Words
    titles_only: Words
    org_heads: Words
    name_particles: Words


class CueWords(Schema):
    """cues.yaml, per language: context words that make a name a person or an organisation."""

    person_titles: Words
    speech_before: Words
    speech_after: Words
    apposition_roles: Words
    org_class_nouns: Words
    org_before: Words
    org_after: Words
    org_suffixes: Words
    org_prefixes: Words


class CommonWordSettings(Schema):
    min_zipf: float
    margin: float
    reference_languages: Words


class FirstNameSettings(Schema):
    min_length: int


class CueFile(Schema):
    common_words: CommonWordSettings
    first_names: FirstNameSettings
    en: CueWords
    fr: CueWords
    es: CueWords
    patronymics: Words

    def language(self, lang: str) -> CueWords:
        return {"en": self.en, "fr": self.fr, "es": self.es}[lang]


class GazetteerSettings(Schema):
    """How the place lists of models/lexicons/ are distilled (see places.yaml)."""

    min_population: int
    alternate_names_min_population: int
    min_length: int
    max_words: int


class PlaceWords(Schema):
    """places.yaml, per language: words around a name that make it a place."""

    locatives: Words
    place_nouns: Words
    place_links: Words


class PlaceFile(Schema):
    gazetteer: GazetteerSettings
    en: PlaceWords
    fr: PlaceWords
    es: PlaceWords

    def language(self, lang: str) -> PlaceWords:
        return {"en": self.en, "fr": self.fr, "es": self.es}[lang]


class BodyWords(Schema):
    """bodies.yaml, per language: the words of state bodies and national laws."""

    heads: Words
    shared_heads: Words
    state_markers: Words
    bare_heads: Words
    legislatures: Words
    links: Words
    law_heads: Words
    international: Words
    locatives: Words
    number_marks: Words
    country_links: Words


class DecisionWords(Schema):
    """decision.yaml: the words the type decision cuts, splits and trims spans at."""

    coordinators: Words
    connectors: Words
    trailing_links: Words
    indefinites: Words
    section_words: Words
    articles: Words
    remit_links: Words
    place_links: Words


class RepairWords(Schema):
    """repair.yaml: closed-class words after which a capital is always lost spacing ("theUN")."""

    function_words: Words


class OrganisationNameWords(Schema):
    """organisation_names.yaml: what an organisation's fingerprint leaves out or translates."""

    legal_forms: Words
    kind_words: dict[str, str]
    stopwords: Words


class DoubtWords(Schema):
    """doubt.yaml: outlet and movement words that make a name an organisation's, per language."""

    organisation_words: dict[Lang, Words]


class AliasWords(Schema):
    """aliases.yaml, per language: the words that give an entity just named another name."""

    direct_cues: Words
    relatives: Words
    naming_verbs: Words
    articles: Words
    title_cuts: Words
    name_cuts: Words
    un_qualifiers: Words


class AliasFile(RootModel[dict[Lang, AliasWords]]):
    pass


class LawFile(RootModel[dict[Lang, LawWords]]):
    pass


class StopFile(RootModel[dict[Lang, StopWords]]):
    pass


class BodyFile(RootModel[dict[Lang, BodyWords]]):
    pass


class StateNameFile(RootModel[dict[str, Words]]):
    """state_names.yaml: one English name → its spellings in every language."""


PATTERN_SCHEMAS: dict[str, type[BaseModel]] = {
    "laws": LawFile,
    "stoplists": StopFile,
    "cues": CueFile,
    "bodies": BodyFile,
    "state_names": StateNameFile,
    "decision": DecisionWords,
    "repair": RepairWords,
    "organisation_names": OrganisationNameWords,
    "doubt": DoubtWords,
    "aliases": AliasFile,
    "places": PlaceFile,
}


@cache
def _checked(name: str) -> tuple[dict[str, Any], BaseModel | None]:
    """(the file's data, its typed form when it has a schema), read once per process."""
    path = PATTERNS_DIR / f"{name}.yaml"
    text = read_text(path)
    data: dict[str, Any] = parse(text, path)
    schema = PATTERN_SCHEMAS.get(name)
    return data, check(schema, data, path, text) if schema is not None else None


def pattern_file(name: str) -> dict[str, Any]:
    """The parsed `models/patterns/<name>.yaml`, checked against its schema, read once per process."""
    return _checked(name)[0]


def _typed(name: str, schema: type[Typed]) -> Typed:
    typed = _checked(name)[1]
    assert isinstance(typed, schema)
    return typed


def _by_lang(per_lang: dict[Lang, Typed]) -> dict[str, Typed]:
    return {str(lang): words for lang, words in per_lang.items()}


def law_words(lang: str) -> LawWords:
    return _by_lang(_typed("laws", LawFile).root)[lang]


def stop_words(lang: str) -> StopWords:
    return _by_lang(_typed("stoplists", StopFile).root)[lang]


def cue_words() -> CueFile:
    return _typed("cues", CueFile)


def place_words() -> PlaceFile:
    return _typed("places", PlaceFile)


def body_words(lang: str) -> BodyWords:
    """bodies.yaml's words for `lang`; English ones for another language."""
    words = _by_lang(_typed("bodies", BodyFile).root)
    return words.get(lang) or words["en"]


def alias_words(lang: str) -> AliasWords:
    """aliases.yaml's words for `lang`; English ones for another language."""
    words = _by_lang(_typed("aliases", AliasFile).root)
    return words.get(lang) or words["en"]


def state_name_spellings() -> dict[str, Words]:
    return _typed("state_names", StateNameFile).root
