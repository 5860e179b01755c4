"""The bench's markdown report: throughput, memory, stage times, the warm rerun, targets, every run."""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Corpus
from .measure import Measurement

WARM_SIZE = 10


@dataclass
class SizeResult:
    corpus: Corpus
    one: Measurement
    many: Measurement
    raw: Measurement | None
    raw_many: Measurement | None = None  # spaCy's own nlp.pipe(n_process=p)
    one_file: Measurement | None = None  # p processes on the corpus as one large file


@dataclass
class WarmResult:
    cold: Measurement
    warm: Measurement
    identical: bool
    # A rerun after a curation change (a reject and a merge): still served from the cache.
    curated: Measurement | None = None


STAGES = ("ingest", "split", "cache", "langid", "ner", "resolve", "write", "merge_and_publish")
# The targets of issues 6 and 12.
TARGET_RAW_RATIO = 1.0
TARGET_PARALLEL = 1.6
TARGET_PARALLEL_LARGE = 1.85
LARGE_PARALLEL_FROM = 50  # corpus size from which the larger parallel target applies
TARGET_MEMORY_GROWTH = 1.25
TARGET_WARM_SPEEDUP = 10.0
TARGET_CURATED_RERUN = 0.2  # issue 13: a rerun after curation costs at most 20% of a cold run


def _rate(words: int, seconds: float) -> str:
    return f"{words / seconds:,.0f}"


def _mb(value: float) -> str:
    return f"{value:,.0f}"


def _check(value: float, target: float, at_most: bool = False) -> str:
    met = value <= target if at_most else value >= target
    return f"{value:.2f}× ({'met' if met else 'NOT met'}; target {'≤' if at_most else '≥'} {target}×)"


def _mem(m: Measurement | None, attribute: str) -> str:
    return _mb(getattr(m, attribute)) if m is not None else "–"


