"""Audit: check every entity against the text that produced it.

Two views over the published tables, read with `write.read_table` so that the
audit sees exactly what a researcher gets, never the pipeline's internals:

* `write_report` writes out_dir/audit/index.html, one self-contained file that
  opens from the file system (no server, no network).  The run summary and the
  charts (matplotlib SVG) are static HTML; the tables are embedded once as
  columnar JSON and a small script (audit_assets/report.js) builds only what is
  on screen: a page of the entity index, one entity's mentions, one article.
  That keeps a 50× corpus (~25k mentions) to a few MB and a fast first render.
* `entity_card` is the terminal view behind `python -m pipeline show`.

Offsets in the tables count Unicode code points (Python `str`); the script
slices with `Array.from`, so characters outside the BMP (emoji) do not shift
highlights.  Mention text and sentences are not embedded when they are exactly
the article text at their offsets (the contract); any that are not are kept
verbatim and reported in the summary, since that is what an audit is for.
"""

from __future__ import annotations

import contextlib
import difflib
import html
import io
import json
import os
import sys
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import OutputError
from ..knowledge.curation import article_hash
from ..records import stable_id
from ..schema import ARTICLE_STATUSES, ENTITY_TYPES
from ..store.write import read_table

REPORT_DIR = "audit"
REPORT_FILE = "index.html"
MANIFEST = "run.json"
# displaCy's default colours for the matching spaCy labels (PERSON, ORG, GPE,
# LAW, LOC), so highlights look like the spaCy visualiser researchers know.
TYPE_COLORS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "COUNTRY": "#feca74",
    "LAW": "#ff8197",
    "LOCATION": "#ff9561",
}
# Rows of non-ok documents/articles written into the static summary; the rest
# are counted, and the Articles tab lists every article with a status filter.
MAX_LISTED = 200
TOP_ENTITIES = 10
# Fixed salt: matplotlib otherwise draws SVG ids at random, and the report
# should change only when the tables do.
SVG_HASHSALT = "civic-entities-audit"


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    documents: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    manifest: dict[str, Any]


def _read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputError(f"{path} does not exist: run `python -m pipeline run` first") from None
    except json.JSONDecodeError as exc:
        raise OutputError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise OutputError(f"{path} should hold a JSON object, not {type(manifest).__name__}")
    return manifest


def _read_all(out_dir: Path) -> _Tables:
    tables = _Tables(
        documents=read_table(out_dir, "documents").to_pylist(),
        articles=read_table(out_dir, "articles").to_pylist(),
        mentions=read_table(out_dir, "mentions").to_pylist(),
        entities=read_table(out_dir, "entities").to_pylist(),
        manifest=_read_manifest(out_dir),
    )
    _check_references(tables)
    return tables


def _check_references(tables: _Tables) -> None:
    """Refuse tables whose rows point at rows that do not exist: nothing to audit them against."""
    references = [
        ("articles", "doc_id", tables.articles, {d["doc_id"] for d in tables.documents}),
        ("mentions", "article_id", tables.mentions, {a["article_id"] for a in tables.articles}),
        ("mentions", "entity_id", tables.mentions, {e["entity_id"] for e in tables.entities}),
    ]
    for table, column, rows, known in references:
        missing = [row[column] for row in rows if row[column] not in known]
        if missing:
            raise OutputError(
                f"{table}.{column} refers to {len(missing)} missing row(s), e.g. {missing[0]}: "
                "the tables are from different runs; run `python -m pipeline run` again"
            )


# ---------------------------------------------------------------------------
# Report data: the JSON the page script renders from
# ---------------------------------------------------------------------------


def _intern(values: Iterable[str | None]) -> tuple[list[str | None], list[int]]:
    """Distinct values and one code per value: sources and labels repeat thousands of times."""
    codes: dict[str | None, int] = {}
    column = [codes.setdefault(v, len(codes)) for v in values]
    return list(codes), column


@dataclass(frozen=True)
class _Integrity:
    """Contract checks the summary reports; each count should be 0."""

    n_mentions: int
    text_mismatch: int
    sentence_mismatch: int
    entity_count_mismatch: int
    article_count_mismatch: int

    def problems(self) -> list[str]:
        checks = [
            (self.text_mismatch, "mentions whose text is not the article text at their offsets"),
            (
                self.sentence_mismatch,
                "mentions whose sentence is not the article text at sentence_start, "
                "or does not contain the mention",
            ),
            (self.entity_count_mismatch, "entities whose n_mentions differs from their rows in mentions"),
            (self.article_count_mismatch, "articles whose n_mentions differs from their rows in mentions"),
        ]
        return [f"{n} {what}" for n, what in checks if n]


