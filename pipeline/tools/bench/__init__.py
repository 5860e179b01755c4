"""Benchmark (issues 6 and 12): throughput against raw spaCy, memory, stage times, warm reruns.

`make bench` (``python -m pipeline bench``) generates corpora of 1×, 5×, 10×
and 50× the sample page (`--large` adds 200×, about 2,200 articles), runs the
whole pipeline on each with one and with two processes, on the corpus as many
page files and as one large file, runs the same articles through raw spaCy
(`nlp.pipe` with each model's tok2vec and ner only, at the pipeline's batch
size), in one process and with spaCy's own `n_process=2`, reruns the 10×
corpus against its cache, and prints markdown tables, also written to
bench-results/bench.md.

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
from pathlib import Path
from typing import Any

from ...config import PROJECT_ROOT, Config
from .corpus import Corpus, make_corpus
from .measure import Measurement, best_of, measure
from .report import WARM_SIZE, SizeResult, WarmResult, report

RESULTS = PROJECT_ROOT / "bench-results" / "bench.md"
SIZES = (1, 5, 10, 50)
LARGE_SIZE = 200


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


def bench(
    sizes: Sequence[int] = SIZES,
    *,
    large: bool = False,
    raw: bool = True,
    warm: bool = True,
    repeat: int = 1,
    work: Path | None = None,
    results: Path = RESULTS,
) -> int:
    """Measure each size of `sizes` (and `LARGE_SIZE` if `large`); print the report, write it to `results`.

    `raw`: also the raw spaCy passes; `warm`: also the warm rerun of the
    `WARM_SIZE`× corpus; `repeat`: runs per measurement, the fastest kept;
    `work`: where corpora and outputs are made and kept (default: a temporary folder).
    """
    scales = [*sizes] + ([LARGE_SIZE] if large else [])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as tmp:
        table = run_bench(scales, work or Path(tmp), raw, warm, max(1, repeat))
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {results} (benchmark took {time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return 0
