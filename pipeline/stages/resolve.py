"""Stage 6, normalise: one key per real-world thing, within and across articles.

Two steps, so that tables can be written as articles stream by:

* `resolve_article` (per article, in the worker): keys each mention.  Countries
  by ISO code; laws and organisations by registry id (exact, then conservative
  fuzzy match); in-text acronyms by their long form; partial and glued person
  names ('Duguin', 'StephaneDuguin') by the full name introduced in the
  article; bare institution nouns ('the Commission') by the body named before;
  everything else by its name (`names.entity_key`: a slug in natural word order,
  which is the key users see and write in the curation file).
* `EntityResolver` (once, over the distinct keys of the whole run): merges keys
  across articles (acronyms defined in one article and used alone in another;
  organisations with the same fingerprint (case, accents, leading article,
  punctuation, legal-form and organisation-kind words across languages, word
  order), and fuzzy fingerprints at a measured threshold), applies the curation
  file, and picks each entity's canonical name.  Entity ids hash (type, final key) only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
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
    state_name,
)
from ..knowledge.lexicon import Lexicon, lexicon
from ..knowledge.names import (
    APOSTROPHES,
    PERSON_TITLES,
    entity_key,
    fold,
    looks_like_acronym,
    match_key,
    slug,
)
from ..knowledge.registry import Registry, RegistryEntry, load_registry
from ..records import Article, Mention, stable_id

# Legal-form words and organisation-kind words, mapped to one language so that
# 'Institut CyberPeace' and 'CyberPeace Institute' share a fingerprint.
# Why by hand: no maintained library maps organisation-kind nouns across
# English, French and Spanish; legal forms follow rigour's list in spirit.
_LEGAL_FORMS = frozenset(
    [
        "inc",
        "ltd",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "asbl",
        "ong",
        "aisbl",
        "bv",
        "nv",
        "co",
        "corp",
    ]
)
_KIND_WORDS = {
    "institut": "institute",
    "instituto": "institute",
    "fondation": "foundation",
    "fundacion": "foundation",
    "centre": "center",
    "centro": "center",
    "organisation": "organization",
    "organizacion": "organization",
    "alliance": "alliance",
    "alianza": "alliance",
    "reseau": "network",
    "red": "network",
    "comite": "committee",
    "commission": "commission",
    "comision": "commission",
    "conseil": "council",
    "consejo": "council",
    "observatoire": "observatory",
    "observatorio": "observatory",
    "association": "association",
    "asociacion": "association",
    "laboratoire": "lab",
    "laboratorio": "lab",
    "laboratory": "lab",
}
_ORG_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "for",
        "and",
        "de",
        "la",
        "le",
        "les",
        "l",
        "d",
        "du",
        "des",
        "el",
        "los",
        "las",
        "del",
        "y",
        "et",
    ]
)
# Registry fuzzy matches must be near-identical: 'Organization of Security and
# Cooperation in Europe' → OSCE, never 'European Parliament' → 'European Commission'
# (58) or 'European Council' (69).  Short names are never fuzzy-matched.
REGISTRY_FUZZY_SCORE = 92.0
FUZZY_MIN_CHARS = 12


def name_similarity(a: str, b: str, **_: object) -> float:
    """Edit similarity that also forgives word order: max of ratio and token-sort ratio."""
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def org_fingerprint(text: str) -> str:
    """Order-free key of an organisation name: 'l’Institut CyberPeace' → 'cyberpeace institute'."""
    words = re.findall(r"[a-z0-9]+", match_key(text))
    kept = {_KIND_WORDS.get(w, w) for w in words if w not in _LEGAL_FORMS and w not in _ORG_STOPWORDS}
    return " ".join(sorted(kept))


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
    partial_names: bool = True  # the `partial_names` rule family
    jurisdictions: bool = True  # the `jurisdiction` rule family
    public_bodies: bool = True  # the `public_bodies` rule family (bare body heads)
    text: str = ""  # the article's text, for the words around a mention
    scope: str = ""  # the article's id: the jurisdiction of a body of unknown country
    main_country: str | None = None
    countries: list[Mention] = field(default_factory=list)  # COUNTRY mentions, in order
    people: list[Mention] = field(default_factory=list)  # full-name mentions, in order
    orgs: list[Mention] = field(default_factory=list)  # resolved ORG and LAW mentions, in order
    # One sense per article: a surface resolved once keeps that resolution.
    seen: dict[tuple[str, str, str | None], Mention] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _fuzzy_choices(registry: Registry, type_: str) -> dict[str, RegistryEntry]:
    return {match_key(s): e for e in registry.entries if e.type == type_ for s in e.surfaces}


def _registry_match(text: str, type_: str, registry: Registry) -> tuple[str, str, str] | None:
    """(key, name, resolution) of the registry entry for `text`, exact or fuzzy."""
    entry = registry.lookup(text, type_)
    if entry is not None:
        return entry.id, entry.name, "registry"
    key = match_key(text)
    if looks_like_acronym(text) or len(key) < FUZZY_MIN_CHARS:
        return None
    choices = _fuzzy_choices(registry, type_)
    best = process.extractOne(key, list(choices), scorer=name_similarity)
    if best is not None and best[1] >= REGISTRY_FUZZY_SCORE:
        hit = choices[best[0]]
        return hit.id, hit.name, "fuzzy"
    return None


def _glued_to_word(squashed: str, name_words: set[str]) -> bool:
    """'Stéphaneest' is 'Stéphane' glued to a short word ('est') by lost spacing."""
    return any(
        len(word) >= 3 and squashed.startswith(word) and 0 < len(squashed) - len(word) <= 4
        for word in name_words
    )


def _resolve_person(mention: Mention, context: _ArticleContext) -> None:
    name = person_name(mention.text)
    squashed = slug(name).replace("-", "")
    words = {slug(w) for w in name.split()}
    for full in context.people:
        full_words = set(slug(full.name).split("-"))
        if full.name == name:
            continue
        if (
            squashed == slug(full.name).replace("-", "")
            or (len(words) == 1 and (words <= full_words or _glued_to_word(squashed, full_words)))
            or (context.partial_names and _short_form(name, full.name))
        ):
            mention.key, mention.name, mention.resolution = full.key, full.name, "partial_name"
            return
    mention.key, mention.name, mention.resolution = entity_key("PERSON", name), name, "fingerprint"
    if len(name.split()) > 1:
        context.people.append(mention)


def _short_form(name: str, full: str) -> bool:
    """'Yasmin Hegazy' (or 'YasminHegazy', glued on a byline) for 'Yasmin Abdelrahman
    Hegazy'; 'Aizhan Toktosunova' for 'Aizhan Toktosunova kyzy': the first name
    and later words of the full name, in order."""
    full_words = slug(full).split("-")
    words = slug(name).split("-")
    if len(full_words) < 3:
        return False
    if len(words) == 1:
        return words[0] in (full_words[0] + full_words[-1], full_words[0] + full_words[1])
    later = iter(full_words[1:])
    return words[0] == full_words[0] and len(words) < len(full_words) and all(w in later for w in words[1:])


_ARTICLE_OF_LAW = re.compile(r"^(?:article|art\.?|artículo|section)\s+\d+(?:[.-]\d+)*\w*$", re.I)
# "Section 112 of the Criminal Code": the law an article number was cited with.
_CITED_WITH = r"\s+(?:of|de|du|del|des)\s+(?:the\s+|la\s+|le\s+|l'|el\s+)?$"


def _bare_head(mention: Mention, lex: Lexicon, body_heads: frozenset[str] = frozenset()) -> str | None:
    """The head noun of a mention that names a body or law only by reference to
    one named before ('the Commission', 'la Convention', 'la Sala'); '' for
    'Article 4' (any earlier law); None for a real name.  `body_heads` are the
    folded heads of state bodies ('asamblea', 'cour')."""
    folded = mention.text.casefold().translate(APOSTROPHES)  # as the lexicon is
    if mention.type == "ORG" and (folded in lex.bare_heads or fold(folded) in body_heads):
        return fold(folded)
    if mention.type == "LAW":
        if folded in lex.heads_strong | lex.heads_weak:
            return fold(folded)
        if _ARTICLE_OF_LAW.match(folded):
            return ""
    return None


def _content_words(text: str, lex: Lexicon) -> set[str]:
    """Folded words of a law's title other than heads and short link words."""
    return {
        w for w in re.findall(r"\w+", fold(text)) if len(w) > 3 and w not in lex.heads_strong | lex.heads_weak
    }


