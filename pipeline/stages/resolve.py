"""Resolve, per article (in the worker): one key per real-world thing named in an article.

`resolve_article` keys each mention.  Countries by ISO code; laws and
organisations by registry id (exact, then conservative fuzzy match); in-text
acronyms by their long form; partial and glued person names ('Duguin',
'StephaneDuguin') by the full name introduced in the article; bare institution
nouns ('the Commission') by the body named before; everything else by its name
(`names.entity_key`: a slug in natural word order, which is the key users see
and write in the curation file).  Keys are merged across articles later, in
the main process (`merge.py`, for the entities stage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..knowledge.countries import country_code, country_name
from ..knowledge.jurisdiction import (
    body_vocabulary,
    is_national,
    jurisdiction_key,
    main_country,
    named_jurisdiction,
    numbered_name,
    state_name,
    usual_state_name,
)
from ..knowledge.lexicon import Lexicon, lexicon
from ..knowledge.names import (
    APOSTROPHES,
    PERSON_TITLES,
    entity_key,
    fold,
    looks_like_acronym,
    match_key,
    without_un_qualifier,
)
from ..knowledge.patterns import alias_words
from ..knowledge.registry import Registry, RegistryEntry, load_registry
from ..records import Article, Mention
from .referents import AliasLinks, Countries, CountryFocus, People, Referents, content_words

# Registry fuzzy matches must be near-identical: 'Organization of Security and
# Cooperation in Europe' → OSCE, never 'European Parliament' → 'European Commission'
# (58) or 'European Council' (69).  Short names are never fuzzy-matched.
REGISTRY_FUZZY_SCORE = 92.0
FUZZY_MIN_CHARS = 12
# The kb_id the rules give an in-text acronym whose long form has no registry or
# ISO key: this prefix, then the long form.
ACRONYM_KEY = "acronym:"


def name_similarity(a: str, b: str, **_: object) -> float:
    """Edit similarity that also forgives word order: max of ratio and token-sort ratio."""
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def person_name(text: str) -> str:
    """A person's name without leading titles/roles: 'US House Speaker Nancy Pelosi' → 'Nancy Pelosi'."""
    words = text.split()
    while len(words) > 1 and (
        fold(words[0]).rstrip(".") in PERSON_TITLES or not match_key(words[0] + " x")[:-2]
    ):
        words = words[1:]
    return " ".join(words)


@dataclass
class _ArticleContext:
    lang: str
    registry: Registry
    countries: Countries  # COUNTRY mentions
    people: People  # full names introduced so far
    orgs: Referents  # resolved ORG and LAW mentions so far
    partial_names: bool = True  # the `partial_names` rule family
    jurisdictions: bool = True  # the `jurisdiction` rule family
    public_bodies: bool = True  # the `public_bodies` rule family (bare body heads)
    un_qualifier: bool = True  # the `un_qualifier` rule family
    law_numbers: bool = True  # the `law_numbers` rule family
    text: str = ""  # the article's text, for the words around a mention
    scope: str = ""  # the article's id: the jurisdiction of a body of unknown country
    focus: CountryFocus | None = None  # the country each paragraph is about
    # Mentions introduced as another name of the one before them ('X, known as Y'), by id.
    aliases: dict[int, Mention] = field(default_factory=dict)
    nicknames: dict[str, Mention] = field(default_factory=dict)  # a person's other name → the person
    # One sense per article: a surface resolved once keeps that resolution.
    seen: dict[tuple[str, str, str | None], Mention] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _fuzzy_choices(registry: Registry, type_: str) -> tuple[list[str], list[RegistryEntry]]:
    """The registry's surfaces of a type in match_key form, and their entries (a form's last)."""
    choices = {match_key(s): e for e in registry.entries if e.type == type_ for s in e.surfaces}
    return list(choices), list(choices.values())