def _columns(rows: list[dict[str, Any]], *names: str) -> dict[str, list[Any]]:
    """Column-oriented copy of some fields: the report's JSON stores tables by column."""
    return {name: [row[name] for row in rows] for name in names}


def _report_data(t: _Tables) -> tuple[dict[str, Any], _Integrity]:
    """Columnar JSON: mentions sorted by entity, so an entity's mentions are one slice."""
    doc_index = {d["doc_id"]: i for i, d in enumerate(t.documents)}
    art_index = {a["article_id"]: i for i, a in enumerate(t.articles)}
    ent_index = {e["entity_id"]: i for i, e in enumerate(t.entities)}
    mentions = sorted(
        t.mentions,
        key=lambda m: (ent_index[m["entity_id"]], art_index[m["article_id"]], m["start"], m["end"]),
    )
    per_entity = Counter(ent_index[m["entity_id"]] for m in mentions)
    per_article = Counter(art_index[m["article_id"]] for m in mentions)
    first: list[int] = []
    position = 0
    for i in range(len(t.entities)):
        first.append(position)
        position += per_entity[i]

    overrides: dict[str, dict[str, str]] = {}
    text_mismatch = sentence_mismatch = 0
    for k, m in enumerate(mentions):
        article_text = t.articles[art_index[m["article_id"]]]["text"]
        ss, sentence = m["sentence_start"], m["sentence"]
        override: dict[str, str] = {}
        if article_text[m["start"] : m["end"]] != m["text"]:
            override["text"] = m["text"]
            text_mismatch += 1
        if article_text[ss : ss + len(sentence)] != sentence:
            override["sentence"] = sentence
        if "sentence" in override or not ss <= m["start"] <= m["end"] <= ss + len(sentence):
            sentence_mismatch += 1
        if override:
            overrides[str(k)] = override

    sources, source_codes = _intern(m["source"] for m in mentions)
    labels, label_codes = _intern(m["label"] for m in mentions)
    resolutions, resolution_codes = _intern(m["resolution"] for m in mentions)
    types_present = {e["type"] for e in t.entities}
    data = {
        "types": [ty for ty in ENTITY_TYPES if ty in types_present],
        "allTypes": list(ENTITY_TYPES),
        "langs": sorted({lang for e in t.entities for lang in e["langs"]}),
        "statuses": [s for s in ARTICLE_STATUSES if any(a["status"] == s for a in t.articles)],
        "documents": {"path": [d["path"] for d in t.documents]},
        "articles": {
            "id": [a["article_id"] for a in t.articles],
            "doc": [doc_index[a["doc_id"]] for a in t.articles],
            **_columns(t.articles, "seq", "title", "lang", "status", "error", "start", "n_repairs"),
            "n_mentions": [per_article[i] for i in range(len(t.articles))],
            "text": [a["text"] for a in t.articles],
            # Content key of mention-level decisions (detach): the same text, the same hash.
            "hash": [article_hash(a["text"]) for a in t.articles],
        },
        "entities": {
            "id": [e["entity_id"] for e in t.entities],
            **_columns(
                t.entities,
                "type",
                "name",
                "key",
                "aliases",
                "alias_counts",
                "n_mentions",
                "n_articles",
                "langs",
                "resolution",
                "registry_source",
                "doubt",
                "doubt_reasons",
            ),
            "curated": [int(e["curated"]) for e in t.entities],
            "m_first": first,
            "m_count": [per_entity[i] for i in range(len(t.entities))],
        },
        "mentions": {
            "id": [m["mention_id"] for m in mentions],
            "article": [art_index[m["article_id"]] for m in mentions],
            **_columns(mentions, "start", "end", "sentence_start"),
            "sentence_len": [len(m["sentence"]) for m in mentions],
            "source": source_codes,
            "label": label_codes,
            "resolution": resolution_codes,
            "curated": [int(m["curated"]) for m in mentions],
        },
        "sources": sources,
        "labels": labels,
        "resolutions": resolutions,
        "overrides": overrides,
        # Pending decisions are stored in the browser under this run's id.
        "run": stable_id("run", t.manifest.get("finished_at"), *(e["entity_id"] for e in t.entities)),
        "finished_at": t.manifest.get("finished_at"),
        "curation": t.manifest.get("curation") or {"path": None, "decisions": [], "stale": 0},
    }
    integrity = _Integrity(
        n_mentions=len(mentions),
        text_mismatch=text_mismatch,
        sentence_mismatch=sentence_mismatch,
        entity_count_mismatch=sum(e["n_mentions"] != per_entity[i] for i, e in enumerate(t.entities)),
        article_count_mismatch=sum(a["n_mentions"] != per_article[i] for i, a in enumerate(t.articles)),
    )
    return data, integrity


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: every '<' escaped, so article text cannot close the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# ---------------------------------------------------------------------------
# Static HTML: run summary
# ---------------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape("—" if value is None else str(value))


