"""Archive-size tables for the audit report, generated without running the pipeline: for the
bench's `report` part (`audit_report.py`) and the browser tests of the report in pieces.

What the report has to carry for a news archive is thousands of articles with
fresh names in every one: people, organisations and laws that occur once or
twice, beside recurring ones and the world's countries.  Running NER on twenty
thousand articles takes the better part of an hour on two cores, and the report
reads only the published tables, so this writes those tables directly, with
the project's schemas and checks (`validate_table`), seeded: the same
arguments give the same tables.

Texts are sentences of three languages around the names, each mention at
exact offsets inside its sentence, so the report's contract checks pass and
its integrity counts stay 0.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pycountry

from pipeline.records import entity_id, stable_id
from pipeline.schema import TABLES, validate_table

# One mention slot per braces: {PERSON}, {ORG}, {LAW}, {COUNTRY}.
SENTENCES = {
    "en": [
        "{PERSON} of {ORG} said the {LAW} would let the authorities of {COUNTRY} block websites.",
        "Journalists in {COUNTRY} told {ORG} that the police had questioned {PERSON} twice.",
        "The {LAW} was adopted last month despite protests.",
        "According to {ORG}, at least twelve activists were detained.",
        "{PERSON}, a lawyer, called on {COUNTRY} to release the detained reporters.",
        "Observers expect the debate to continue next year.",
        "{ORG} and {ORG} published a joint statement on the {LAW}.",
    ],
    "fr": [
        "{PERSON}, de {ORG}, a déclaré que la {LAW} permettrait à {COUNTRY} de bloquer des sites.",
        "Selon {ORG}, au moins douze militants ont été arrêtés.",
        "La {LAW} a été adoptée le mois dernier malgré les manifestations.",
        "{PERSON} a appelé {COUNTRY} à libérer les journalistes détenus.",
        "Les observateurs s’attendent à ce que le débat se poursuive l’an prochain.",
    ],
    "es": [
        "{PERSON}, de {ORG}, afirmó que la {LAW} permitiría a las autoridades de {COUNTRY} bloquear sitios.",
        "Según {ORG}, al menos doce activistas fueron detenidos.",
        "La {LAW} fue aprobada el mes pasado pese a las protestas.",
        "{PERSON} pidió a {COUNTRY} liberar a los periodistas detenidos.",
        "Los observadores esperan que el debate continúe el próximo año.",
    ],
}
# Sentences without a name: most of a news article.
FILLER = {
    "en": [
        "The draft had been debated behind closed doors for several months before the vote.",
        "Critics say the wording is vague enough to cover ordinary reporting and peaceful protest.",
        "Several outlets have already reduced their coverage, and some reporters have left the country.",
        "Officials did not respond to requests for comment before publication.",
    ],
    "fr": [
        "Le projet avait été débattu à huis clos pendant plusieurs mois avant le vote.",
        "Ses détracteurs estiment que sa formulation est assez vague pour viser le simple reportage.",
        "Plusieurs médias ont déjà réduit leur couverture, et certains journalistes ont quitté le pays.",
        "Les autorités n’ont pas répondu aux demandes de commentaires avant la publication.",
    ],
    "es": [
        "El proyecto se había debatido a puerta cerrada durante varios meses antes de la votación.",
        "Sus críticos sostienen que la redacción es tan vaga que abarca el periodismo.",
        "Varios medios ya redujeron su cobertura, y algunos periodistas abandonaron el país.",
        "Las autoridades no respondieron a las solicitudes de comentarios antes de la publicación.",
    ],
}
HEADLINES = {
    "en": "{COUNTRY}: activists warn over {LAW}",
    "fr": "{COUNTRY} : inquiétude autour de la {LAW}",
    "es": "{COUNTRY}: preocupación por la {LAW}",
}
SYLLABLES = ["ka", "ri", "mo", "sa", "lu", "ne", "to", "vi", "da", "el", "an", "or", "is", "ba", "ze", "qu"]
SUFFIXES = {
    "ORG": ["Foundation", "Institute", "Network", "Collective", "Watch"],
    "LAW": ["Act", "Law", "Code"],
}
SOURCES = {
    "PERSON": "model:{lang}_core@3.8.0",
    "ORG": "model:{lang}_core@3.8.0",
    "COUNTRY": "rule:country.cldr",
    "LAW": "rule:law.{lang}.name",
}
LABELS = {"PERSON": "PER", "ORG": "ORG", "COUNTRY": None, "LAW": None}
REASONS = ["one mention only", "model only: no rule, registry or ISO code supports it"]


@dataclass
class _Entity:
    type: str
    key: str
    name: str
    resolution: str
    aliases: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)


class _Names:
    """Fresh names from syllables, and pools of recurring ones, all seeded."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.made = 0
        countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
        self.countries = [(c.alpha_2, c.name) for c in countries]
        self.recurring = {
            ty: [self.fresh(ty) for _ in range(n)]
            for ty, n in (("PERSON", 3000), ("ORG", 2000), ("LAW", 600))
        }

    def word(self) -> str:
        self.made += 1
        base = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3)))
        return (base + SYLLABLES[self.made % len(SYLLABLES)]).capitalize()

    def fresh(self, type_: str) -> tuple[str, str]:
        """A name never made before (the counter keeps even equal syllable draws apart): (key, name)."""
        if type_ == "PERSON":
            name = f"{self.word()} {self.word()}"
        else:
            name = f"{self.word()} {self.rng.choice(SUFFIXES[type_])}"
        key = f"{name.lower().replace(' ', '-')}-{self.made}"
        return key, name

    def pick(self, type_: str, new_share: float) -> tuple[str, str]:
        """A name of `type_`: a fresh one (`new_share` of the time), else one that recurs, a few of
        them very often (Zipf's law, as news names its main countries and bodies again and again)."""
        if type_ != "COUNTRY" and self.rng.random() < new_share:
            return self.fresh(type_)
        pool = self.countries if type_ == "COUNTRY" else self.recurring[type_]
        return self.rng.choices(pool, cum_weights=self._zipf(len(pool)))[0]

    @staticmethod
    @cache
    def _zipf(n: int) -> list[float]:
        return list(accumulate(1 / rank for rank in range(1, n + 1)))


