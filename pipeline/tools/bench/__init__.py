"""Benchmark (issues 6, 12 and 20): throughput against raw spaCy, memory, stage times,
warm reruns, how cost grows with an archive's names and with one long article, and
how heavy the audit report is at archive size.

`make bench` (``python -m pipeline bench``) runs five parts (`--parts` picks them):

* `sample`: corpora of 1×, 5×, 10× and 50× the sample page (`--sizes`;
  `--large` adds 200×, about 2,200 articles), the whole pipeline on each with
  one and with two processes, on the corpus as many page files and as one
  large file, the same articles through raw spaCy (`nlp.pipe` with each
  model's tok2vec and ner only, at the pipeline's batch size), in one process
  and with spaCy's own `n_process=2`, and the 10× corpus rerun against its cache;
* `archive`: a generated archive whose every article names new people,
  organisations and laws (en/fr/es, seeded: `archive.py`), at 1×, 8× and 40×
  a base of 100 articles (`--archive-base`, `--archive-scales`), one process,
  with the time of every stage, `merge_and_publish` included;
* `merge`: the cross-article merge alone over 100,000 generated organisation
  keys (`--merge-keys`), one process;
* `long`: one article of 30,000 sentences against the same text as 300
  articles (`--long-sentences`, `--long-parts`), one process;
* `report`: the audit report of a 20,000-article archive (`--report-articles`;
  tables generated, not extracted: `audit_archive.py`), its weight and the time
  to write it, then opened in headless Chromium (`audit_report.py`).

It prints markdown tables, also written to bench-results/bench.md.

Every measurement runs in a fresh Python process, timed from that process's
start, imports and model loading included, for three reasons: that is what a
user waits for; `ru_maxrss` is a high-water mark, so only a fresh process can
tell one corpus's peak memory from another's; and a raw pass in the same
process would share loaded models and warm caches with the pipeline.
Besides `ru_maxrss` (peak of the measuring process, and of its largest
descendant), the process tree's total proportional set size (PSS: shared
pages counted once) is sampled while it runs: what the run costs the machine.

Timings on a small shared machine are noisy: compare ratios from one report,
not absolute numbers across reports.  The last table says how much CPU other
processes took during each measurement (Linux), so a skewed ratio shows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...config import PROJECT_ROOT, Config
from . import scale as growth
from .audit_report import REPORT_ARTICLES, measure_report, report_section
from .corpus import Corpus, make_corpus
from .measure import Measurement, best_of, measure
from .report import WARM_SIZE, SizeResult, WarmResult, every_measurement, report

RESULTS = PROJECT_ROOT / "bench-results" / "bench.md"
SIZES = (1, 5, 10, 50)
LARGE_SIZE = 200
PARTS = ("sample", "archive", "merge", "long", "report")
GROWTH_PARTS = ("archive", "merge", "long")


def _e2e_spec(
    corpus: Corpus,
    work: Path,
    processes: int,
    cache: Path | None = None,
    tag: str = "",
    folder: Path | None = None,
) -> dict[str, Any]:
    """What a measuring process needs for one end-to-end run; `cache` None runs without one."""
    out = work / f"out-{corpus.scale}x-{processes}p{tag}"
    return {
        "kind": "e2e",
        "input": str(folder or corpus.folder),
        "out": str(out),
        "processes": processes,
        "cache_dir": str(cache) if cache else None,
    }


def tables_identical(a: Path, b: Path) -> bool:
    """Whether two output folders hold the same bytes in every table."""
    from ...schema import TABLES

    return all((a / f"{n}.parquet").read_bytes() == (b / f"{n}.parquet").read_bytes() for n in TABLES)


def _cold_and_warm(corpus: Corpus, work: Path, processes: int) -> tuple[Measurement, WarmResult]:
    """A cold run filling a fresh cache (so it pays for writing it), then a rerun reading it.

    The cache key includes the code and data files: when they change between
    the two runs (someone editing the checkout), the rerun misses, and the
    pair is measured once more.
    """
    name = f"{corpus.scale}×, {processes} processes"
    for attempt in (1, 2):
        cache = work / f"cache-{attempt}"
        cold = measure(f"{name}, cold cache", _e2e_spec(corpus, work, processes, cache))
        warm = measure(f"{name}, warm cache", _e2e_spec(corpus, work, processes, cache, "-warm"))
        if warm.cached == corpus.n_articles:
            break
        print(
            f"  the warm rerun found {warm.cached} of {corpus.n_articles} articles in the cache "
            "(code or data changed meanwhile?)" + (": measuring again" if attempt == 1 else ""),
            file=sys.stderr,
        )
    assert cold.out is not None and warm.out is not None
    spec = _e2e_spec(corpus, work, processes, cache, "-curated")
    spec["curation"] = str(_curation(cold.out, work))
    curated = measure(f"{name}, after a curation change", spec)
    return cold, WarmResult(cold, warm, tables_identical(cold.out, warm.out), curated)


def _curation(out: Path, work: Path) -> Path:
    """A curation file rejecting the most mentioned entity and merging the next two organisations."""
    import pyarrow.parquet as pq

    rows = pq.read_table(out / "entities.parquet", columns=["type", "key", "n_mentions"]).to_pylist()
    rows.sort(key=lambda r: (-r["n_mentions"], r["type"], r["key"]))
    orgs = [r for r in rows[1:] if r["type"] == "ORG"]
    path = work / "curation.yaml"
    path.write_text(
        f"reject:\n  - {{type: {rows[0]['type']}, key: {rows[0]['key']}}}\n"
        f"merge:\n  - {{type: ORG, into: {orgs[0]['key']}, keys: [{orgs[1]['key']}]}}\n",
        encoding="utf-8",
    )
    return path


def run_bench(scales: Sequence[int], work: Path, raw: bool, warm: bool, repeat: int) -> str:
    """Generate the corpora, measure everything, return the report."""
    p = max(Config().processes, 2)
    results: list[SizeResult] = []
    warm_result: WarmResult | None = None
    for scale in scales:
        corpus = make_corpus(work / f"corpus-{scale}x", scale, one_file=True)
        print(
            f"{scale}×: {corpus.n_pages} pages, {corpus.n_articles} articles, {corpus.words:,} words",
            file=sys.stderr,
        )
        one = best_of(repeat, f"{scale}×, 1 process", _e2e_spec(corpus, work, 1))
        if warm and scale == WARM_SIZE:
            many, warm_result = _cold_and_warm(corpus, work, p)
        else:
            many = best_of(repeat, f"{scale}×, {p} processes", _e2e_spec(corpus, work, p))
        one_file = best_of(
            repeat,
            f"{scale}×, {p} processes, one file",
            _e2e_spec(corpus, work, p, tag="-one", folder=corpus.one_file),
        )
        result = SizeResult(corpus, one, many, None, None, one_file)
        if raw:
            raw_spec = {"kind": "raw", "articles": str(corpus.articles)}
            result.raw = best_of(repeat, f"{scale}×, raw spaCy", raw_spec)
            result.raw_many = best_of(repeat, f"{scale}×, spaCy n_process={p}", {**raw_spec, "n_process": p})
        results.append(result)
    return report(results, warm_result, p)


@dataclass(frozen=True)
class GrowthSizes:
    """The sizes of the growth parts (`scale.py`) and of the report's archive (`audit_report.py`)."""

    archive_base: int = growth.ARCHIVE_BASE
    archive_scales: tuple[int, ...] = growth.ARCHIVE_SCALES
    merge_keys: int = growth.MERGE_KEYS
    long_sentences: int = growth.LONG_SENTENCES
    long_parts: int = growth.LONG_PARTS
    report_articles: int = REPORT_ARTICLES