def best_match(query: str, choices: list[str], threshold: float) -> int | None:
    """Index of the first choice with the highest `name_similarity` to `query` when that
    similarity is at least `threshold` (what `process.extractOne` with that scorer picks).

    rapidfuzz's native scorers pick the choices that may reach the threshold (with
    a point to spare), so the Python scorer runs on those few only."""
    cutoff = threshold - 1
    near = sorted({
        index
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio)
        for _, _, index in process.extract(query, choices, scorer=scorer, score_cutoff=cutoff, limit=None)
    })
    scored = [(name_similarity(query, choices[i]), -i) for i in near]
    best = max(scored, default=None)
    return -best[1] if best is not None and best[0] >= threshold else None


def _registry_match(
    text: str, type_: str, registry: Registry, un_qualifier: bool = True
) -> tuple[str, str, str] | None:
    """(key, name, resolution) of the registry entry for `text`, exact (also without
    the UN qualifier the text gives a UN body, with the `un_qualifier` rule
    family) or fuzzy."""
    entry = registry.lookup(text, type_)
    unqualified = without_un_qualifier(text) if un_qualifier else text
    if entry is None and unqualified != text and len(unqualified.split()) > 1:
        entry = registry.lookup(unqualified, type_)
    if entry is not None:
        return entry.id, entry.name, "registry"
    key = match_key(text)
    if looks_like_acronym(text) or len(key) < FUZZY_MIN_CHARS:
        return None
    surfaces, entries = _fuzzy_choices(registry, type_)
    best = best_match(key, surfaces, REGISTRY_FUZZY_SCORE)
    if best is not None:
        return entries[best].id, entries[best].name, "fuzzy"
    return None


def _resolve_person(mention: Mention, context: _ArticleContext) -> None:
    """Key a person by the first full name introduced before that it is a form of
    (`referents.refers_to`), else by its own name."""
    name = person_name(mention.text)
    named = context.aliases.get(id(mention))
    if named is not None and named.key:
        context.nicknames.setdefault(name, named)
    full = context.nicknames.get(name) or context.people.find(name)
    if full is not None:
        mention.key, mention.name, mention.resolution = full.key, full.name, "partial_name"
        return
    mention.key, mention.name, mention.resolution = entity_key("PERSON", name), name, "fingerprint"
    if len(name.split()) > 1:
        context.people.add(mention)


_ARTICLE_OF_LAW = re.compile(r"^(?:article|art\.?|artículo|section)\s+\d+(?:[.-]\d+)*\w*$", re.I)


def _bare_head(mention: Mention, lex: Lexicon, body_heads: frozenset[str] = frozenset()) -> str | None:
    """The head noun of a mention that names a body or law only by reference to
    one named before ('the Commission', 'la Convention', 'la Sala'); '' for
    'Article 4' (any earlier law); None for a real name.  `body_heads` are the
    folded heads of state bodies ('asamblea', 'cour')."""
    # The lexicon's form without `fold`'s space clean-up, which would make a bare
    # head of a span that kept a space at an end.
    folded = mention.text.casefold().translate(APOSTROPHES)
    if mention.type == "ORG" and (folded in lex.bare_heads or fold(folded) in body_heads):
        return fold(folded)
    if mention.type == "LAW":
        if folded in lex.heads_strong | lex.heads_weak:
            return fold(folded)
        if _ARTICLE_OF_LAW.match(folded):
            return ""
    return None


def _unnamed_title(text: str, lex: Lexicon) -> bool:
    """'Convention sur la cybercriminalité', 'the Cybercrime Convention': a title by
    subject alone, with no proper name, refers to the law named before it."""
    words = text.split()
    named = [w for w in words[1:] if w[:1].isupper() and fold(w) not in lex.heads_strong | lex.heads_weak]
    return not named and len(words) <= 6 and bool(content_words(text, lex))


