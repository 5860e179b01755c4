"""Entities: the run's mentions grouped into entities, after the per-article resolution.

Runs in the main process, around the writer, because an entity spans the whole
run.  While articles stream by, `EntityBuilder.add` applies the curation file to
each article's mentions and counts every (type, key) for the `EntityResolver`;
`settle` then merges keys across articles and applies curation to the keys.
The writer hands each staged mention row to `link`, which gives it its final
type, key and entity id and counts it into its entity, and finally writes the
`Entity` records of `entities`, each with its canonical name and doubt score
(`doubt.py`).  Everything is decided from the mentions' keys and surfaces, not
from the article text, so memory grows with the number of distinct keys only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..knowledge.names import alias_form
from ..records import Article, Entity, entity_id
from .doubt import DoubtScorer, Evidence
from .merge import EntityResolver, EntityStats, Member

if TYPE_CHECKING:
    from ..knowledge.curation import Curation

# When an entity's members were resolved in several ways, the one it reports:
# the most authoritative first.
RESOLUTION_ORDER = ("registry", "iso", "acronym", "jurisdiction", "partial_name", "fuzzy", "fingerprint")


@dataclass
class _Group:
    """One entity's mentions as they pass through `link`, in table order."""

    members: set[Member] = field(default_factory=set)
    aliases: Counter[str] = field(default_factory=Counter)
    n_mentions: int = 0
    n_articles: int = 0
    last_article: str | None = None
    langs: set[str] = field(default_factory=set)
    curated: bool = False
    evidence: Evidence = field(default_factory=Evidence)

    def count(self, row: dict[str, Any], member: Member, curated: bool) -> None:
        self.members.add(member)
        self.aliases[alias_form(row["text"])] += 1
        self.n_mentions += 1
        if self.last_article != row["article_id"]:  # mentions come grouped by article
            self.n_articles += 1
            self.last_article = row["article_id"]
        self.langs.add(row["lang"])
        self.evidence.add(row["source"], row["label"], row["resolution"])
        self.curated |= curated


class EntityBuilder:
    """Builds the run's entities: `add` per batch, `settle` once, `link` per mention, then `entities`."""

    def __init__(
        self, fuzzy_threshold: float, curation: Curation | None = None, rules_off: tuple[str, ...] = ()
    ) -> None:
        self.resolver = EntityResolver(fuzzy_threshold, rules_off)
        self.curation = curation
        self.key_map: dict[Member, str] = {}
        # Keys as the resolver left them, before the curation file's merges: an
        # entity merged into another keeps the target's name (see `_entity`).
        self.resolved_keys: dict[Member, str] = {}
        self.retyped: dict[Member, Member] = {}
        self.groups: dict[Member, _Group] = {}

    def add(self, articles: Iterable[Article]) -> None:
        """Apply curation to each article's mentions (in place, before they are written) and count them."""
        for article in articles:
            if self.curation is not None:
                self.curation.apply_to_article(article)
            self.resolver.add(article.mentions)

    def settle(self) -> None:
        """Merge keys across articles, then apply the curation file's merges (its entries
        whose keys this run does not have do nothing, and say so: `Curation.match_keys`)."""
        self.retyped = self.resolver.retyped()
        self.key_map = self.resolved_keys = self.resolver.key_map()
        if self.curation is not None:
            self.curation.match_keys({
                *self.key_map, *((t, k) for (t, _), k in self.key_map.items()), *self.retyped.values()
            })
            sizes = {member: sum(s.aliases.values()) for member, s in self.resolver.stats.items()}
            self.key_map = self.curation.apply_to_keys(self.key_map, sizes)

    def link(self, row: dict[str, Any]) -> dict[str, Any]:
        """A staged mention row with its final type, key, entity id and curated flag."""
        member = (row["type"], row["key"])
        type_, key = self.retyped.get(member, member)
        key = self.key_map.get((type_, key)) or key
        curated = row["curated"] or (key != row["key"] and self._curated(type_, row["key"]))
        self.groups.setdefault((type_, key), _Group()).count(row, member, curated)
        return {**row, "entity_id": entity_id(type_, key), "type": type_, "key": key, "curated": curated}

    def entities(self) -> list[Entity]:
        """Every linked entity, with its doubt score, most mentioned first within each type."""
        built = [self._entity(type_, key, group) for (type_, key), group in self.groups.items()]
        scorer = DoubtScorer((e.type, alias) for e in built for alias in e.aliases)
        for entity, group in zip(built, self.groups.values(), strict=True):
            group.evidence.resolutions.add(entity.resolution)
            entity.doubt, entity.doubt_reasons = scorer.score(
                entity.type, entity.name, entity.aliases, group.evidence
            )
        return sorted(built, key=lambda e: (e.type, -e.n_mentions, e.name, e.entity_id))

    def _named_by(self, key: str, group: _Group) -> list[EntityStats]:
        """The members that were the entity before the curation file merged others into it:
        a merge chooses the target, so the target's own forms name it, not the most frequent
        form among everything merged in (a rename still overrides both)."""
        own = []
        for member in sorted(group.members):
            type_, resolved = self.retyped.get(member, member)
            if (self.resolved_keys.get((type_, resolved)) or resolved) == key:
                own.append(self.resolver.stats[member])
        return own

    def _curated(self, type_: str, key: str) -> bool:
        return self.curation is not None and self.curation.touches_key(type_, key)

    def _entity(self, type_: str, key: str, group: _Group) -> Entity:
        members = [self.resolver.stats[member] for member in sorted(group.members)]
        name = self.resolver.canonical_name(type_, self._named_by(key, group) or members)
        resolution = _resolution(members)
        if self.curation is not None:
            name = self.curation.rename(type_, key) or name
            if self.curation.touches_key(type_, key):
                resolution = "curation"
        aliases = sorted(group.aliases.items(), key=lambda kv: (-kv[1], kv[0]))
        return Entity(
            entity_id=entity_id(type_, key), type=type_, name=name, key=key,
            aliases=[a for a, _ in aliases], alias_counts=[n for _, n in aliases],
            n_mentions=group.n_mentions, n_articles=group.n_articles, langs=sorted(group.langs),
            resolution=resolution,
            registry_source=next((s.registry_source for s in members if s.registry_source), None),
            curated=group.curated or resolution == "curation",
        )


def _resolution(members: list[EntityStats]) -> str:
    """The most authoritative way the members were resolved; several members
    joined without a registry or ISO code count as a fuzzy merge."""
    resolutions: Counter[str] = Counter()
    for stats in members:
        resolutions.update(stats.resolutions)
    if len(members) > 1 and not {"registry", "iso"} & set(resolutions):
        resolutions["fuzzy"] += 1
    return next(r for r in RESOLUTION_ORDER if r in resolutions)