def run_growth(parts: Sequence[str], sizes: GrowthSizes, work: Path, repeat: int) -> str:
    """Measure the growth parts asked for; their report."""
    results = growth.ScaleResults([], long_sentences=sizes.long_sentences, long_parts=sizes.long_parts)
    if "archive" in parts:
        results.archive = growth.measure_archive(work, sizes.archive_base, sizes.archive_scales, repeat)
    if "merge" in parts:
        results.merge = growth.measure_merge(sizes.merge_keys, repeat)
    if "long" in parts:
        results.long = growth.measure_long(work, sizes.long_sentences, sizes.long_parts, repeat)
    lines, targets = growth.report_scale(results)
    runs = [m for _, m in results.archive] + [m for m in (results.merge,) if m] + list(results.long or ())
    return "\n".join([*lines, "", "### Targets (issue 20)", "", *targets, *every_measurement(runs)]) + "\n"


def bench(
    sizes: Sequence[int] = SIZES,
    *,
    large: bool = False,
    raw: bool = True,
    warm: bool = True,
    repeat: int = 1,
    work: Path | None = None,
    results: Path = RESULTS,
    parts: Sequence[str] = PARTS,
    growth_sizes: GrowthSizes = GrowthSizes(),
) -> int:
    """Measure the `parts` asked for; print the report, write it to `results`.

    `sample`: each size of `sizes` (and `LARGE_SIZE` if `large`); `raw`: also
    the raw spaCy passes; `warm`: also the warm rerun of the `WARM_SIZE`×
    corpus; `archive`, `merge`, `long`: the growth parts at `growth_sizes`;
    `report`: the audit report of `growth_sizes.report_articles` articles;
    `repeat`: runs per measurement, the fastest kept; `work`: where corpora and
    outputs are made and kept (default: a temporary folder).
    """
    scales = [*sizes] + ([LARGE_SIZE] if large else [])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as tmp:
        folder = work or Path(tmp)
        sections = []
        if "sample" in parts:
            sections.append(run_bench(scales, folder, raw, warm, max(1, repeat)))
        if set(parts) & set(GROWTH_PARTS):
            sections.append(run_growth(parts, growth_sizes, folder, max(1, repeat)))
        if "report" in parts:
            sections.append(report_section(measure_report(folder, growth_sizes.report_articles)))
        table = "\n".join(sections)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {results} (benchmark took {time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return 0