def _unnamed_title(text: str, lex: Lexicon) -> bool:
    """'Convention sur la cybercriminalité', 'the Cybercrime Convention': a title by
    subject alone, with no proper name, refers to the law named before it."""
    words = text.split()
    named = [w for w in words[1:] if w[:1].isupper() and fold(w) not in lex.heads_strong | lex.heads_weak]
    return not named and len(words) <= 6 and bool(_content_words(text, lex))


def _resolve_org_or_law(mention: Mention, context: _ArticleContext) -> bool:
    """Key an ORG or LAW mention; False when it is a bare noun with nothing to refer to."""
    # One sense per name and country: 'the Constitutional Court' of Georgia and,
    # 'in Hungary, the Constitutional Court' in the same article are two courts.
    code = None
    if context.jurisdictions and is_national(mention.text, mention.type, context.lang):
        code = _jurisdiction(mention, context)[0]
    sense = (mention.type, fold(mention.text), code)
    earlier = context.seen.get(sense)
    if earlier is not None and not mention.key.startswith("acronym:"):
        mention.key, mention.name, mention.resolution = earlier.key, earlier.name, earlier.resolution
        mention.registry_source = earlier.registry_source
        return True
    resolved = _resolve_new_org_or_law(mention, context)
    if resolved:
        context.seen.setdefault(sense, mention)
    return resolved