def _lang_attr(lang: str | None) -> str:
    return f' lang="{_esc(lang)}"' if lang else ""


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: int = 0) -> str:
    """An HTML table; the last `numeric` columns are right-aligned counts."""

    def cell(tag: str, i: int, value: object) -> str:
        cls = ' class="num"' if i >= len(headers) - numeric else ""
        if isinstance(value, int):
            value = f"{value:,}"
        return f"<{tag}{cls}>{_esc(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _listed(rows: list[str], noun: str) -> str:
    extra = len(rows) - MAX_LISTED
    more = f"<li>… and {extra:,} more {noun}</li>" if extra > 0 else ""
    return '<ul class="problems">' + "".join(rows[:MAX_LISTED]) + more + "</ul>"


def _trained_for(check: dict[str, Any]) -> str:
    """The spaCy versions a model was trained for, and whether the installed one is among them."""
    verdict = "compatible" if check.get("compatible") else "mismatch: loads with warning W095"
    return f"spaCy {check.get('trained_for_spacy')} (installed {check.get('installed_spacy')}: {verdict})"


def _run_html(manifest: dict[str, Any]) -> str:
    pipeline = manifest.get("pipeline") or {}
    seconds = manifest.get("seconds") or {}
    rows: list[tuple[str, object]] = [
        (
            "pipeline",
            f"{pipeline.get('name', '?')} {pipeline.get('version', '?')}"
            f" (schema {pipeline.get('schema_version', '?')})",
        ),
        ("spaCy", manifest.get("spacy")),
        ("Python", manifest.get("python")),
        *((f"model ({lang})", model) for lang, model in sorted((manifest.get("models") or {}).items())),
        *(
            (f"model ({lang}) trained for", _trained_for(check))
            for lang, check in sorted((manifest.get("model_spacy_versions") or {}).items())
        ),
        ("engine", manifest.get("engine")),
        ("finished at", manifest.get("finished_at")),
        ("seconds", ", ".join(f"{stage} {s}" for stage, s in seconds.items())),
        ("inputs", ", ".join(str(i) for i in manifest.get("inputs") or [])),
    ]
    body = "".join(f'<tr><th scope="row">{_esc(k)}</th><td>{_esc(v)}</td></tr>' for k, v in rows)
    config = json.dumps(manifest.get("config"), indent=2, ensure_ascii=False, sort_keys=True)
    return (
        f'<table class="kv"><tbody>{body}</tbody></table>'
        f"<details><summary>configuration</summary><pre>{_esc(config)}</pre></details>"
    )