def _resolve_org_or_law(mention: Mention, context: _ArticleContext) -> bool:
    """Key an ORG or LAW mention; False when it is a bare noun with nothing to refer to."""
    if mention.key.startswith(ACRONYM_KEY):  # the rules' kb_id for an acronym: its long form
        mention.long_form, mention.key = mention.key.removeprefix(ACRONYM_KEY), ""
    # One sense per name and country: 'the Constitutional Court' of Georgia and,
    # 'in Hungary, the Constitutional Court' in the same article are two courts.
    code = None
    if context.jurisdictions and _national(mention.text, mention.type, context):
        code = _jurisdiction(mention, context)[0] or _focus(mention, context)
    sense = (mention.type, fold(mention.text), code)
    earlier = context.seen.get(sense)
    if earlier is not None and mention.long_form is None:
        _refer(mention, earlier, earlier.resolution)
        mention.registry_source = earlier.registry_source
        return True
    resolved = _resolve_new_org_or_law(mention, context)
    if resolved:
        context.seen.setdefault(sense, mention)
    return resolved


def _refer(mention: Mention, earlier: Mention, resolution: str) -> bool:
    """Key a mention as the earlier one it refers to."""
    mention.key, mention.name, mention.resolution = earlier.key, earlier.name, resolution
    return True


def _resolve_new_org_or_law(mention: Mention, context: _ArticleContext) -> bool:
    """An acronym as its long form named before; else by the registry; else as the
    body or law it refers to; else by its own name (False: a bare noun, dropped)."""
    if mention.long_form is not None:
        defined = context.orgs.defined(mention.type, mention.long_form)
        if defined is not None:
            return _refer(mention, defined, "acronym")
    target = mention.long_form or mention.text
    if _by_registry(mention, target, context):
        context.orgs.add(mention)
        return True
    named = context.aliases.get(id(mention))
    if named is not None and named.key:  # 'the Law on NGOs, which everyone calls the Foreign …'
        _refer(mention, named, "partial_name")
        mention.registry_source = named.registry_source
        context.orgs.add(mention)
        return True
    referred = _by_reference(mention, context)
    if referred is not None:
        return referred
    _by_name(mention, target, context)
    context.orgs.add(mention)
    return True


def _by_registry(mention: Mention, target: str, context: _ArticleContext) -> bool:
    """Key by the registry entry the rules gave (its id as key), else the one `target`
    matches, when the entry's jurisdiction fits the mention's."""
    entry = context.registry.by_id.get(mention.key) if mention.key else None
    if entry is not None and _fits_jurisdiction(entry, mention, context):
        mention.name, mention.resolution, mention.registry_source = entry.name, "registry", entry.source
        return True
    hit = _registry_match(target, mention.type, context.registry, context.un_qualifier)
    if hit is not None and _fits_jurisdiction(context.registry.by_id[hit[0]], mention, context):
        mention.key, mention.name, mention.resolution = hit
        mention.registry_source = context.registry.by_id[hit[0]].source
        return True
    return False


def _by_reference(mention: Mention, context: _ArticleContext) -> bool | None:
    """True when the mention refers to a body or law named before (and is keyed as
    it), False when it is a bare noun with nothing to refer to, None when it names
    something itself (or the `partial_names` rule family is off).  A mention never
    refers to another country's body or law (`_same_passage`)."""
    if not context.partial_names:
        return None
    lex = lexicon(context.lang)
    bodies = body_vocabulary(context.lang)
    head = _bare_head(mention, lex, bodies.bare_heads if context.public_bodies else frozenset())
    if head is None:
        titled = context.orgs.shortened(mention.type, mention.text) or _law_by_subject(mention, context, lex)
        if titled is None or not _same_passage(titled, mention, context):
            return None
        return _refer(mention, titled, "partial_name")
    # An article number ('Section 112'): the law it was cited with, else the latest law.
    cited = context.orgs.cited_with(mention.text) if not head else None
    earlier = cited or context.orgs.latest_with_head(mention.type, head)
    if earlier is not None and _same_passage(earlier, mention, context):
        return _refer(mention, earlier, "partial_name")
    return None if _names_the_countrys_own(mention, head, context, bodies.legislatures) else False


