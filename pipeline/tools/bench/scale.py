"""The bench's growth measurements (issue 20): an archive that keeps meeting new names,
the merge alone at archive size, and one long article against the same text in parts.

Every run is one process (`processes = 1`), in a fresh interpreter like the
other measurements, so the ratios say how the work grows, not how it spreads.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .archive import make_archive, make_long_article
from .corpus import Corpus
from .measure import Measurement, best_of

ARCHIVE_BASE = 100  # articles of the 1× archive
ARCHIVE_SCALES = (1, 8, 40)
MERGE_KEYS = 100_000
LONG_SENTENCES = 30_000
LONG_PARTS = 300
# The targets of issue 20.
TARGET_GROWTH = 9.0  # 8× the articles: at most 9× the time
TARGET_LARGE_SECONDS = 400.0  # 4,000 short articles
LARGE_ARTICLES = 4_000
TARGET_MERGE_SECONDS = 60.0
TARGET_LONG_RATIO = 1.5
STAGES = ("ingest", "split", "langid", "ner", "resolve", "write", "merge_and_publish")
Archive = list[tuple[Corpus, Measurement]]


@dataclass
class ScaleResults:
    archive: Archive
    merge: Measurement | None = None
    long: tuple[Measurement, Measurement] | None = None  # one article, the same text in parts
    long_sentences: int = 0
    long_parts: int = 0


def _one_process(folder: Path, out: Path) -> dict[str, object]:
    return {"kind": "e2e", "input": str(folder), "out": str(out), "processes": 1, "cache_dir": None}


def measure_archive(work: Path, base: int, scales: Sequence[int], repeat: int) -> Archive:
    results = []
    for scale in scales:
        corpus = make_archive(work / f"archive-{scale}x", base * scale, scale=scale)
        print(f"archive {scale}×: {corpus.n_articles} articles, {corpus.words:,} words", file=sys.stderr)
        spec = _one_process(corpus.folder, work / f"out-archive-{scale}x")
        results.append((corpus, best_of(repeat, f"archive {scale}×, 1 process", spec)))
    return results


def measure_merge(keys: int, repeat: int) -> Measurement:
    return best_of(repeat, f"merge of {keys:,} organisation keys", {"kind": "merge", "keys": keys})


def measure_long(work: Path, sentences: int, parts: int, repeat: int) -> tuple[Measurement, Measurement]:
    article = make_long_article(work / "long", sentences, parts)
    print(f"long article: {article.sentences:,} sentences, {article.words:,} words; "
          f"also as {article.parts} articles", file=sys.stderr)
    one = best_of(repeat, "one long article, 1 process", _one_process(article.one, work / "out-long-one"))
    split = best_of(repeat, f"the same in {article.parts} articles, 1 process",
                    _one_process(article.split, work / "out-long-split"))
    return one, split


def _check(value: float, target: float, unit: str = "×") -> str:
    return f"{value:.2f}{unit} ({'met' if value <= target else 'NOT met'}; target ≤ {target}{unit})"


def _stage_row(m: Measurement) -> str:
    return " | ".join(f"{m.seconds.get(stage, 0.0):.1f}" for stage in STAGES)


def _archive(results: Archive) -> list[str]:
    base_corpus, base = results[0]
    lines = [
        "### A growing archive (generated: new people, organisations and laws in every article; 1 process)",
        "",
        "| archive | articles | words | entities | wall (s) | × the first | CPU (s) | × the first "
        "| articles × the first | " + " | ".join(STAGES) + " |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|" + "--:|" * len(STAGES),
    ]
    for corpus, m in results:
        lines.append(
            f"| {corpus.scale}× | {corpus.n_articles:,} | {corpus.words:,} | {m.entities:,} | {m.wall:.1f} "
            f"| {m.wall / base.wall:.2f}× | {m.cpu:.1f} | {m.cpu / base.cpu:.2f}× "
            f"| {corpus.n_articles / base_corpus.n_articles:.0f}× | {_stage_row(m)} |"
        )
    return lines


def report_scale(results: ScaleResults) -> tuple[list[str], list[str]]:
    """(the report's sections, its target lines)."""
    lines: list[str] = []
    targets: list[str] = []
    if results.archive:
        lines += _archive(results.archive)
        (base_corpus, base), *rest = results.archive
        for corpus, m in rest:
            if corpus.n_articles == 8 * base_corpus.n_articles:
                growth = _check(m.wall / base.wall, TARGET_GROWTH)
                targets.append(f"- archive, 8× the articles vs 1×, 1 process: {growth}; "
                               f"CPU time {_check(m.cpu / base.cpu, TARGET_GROWTH)}")
            if corpus.n_articles == LARGE_ARTICLES:
                targets.append(f"- archive of {LARGE_ARTICLES:,} short articles, 1 process: "
                               f"{_check(m.wall, TARGET_LARGE_SECONDS, ' s')}")
    if results.merge is not None:
        m = results.merge
        lines += ["", f"### The cross-article merge alone: {m.name} (1 process)", "",
                  "| merge (s) | entities after merging | process wall (s) |", "|--:|--:|--:|",
                  f"| {m.seconds['merge']:.1f} | {m.entities:,} | {m.wall:.1f} |"]
        targets.append(f"- {m.name}: {_check(m.seconds['merge'], TARGET_MERGE_SECONDS, ' s')}")
    if results.long is not None:
        one, split = results.long
        lines += [
            "", f"### One long article ({results.long_sentences:,} sentences) vs the same text as "
            f"{results.long_parts} articles (1 process)", "",
            "| shape | wall (s) | CPU (s) | " + " | ".join(STAGES) + " |",
            "|---|--:|--:|" + "--:|" * len(STAGES),
            f"| one article | {one.wall:.1f} | {one.cpu:.1f} | {_stage_row(one)} |",
            f"| {results.long_parts} articles | {split.wall:.1f} | {split.cpu:.1f} | {_stage_row(split)} |",
        ]
        ratio = _check(one.wall / split.wall, TARGET_LONG_RATIO)
        targets.append(f"- one long article ÷ the same in parts: {ratio}; "
                       f"CPU time {_check(one.cpu / split.cpu, TARGET_LONG_RATIO)}")
    return lines, targets