@dataclass
class _Rows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[tuple[str, str], _Entity] = field(default_factory=dict)


def _fill(template: str, names: _Names, new_share: float) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The template with names in its slots, and each name's (start, end, type, key)."""
    out, spans, rest = "", [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        type_, _, rest = after.partition("}")
        key, name = names.pick(type_, new_share)
        out += before
        spans.append((len(out), len(out) + len(name), type_, key))
        out += name
    return out + rest, spans


Found = list[tuple[int, str, tuple[int, int, str, str]]]  # (sentence start, sentence, its span)


def _add_mentions(rows: _Rows, article: dict[str, Any], found: Found) -> None:
    """Append the article's mentions, each counted into its entity (made on first sight)."""
    text, article_id, lang = article["text"], article["article_id"], article["lang"]
    for sentence_start, sentence, (s, e, type_, key) in found:
        start, end = sentence_start + s, sentence_start + e
        entity = rows.entities.get((type_, key))
        if entity is None:
            resolution = "iso" if type_ == "COUNTRY" else "fingerprint"
            entity = rows.entities[(type_, key)] = _Entity(type_, key, text[start:end], resolution)
        entity.aliases[text[start:end]] += 1
        entity.articles.add(article_id)
        entity.langs.add(lang)
        rows.mentions.append(
            {
                "mention_id": stable_id("men", article_id, start, end, type_),
                "article_id": article_id,
                "doc_id": article["doc_id"],
                "entity_id": entity_id(type_, key),
                "type": type_,
                "text": text[start:end],
                "start": start,
                "end": end,
                "sentence": sentence,
                "sentence_start": sentence_start,
                "lang": lang,
                "label": LABELS[type_],
                "source": SOURCES[type_].format(lang=lang),
                "key": key,
                "resolution": entity.resolution,
                "curated": False,
            }
        )


def _article(rows: _Rows, names: _Names, doc_id: str, seq: int, lang: str, new_share: float) -> int:
    """Append one article and its mentions; return its length in characters."""
    rng = names.rng
    title, _ = _fill(HEADLINES[lang], names, 0.0)
    text = f"  • {title}\n"
    found: Found = []
    for _ in range(rng.randint(18, 36)):
        template = rng.choice(SENTENCES[lang] if rng.random() < 0.45 else FILLER[lang])
        sentence, spans = _fill(template, names, new_share)
        found.extend((len(text), sentence, span) for span in spans)
        text += sentence + (" " if rng.random() < 0.7 else "\n\n")
    article = {
        "article_id": stable_id("art", doc_id, seq, text),
        "doc_id": doc_id,
        "seq": seq,
        "title": title,
        "lang": lang,
        "lang_score": 0.99,
        "status": "ok",
        "error": None,
        "start": 0,
        "end": len(text),
        "text": text,
        "repaired_text": None,
        "n_repairs": 0,
        "n_tokens": len(text.split()),
        "n_mentions": len(found),
    }
    _add_mentions(rows, article, found)
    rows.articles.append(article)
    return len(text)


def archive_rows(n_articles: int, *, per_document: int = 5, new_share: float = 0.3, seed: int = 7) -> _Rows:
    """Rows of `n_articles` articles in en/fr/es, `per_document` to a file; `new_share` of the
    people, organisations and laws named are new to the archive, the rest recur."""
    rng = random.Random(seed)
    names = _Names(rng)
    rows = _Rows()
    for d in range(0, n_articles, per_document):
        path = f"archive/{d // 1000:03d}/page-{d // per_document:05d}.txt"
        doc_id = stable_id("doc", path)
        offset = 0
        first = len(rows.articles)
        for seq in range(min(per_document, n_articles - d)):
            lang = rng.choices(["en", "fr", "es"], weights=[5, 3, 2])[0]
            length = _article(rows, names, doc_id, seq, lang, new_share)
            rows.articles[-1]["start"], rows.articles[-1]["end"] = offset, offset + length
            offset += length
        rows.documents.append(
            {
                "doc_id": doc_id,
                "path": path,
                "sha256": "0" * 64,
                "encoding": "utf-8",
                "status": "ok",
                "message": None,
                "n_chars": offset,
                "tag": "archive",
                "header": "",
                "n_articles": len(rows.articles) - first,
                "boilerplate": None,
                "boilerplate_start": None,
                "boilerplate_lang": None,
                "path_hex": None,
            }
        )
    return rows


def _entity_rows(rows: _Rows) -> list[dict[str, Any]]:
    out = []
    for (type_, key), e in rows.entities.items():
        aliases = sorted(e.aliases.items(), key=lambda kv: (-kv[1], kv[0]))
        n_mentions = sum(e.aliases.values())
        lone = n_mentions == 1 and type_ != "COUNTRY"
        out.append(
            {
                "entity_id": entity_id(type_, key),
                "type": type_,
                "name": e.name,
                "key": key,
                "aliases": [a for a, _ in aliases],
                "alias_counts": [n for _, n in aliases],
                "n_mentions": n_mentions,
                "n_articles": len(e.articles),
                "langs": sorted(e.langs),
                "resolution": e.resolution,
                "registry_source": None,
                "curated": False,
                "doubt": 0.0 if type_ == "COUNTRY" else (0.6 if lone else 0.25),
                "doubt_reasons": REASONS if lone else ([] if type_ == "COUNTRY" else REASONS[1:]),
            }
        )
    return sorted(out, key=lambda e: (e["type"], -e["n_mentions"], e["name"], e["entity_id"]))


def write_archive(out: Path, n_articles: int, **options: Any) -> Path:
    """Write the four tables and a run.json of an archive of `n_articles` into `out`."""
    rows = archive_rows(n_articles, **options)
    tables = {
        "documents": rows.documents,
        "articles": rows.articles,
        "mentions": rows.mentions,
        "entities": _entity_rows(rows),
    }
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Any] = {name: len(table) for name, table in tables.items()}
    for name, schema in TABLES.items():
        table = pa.Table.from_pylist(tables[name], schema=schema)
        validate_table(name, table)
        pq.write_table(table, out / f"{name}.parquet")
    per_lang = Counter(a["lang"] for a in rows.articles)
    by_type = defaultdict(int, Counter(m["type"] for m in rows.mentions))
    manifest = {
        "pipeline": {"name": "civic-entities", "version": "0.1.0", "schema_version": "1.1"},
        "engine": "synthetic archive (pipeline/tools/bench/audit_archive.py)",
        "finished_at": "2026-12-07T12:00:00Z",
        "inputs": ["archive"],
        "config": {"n_articles": n_articles, **options},
        "counts": {**counts, "articles_by_lang": dict(per_lang), "mentions_by_type": dict(by_type)},
        "seconds": {
            "ingest": 1.0,
            "split": 1.0,
            "langid": 1.0,
            "ner": 1.0,
            "resolve": 1.0,
            "write": 1.0,
            "total": 6.0,
        },
    }
    (out / "run.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out