def _names_the_countrys_own(
    mention: Mention, head: str, context: _ArticleContext, legislatures: frozenset[str]
) -> bool:
    """A bare head with nothing of its country named before it that names the
    passage's country's own body or law, keyed by its name: 'stalled in the Senate'
    (its chamber), 'la Constitution' (its constitution)."""
    legislature = context.public_bodies and head in legislatures and mention.text[:1].isupper()
    constitution = mention.type == "LAW" and bool(context.jurisdictions) and usual_state_name(mention.text)
    return bool(legislature or constitution)


def _same_passage(earlier: Mention, mention: Mention, context: _ArticleContext) -> bool:
    """A short reference ('the Penal Code', 'the Court') stays within its country: the
    one named with it ('in Hungary, the Constitutional Court') or its passage's
    (under the heading 'Indonesia', it never means the code named under 'Viet Nam')."""
    if not context.jurisdictions or not _national(earlier.text, earlier.type, context):
        return True  # 'the Commission' after 'European Commission': no country to keep to
    return _country_of(earlier, context) == _country_of(mention, context)


def _country_of(mention: Mention, context: _ArticleContext) -> str | None:
    return _jurisdiction(mention, context)[0] or _focus(mention, context)


def _law_by_subject(mention: Mention, context: _ArticleContext, lex: Lexicon) -> Mention | None:
    """The latest law whose title covers the subject of an unnamed title ('the
    Cybercrime Convention' after 'Budapest Convention on Cybercrime')."""
    if mention.type != "LAW" or not _unnamed_title(mention.text, lex):
        return None
    return context.orgs.law_by_subject(content_words(mention.text, lex))


def _by_name(mention: Mention, target: str, context: _ArticleContext) -> None:
    """Key by the name itself; a national body or law named without its country
    ('the Ministry of Justice') gets the country the article is about."""
    mention.key, mention.name = entity_key(mention.type, target), target
    if mention.long_form is not None:
        mention.resolution = "acronym"
    elif context.jurisdictions:
        code, base = _jurisdiction(mention, context)
        if _national(target, mention.type, context, code):
            jurisdiction = code or _focus(mention, context) or context.scope
            numbered = context.law_numbers and mention.type == "LAW"
            name = (numbered_name(base, context.lang) if numbered else None) or state_name(base)
            mention.key = jurisdiction_key(entity_key(mention.type, name), jurisdiction)
            mention.resolution = "jurisdiction"


