"""The report's charts: matplotlib figures as inline SVG, deterministic, text kept as text."""

from __future__ import annotations

import io
from collections import Counter

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ...schema import ENTITY_TYPES
from .palette import TYPE_COLORS
from .tables import Tables

TOP_ENTITIES = 10
# Fixed salt: matplotlib otherwise draws SVG ids at random, and the report
# should change only when the tables do.
SVG_HASHSALT = "civic-entities-audit"

Chart = tuple[str, str]  # caption, <svg> element


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)  # no pyplot, no GUI backend, no global state
    return fig


def _svg(fig: Figure) -> str:
    """The figure as an inline <svg> element."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _shorten(name: str, width: int = 34) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _top_entities(t: Tables, type_: str) -> Chart | None:
    top = sorted(
        (e for e in t.entities if e["type"] == type_), key=lambda e: (-e["n_mentions"], e["name"])
    )[:TOP_ENTITIES]
    if not top:
        return None
    fig = _figure(4.6, 0.28 * len(top) + 0.8)
    ax = fig.add_subplot()
    ax.barh(
        [_shorten(e["name"]) for e in reversed(top)],
        [e["n_mentions"] for e in reversed(top)],
        color=TYPE_COLORS[type_],
    )
    ax.set_xlabel("mentions")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return f"Top {len(top)} {type_} by mentions", _svg(fig)


def _entities_by_language(t: Tables) -> Chart | None:
    langs = sorted({lang for e in t.entities for lang in e["langs"]})
    if not langs:
        return None
    fig = _figure(5.2, 3.0)
    ax = fig.add_subplot()
    types = [ty for ty in ENTITY_TYPES if any(e["type"] == ty for e in t.entities)]
    width = 0.8 / len(types)
    for j, ty in enumerate(types):
        counts = [sum(e["type"] == ty and lang in e["langs"] for e in t.entities) for lang in langs]
        ax.bar([i + j * width for i in range(len(langs))], counts, width, label=ty, color=TYPE_COLORS[ty])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(langs))], langs)
    ax.set_ylabel("entities")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    return "Entities by language of the articles they occur in", _svg(fig)


def _mentions_per_article(t: Tables) -> Chart | None:
    per_article = Counter(m["article_id"] for m in t.mentions)
    counts = [per_article[a["article_id"]] for a in t.articles if a["status"] == "ok"]
    if not counts:
        return None
    fig = _figure(5.2, 3.0)
    ax = fig.add_subplot()
    ax.hist(counts, bins=min(30, max(counts) + 1), color="#8aa8c8", edgecolor="white")
    ax.set_xlabel("mentions in the article")
    ax.set_ylabel("articles")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return f"Mentions per article ({len(counts):,} articles with status ok)", _svg(fig)


def charts(t: Tables) -> list[Chart]:
    """Top entities of each type, entities by language, mentions per article: those with data."""
    # svg.fonttype none: text stays text (accents rendered by the browser, smaller files);
    # text.parse_math off: a '$' in an entity name is not TeX.
    with matplotlib.rc_context(
        {"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "none", "text.parse_math": False, "font.size": 9}
    ):
        drawn = [
            *(_top_entities(t, ty) for ty in ENTITY_TYPES),
            _entities_by_language(t),
            _mentions_per_article(t),
        ]
    return [chart for chart in drawn if chart is not None]
