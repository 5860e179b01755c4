"""Mention-level scores on the public NER benchmark sets, for any predictor (the pipeline, raw spaCy)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.scorer import PRFScore

from ...config import Config
from ...errors import InputError
from . import BENCHMARKS_DIR, DEFAULT_LIMIT
from .baseline import SpacyLoader, load_spacy
from .benchmark_sets import BENCHMARKS, Span

BENCH_TYPES = ("PER", "ORG", "LOC")

# A predictor gets texts of one language and returns, per text, character spans
# labelled with benchmark types (PER, ORG, LOC); other labels are ignored.
Predictor = Callable[[list[str], str], list[list[Span]]]


@dataclass
class BenchmarkResult:
    name: str
    lang: str
    system: str
    n_sentences: int
    by_type: dict[str, PRFScore]
    overall: PRFScore
    seconds: float = 0.0


def score_spans(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]]) -> dict[str, PRFScore]:
    """Mention-level counts per type: exact character span and exact type.

    As seqeval's default mode with MISC left out: gold spans of types other than
    PER/ORG/LOC are removed and predicted spans of other types are ignored, so a
    pipeline without MISC is neither rewarded nor penalised for it.
    """
    counts = {t: PRFScore() for t in BENCH_TYPES}
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for type_, score in counts.items():
            score.score_set({s for s in pred_set if s[2] == type_}, {s for s in gold_set if s[2] == type_})
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
    overall = PRFScore()
    for counts in by_type.values():
        overall += counts
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
        nlp = (load or load_spacy)(model_name)
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
    from ...stages.ner.recognise import recognise_texts  # type: ignore[import-not-found,attr-defined,unused-ignore]

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
