"""The terminal view behind `python -m pipeline show`: one entity's card and its mentions in context.

`entity_mentions` finds the entity and its mentions as data (the API's
`Tables.entity` returns the same as DataFrames); `entity_card` prints them.
"""

from __future__ import annotations

import difflib
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...errors import EntityLookupError
from ...knowledge.names import fold
from ...store.write import read_table


def _find_entity(
    entities: list[dict[str, Any]], query: str, type_: str | None, narrow: str
) -> dict[str, Any]:
    """Match by id, then by key or canonical name, then by alias: the first tier that matches wins;
    `narrow` is how the caller names the type filter in the error for several matches."""
    candidates = [e for e in entities if type_ is None or e["type"] == type_]
    needle = fold(query)
    tiers = [
        [e for e in candidates if e["entity_id"] == query.strip()],
        [e for e in candidates if needle in (fold(e["key"]), fold(e["name"]))],
        [e for e in candidates if needle in {fold(a) for a in e["aliases"]}],
    ]
    matches = next((tier for tier in tiers if tier), [])
    where = f" of type {type_}" if type_ else ""
    if not matches:
        names = {fold(n): n for e in candidates for n in (e["name"], *e["aliases"])}
        close = [n for f, n in names.items() if needle and needle in f][:5] or [
            names[f] for f in difflib.get_close_matches(needle, list(names), n=5, cutoff=0.75)
        ]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise EntityLookupError(f"no entity{where} has the id, key, name or alias {query!r}{hint}")
    if len(matches) > 1:  # one line, like every CLI error
        listing = "; ".join(
            f"{e['entity_id']} ({e['type']} {e['name']!r}, key {e['key']}, {e['n_mentions']} mentions)"
            for e in sorted(matches, key=lambda e: (e["type"], -e["n_mentions"], e["entity_id"]))
        )
        raise EntityLookupError(
            f"{query!r} matches {len(matches)} entities{where}; give {narrow} or the entity id: {listing}"
        )
    return matches[0]


@dataclass(frozen=True)
class EntityMentions:
    """One entity's row of the entities table, and its rows of the mentions table with
    their article's `title`, in article order, then by offset."""

    entity: dict[str, Any]
    mentions: pa.Table


def entity_mentions(
    entities: pa.Table,
    mentions: pa.Table,
    articles: pa.Table,
    entity: str,
    type_: str | None = None,
    narrow: str = "--type TYPE",
) -> EntityMentions:
    """The entity that `entity` names (an id, a key, a name or an alias: case-, accent-
    and apostrophe-insensitive) and its mentions.  Raises EntityLookupError when nothing
    matches, or when several entities do (`narrow` says how to choose, in the message)."""
    found = _find_entity(entities.to_pylist(), entity, type_, narrow)
    rows = mentions.filter(pc.equal(mentions["entity_id"], pa.scalar(found["entity_id"]))).to_pylist()
    listed = articles.select(["article_id", "title"]).to_pylist()
    order = {a["article_id"]: i for i, a in enumerate(listed)}
    titles = {a["article_id"]: a["title"] for a in listed}
    rows.sort(key=lambda m: (order.get(m["article_id"], len(order)), m["start"]))
    for row in rows:
        row["title"] = titles.get(row["article_id"])
    schema = mentions.schema.append(pa.field("title", pa.string()))
    return EntityMentions(found, pa.Table.from_pylist(rows, schema=schema))


def _marked(sentence: str, start: int, end: int, bold: bool) -> str:
    before, mention, after = sentence[:start], sentence[start:end], sentence[end:]
    mention = f"\x1b[1m{mention}\x1b[0m" if bold else f"»{mention}«"
    return " ".join((before + mention + after).split())


def _header(e: dict[str, Any], n_mentions: int, color: bool) -> list[str]:
    aliases = ", ".join(f"{a} ×{n}" for a, n in zip(e["aliases"], e["alias_counts"], strict=True))
    resolution = e["resolution"] + (f" (registry: {e['registry_source']})" if e["registry_source"] else "")
    name = f"\x1b[1m{e['name']}\x1b[0m" if color else e["name"]
    return [
        f"{name}  [{e['type']}]",
        f"  id          {e['entity_id']}",
        f"  key         {e['key']}",
        f"  resolution  {resolution}",
        f"  curated     {'yes' if e['curated'] else 'no'}",
        f"  languages   {', '.join(e['langs'])}",
        f"  mentions    {e['n_mentions']} in {e['n_articles']} article(s)",
        f"  aliases     {aliases}",
        "",
        f"Mentions ({n_mentions}):",
    ]


def entity_card(out_dir: Path, entity: str, type_: str | None = None, *, color: bool | None = None) -> str:
    """An entity's card and every mention in context, for the terminal.

    `entity` is an entity id, a key, a name or an alias (case-, accent- and
    apostrophe-insensitive).  Mentions are marked »like this«, or in bold when
    `color` is true (default: when stdout is a terminal and NO_COLOR is unset).
    Raises EntityLookupError (an OutputError) when nothing matches, or when several entities do.
    """
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    found = entity_mentions(
        read_table(out_dir, "entities"), read_table(out_dir, "mentions"), read_table(out_dir, "articles"),
        entity, type_,
    )
    e, mentions = found.entity, found.mentions.to_pylist()

    lines = _header(e, len(mentions), color)
    wrap = textwrap.TextWrapper(
        width=100, initial_indent="     ", subsequent_indent="     ", break_on_hyphens=False
    )
    for i, m in enumerate(mentions, 1):
        label = f" ({m['label']})" if m["label"] else ""
        curated = " · curated" if m["curated"] else ""
        lines.append(
            f"{i:>3}. {m['title'] or '(untitled)'}  [{m['lang']}]  {m['article_id']} "
            f"{m['start']}–{m['end']}  {m['source']}{label}  {m['resolution']}{curated}"
        )
        s = m["start"] - m["sentence_start"]
        lines.extend(wrap.wrap(_marked(m["sentence"], s, s + len(m["text"]), color)))
    return "\n".join(lines)
