"""The terminal view behind `python -m pipeline show`: one entity's card and its mentions in context.

`entity_mentions` finds the entity and its mentions as data (the API's
`Tables.entity` returns the same as DataFrames, `find_entity` reads them from an
output folder); `entity_card` prints them.
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
from .tables import article_label, check_folder


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
    """One entity's row of the entities table, and its rows of the mentions table in
    article order, then by offset, each with its article's `title`, `article` (the
    article's label: its title, or the file name and first line when it has none, see
    `article_label`) and `path` (its document's path)."""

    entity: dict[str, Any]
    mentions: pa.Table


_SHOWN_COLUMNS = (("title", pa.string()), ("article", pa.string()), ("path", pa.string()))


def entity_mentions(
    tables: dict[str, pa.Table],
    entity: str,
    type_: str | None = None,
    narrow: str = "--type TYPE",
) -> EntityMentions:
    """The entity that `entity` names (an id, a key, a name or an alias: case-, accent-
    and apostrophe-insensitive) and its mentions, from the `entities`, `mentions`,
    `articles` and `documents` tables.  Raises EntityLookupError when nothing matches,
    or when several entities do (`narrow` says how to choose, in the message)."""
    found = _find_entity(tables["entities"].to_pylist(), entity, type_, narrow)
    mentions = tables["mentions"]
    rows = mentions.filter(pc.equal(mentions["entity_id"], pa.scalar(found["entity_id"]))).to_pylist()
    articles = tables["articles"]
    order = {a: i for i, a in enumerate(articles.column("article_id").to_pylist())}
    wanted = pa.array(sorted({m["article_id"] for m in rows}), pa.string())
    needed = articles.filter(pc.is_in(articles["article_id"], wanted))
    documents = tables["documents"].select(["doc_id", "path"])
    paths = dict(zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True))
    shown: dict[str, dict[str, str | None]] = {}
    for a in needed.select(["article_id", "doc_id", "title", "text"]).to_pylist():
        path = paths.get(a["doc_id"], "?")
        shown[a["article_id"]] = {"title": a["title"], "article": article_label(a["title"], a["text"], path),
                                  "path": path}
    unknown = {"title": None, "article": "(article not in the table)", "path": "?"}
    rows.sort(key=lambda m: (order.get(m["article_id"], len(order)), m["start"]))
    rows = [{**m, **shown.get(m["article_id"], unknown)} for m in rows]
    schema = mentions.schema
    for name, type_of in _SHOWN_COLUMNS:
        schema = schema.append(pa.field(name, type_of))
    return EntityMentions(found, pa.Table.from_pylist(rows, schema=schema))


def find_entity(out_dir: Path, entity: str, type_: str | None = None) -> EntityMentions:
    """`entity_mentions` over the tables in `out_dir`: what `python -m pipeline show` prints.
    Raises OutputError when `out_dir` is not a folder of tables."""
    check_folder(out_dir)
    names = ("entities", "mentions", "articles", "documents")
    return entity_mentions({name: read_table(out_dir, name) for name in names}, entity, type_)


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
    """An entity's card and every mention in context, for the terminal (see `find_entity`).

    Mentions are marked »like this«, or in bold when `color` is true (default:
    when stdout is a terminal and NO_COLOR is unset).
    Raises EntityLookupError (an OutputError) when nothing matches, or when several entities do.
    """
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    found = find_entity(out_dir, entity, type_)
    mentions = found.mentions.to_pylist()
    lines = _header(found.entity, len(mentions), color)
    wrap = textwrap.TextWrapper(
        width=100, initial_indent="     ", subsequent_indent="     ", break_on_hyphens=False
    )
    for i, m in enumerate(mentions, 1):
        label = f" ({m['label']})" if m["label"] else ""
        curated = " · curated" if m["curated"] else ""
        lines.append(f"{i:>3}. {m['article']}  [{m['lang']}]")
        lines.append(
            f"     {m['path']} · {m['article_id']} {m['start']}–{m['end']} · "
            f"{m['source']}{label} · {m['resolution']}{curated}"
        )
        s = m["start"] - m["sentence_start"]
        lines.extend(wrap.wrap(_marked(m["sentence"], s, s + len(m["text"]), color)))
    return "\n".join(lines)