def _summary_html(t: _Tables, integrity: _Integrity) -> str:
    doc_status = Counter(d["status"] for d in t.documents)
    bad_docs = [
        f"<li><code>{_esc(d['path'])}</code>: <b>{_esc(d['status'])}</b> {_esc(d['message'])}</li>"
        for d in t.documents
        if d["status"] != "ok"
    ]
    langs = sorted({a["lang"] or "" for a in t.articles})
    statuses = [s for s in ARTICLE_STATUSES if any(a["status"] == s for a in t.articles)]
    by_lang_status = Counter((a["lang"] or "", a["status"]) for a in t.articles)
    article_rows = [
        [
            lang or "undetected",
            *(by_lang_status[(lang, s)] for s in statuses),
            sum(by_lang_status[(lang, s)] for s in statuses),
        ]
        for lang in langs
    ]
    bad_articles = [
        f"<li><b>{_esc(a['status'])}</b> <span{_lang_attr(a['lang'])}>{_esc(a['title'])}</span>"
        f" ({_esc(a['lang'] or 'undetected')}, <code>{_esc(a['article_id'])}</code>): {_esc(a['error'])}</li>"
        for a in t.articles
        if a["status"] != "ok"
    ]
    mention_langs = sorted({m["lang"] for m in t.mentions})
    mentions_by = Counter((m["type"], m["lang"]) for m in t.mentions)
    entity_types = Counter(e["type"] for e in t.entities)
    type_rows = [
        [
            ty,
            entity_types[ty],
            sum(mentions_by[(ty, lang)] for lang in mention_langs),
            *(mentions_by[(ty, lang)] for lang in mention_langs),
        ]
        for ty in ENTITY_TYPES
        if entity_types[ty]
    ]
    problems = integrity.problems()
    checks = (
        '<ul class="problems">' + "".join(f"<li>{_esc(p)}</li>" for p in problems) + "</ul>"
        if problems
        else f'<p class="ok">All {integrity.n_mentions:,} mentions are the article text at their offsets, '
        "inside their sentence, and every entity's and article's n_mentions matches its rows.</p>"
    )
    return "".join(
        [
            "<h2>Run</h2>",
            _run_html(t.manifest),
            "<h2>Documents</h2>",
            _table(["status", "documents"], sorted(doc_status.items()), numeric=1),
            _listed(bad_docs, "documents") if bad_docs else "",
            "<h2>Articles by language and status</h2>",
            _table(["language", *statuses, "total"], article_rows, numeric=len(statuses) + 1),
            _listed(bad_articles, "articles (see the Articles tab)") if bad_articles else "",
            "<h2>Entities and mentions by type</h2>",
            _table(
                ["type", "entities", "mentions", *(f"mentions ({lang})" for lang in mention_langs)],
                type_rows,
                numeric=2 + len(mention_langs),
            ),
            "<h2>Consistency of the tables</h2>",
            checks,
        ]
    )


# ---------------------------------------------------------------------------
# Static HTML: charts
# ---------------------------------------------------------------------------


