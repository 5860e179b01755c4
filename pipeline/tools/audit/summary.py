"""The figures of the report's run summary; templates/summary.html.j2 lays them out."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ...schema import ARTICLE_STATUSES, ENTITY_TYPES
from .data import Integrity
from .tables import Tables, article_label

# The stages run.json times, in the order a run goes through them (run.json sorts its
# keys); a stage not named here follows them, and the whole run's `total` comes last.
RUN_ORDER = ("ingest", "split", "langid", "cache", "ner", "resolve", "write", "merge_and_publish")


@dataclass(frozen=True)
class Grid:
    """A table of counts: the last `numeric` columns are right-aligned numbers."""

    headers: list[str]
    rows: list[list[Any]]
    numeric: int


def _trained_for(check: dict[str, Any]) -> str:
    """The spaCy versions a model was trained for, and whether the installed one is among them."""
    verdict = "compatible" if check.get("compatible") else "mismatch: loads with warning W095"
    return f"spaCy {check.get('trained_for_spacy')} (installed {check.get('installed_spacy')}: {verdict})"


def _in_run_order(seconds: dict[str, Any]) -> list[str]:
    def place(stage: str) -> tuple[int, str]:
        if stage == "total":
            return len(RUN_ORDER) + 1, stage
        return (RUN_ORDER.index(stage) if stage in RUN_ORDER else len(RUN_ORDER)), stage

    return sorted(seconds, key=place)


def _run_rows(manifest: dict[str, Any]) -> list[tuple[str, Any]]:
    """What ran, with which models, when and how long: the summary's first table."""
    pipeline = manifest.get("pipeline") or {}
    seconds = manifest.get("seconds") or {}
    return [
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
        ("seconds", ", ".join(f"{stage} {seconds[stage]}" for stage in _in_run_order(seconds))),
        ("inputs", ", ".join(str(i) for i in manifest.get("inputs") or [])),
    ]


def _articles_by_language(t: Tables) -> Grid:
    langs = sorted({a["lang"] or "" for a in t.articles})
    statuses = [s for s in ARTICLE_STATUSES if any(a["status"] == s for a in t.articles)]
    by_lang_status = Counter((a["lang"] or "", a["status"]) for a in t.articles)
    rows = [
        [
            lang or "undetected",
            *(by_lang_status[(lang, s)] for s in statuses),
            sum(by_lang_status[(lang, s)] for s in statuses),
        ]
        for lang in langs
    ]
    return Grid(["language", *statuses, "total"], rows, numeric=len(statuses) + 1)


def _entities_by_type(t: Tables) -> Grid:
    mention_langs = sorted({m["lang"] for m in t.mentions})
    mentions_by = Counter((m["type"], m["lang"]) for m in t.mentions)
    entity_types = Counter(e["type"] for e in t.entities)
    rows = [
        [
            ty,
            entity_types[ty],
            sum(mentions_by[(ty, lang)] for lang in mention_langs),
            *(mentions_by[(ty, lang)] for lang in mention_langs),
        ]
        for ty in ENTITY_TYPES
        if entity_types[ty]
    ]
    headers = ["type", "entities", "mentions", *(f"mentions ({lang})" for lang in mention_langs)]
    return Grid(headers, rows, numeric=2 + len(mention_langs))


def _failed_articles(t: Tables) -> list[dict[str, Any]]:
    """Articles that are not ok, each with its label and its document's path."""
    paths = {d["doc_id"]: d["path"] for d in t.documents}
    return [
        {**a, "label": article_label(a["title"], a["text"], paths[a["doc_id"]]), "path": paths[a["doc_id"]]}
        for a in t.articles
        if a["status"] != "ok"
    ]


def summary(t: Tables, integrity: Integrity) -> dict[str, Any]:
    """The summary template's context: run, documents, articles, types, consistency."""
    doc_status = sorted(Counter(d["status"] for d in t.documents).items())
    return {
        "run": _run_rows(t.manifest),
        "config": json.dumps(t.manifest.get("config"), indent=2, ensure_ascii=False, sort_keys=True),
        "documents": Grid(["status", "documents"], [list(item) for item in doc_status], numeric=1),
        "failed_documents": [d for d in t.documents if d["status"] != "ok"],
        "articles": _articles_by_language(t),
        "failed_articles": _failed_articles(t),
        "types": _entities_by_type(t),
        "problems": integrity.problems(),
        "n_mentions": integrity.n_mentions,
    }
