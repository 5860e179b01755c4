"""The terminal view behind `python -m pipeline show`: one entity's card and its mentions in context."""

from __future__ import annotations

import difflib
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...errors import OutputError
from ...knowledge.names import fold
from ...store.write import read_table


def _find_entity(entities: list[dict[str, Any]], query: str, type_: str | None) -> dict[str, Any]:
    """Match by id, then by key or canonical name, then by alias: the first tier that matches wins."""
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
        raise OutputError(f"no entity{where} has the id, key, name or alias {query!r}{hint}")
    if len(matches) > 1:  # one line, like every CLI error
        listing = "; ".join(
            f"{e['entity_id']} ({e['type']} {e['name']!r}, key {e['key']}, {e['n_mentions']} mentions)"
            for e in sorted(matches, key=lambda e: (e["type"], -e["n_mentions"], e["entity_id"]))
        )
        raise OutputError(
            f"{query!r} matches {len(matches)} entities{where}; give --type TYPE or the entity id: {listing}"
        )
    return matches[0]


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
    Raises OutputError when nothing matches, or when several entities do.
    """
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    e = _find_entity(read_table(out_dir, "entities").to_pylist(), entity, type_)
    mentions_table = read_table(out_dir, "mentions")
    mine = pc.equal(mentions_table["entity_id"], pa.scalar(e["entity_id"]))
    mentions = mentions_table.filter(mine).to_pylist()
    articles = read_table(out_dir, "articles").select(["article_id", "title", "lang"]).to_pylist()
    order = {a["article_id"]: i for i, a in enumerate(articles)}
    by_id = {a["article_id"]: a for a in articles}
    mentions.sort(key=lambda m: (order.get(m["article_id"], len(order)), m["start"]))

    lines = _header(e, len(mentions), color)
    wrap = textwrap.TextWrapper(
        width=100, initial_indent="     ", subsequent_indent="     ", break_on_hyphens=False
    )
    for i, m in enumerate(mentions, 1):
        article = by_id.get(m["article_id"], {})
        label = f" ({m['label']})" if m["label"] else ""
        curated = " · curated" if m["curated"] else ""
        lines.append(
            f"{i:>3}. {article.get('title') or '(untitled)'}  [{m['lang']}]  {m['article_id']} "
            f"{m['start']}–{m['end']}  {m['source']}{label}  {m['resolution']}{curated}"
        )
        s = m["start"] - m["sentence_start"]
        lines.extend(wrap.wrap(_marked(m["sentence"], s, s + len(m["text"]), color)))
    return "\n".join(lines)
