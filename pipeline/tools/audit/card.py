"""The terminal view behind `python -m pipeline show`: one entity's card and its mentions in context."""

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

from ...errors import OutputError
from ...knowledge.names import fold
from ...store.write import read_table
from .tables import article_label, check_folder


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


@dataclass(frozen=True)
class EntityMentions:
    """One entity's row and its mention rows in table order (article, then offset).

    Each mention row also carries `article` (the article's label: its title, or the file
    name and first line when it has none, see `article_label`) and `path` (its document).
    """

    entity: dict[str, Any]
    mentions: list[dict[str, Any]]


def _articles_of(out_dir: Path, article_ids: set[str]) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """Every article's position in the table, and the label and document path of `article_ids`."""
    articles = read_table(out_dir, "articles")
    order = {a: i for i, a in enumerate(articles.column("article_id").to_pylist())}
    needed = articles.filter(pc.is_in(articles["article_id"], pa.array(sorted(article_ids), pa.string())))
    needed_rows = needed.select(["article_id", "doc_id", "title", "text"]).to_pylist()
    documents = read_table(out_dir, "documents").select(["doc_id", "path"])
    paths = dict(zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True))
    shown = {
        a["article_id"]: {"article": article_label(a["title"], a["text"], paths.get(a["doc_id"], "?")),
                          "path": paths.get(a["doc_id"], "?")}
        for a in needed_rows
    }
    return order, shown


def find_entity(out_dir: Path, entity: str, type_: str | None = None) -> EntityMentions:
    """The entity that `entity` names, with every mention: what `python -m pipeline show` prints.

    `entity` is an entity id, a key, a name or an alias (case-, accent- and
    apostrophe-insensitive).  Raises OutputError when nothing matches, or when several entities do.
    """
    check_folder(out_dir)
    e = _find_entity(read_table(out_dir, "entities").to_pylist(), entity, type_)
    mentions_table = read_table(out_dir, "mentions")
    mine = pc.equal(mentions_table["entity_id"], pa.scalar(e["entity_id"]))
    mentions = mentions_table.filter(mine).to_pylist()
    order, shown = _articles_of(out_dir, {m["article_id"] for m in mentions})
    mentions.sort(key=lambda m: (order.get(m["article_id"], len(order)), m["start"]))
    unknown = {"article": "(article not in the table)", "path": "?"}
    return EntityMentions(e, [{**m, **shown.get(m["article_id"], unknown)} for m in mentions])


def entity_card(out_dir: Path, entity: str, type_: str | None = None, *, color: bool | None = None) -> str:
    """An entity's card and every mention in context, for the terminal (see `find_entity`).

    Mentions are marked »like this«, or in bold when `color` is true (default:
    when stdout is a terminal and NO_COLOR is unset).
    """
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    found = find_entity(out_dir, entity, type_)
    lines = _header(found.entity, len(found.mentions), color)
    wrap = textwrap.TextWrapper(
        width=100, initial_indent="     ", subsequent_indent="     ", break_on_hyphens=False
    )
    for i, m in enumerate(found.mentions, 1):
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