def _resolve_new_org_or_law(mention: Mention, context: _ArticleContext) -> bool:
    from_acronym = mention.key.startswith("acronym:")
    target = mention.key.removeprefix("acronym:") if from_acronym else mention.text
    if from_acronym:
        for earlier in context.orgs:
            if earlier.text == target and earlier.type == mention.type:
                mention.key, mention.name, mention.resolution = earlier.key, earlier.name, "acronym"
                return True
        mention.key = ""
    if mention.key:  # a registry id set by the rules
        entry = context.registry.by_id.get(mention.key)
        if entry is not None and _fits_jurisdiction(entry, mention, context):
            mention.name, mention.resolution, mention.registry_source = entry.name, "registry", entry.source
            context.orgs.append(mention)
            return True
    hit = _registry_match(target, mention.type, context.registry)
    if hit is not None and _fits_jurisdiction(context.registry.by_id[hit[0]], mention, context):
        mention.key, mention.name, mention.resolution = hit
        mention.registry_source = context.registry.by_id[hit[0]].source
        context.orgs.append(mention)
        return True
    lex = lexicon(context.lang)
    body_heads = body_vocabulary(context.lang).bare_heads if context.public_bodies else frozenset()
    head = _bare_head(mention, lex, body_heads)
    if not context.partial_names:
        head = None
    elif head is None and mention.type == "LAW" and _unnamed_title(mention.text, lex):
        subject = _content_words(mention.text, lex)
        for earlier in reversed(context.orgs):
            if earlier.type == "LAW" and subject <= _content_words(earlier.text, lex):
                mention.key, mention.name, mention.resolution = earlier.key, earlier.name, "partial_name"
                return True
    if head is not None:
        for earlier in _cited_with(mention, context) if not head else []:
            mention.key, mention.name, mention.resolution = earlier.key, earlier.name, "partial_name"
            return True
        for earlier in reversed(context.orgs):
            if earlier.type == mention.type and (not head or head in fold(earlier.text).split()):
                mention.key, mention.name, mention.resolution = earlier.key, earlier.name, "partial_name"
                return True
        return False
    if from_acronym:
        mention.resolution = "acronym"
    mention.key = entity_key(mention.type, target)
    mention.name = target
    if context.jurisdictions and not from_acronym:
        code, base = _jurisdiction(mention, context)
        if is_national(target, mention.type, context.lang, code):
            jurisdiction = code or context.main_country or context.scope
            mention.key = jurisdiction_key(entity_key(mention.type, state_name(base)), jurisdiction)
            mention.resolution = "jurisdiction"
    context.orgs.append(mention)
    return True


def _cited_with(mention: Mention, context: _ArticleContext) -> list[Mention]:
    """The earlier law that the same article number was cited with ('Section 112
    of the Criminal Code' … 'Section 112'), not merely the last law named."""
    pattern = re.compile(re.escape(mention.text.translate(APOSTROPHES)) + _CITED_WITH, re.I)
    for earlier in context.orgs:
        preceding = context.text[max(0, earlier.start - len(mention.text) - 12) : earlier.start]
        if earlier.type == "LAW" and pattern.search(preceding.translate(APOSTROPHES)):
            return [earlier]
    return []


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
        for country in reversed(context.countries):
            if mention.sentence_start <= country.start < mention.start:
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
    if not is_national(mention.text, mention.type, context.lang):
        return True  # a proper title ('USA PATRIOT Act')
    return context.main_country == entry.jurisdiction


def resolve_article(
    article: Article, registry: Registry | None = None, rules_off: tuple[str, ...] = ()
) -> Article:
    """Key every mention of an article (in place); drops bare nouns with no referent."""
    countries = [m for m in article.mentions if m.type == "COUNTRY"]
    for country in countries:
        country.key = country.key or country_code(country.text, loose=True) or ""
    context = _ArticleContext(
        article.lang or "en",
        registry or load_registry(),
        partial_names="partial_names" not in rules_off,
        jurisdictions="jurisdiction" not in rules_off,
        public_bodies="public_bodies" not in rules_off,
        text=article.text,
        scope=article.article_id,
        main_country=main_country(m.key for m in countries),
        countries=countries,
    )
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
    article.mentions = kept
    return article


@dataclass
class EntityStats:
    """What the resolver needs to know of one (type, key): no article text."""

    type: str
    key: str
    aliases: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    resolutions: Counter[str] = field(default_factory=Counter)
    registry_source: str | None = None


