"""Evaluation: entity-set scores on the hand-written gold, and public NER benchmarks.

Two measurements, both read-only with respect to the data they use:

* **Gold entity sets** (`score_gold`): the dev gold (``corpus/eval/dev_gold.jsonl``) lists, per
  article, the distinct entities a careful reader expects.  It is scored exactly as
  its GUIDELINES.md says: strings are normalised (`normalise`), a gold entity is found
  when a predicted entity of the same type shares a normalised string with it, and a
  predicted entity that matches nothing is a false positive unless it matches a
  ``doubtful`` item.  The same scorer (`score_predictions`) also scores a raw-spaCy
  baseline (`baseline_tables`) run on the same article texts, so every figure can be
  shown next to what spaCy alone gives.
* **Benchmarks** (`benchmark`): public token-level NER sets (WikiNEuRal, Universal
  NER, WikiGold, Broad Twitter Corpus) scored mention by mention, exact character
  span and type, like seqeval's default mode.  Any predictor with the `Predictor`
  signature can be scored, so the pipeline and raw spaCy share one code path.

The gold and benchmark files are for measuring only: nothing in this module, nor
anywhere in the pipeline, may build word lists or rules from them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import PROJECT_ROOT, Config, load_config
from ..errors import InputError, OutputError, run_command
from ..schema import CORE_TYPES, SUPPORTED_LANGS
from .ablation import (
    EVAL_DIR,
    AblationRow,
    GoldSet,
    ablation,
    format_ablation,
    held_out_sets,
    score_fresh_run,
)

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

# Evaluation data ships with the repository (corpus/eval/, outside the pipeline's
# default input folder corpus/pages/), so `make eval` works from a clone alone.
DEFAULT_GOLD = EVAL_DIR / "dev_gold.jsonl"
DEFAULT_TABLES = PROJECT_ROOT / "outputs"
DEFAULT_PAGES = PROJECT_ROOT / "corpus" / "pages"
BENCHMARKS_DIR = EVAL_DIR / "benchmarks"
# Sentences scored per benchmark set: enough for stable per-type F1 while keeping
# `make eval` to a few minutes on two cores with two systems to run.
DEFAULT_LIMIT = 1000
FOOTER_TITLE = "__footer__"

# A predictor gets texts of one language and returns, per text, character spans
# labelled with benchmark types (PER, ORG, LOC); other labels are ignored.
Span = tuple[int, int, str]
Predictor = Callable[[list[str], str], list[list[Span]]]
SpacyLoader = Callable[[str], "Language"]

# ---------------------------------------------------------------------------
# String normalisation (GUIDELINES.md, "How a gold file is scored")
# ---------------------------------------------------------------------------

_APOSTROPHES = str.maketrans(
    {c: "'" for c in "\u2019\u2018\u201b\u02bc\u2032\u00b4\u0060\uff07"}
    | {c: " " for c in "\u00a0\u202f\u2007\u2060"}
)
# Leading articles, one of which is removed; elided forms take no space after them.
_ARTICLES = ("the", "la", "le", "les", "el", "los", "las", "del", "de la", "des", "du")
_ELIDED_ARTICLES = ("l'", "d'", "de l'")
# Longest first, so "de la " wins over "la " and "de l'" over "d'".
_LEADING_ARTICLES = tuple(
    sorted([f"{a} " for a in _ARTICLES] + list(_ELIDED_ARTICLES), key=len, reverse=True)
)
_WHITESPACE = re.compile(r"\s+")


def _is_edge_char(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge_char(text[start]):
        start += 1
    while end > start and _is_edge_char(text[end - 1]):
        end -= 1
    return text[start:end]


def normalise(text: str) -> str:
    """Normalise a name for comparison, exactly as the gold guidelines define it.

    The scorer must not depend on the pipeline's own name normalisation (that is
    what is being measured), so this is a separate, literal implementation: NFKC,
    typographic apostrophes to ``'``, no-break spaces to spaces, accents removed,
    casefold, whitespace collapsed, one leading article removed, a trailing
    possessive ``'s`` removed, surrounding punctuation and quotes stripped.
    Punctuation is stripped before and after the article/possessive steps so that
    ``« l'ONU »`` and ``the UN's,`` reduce to ``onu`` and ``un``.
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))
    text = _WHITESPACE.sub(" ", text.casefold()).strip()
    text = _strip_edges(text)
    for article in _LEADING_ARTICLES:
        if text.startswith(article) and text[len(article) :].strip():
            text = text[len(article) :].lstrip()
            break
    if text.endswith("'s") and len(text) > 2:
        text = text[:-2]
    return _strip_edges(text)


def _normalised_set(strings: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in map(normalise, strings) if n)


def title_key(title: str | None) -> str:
    """Titles match gold to outputs after whitespace normalisation (NBSP included)."""
    return " ".join((title or "").split())


def _short(title: str, width: int = 48) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


# ---------------------------------------------------------------------------
# Gold and predictions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEntity:
    type: str
    key: str
    name: str
    aliases: tuple[str, ...]

    def strings(self) -> frozenset[str]:
        return _normalised_set((self.name, self.key, *self.aliases))


@dataclass(frozen=True)
class Doubtful:
    type: str
    surface: str
    why: str = ""


