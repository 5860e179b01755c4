"""Entity-set scores of predictions against a gold file, as corpus/eval/GUIDELINES.md defines them.

Counts are spaCy's `PRFScore` (true/false positives, false negatives, with
precision, recall and F-score as properties).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.scorer import PRFScore

from ...schema import CORE_TYPES, SUPPORTED_LANGS
from .gold import (
    FOOTER_TITLE,
    GoldArticle,
    GoldEntity,
    PredictedArticle,
    PredictedEntity,
    predictions_from_tables,
    read_gold,
    read_tables,
)
from .strings import normalise, short_title, title_key

# A gold key: (type, key).
GoldKey = tuple[str, str]


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
    by_type: dict[str, PRFScore] = field(default_factory=dict)
    by_lang: dict[str, PRFScore] = field(default_factory=dict)
    overall: PRFScore = field(default_factory=PRFScore)
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

    def summary(self) -> GoldSummary:
        """The figures alone: what may be shown of a blind set."""
        return GoldSummary(
            system=self.system,
            gold_path=self.gold_path,
            n_articles=self.n_articles,
            by_type=self.by_type,
            by_lang=self.by_lang,
            overall=self.overall,
            doubtful_matches=self.doubtful_matches,
            language=self.language,
            language_mismatches=len(self.language_mismatches),
            unmatched_titles=len(self.unmatched_titles),
            fragmentation=self.fragmentation,
            key_consistency=self.key_consistency,
            key_consistency_langs=self.key_consistency_langs,
            keys_in_several_articles=self.keys_in_several_articles,
            false_merges=len(self.false_merges),
            matched_entity_ids=self.matched_entity_ids,
        )


@dataclass(frozen=True)
class GoldSummary:
    """A `GoldReport`'s figures without any item: no title, string or id of a finding.

    A blind set is reported through this alone (`sets.py`), so its errors cannot
    be printed or written by mistake: they are not in it.  The lists of the
    report are counts here.
    """

    system: str
    gold_path: str
    n_articles: int
    by_type: dict[str, PRFScore]
    by_lang: dict[str, PRFScore]
    overall: PRFScore
    doubtful_matches: int
    language: Ratio
    language_mismatches: int
    unmatched_titles: int
    fragmentation: Ratio
    key_consistency: Ratio
    key_consistency_langs: Ratio
    keys_in_several_articles: int
    false_merges: int
    matched_entity_ids: int


Candidates = list[tuple[PredictedEntity, frozenset[str]]]


class _GoldScorer:
    """Accumulates one system's matches article by article, then fills its report."""

    def __init__(self, system: str) -> None:
        self.report = GoldReport(system=system)
        self.by_type = {t: PRFScore() for t in CORE_TYPES}
        self.by_lang: dict[str, PRFScore] = {}
        self.lang_hits = 0
        self.frag_hits = self.frag_total = 0
        self.key_articles: dict[GoldKey, list[tuple[str, set[str]]]] = defaultdict(list)
        self.key_occurrences: dict[GoldKey, int] = defaultdict(int)
        self.pred_keys: dict[str, set[GoldKey]] = defaultdict(set)
        self.pred_titles: dict[str, set[str]] = defaultdict(set)
        self.pred_types: dict[str, str] = {}

    def add_article(self, article: GoldArticle, pred: PredictedArticle | None) -> None:
        report = self.report
        report.n_articles += 1
        short = short_title(article.title)
        if pred is None:
            report.unmatched_titles.append(article.title)
        predicted_lang = pred.lang if pred else None
        if predicted_lang == article.lang:
            self.lang_hits += 1
        else:
            report.language_mismatches.append(LangMismatch(short, article.lang, predicted_lang))
        if article.lang not in SUPPORTED_LANGS:
            return
        lang_counts = self.by_lang.setdefault(article.lang, PRFScore())
        candidates = [(p, p.strings()) for p in (pred.entities if pred else ()) if p.type in CORE_TYPES]
        matched: set[str] = set()
        for entity in article.entities:
            matched |= self._match(entity, article.lang, short, candidates, lang_counts)
        self._count_unmatched(article, short, candidates, matched, lang_counts)

    def _match(
        self, entity: GoldEntity, lang: str, short: str, candidates: Candidates, lang_counts: PRFScore
    ) -> set[str]:
        """Count one gold entity as found or missed; the ids of the predictions matching it."""
        strings = entity.strings()
        gold_key = (entity.type, entity.key)
        self.key_occurrences[gold_key] += 1
        ids = {p.entity_id for p, ps in candidates if p.type == entity.type and ps & strings}
        counts = self.by_type.setdefault(entity.type, PRFScore())
        if not ids:
            counts.fn += 1
            lang_counts.fn += 1
            self.report.misses.append(Finding(short, entity.type, entity.name))
            return ids
        counts.tp += 1
        lang_counts.tp += 1
        self.frag_total += 1
        if len(ids) > 1:
            self.frag_hits += 1
            names = sorted({p.name for p, _ in candidates if p.entity_id in ids})
            self.report.fragmented.append(Finding(short, entity.type, entity.name, " | ".join(names)))
        self.key_articles[gold_key].append((lang, ids))
        for entity_id in ids:
            self.pred_keys[entity_id].add(gold_key)
            self.pred_titles[entity_id].add(short)
            self.pred_types[entity_id] = entity.type
        return ids

    def _count_unmatched(
        self,
        article: GoldArticle,
        short: str,
        candidates: Candidates,
        matched: set[str],
        lang_counts: PRFScore,
    ) -> None:
        """Predictions matching no gold entity: ignored if doubtful, else false positives."""
        doubts = [(d.type, normalise(d.surface)) for d in article.doubtful]
        for p, ps in candidates:
            if p.entity_id in matched:
                continue
            if any(t == p.type and s in ps for t, s in doubts):
                self.report.doubtful_matches += 1
                continue
            self.by_type.setdefault(p.type, PRFScore()).fp += 1
            lang_counts.fp += 1
            detail = " | ".join(s for s in p.surfaces if s != p.name)
            self.report.false_positives.append(Finding(short, p.type, p.name, detail, p.entity_id))

    def finish(self) -> GoldReport:
        report = self.report
        for counts in self.by_type.values():
            report.overall += counts
        report.by_type = self.by_type
        report.by_lang = {lang: self.by_lang[lang] for lang in sorted(self.by_lang)}
        report.language = Ratio(self.lang_hits, report.n_articles)
        report.fragmentation = Ratio(self.frag_hits, self.frag_total)
        self._key_consistency()
        report.matched_entity_ids = len(self.pred_keys)
        report.false_merges = [
            FalseMerge(
                entity_id,
                self.pred_types[entity_id],
                tuple(sorted(f"{t}:{k}" for t, k in keys)),
                tuple(sorted(self.pred_titles[entity_id])),
            )
            for entity_id, keys in sorted(self.pred_keys.items())
            if len(keys) > 1
        ]
        return report

    def _key_consistency(self) -> None:
        report = self.report
        consistent = eligible = consistent_langs = eligible_langs = 0
        for (type_, key), found_in in sorted(self.key_articles.items()):
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
                trace = KeyTrace(type_, key, len(found_in), langs, tuple(sorted(ids)))
                report.inconsistent_keys.append(trace)
        report.key_consistency = Ratio(consistent, eligible)
        report.key_consistency_langs = Ratio(consistent_langs, eligible_langs)
        report.keys_in_several_articles = sum(1 for n in self.key_occurrences.values() if n > 1)


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
    scorer = _GoldScorer(system)
    for article in gold:
        if title_key(article.title) != FOOTER_TITLE:
            scorer.add_article(article, predictions.get(title_key(article.title)))
    return scorer.finish()


def score_gold(gold_path: str | Path, tables_dir: str | Path, system: str = "pipeline") -> GoldReport:
    """Score the pipeline's output tables in `tables_dir` against a gold file."""
    report = score_predictions(read_gold(gold_path), predictions_from_tables(read_tables(tables_dir)), system)
    report.gold_path = str(gold_path)
    return report