class EntityResolver:
    """Collects per-key statistics while mentions stream by, then maps keys to entities."""

    def __init__(self, fuzzy_threshold: float, rules_off: tuple[str, ...] = ()) -> None:
        self.fuzzy_threshold = fuzzy_threshold
        self.rules_off = frozenset(rules_off)
        self.stats: dict[tuple[str, str], EntityStats] = {}
        self.acronyms: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            stats = self.stats.get((m.type, m.key))
            if stats is None:
                stats = self.stats[(m.type, m.key)] = EntityStats(m.type, m.key)
            stats.aliases[m.text] += 1
            stats.names[m.name] += 1
            stats.resolutions[m.resolution] += 1
            stats.registry_source = stats.registry_source or m.registry_source
            if m.resolution == "acronym" and looks_like_acronym(m.text):
                self.acronyms[(m.type, m.text)].add(m.key)

    def retyped(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(ORG, key) → (PERSON, key) for names typed as an organisation in one
        article and as a person elsewhere ('Stéphane Duguin'): one sense per corpus."""
        moves: dict[tuple[str, str], tuple[str, str]] = {}
        if "one_sense" in self.rules_off:
            return moves
        for (type_, key), stats in sorted(self.stats.items()):
            if type_ != "ORG" or set(stats.resolutions) != {"fingerprint"}:
                continue
            name = stats.names.most_common(1)[0][0]
            person = ("PERSON", entity_key("PERSON", name))
            if len(name.split()) > 1 and person in self.stats:
                moves[(type_, key)] = person
        return moves

    def key_map(self) -> dict[tuple[str, str], str]:
        """(type, article-level key) → final key, after cross-article merges."""
        parent: dict[tuple[str, str], tuple[str, str]] = {k: k for k in self.stats}

        def find(k: tuple[str, str]) -> tuple[str, str]:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a: tuple[str, str], b: tuple[str, str]) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=self._strength)
                parent[drop] = keep

        # An acronym defined in some article ('ECPMF') and used alone elsewhere.
        acronyms = self.acronyms if "acronym_merge" not in self.rules_off else {}
        for (type_, acronym), keys in sorted(acronyms.items()):
            bare = (type_, entity_key(type_, acronym))
            if len(keys) == 1 and bare in self.stats:
                union(bare, (type_, next(iter(keys))))
        # Organisations keyed by name: one fingerprint, one organisation
        # ('Institut CyberPeace' = 'CyberPeace Institute'), then a conservative
        # fuzzy merge of the fingerprints; keys with a jurisdiction are exact
        # ('ministry-of-justice-kg' ≠ '…-kz').
        exact = {"registry", "jurisdiction"} if "jurisdiction" not in self.rules_off else {"registry"}
        fingerprinted = sorted(
            k for k, s in self.stats.items() if k[0] == "ORG" and not exact & set(s.resolutions)
        )
        if "fuzzy_merge" in self.rules_off:
            fingerprinted = []
        texts = [org_fingerprint(k[1].replace("-", " ")) for k in fingerprinted]
        first_with: dict[str, tuple[str, str]] = {}
        for key, text in zip(fingerprinted, texts, strict=True):
            if text:
                union(first_with.setdefault(text, key), key)
        for i, key in enumerate(fingerprinted):
            if len(texts[i]) < FUZZY_MIN_CHARS:
                continue
            for _, _score, j in process.extract(
                texts[i], texts, scorer=name_similarity, score_cutoff=self.fuzzy_threshold, limit=5
            ):
                if j != i and len(texts[j]) >= FUZZY_MIN_CHARS:
                    union(key, fingerprinted[j])
        return {k: find(k)[1] for k in self.stats}

    def _strength(self, key: tuple[str, str]) -> tuple[int, int, str]:
        """Which key survives a merge: registry first, then the most mentioned."""
        stats = self.stats[key]
        registry = 0 if "registry" in stats.resolutions else 1
        return (registry, -sum(stats.aliases.values()), key[1])

    def canonical_name(self, type_: str, members: list[EntityStats]) -> str:
        """Registry/ISO name when there is one; else the most complete, most frequent form."""
        names: Counter[str] = Counter()
        for stats in members:
            names.update(stats.names)
        if any("registry" in s.resolutions or "iso" in s.resolutions for s in members):
            official = [n for s in members for n in s.names if {"registry", "iso"} & set(s.resolutions)]
            return sorted(official, key=lambda n: (-names[n], n))[0]
        candidates = [n for n in names if not looks_like_acronym(n)] or list(names)
        if type_ == "PERSON":
            return sorted(candidates, key=lambda n: (-len(n.split()), -names[n], n))[0]
        return sorted(candidates, key=lambda n: (-names[n], -len(n), n))[0]


def entity_id(type_: str, key: str) -> str:
    return stable_id("ent", type_, key)