@dataclass(frozen=True)
class GoldArticle:
    title: str
    lang: str
    entities: tuple[GoldEntity, ...] = ()
    doubtful: tuple[Doubtful, ...] = ()


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold JSONL file (one article per line, see GUIDELINES.md)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file: {exc.strerror}") from exc
    articles = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            articles.append(
                GoldArticle(
                    title=row["title"],
                    lang=row["lang"],
                    entities=tuple(
                        GoldEntity(e["type"], e["key"], e["name"], tuple(e.get("aliases", ())))
                        for e in row.get("entities", ())
                    ),
                    doubtful=tuple(
                        Doubtful(d["type"], d["surface"], d.get("why", "")) for d in row.get("doubtful", ())
                    ),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: invalid gold line: {exc!r}") from exc
    return articles


@dataclass(frozen=True)
class PredictedEntity:
    """One predicted entity as seen from one article: its surfaces there, name, key."""

    entity_id: str
    type: str
    name: str
    key: str
    surfaces: tuple[str, ...] = ()

    def strings(self) -> frozenset[str]:
        return _normalised_set((*self.surfaces, self.name, self.key))


@dataclass(frozen=True)
class PredictedArticle:
    title: str | None
    lang: str | None
    status: str
    entities: tuple[PredictedEntity, ...] = ()


# Output articles keyed by `title_key`; the common input of the gold scorer.
Predictions = dict[str, PredictedArticle]


@dataclass(frozen=True)
class Tables:
    articles: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame


_TABLE_COLUMNS = {
    "articles": ("article_id", "title", "lang", "status", "text"),
    "mentions": ("article_id", "entity_id", "type", "text"),
    "entities": ("entity_id", "type", "name", "key"),
}


def read_tables(tables_dir: str | Path) -> Tables:
    """Read the columns the scorer needs from articles/mentions/entities.parquet."""
    import pyarrow.parquet as pq

    frames = {}
    for name, columns in _TABLE_COLUMNS.items():
        path = Path(tables_dir) / f"{name}.parquet"
        if not path.is_file():
            raise OutputError(f"{path}: missing; run the pipeline before evaluating")
        present = set(pq.read_schema(path).names)
        missing = [c for c in columns if c not in present]
        if missing:
            raise OutputError(f"{path}: missing column(s) {', '.join(missing)}")
        frames[name] = pq.read_table(path, columns=list(columns)).to_pandas()
    return Tables(frames["articles"], frames["mentions"], frames["entities"])


def _first_by_title(rows: Iterable[tuple[str, PredictedArticle]]) -> Predictions:
    """Keep one article per title: an ok one if any, else the first seen.

    The same article can occur twice (a page ingested from two files); its
    entities are then the same, so which copy is kept does not change the score.
    """
    predictions: Predictions = {}
    for key, article in rows:
        kept = predictions.get(key)
        if kept is None or (kept.status != "ok" and article.status == "ok"):
            predictions[key] = article
    return predictions


def predictions_from_tables(tables: Tables) -> Predictions:
    """Turn output tables into the scorer's input.

    An article's predicted set is every entity of a core type (PERSON, ORG,
    COUNTRY, LAW) with at least one mention in it; each carries its surfaces in
    that article plus its global canonical name and key, as the guidelines say.
    """
    entity_rows = {
        row.entity_id: row for row in tables.entities.itertuples(index=False) if row.type in CORE_TYPES
    }
    surfaces: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in tables.mentions.itertuples(index=False):
        if row.entity_id in entity_rows:
            seen = surfaces[row.article_id][row.entity_id]
            if row.text not in seen:
                seen.append(row.text)

    def build(row: Any) -> tuple[str, PredictedArticle]:
        found = surfaces.get(row.article_id, {})
        entities = tuple(
            PredictedEntity(
                entity_id=entity_id,
                type=entity_rows[entity_id].type,
                name=entity_rows[entity_id].name,
                key=entity_rows[entity_id].key,
                surfaces=tuple(texts),
            )
            for entity_id, texts in found.items()
        )
        return title_key(row.title), PredictedArticle(row.title, row.lang, row.status, entities)

    return _first_by_title(
        build(row) for row in tables.articles.itertuples(index=False) if row.title is not None
    )


def select_gold_articles(articles: pd.DataFrame, gold: Sequence[GoldArticle]) -> pd.DataFrame:
    """The output articles a gold file scores (so a baseline need not run on others)."""
    wanted = {title_key(g.title) for g in gold}
    mask = articles["title"].map(lambda t: t is not None and title_key(t) in wanted)
    return articles[mask.astype(bool)]


# ---------------------------------------------------------------------------
# Raw spaCy baseline
# ---------------------------------------------------------------------------

# Raw spaCy labels → gold types.  Plain on purpose: this is what spaCy gives with
# no rules, so the comparison shows what the pipeline adds.  FAC, NORP, MISC and
# the numeric/temporal labels have no gold counterpart and are dropped.
RAW_SPACY_GOLD_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "COUNTRY",
    "LOC": "COUNTRY",
    "LAW": "LAW",
}


@lru_cache(maxsize=8)
def _load_spacy(name: str) -> Language:
    from ..stages.ner.recognise import load_model

    return load_model(name)


def baseline_tables(
    articles: pd.DataFrame,
    models: Mapping[str, str],
    load: SpacyLoader | None = None,
) -> Predictions:
    """Predict entity sets with raw spaCy, for the same articles as the pipeline.

    Each ok article in en/fr/es goes whole (its original `text`, no repair)
    through ``spacy.load(models[lang])`` with the full default pipeline.  Labels
    are mapped plainly (`RAW_SPACY_GOLD_LABELS`) and one entity is made per
    (type, casefolded surface), with that pair as its id, so "UN" and "un" are one
    entity in every article while "UN" and "United Nations" stay two: the
    baseline does no normalisation, which is what the normalisation figures
    compare against.  Other articles are kept with no entities so that language
    accuracy is still scored.  `load` replaces `spacy.load` (tests use blank
    pipelines).
    """
    load = load or _load_spacy
    by_lang: dict[str, list[Any]] = defaultdict(list)
    rows = []
    for row in articles.itertuples(index=False):
        if row.title is None:
            continue
        rows.append(row)
        if row.status == "ok" and row.lang in SUPPORTED_LANGS and row.lang in models:
            by_lang[row.lang].append(row)

    found: dict[str, tuple[PredictedEntity, ...]] = {}
    for lang, lang_rows in by_lang.items():
        nlp = load(models[lang])
        texts = [row.text for row in lang_rows]
        nlp.max_length = max(nlp.max_length, *(len(t) + 1 for t in texts))
        for row, doc in zip(lang_rows, nlp.pipe(texts, batch_size=8), strict=True):
            surfaces: dict[tuple[str, str], list[str]] = {}
            for ent in doc.ents:
                type_ = RAW_SPACY_GOLD_LABELS.get(ent.label_)
                if type_ is None:
                    continue
                seen = surfaces.setdefault((type_, ent.text.casefold()), [])
                if ent.text not in seen:
                    seen.append(ent.text)
            found[row.article_id] = tuple(
                PredictedEntity(f"{type_}:{key}", type_, texts_[0], key, tuple(texts_))
                for (type_, key), texts_ in surfaces.items()
            )
    return _first_by_title(
        (
            title_key(row.title),
            PredictedArticle(row.title, row.lang, row.status, found.get(row.article_id, ())),
        )
        for row in rows
    )


# ---------------------------------------------------------------------------
# Gold scoring
# ---------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(frozen=True)
class Finding:
    """A false positive or a miss, for the report's lists."""

    title: str
    type: str
    string: str
    detail: str = ""
    entity_id: str = ""  # the predicted entity, for false positives (review-queue figure)


@dataclass(frozen=True)
class Ratio:
    hits: int
    total: int

    @property
    def share(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class LangMismatch:
    title: str
    gold: str
    predicted: str | None


@dataclass(frozen=True)
class KeyTrace:
    """Where one gold key was found, and by which predicted entity ids."""

    type: str
    key: str
    articles: int
    langs: tuple[str, ...]
    entity_ids: tuple[str, ...]


@dataclass(frozen=True)
class FalseMerge:
    entity_id: str
    type: str
    keys: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass
class GoldReport:
    """Entity-set scores of one system against one gold file.

    Counts are micro-averaged over articles.  TP and FN count gold entities (found
    or not); FP counts predicted entities that match no gold entity and no
    doubtful item.  Precision is TP / (TP + FP): several predicted entities
    matching one gold entity count once as a TP and are reported as
    fragmentation instead of being penalised as FPs.
    """

    system: str
    gold_path: str = ""
    n_articles: int = 0
    by_type: dict[str, Counts] = field(default_factory=dict)
    by_lang: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    false_positives: list[Finding] = field(default_factory=list)
    misses: list[Finding] = field(default_factory=list)
    doubtful_matches: int = 0
    language: Ratio = Ratio(0, 0)
    language_mismatches: list[LangMismatch] = field(default_factory=list)
    unmatched_titles: list[str] = field(default_factory=list)
    fragmentation: Ratio = Ratio(0, 0)
    fragmented: list[Finding] = field(default_factory=list)
    key_consistency: Ratio = Ratio(0, 0)
    key_consistency_langs: Ratio = Ratio(0, 0)
    keys_in_several_articles: int = 0
    inconsistent_keys: list[KeyTrace] = field(default_factory=list)
    false_merges: list[FalseMerge] = field(default_factory=list)
    matched_entity_ids: int = 0


def score_predictions(
    gold: Sequence[GoldArticle], predictions: Mapping[str, PredictedArticle], system: str
) -> GoldReport:
    """Score predicted entity sets against gold articles (GUIDELINES.md).

    Besides P/R/F1 per type, per language and overall, this measures how well
    entities are normalised:

    * fragmentation: found gold entities matched by more than one predicted
      entity id in the same article, over all found gold entities;
    * key consistency: among gold keys (type + key) *found* in at least two
      scored articles, the share whose matches in all those articles are one
      single predicted entity id (a key found in only one article says nothing
      about consistency, so it is left out of the denominator; a key fragmented
      in any article is inconsistent).  The same share is given over keys found
      in articles of at least two languages (`key_consistency_langs`);
    * false merges: predicted entity ids that match two or more distinct gold
      keys, within one article or across articles.

    Footers (``__footer__``) are not scored; articles whose gold language is not
    en/fr/es count for language accuracy only.  A gold article with no output
    article of the same title scores all its entities as misses.
    """
    report = GoldReport(system=system)
    by_type = {t: Counts() for t in CORE_TYPES}
    by_lang: dict[str, Counts] = {}
    lang_hits = lang_total = 0
    frag_hits = frag_total = 0
    key_articles: dict[tuple[str, str], list[tuple[str, set[str]]]] = defaultdict(list)
    key_occurrences: dict[tuple[str, str], int] = defaultdict(int)
    pred_keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    pred_titles: dict[str, set[str]] = defaultdict(set)
    pred_types: dict[str, str] = {}

    for article in gold:
        if title_key(article.title) == FOOTER_TITLE:
            continue
        report.n_articles += 1
        short = _short(article.title)
        pred = predictions.get(title_key(article.title))
        if pred is None:
            report.unmatched_titles.append(article.title)
        lang_total += 1
        predicted_lang = pred.lang if pred else None
        if predicted_lang == article.lang:
            lang_hits += 1
        else:
            report.language_mismatches.append(LangMismatch(short, article.lang, predicted_lang))
        if article.lang not in SUPPORTED_LANGS:
            continue

        lang_counts = by_lang.setdefault(article.lang, Counts())
        candidates = [(p, p.strings()) for p in (pred.entities if pred else ()) if p.type in CORE_TYPES]
        matched_preds: set[str] = set()
        for entity in article.entities:
            strings = entity.strings()
            key_occurrences[(entity.type, entity.key)] += 1
            ids = {p.entity_id for p, ps in candidates if p.type == entity.type and ps & strings}
            counts = by_type.setdefault(entity.type, Counts())
            if not ids:
                counts.fn += 1
                lang_counts.fn += 1
                report.misses.append(Finding(short, entity.type, entity.name))
                continue
            counts.tp += 1
            lang_counts.tp += 1
            matched_preds |= ids
            frag_total += 1
            if len(ids) > 1:
                frag_hits += 1
                names = sorted({p.name for p, _ in candidates if p.entity_id in ids})
                report.fragmented.append(Finding(short, entity.type, entity.name, " | ".join(names)))
            key_articles[(entity.type, entity.key)].append((article.lang, ids))
            for entity_id in ids:
                pred_keys[entity_id].add((entity.type, entity.key))
                pred_titles[entity_id].add(short)
                pred_types[entity_id] = entity.type

        doubts = [(d.type, normalise(d.surface)) for d in article.doubtful]
        for p, ps in candidates:
            if p.entity_id in matched_preds:
                continue
            if any(t == p.type and s in ps for t, s in doubts):
                report.doubtful_matches += 1
                continue
            by_type.setdefault(p.type, Counts()).fp += 1
            lang_counts.fp += 1
            detail = " | ".join(s for s in p.surfaces if s != p.name)
            report.false_positives.append(Finding(short, p.type, p.name, detail, p.entity_id))

    for counts in by_type.values():
        report.overall.add(counts)
    report.by_type = by_type
    report.by_lang = {lang: by_lang[lang] for lang in sorted(by_lang)}
    report.language = Ratio(lang_hits, lang_total)
    report.fragmentation = Ratio(frag_hits, frag_total)

    consistent = eligible = consistent_langs = eligible_langs = 0
    for (type_, key), found_in in sorted(key_articles.items()):
        if len(found_in) < 2:
            continue
        ids = set().union(*(ids for _, ids in found_in))
        langs = tuple(sorted({lang for lang, _ in found_in}))
        eligible += 1
        consistent += len(ids) == 1
        if len(langs) > 1:
            eligible_langs += 1
            consistent_langs += len(ids) == 1
        if len(ids) > 1:
            report.inconsistent_keys.append(KeyTrace(type_, key, len(found_in), langs, tuple(sorted(ids))))
    report.key_consistency = Ratio(consistent, eligible)
    report.key_consistency_langs = Ratio(consistent_langs, eligible_langs)
    report.keys_in_several_articles = sum(1 for n in key_occurrences.values() if n > 1)

    report.matched_entity_ids = len(pred_keys)
    report.false_merges = [
        FalseMerge(
            entity_id,
            pred_types[entity_id],
            tuple(sorted(f"{t}:{k}" for t, k in keys)),
            tuple(sorted(pred_titles[entity_id])),
        )
        for entity_id, keys in sorted(pred_keys.items())
        if len(keys) > 1
    ]
    return report


def score_gold(gold_path: str | Path, tables_dir: str | Path, system: str = "pipeline") -> GoldReport:
    """Score the pipeline's output tables in `tables_dir` against a gold file."""
    report = score_predictions(read_gold(gold_path), predictions_from_tables(read_tables(tables_dir)), system)
    report.gold_path = str(gold_path)
    return report


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------

BENCH_TYPES = ("PER", "ORG", "LOC")


@dataclass(frozen=True)
class BenchSentence:
    """Tokens joined by single spaces; `spans` are gold character spans (all types)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]
    spans: tuple[Span, ...]


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans (start, end exclusive, type) from IOB1 or IOB2 tags.

    Decoded the way conlleval counts: ``B-X`` always starts an entity, ``I-X``
    continues one only if the previous tag has type X and otherwise starts one.
    That reads IOB2 (stray ``I-`` after ``O`` included) and IOB1 (entities start
    with ``I-``; ``B-`` only separates two adjacent entities of one type) alike.
    """
    spans: list[tuple[int, int, str]] = []
    start, current = 0, None
    for i, tag in enumerate(tags):
        if tag == "O":
            prefix, type_ = "O", None
        elif len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
            prefix, type_ = tag[0], tag[2:]
        else:
            raise ValueError(f"unsupported tag {tag!r} (expected O, B-X or I-X)")
        if current is not None and (prefix != "I" or type_ != current):
            spans.append((start, i, current))
            current = None
        if type_ is not None and current is None:
            start, current = i, type_
    if current is not None:
        spans.append((start, len(tags), current))
    return spans


def make_sentence(tokens: Sequence[str], tags: Sequence[str]) -> BenchSentence:
    """Join tokens with single spaces and turn token tags into character spans."""
    offsets, position = [], 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    spans = tuple((offsets[a][0], offsets[b - 1][1], type_) for a, b, type_ in iob_spans(tags))
    return BenchSentence(tuple(tokens), tuple(tags), " ".join(tokens), tuple(offsets), spans)


def _read_blocks(
    path: Path,
    split: Callable[[str], list[str]],
    token_col: int,
    tag_col: int,
    comments: bool = False,
    docstart: bool = False,
) -> list[BenchSentence]:
    sentences: list[BenchSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(make_sentence(tokens, tags))
        tokens.clear()
        tags.clear()

    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if comments and line.startswith("#"):
                continue
            cols = split(line)
            if docstart and cols[0] == "-DOCSTART-":
                flush()
                continue
            if len(cols) <= max(token_col, tag_col):
                raise ValueError(f"{path}:{number}: expected more columns in {line!r}")
            tokens.append(cols[token_col])
            tags.append(cols[tag_col])
    flush()
    return sentences


def read_wikineural(path: str | Path) -> list[BenchSentence]:
    """WikiNEuRal ``test.conllu``: ``index<TAB>token<TAB>tag``, IOB2, no comments."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 1, 2)


def read_uner(path: str | Path) -> list[BenchSentence]:
    """Universal NER ``.iob2``: ``#`` comment lines, then ``index token tag - annotator``."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 1, 2, comments=True)


def read_wikigold(path: str | Path) -> list[BenchSentence]:
    """WikiGold: ``token tag`` separated by one space, IOB1, ``-DOCSTART-`` blocks skipped."""
    return _read_blocks(Path(path), lambda s: s.rsplit(" ", 1), 0, 1, docstart=True)


def read_btc(path: str | Path) -> list[BenchSentence]:
    """Broad Twitter Corpus CoNLL: ``token<TAB>tag``, IOB2.  Tokens may start with ``#``."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 0, 1)


@dataclass(frozen=True)
class BenchmarkSpec:
    path: str
    lang: str
    reader: Callable[[str | Path], list[BenchSentence]]
    note: str = ""


BENCHMARKS: dict[str, BenchmarkSpec] = {
    "wikineural_en": BenchmarkSpec("wikineural/en/test.conllu", "en", read_wikineural, "silver"),
    "wikineural_fr": BenchmarkSpec("wikineural/fr/test.conllu", "fr", read_wikineural, "silver"),
    "wikineural_es": BenchmarkSpec("wikineural/es/test.conllu", "es", read_wikineural, "silver"),
    "uner_pud": BenchmarkSpec("uner_en/pud/en_pud-ud-test.iob2", "en", read_uner, "news+wiki"),
    "uner_ewt": BenchmarkSpec("uner_en/ewt/en_ewt-ud-test.iob2", "en", read_uner, "web"),
    "wikigold": BenchmarkSpec("wikigold_en/wikigold.conll.txt", "en", read_wikigold, "wiki"),
    "btc_g": BenchmarkSpec("btc_en/g.conll", "en", read_btc, "tweets"),
}


@dataclass
class BenchmarkResult:
    name: str
    lang: str
    system: str
    n_sentences: int
    by_type: dict[str, Counts]
    overall: Counts
    seconds: float = 0.0


def score_spans(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]]) -> dict[str, Counts]:
    """Mention-level counts per type: exact character span and exact type.

    As seqeval's default mode with MISC left out: gold spans of types other than
    PER/ORG/LOC are removed and predicted spans of other types are ignored, so a
    pipeline without MISC is neither rewarded nor penalised for it.
    """
    counts = {t: Counts() for t in BENCH_TYPES}
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        g = {s for s in gold_spans if s[2] in counts}
        p = {s for s in pred_spans if s[2] in counts}
        for s in g & p:
            counts[s[2]].tp += 1
        for s in p - g:
            counts[s[2]].fp += 1
        for s in g - p:
            counts[s[2]].fn += 1
    return counts


def benchmark(
    name: str,
    predict: Predictor,
    limit: int | None = DEFAULT_LIMIT,
    *,
    system: str = "",
    root: str | Path = BENCHMARKS_DIR,
) -> BenchmarkResult:
    """Score `predict` on the first `limit` sentences (None: all) of a benchmark set."""
    spec = BENCHMARKS[name]
    path = Path(root) / spec.path
    if not path.is_file():
        raise InputError(f"{path}: benchmark file missing")
    sentences = spec.reader(path)
    if limit is not None:
        sentences = sentences[:limit]
    started = time.perf_counter()
    predicted = predict([s.text for s in sentences], spec.lang)
    seconds = time.perf_counter() - started
    if len(predicted) != len(sentences):
        raise ValueError(f"predictor returned {len(predicted)} results for {len(sentences)} texts")
    by_type = score_spans([s.spans for s in sentences], predicted)
    overall = Counts()
    for counts in by_type.values():
        overall.add(counts)
    return BenchmarkResult(name, spec.lang, system, len(sentences), by_type, overall, seconds)


# Raw spaCy labels → benchmark types.  FAC (buildings, airports, roads, bridges)
# is dropped: the pipeline's place types (COUNTRY, LOCATION) do not aim at
# facilities, and mapping FAC→LOC would credit the baseline for spans the
# pipeline is not meant to output; the cost is a few LOC misses for both on sets
# that tag facilities as LOC.
RAW_SPACY_BENCH_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
# Pipeline types → benchmark types (LAW has no benchmark counterpart).
PIPELINE_BENCH_LABELS = {"PERSON": "PER", "ORG": "ORG", "COUNTRY": "LOC", "LOCATION": "LOC"}


def raw_spacy_predictor(model_name: str, load: SpacyLoader | None = None) -> Predictor:
    """A predictor running one installed spaCy pipeline as is (`RAW_SPACY_BENCH_LABELS`)."""

    def predict(texts: list[str], lang: str) -> list[list[Span]]:
        nlp = (load or _load_spacy)(model_name)
        return [
            [
                (ent.start_char, ent.end_char, RAW_SPACY_BENCH_LABELS[ent.label_])
                for ent in doc.ents
                if ent.label_ in RAW_SPACY_BENCH_LABELS
            ]
            for doc in nlp.pipe(texts, batch_size=64)
        ]

    return predict


def raw_spacy_by_lang(models: Mapping[str, str], load: SpacyLoader | None = None) -> Predictor:
    """Raw spaCy with the model configured for each benchmark's language."""

    def predict(texts: list[str], lang: str) -> list[list[Span]]:
        return raw_spacy_predictor(models[lang], load)(texts, lang)

    return predict


def pipeline_predictor(config: Config | None = None) -> Predictor:
    """The pipeline's own NER (`pipeline.stages.ner.recognise.recognise_texts`), mapped to PER/ORG/LOC.

    Imported here, not at module level, so evaluation works (and raw spaCy can
    be scored) even where the NER stage is absent; an ImportError then says so.
    """
    from ..stages.ner.recognise import recognise_texts  # type: ignore[import-not-found,attr-defined,unused-ignore]

    cfg = config or Config()

    def predict(texts: list[str], lang: str) -> list[list[Span]]:
        return [
            [
                (m.start, m.end, PIPELINE_BENCH_LABELS[m.type])
                for m in mentions
                if m.type in PIPELINE_BENCH_LABELS
            ]
            for mentions in recognise_texts(texts, lang, cfg)
        ]

    return predict


@dataclass
class BenchmarkComparison:
    name: str
    lang: str
    pipeline: BenchmarkResult | None = None
    raw: BenchmarkResult | None = None
    note: str = ""


def run_benchmarks(
    names: Sequence[str],
    limit: int | None,
    pipeline: Predictor | None,
    raw: Predictor | None,
    root: str | Path = BENCHMARKS_DIR,
) -> list[BenchmarkComparison]:
    """Score the pipeline and raw spaCy (either may be None) on each named set."""
    comparisons = []
    for name in names:
        spec = BENCHMARKS[name]
        comparison = BenchmarkComparison(name, spec.lang, note=spec.note)
        if pipeline is not None:
            comparison.pipeline = benchmark(name, pipeline, limit, system="pipeline", root=root)
        if raw is not None:
            comparison.raw = benchmark(name, raw, limit, system="raw spaCy", root=root)
        comparisons.append(comparison)
    return comparisons


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = (str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _delta(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{100 * (a - b):+.1f}"


def _ratio(ratio: Ratio) -> str:
    share = "-" if ratio.share is None else f"{_pct(ratio.share)}%"
    return f"{share} ({ratio.hits}/{ratio.total})"


def _prf(counts: Counts | None) -> list[str]:
    if counts is None:
        return ["-"] * 4
    return [
        _pct(counts.precision),
        _pct(counts.recall),
        _pct(counts.f1),
        f"{counts.tp}/{counts.fp}/{counts.fn}",
    ]


def _side_by_side(
    label: str, keys: Sequence[str], pipe: Mapping[str, Counts], raw: Mapping[str, Counts]
) -> str:
    rows = []
    for key in keys:
        p, r = pipe.get(key), raw.get(key)
        rows.append([key, *_prf(p), *_prf(r), _delta(p.f1 if p else None, r.f1 if r else None)])
    header = [label, "P", "R", "F1", "TP/FP/FN", "raw P", "raw R", "raw F1", "TP/FP/FN", "ΔF1"]
    return _table(header, rows)


def _normalisation_rows(report: GoldReport) -> list[str]:
    return [
        report.system,
        _ratio(report.fragmentation),
        _ratio(report.key_consistency),
        _ratio(report.key_consistency_langs),
        f"{len(report.false_merges)}/{report.matched_entity_ids}",
        _ratio(report.language),
    ]


def _findings(title: str, findings: Sequence[Finding]) -> list[str]:
    lines = [f"{title} ({len(findings)})"]
    lines += [
        f"  [{f.type}] {f.string!r}" + (f" ({f.detail})" if f.detail else "") + f" — {f.title}"
        for f in sorted(findings, key=lambda f: (f.type, f.title, f.string))
    ]
    return lines


def format_report(
    pipeline: GoldReport | None,
    baseline: GoldReport | None = None,
    benchmarks: Sequence[BenchmarkComparison] = (),
    notes: Sequence[str] = (),
) -> str:
    """The human-readable evaluation report: pipeline next to raw spaCy throughout."""
    out: list[str] = []
    reports = [r for r in (pipeline, baseline) if r is not None]
    pipe_types = pipeline.by_type if pipeline else {}
    raw_types = baseline.by_type if baseline else {}
    if reports:
        first = reports[0]
        out.append(
            f"GOLD ENTITY SETS — {first.n_articles} articles"
            + (f" from {first.gold_path}" if first.gold_path else "")
            + "  (pipeline | raw spaCy, micro over articles, %)"
        )
        overall_p = {"ALL": pipeline.overall} if pipeline else {}
        overall_r = {"ALL": baseline.overall} if baseline else {}
        out.append(
            _side_by_side(
                "type",
                [*CORE_TYPES, "ALL"],
                {**pipe_types, **overall_p},
                {**raw_types, **overall_r},
            )
        )
        langs = sorted({lang for r in reports for lang in r.by_lang})
        out.append("")
        out.append(
            _side_by_side(
                "lang",
                langs,
                pipeline.by_lang if pipeline else {},
                baseline.by_lang if baseline else {},
            )
        )
        out.append("")
        out.append("NORMALISATION AND LANGUAGE")
        out.append(
            _table(
                [
                    "system",
                    "fragmented",
                    "key consistent",
                    "… across langs",
                    "false merges",
                    "language ok",
                ],
                [_normalisation_rows(r) for r in reports],
            )
        )
        out += [
            "  fragmented: found gold entities matched by >1 predicted id in one article",
            "  key consistent: gold keys found in >=2 articles (or >=2 languages) whose matches"
            " are one single id everywhere",
            "  false merges: predicted ids matching >=2 gold keys / ids matching any gold key",
        ]
        for report in reports:
            if report.unmatched_titles:
                out.append(f"  {report.system}: gold titles without output article:")
                out += [f"    {t}" for t in report.unmatched_titles]
            for m in report.language_mismatches:
                out.append(f"  {report.system}: language {m.predicted} ≠ gold {m.gold}: {m.title}")
    if pipeline is not None:
        out.append("")
        if pipeline.inconsistent_keys:
            out.append(f"Inconsistent keys ({len(pipeline.inconsistent_keys)})")
            out += [
                f"  [{k.type}] {k.key}: {len(k.entity_ids)} ids over {k.articles} articles"
                f" ({', '.join(k.langs)}): {', '.join(k.entity_ids)}"
                for k in pipeline.inconsistent_keys
            ]
        if pipeline.false_merges:
            out.append(f"False merges ({len(pipeline.false_merges)})")
            out += [f"  [{m.type}] {m.entity_id} → {', '.join(m.keys)}" for m in pipeline.false_merges]
        out += _findings("Fragmented (pipeline)", pipeline.fragmented)
        out += _findings("False positives (pipeline)", pipeline.false_positives)
        out += _findings("Misses (pipeline)", pipeline.misses)
        if pipeline.doubtful_matches:
            out.append(f"({pipeline.doubtful_matches} predictions matched doubtful items: ignored)")
    if benchmarks:
        out.append("")
        out.append("BENCHMARKS — mention level, exact span and type, MISC left out (F1 %)")
        rows = []
        for b in benchmarks:
            result = b.pipeline or b.raw
            n = result.n_sentences if result else 0
            labels = [b.name, f"({b.note}, n={n})", "", ""]
            for label, type_ in zip(labels, (*BENCH_TYPES, "micro"), strict=True):
                p = _bench_counts(b.pipeline, type_)
                r = _bench_counts(b.raw, type_)
                rows.append(
                    [
                        label,
                        type_,
                        _pct(p.f1) if p else "-",
                        _pct(r.f1) if r else "-",
                        _delta(p.f1 if p else None, r.f1 if r else None),
                    ]
                )
        out.append(_table(["set", "type", "pipeline", "raw spaCy", "Δ"], rows))
        out.append(
            "  wikineural_* is silver data (CC BY-NC-SA, non-commercial) close to spaCy fr/es"
            " training data: flattering for both systems; use it for comparisons only."
        )
    if notes:
        out.append("")
        out += [f"note: {n}" for n in notes]
    return "\n".join(out) + "\n"


def _bench_counts(result: BenchmarkResult | None, type_: str) -> Counts | None:
    if result is None:
        return None
    return result.overall if type_ == "micro" else result.by_type.get(type_)


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts (with precision/recall/F1 next to each count), for --json."""
    if isinstance(value, Counts):
        return {
            "tp": value.tp,
            "fp": value.fp,
            "fn": value.fn,
            "precision": round(value.precision, 4),
            "recall": round(value.recall, 4),
            "f1": round(value.f1, 4),
        }
    if isinstance(value, Ratio):
        return {"hits": value.hits, "total": value.total, "share": value.share}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def score_held_out(
    gold_set: GoldSet, config: Config, baseline: bool
) -> tuple[GoldReport, GoldReport | None, str]:
    """The pipeline run afresh on a held-out set's pages, raw spaCy on the same
    articles, and the review queue's figure on that set."""
    raw: list[GoldReport] = []
    queue: list[str] = []

    def score(gold_path: Path, tables_dir: Path) -> GoldReport:
        gold = read_gold(gold_path)
        tables = read_tables(tables_dir)
        if baseline:
            articles = select_gold_articles(tables.articles, gold)
            raw.append(score_predictions(gold, baseline_tables(articles, config.models), "raw spaCy"))
        report = score_predictions(gold, predictions_from_tables(tables), "pipeline")
        report.gold_path = str(gold_path)
        queue.append(review_queue_section(tables_dir, report))
        return report

    report = score_fresh_run(gold_set, config, score)
    return report, (raw[0] if raw else None), queue[0]


def _shown(path: Path) -> str:
    """A default path as help shows it: inside the project folder, wherever that is."""
    return f"<project>/{path.relative_to(PROJECT_ROOT)}"


def _parse_args(argv: Sequence[str] | None, prog: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Score pipeline outputs on the gold entity sets and NER benchmarks, next to raw spaCy.",
    )
    parser.add_argument(
        "--gold", type=Path, default=DEFAULT_GOLD, help=f"gold JSONL file (default {_shown(DEFAULT_GOLD)})"
    )
    parser.add_argument(
        "--tables",
        type=Path,
        default=DEFAULT_TABLES,
        help=f"output tables dir (default {_shown(DEFAULT_TABLES)})",
    )
    parser.add_argument(
        "--benchmarks-dir",
        type=Path,
        default=BENCHMARKS_DIR,
        help=f"folder of the benchmark sets (default {_shown(BENCHMARKS_DIR)})",
    )
    parser.add_argument("--config", type=Path, default=None, help="pipeline TOML config")
    parser.add_argument(
        "--benchmarks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score the public NER benchmarks",
    )
    parser.add_argument(
        "--sets",
        default=",".join(BENCHMARKS),
        help=f"comma-separated benchmark sets (default all: {', '.join(BENCHMARKS)})",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help="sentences per benchmark set, 0 for all (default %(default)s)",
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run raw spaCy for comparison",
    )
    parser.add_argument(
        "--heldout",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also run the pipeline on each held-out set ({EVAL_DIR}/<set>/pages, gold.jsonl) and score it",
    )
    parser.add_argument(
        "--ablation",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score with each rule family switched off (models/rule_families.yaml)",
    )
    parser.add_argument(
        "--pages",
        type=Path,
        default=None,
        help=f"pages the --gold articles come from, for the ablation runs (default {DEFAULT_PAGES} "
        "for the default gold; without it a custom gold is left out of the ablation)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write all figures as JSON")
    return parser.parse_args(argv)


def review_queue_section(tables_dir: Path, report: GoldReport) -> str:
    """The review queue's figure on this gold (pipeline/review_queue.py), or why it is missing."""
    from .review_queue import format_figure, queue_figure

    try:
        return format_figure(queue_figure(tables_dir, [f.entity_id for f in report.false_positives]))
    except OutputError as exc:
        return f"\nREVIEW QUEUE\n  not measured: {exc}\n"


def main(argv: Sequence[str] | None = None, prog: str = "python -m pipeline.tools.evaluate") -> int:
    """Print the evaluation report; exit 1 when the gold could not be scored."""
    args = _parse_args(argv, prog)
    config = load_config(args.config)
    notes: list[str] = []
    status = 0
    pipeline_report = baseline_report = None
    try:
        gold = read_gold(args.gold)
        tables = read_tables(args.tables)
        pipeline_report = score_predictions(gold, predictions_from_tables(tables), "pipeline")
        pipeline_report.gold_path = str(args.gold)
        if args.baseline:
            articles = select_gold_articles(tables.articles, gold)
            baseline_report = score_predictions(gold, baseline_tables(articles, config.models), "raw spaCy")
            baseline_report.gold_path = str(args.gold)
    except (InputError, OutputError) as exc:
        notes.append(f"gold not scored: {exc}")
        status = 1

    comparisons: list[BenchmarkComparison] = []
    if args.benchmarks:
        names = [n.strip() for n in args.sets.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            print(f"unknown benchmark set(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        try:
            pipe_predict: Predictor | None = pipeline_predictor(config)
        except ImportError as exc:
            pipe_predict = None
            notes.append(f"pipeline NER not available for benchmarks: {exc}")
        raw_predict = raw_spacy_by_lang(config.models) if args.baseline else None
        comparisons = run_benchmarks(
            names, args.limit or None, pipe_predict, raw_predict, root=args.benchmarks_dir
        )

    sys.stdout.write(format_report(pipeline_report, baseline_report, comparisons, notes))
    if pipeline_report is not None:
        sys.stdout.write(review_queue_section(args.tables, pipeline_report))
    heldout_sets = held_out_sets() if args.heldout else []
    heldout_reports = {s.name: score_held_out(s, config, args.baseline) for s in heldout_sets}
    for name, (report, raw, queue) in heldout_reports.items():
        sys.stdout.write(f"\nHELD-OUT ({name}: annotated before the pipeline's output was seen)\n")
        sys.stdout.write(format_report(report, raw) + queue)
    rows: list[AblationRow] = []
    if args.ablation:
        pages = args.pages or (DEFAULT_PAGES if args.gold == DEFAULT_GOLD else None)
        dev = [GoldSet("dev", args.gold, pages)] if pages is not None else []
        rows = ablation(dev + heldout_sets, config, score_gold)
        sys.stdout.write("\n" + format_ablation(rows))
    if args.json is not None:
        payload = {
            "gold": {"pipeline": pipeline_report, "raw_spacy": baseline_report},
            "heldout": {n: {"pipeline": p, "raw_spacy": r} for n, (p, r, _) in heldout_reports.items()},
            "ablation": rows,
            "benchmarks": comparisons,
            "limit": args.limit or None,
            "notes": notes,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return status


if __name__ == "__main__":
    raise SystemExit(run_command(main))