def _jurisdiction(mention: Mention, context: _ArticleContext) -> tuple[str | None, str]:
    """The country named in or just around a mention, or placed before it in its
    sentence ('In Hungary, the Constitutional Court …'), and its name without it."""
    text = context.text
    if text[mention.start : mention.end] != mention.text:
        return named_jurisdiction(mention.text, context.lang)
    before = text[max(0, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 30]
    code, base = named_jurisdiction(mention.text, context.lang, before.split("\n")[-1], after.split("\n")[0])
    if code is None:
        locatives = body_vocabulary(context.lang).locatives
        for country in context.countries.latest_between(mention.sentence_start, mention.start):
            words = text[max(mention.sentence_start, country.start - 12) : country.start].split()
            if words and fold(words[-1]) in locatives:
                return country.key or None, base
    return code, base


def _fits_jurisdiction(entry: RegistryEntry, mention: Mention, context: _ArticleContext) -> bool:
    """A national registry entry never absorbs another country's law of the same
    name: the country named with the mention must be the entry's; a name that
    does not say its country ('the foreign agents law') must be in an article
    about the entry's country."""
    if entry.jurisdiction is None or not context.jurisdictions:
        return True
    code, _ = _jurisdiction(mention, context)
    if code is not None:
        return code == entry.jurisdiction
    if not _national(mention.text, mention.type, context):
        return True  # a proper title ('USA PATRIOT Act')
    return _focus(mention, context) == entry.jurisdiction


def _national(text: str, type_: str, context: _ArticleContext, named: str | None = None) -> bool:
    """`jurisdiction.is_national`, and not a body of an international organisation
    the registry knows by the acronym in its name ('Cour de justice de la CEDEAO')."""
    return is_national(text, type_, context.lang, named) and not any(
        (entry := context.registry.lookup(word, "ORG")) is not None and entry.jurisdiction is None
        for word in re.findall(r"[\w-]+", text)
        if looks_like_acronym(word)
    )


def _focus(mention: Mention, context: _ArticleContext) -> str | None:
    """The country the mention's paragraph is about (`CountryFocus`), if one."""
    return context.focus.at(mention.start) if context.focus is not None else None


def resolve_article(
    article: Article, registry: Registry | None = None, rules_off: tuple[str, ...] = ()
) -> Article:
    """Key every mention of an article (in place); drops bare nouns with no referent."""
    countries = [m for m in article.mentions if m.type == "COUNTRY"]
    for country in countries:
        country.key = country.key or country_code(country.text, loose=True) or ""
    lang = article.lang or "en"
    partial_names = "partial_names" not in rules_off
    context = _ArticleContext(
        lang,
        registry or load_registry(),
        Countries(countries),
        People(partial_names),
        Referents(
            article.text,
            lexicon(lang),
            frozenset(fold(w) for w in alias_words(lang).title_cuts),
            frozenset(fold(w) for w in alias_words(lang).name_cuts),
        ),
        partial_names=partial_names,
        jurisdictions="jurisdiction" not in rules_off,
        public_bodies="public_bodies" not in rules_off,
        un_qualifier="un_qualifier" not in rules_off,
        law_numbers="law_numbers" not in rules_off,
        text=article.text,
        scope=article.article_id,
        focus=CountryFocus(
            article.text,
            countries if "sections" not in rules_off else [],
            main_country(m.key for m in countries),
            body_vocabulary(lang).locatives,
        ),
    )
    if "aliases" not in rules_off:
        context.aliases = AliasLinks(article.text, article.mentions, lang).of
    kept: list[Mention] = []
    # Full names first, so that a surname used before the full name still links.
    people = sorted((m for m in article.mentions if m.type == "PERSON"), key=lambda m: -len(m.text.split()))
    for mention in people:
        _resolve_person(mention, context)
    for mention in article.mentions:
        if mention.type == "COUNTRY":
            code = mention.key or country_code(mention.text, loose=True) or ""
            mention.key, mention.name, mention.resolution = code, country_name(code), "iso"
        elif mention.type in ("ORG", "LAW") and not _resolve_org_or_law(mention, context):
            continue
        elif mention.type == "LOCATION":
            mention.key, mention.name, mention.resolution = (
                entity_key(mention.type, mention.text),
                mention.text,
                "fingerprint",
            )
        if mention.key:
            kept.append(mention)
    article.mentions = _with_aliases_joined(kept, context.aliases)
    return article


def _with_aliases_joined(mentions: list[Mention], aliases: dict[int, Mention]) -> list[Mention]:
    """An alias used before it is introduced ('le décret 54' in the title, 'le décret-loi
    n° 2022-54, que tout le monde appelle le décret 54' further on) was keyed as its
    own name: every mention of that key takes the key of the name it stands for,
    unless the registry keyed it."""
    moved: dict[tuple[str, str], Mention] = {}
    for mention in mentions:
        named = aliases.get(id(mention))
        if named is not None and named.key and named.key != mention.key and mention.resolution != "registry":
            moved.setdefault((mention.type, mention.key), named)
    for mention in mentions if moved else ():
        named = moved.get((mention.type, mention.key))
        if named is not None:
            mention.key, mention.name, mention.resolution = named.key, named.name, "partial_name"
    return mentions