def _svg(fig: Any) -> str:
    """The figure as an inline <svg> element: deterministic, text kept as text."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _charts_html(t: _Tables) -> str:
    # Imported here: `show` and the tests that do not render charts skip matplotlib's import.
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    def figure(width: float, height: float) -> Any:
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)  # no pyplot, no GUI backend, no global state
        return fig

    def shorten(name: str, width: int = 34) -> str:
        return name if len(name) <= width else name[: width - 1] + "…"

    charts: list[tuple[str, str]] = []
    # svg.fonttype none: text stays text (accents rendered by the browser, smaller files);
    # text.parse_math off: a '$' in an entity name is not TeX.
    with matplotlib.rc_context(
        {"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "none", "text.parse_math": False, "font.size": 9}
    ):
        for ty in ENTITY_TYPES:
            top = sorted(
                (e for e in t.entities if e["type"] == ty), key=lambda e: (-e["n_mentions"], e["name"])
            )[:TOP_ENTITIES]
            if not top:
                continue
            fig = figure(4.6, 0.28 * len(top) + 0.8)
            ax = fig.add_subplot()
            ax.barh(
                [shorten(e["name"]) for e in reversed(top)],
                [e["n_mentions"] for e in reversed(top)],
                color=TYPE_COLORS[ty],
            )
            ax.set_xlabel("mentions")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            charts.append((f"Top {len(top)} {ty} by mentions", _svg(fig)))

        langs = sorted({lang for e in t.entities for lang in e["langs"]})
        if langs:
            fig = figure(5.2, 3.0)
            ax = fig.add_subplot()
            types = [ty for ty in ENTITY_TYPES if any(e["type"] == ty for e in t.entities)]
            width = 0.8 / len(types)
            for j, ty in enumerate(types):
                counts = [sum(e["type"] == ty and lang in e["langs"] for e in t.entities) for lang in langs]
                ax.bar(
                    [i + j * width for i in range(len(langs))], counts, width, label=ty, color=TYPE_COLORS[ty]
                )
            ax.set_xticks([i + 0.4 - width / 2 for i in range(len(langs))], langs)
            ax.set_ylabel("entities")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.legend(fontsize=8)
            charts.append(("Entities by language of the articles they occur in", _svg(fig)))

        per_article = Counter(m["article_id"] for m in t.mentions)
        counts = [per_article[a["article_id"]] for a in t.articles if a["status"] == "ok"]
        if counts:
            fig = figure(5.2, 3.0)
            ax = fig.add_subplot()
            ax.hist(counts, bins=min(30, max(counts) + 1), color="#8aa8c8", edgecolor="white")
            ax.set_xlabel("mentions in the article")
            ax.set_ylabel("articles")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            charts.append((f"Mentions per article ({len(counts):,} articles with status ok)", _svg(fig)))

    if not charts:
        return "<p>No entities or articles to chart.</p>"
    return "".join(
        f"<figure>{svg}<figcaption>{_esc(caption)}</figcaption></figure>" for caption, svg in charts
    )


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def _asset(name: str) -> str:
    return (resources.files("pipeline.tools") / "audit_assets" / name).read_text(encoding="utf-8")


def _type_css() -> str:
    return "".join(f".t-{ty}{{--c:{color}}}" for ty, color in TYPE_COLORS.items())


def write_report(out_dir: Path) -> Path:
    """Write out_dir/audit/index.html from the published tables and run.json; return its path."""
    tables = _read_all(out_dir)
    data, integrity = _report_data(tables)
    inputs = tables.manifest.get("inputs") or []
    title = "Entity audit" + (f": {Path(str(inputs[0])).name}" if len(inputs) == 1 else "")
    page = Template(_asset("report.html")).substitute(
        title=_esc(title),
        finished=_esc(tables.manifest.get("finished_at")),
        css=_asset("report.css") + _type_css(),
        summary=_summary_html(tables, integrity),
        charts=_charts_html(tables),
        data=_script_json(data),
        script=_asset("report.js"),
    )
    report_dir = out_dir / REPORT_DIR
    path = report_dir / REPORT_FILE
    tmp = path.with_suffix(".tmp")
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a report
    except OSError as exc:
        with contextlib.suppress(OSError):  # no half-written report left behind
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the audit report in {report_dir}: {exc.strerror or exc}") from exc
    return path


# ---------------------------------------------------------------------------
# Terminal card: python -m pipeline show
# ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for lookups: 'Amnistía  Internacional' → 'amnistia internacional'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _find_entity(entities: list[dict[str, Any]], query: str, type_: str | None) -> dict[str, Any]:
    """Match by id, then by key or canonical name, then by alias: the first tier that matches wins."""
    candidates = [e for e in entities if type_ is None or e["type"] == type_]
    needle = _fold(query)
    tiers = [
        [e for e in candidates if e["entity_id"] == query.strip()],
        [e for e in candidates if needle in (_fold(e["key"]), _fold(e["name"]))],
        [e for e in candidates if needle in {_fold(a) for a in e["aliases"]}],
    ]
    matches = next((tier for tier in tiers if tier), [])
    where = f" of type {type_}" if type_ else ""
    if not matches:
        names = {_fold(n): n for e in candidates for n in (e["name"], *e["aliases"])}
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


def entity_card(out_dir: Path, entity: str, type_: str | None = None, *, color: bool | None = None) -> str:
    """An entity's card and every mention in context, for the terminal.

    `entity` is an entity id, a key, a name or an alias (case- and
    accent-insensitive).  Mentions are marked »like this«, or in bold when
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

    aliases = ", ".join(f"{a} ×{n}" for a, n in zip(e["aliases"], e["alias_counts"], strict=True))
    resolution = e["resolution"] + (f" (registry: {e['registry_source']})" if e["registry_source"] else "")
    name = f"\x1b[1m{e['name']}\x1b[0m" if color else e["name"]
    lines = [
        f"{name}  [{e['type']}]",
        f"  id          {e['entity_id']}",
        f"  key         {e['key']}",
        f"  resolution  {resolution}",
        f"  curated     {'yes' if e['curated'] else 'no'}",
        f"  languages   {', '.join(e['langs'])}",
        f"  mentions    {e['n_mentions']} in {e['n_articles']} article(s)",
        f"  aliases     {aliases}",
        "",
        f"Mentions ({len(mentions)}):",
    ]
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