def _throughput(sizes: list[SizeResult], p: int) -> list[str]:
    lines = [
        "### Throughput (words/s; wall clock of a fresh process, imports and model loading included)",
        "",
        f"| corpus | articles | words | 1 process | {p} processes | {p}p ÷ 1p | raw spaCy tok2vec+ner "
        f"| 1p ÷ raw | 1p ÷ raw, CPU time | spaCy n_process={p} | {p}p ÷ spaCy n_process={p} "
        f"| {p}p, one file |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in sizes:
        c = s.corpus
        raw = (
            f"{_rate(c.words, s.raw.wall)} | {s.raw.wall / s.one.wall:.2f}× | {s.raw.cpu / s.one.cpu:.2f}×"
            if s.raw
            else "– | – | –"
        )
        raw_many = (
            f"{_rate(c.words, s.raw_many.wall)} | {s.raw_many.wall / s.many.wall:.2f}×"
            if s.raw_many
            else "– | –"
        )
        single = _rate(c.words, s.one_file.wall) if s.one_file else "–"
        lines.append(
            f"| {c.scale}× | {c.n_articles} | {c.words:,} | {_rate(c.words, s.one.wall)} "
            f"| {_rate(c.words, s.many.wall)} | {s.one.wall / s.many.wall:.2f}× | {raw} | {raw_many} "
            f"| {single} |"
        )
    return lines


def _memory(sizes: list[SizeResult], p: int) -> list[str]:
    lines = [
        "",
        "### Peak memory (MB): the main process (`ru_maxrss`), and the whole run (sampled PSS, "
        "shared pages once)",
        "",
        f"| corpus | 1 process | {p}p, pages: main | {p}p, pages: all | {p}p, one file: main "
        f"| {p}p, one file: all | raw spaCy | spaCy n_process={p}: all |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in sizes:
        lines.append(
            f"| {s.corpus.scale}× | {_mb(s.one.rss_main_mb)} | {_mb(s.many.rss_main_mb)} "
            f"| {_mb(s.many.pss_total_mb)} | {_mem(s.one_file, 'rss_main_mb')} "
            f"| {_mem(s.one_file, 'pss_total_mb')} | {_mem(s.raw, 'rss_main_mb')} "
            f"| {_mem(s.raw_many, 'pss_total_mb')} |"
        )
    return lines


def _stage_times(sizes: list[SizeResult]) -> list[str]:
    lines = [
        "",
        "### Time per stage (s; the 1-process runs' `seconds` from run.json, inside `run()`)",
        "",
        "| corpus | " + " | ".join(STAGES) + " | run() total | process wall |",
        "|---|" + "--:|" * (len(STAGES) + 2),
    ]
    for s in sizes:
        cells = " | ".join(f"{s.one.seconds.get(stage, 0.0):.2f}" for stage in STAGES)
        lines.append(f"| {s.corpus.scale}× | {cells} | {s.one.seconds['total']:.2f} | {s.one.wall:.2f} |")
    return lines


def _warm_rerun(warm: WarmResult, p: int) -> list[str]:
    lines = [
        "",
        f"### Warm rerun of the {WARM_SIZE}× corpus ({p} processes, same cache)",
        "",
        "| cold (s) | warm (s) | speedup | articles from the cache | tables byte-identical |",
        "|--:|--:|--:|--:|---|",
        f"| {warm.cold.wall:.2f} | {warm.warm.wall:.2f} | {warm.cold.wall / warm.warm.wall:.1f}× "
        f"| {warm.warm.cached} | {'yes' if warm.identical else 'NO'} |",
    ]
    if warm.curated is not None:
        lines += [
            "",
            f"Rerun after a curation change (a reject and a merge): {warm.curated.wall:.2f} s, "
            f"{warm.curated.wall / warm.cold.wall:.1%} of the cold run, "
            f"{warm.curated.cached} articles from the cache.",
        ]
    return lines


def every_measurement(runs: list[Measurement]) -> list[str]:
    """A row per measuring process: wall and CPU time, peak memory, and how busy the machine was."""
    lines = [
        "",
        "### Every measurement",
        "",
        "| run | wall (s) | CPU (s) | peak main (MB) | peak descendant (MB) | peak all, PSS (MB) "
        "| others' share of the CPUs |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for m in runs:
        others = f"{m.others:.0%}" if m.others is not None else "–"
        lines.append(
            f"| {m.name} | {m.wall:.1f} | {m.cpu:.1f} | {_mb(m.rss_main_mb)} "
            f"| {_mb(m.rss_worker_mb)} | {_mb(m.pss_total_mb)} | {others} |"
        )
    return lines


def report(sizes: list[SizeResult], warm: WarmResult | None, processes: int) -> str:
    """The markdown report: throughput, memory, stages, warm rerun, targets, and every run."""
    lines = _throughput(sizes, processes) + _memory(sizes, processes) + _stage_times(sizes)
    if warm is not None:
        lines += _warm_rerun(warm, processes)
    lines += ["", "### Targets", "", *_targets(sizes, warm, processes)]
    runs = [m for s in sizes for m in (s.one, s.many, s.one_file, s.raw, s.raw_many) if m is not None]
    if warm is not None:
        runs += [m for m in (warm.warm, warm.curated) if m is not None]
    lines += every_measurement(runs)
    return "\n".join(lines) + "\n"


def _targets(sizes: list[SizeResult], warm: WarmResult | None, p: int) -> list[str]:
    by_scale = {s.corpus.scale: s for s in sizes}
    lines = [
        f"- {s.corpus.scale}×, 1 process vs raw spaCy: {_check(s.raw.wall / s.one.wall, TARGET_RAW_RATIO)}"
        for s in sizes
        if s.raw is not None
    ]
    lines += [
        f"- {s.corpus.scale}×, {p} processes vs 1: "
        + _check(
            s.one.wall / s.many.wall,
            TARGET_PARALLEL_LARGE if s.corpus.scale >= LARGE_PARALLEL_FROM else TARGET_PARALLEL,
        )
        for s in sizes
        if s.corpus.scale > 1
    ]
    large = max(by_scale)
    if WARM_SIZE in by_scale and large > WARM_SIZE:
        small, big = by_scale[WARM_SIZE], by_scale[large]
        growth = {
            "1 process": big.one.rss_main_mb / small.one.rss_main_mb,
            f"{p} processes, pages, whole run (PSS)": big.many.pss_total_mb / small.many.pss_total_mb,
            f"{p} processes, pages, main process": big.many.rss_main_mb / small.many.rss_main_mb,
        }
        if big.one_file and small.one_file:
            growth[f"{p} processes, one file, whole run (PSS)"] = (
                big.one_file.pss_total_mb / small.one_file.pss_total_mb
            )
            growth[f"{p} processes, one file, main process"] = (
                big.one_file.rss_main_mb / small.one_file.rss_main_mb
            )
        lines += [
            f"- peak memory {large}× vs {WARM_SIZE}×, {what}: "
            f"{_check(ratio, TARGET_MEMORY_GROWTH, at_most=True)}"
            for what, ratio in growth.items()
        ]
    if warm is not None:
        speedup = warm.cold.wall / warm.warm.wall
        lines.append(f"- warm rerun vs cold, {WARM_SIZE}×: {_check(speedup, TARGET_WARM_SPEEDUP)}")
        if warm.curated is not None:
            share = warm.curated.wall / warm.cold.wall
            lines.append(
                f"- rerun after curation ÷ cold, {WARM_SIZE}×: "
                f"{_check(share, TARGET_CURATED_RERUN, at_most=True)}"
            )
    return lines
