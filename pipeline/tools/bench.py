"""Benchmark (issues 6 and 12): throughput against raw spaCy, memory, stage times, warm reruns.

`make bench` (``python -m pipeline.tools.bench``) generates corpora of 1×, 5×, 10×
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

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT, Config
from ..errors import run_command

SAMPLE = PROJECT_ROOT / "corpus" / "pages" / "civicus_surveillance.txt"
RESULTS = PROJECT_ROOT / "bench-results" / "bench.md"
SEED = 6
# Like the sample page: a tag line, eleven articles, then the page footer.
ARTICLES_PER_PAGE = 11
SIZES = (1, 5, 10, 50)
LARGE_SIZE = 200
WARM_SIZE = 10
MEMORY_SAMPLE_SECONDS = 0.2
KIB_PER_MB = 1024  # ru_maxrss is in KiB on Linux


@dataclass(frozen=True)
class Template:
    """One sample article: its language, title and paragraphs (lines, indent kept)."""

    lang: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    scale: int
    folder: Path
    articles: Path  # JSON lines of {"lang", "text"}: the raw pass reads these
    n_pages: int
    n_articles: int
    words: int
    one_file: Path | None = None  # the same articles as one page file, if made


def sample_page(path: Path = SAMPLE) -> tuple[str, list[Template], str]:
    """(header, article templates, footer) of the sample page, cut by the pipeline's own split."""
    from ..stages.ingest import read_document
    from ..stages.langid import identify
    from ..stages.split import split_document

    doc = read_document(path)
    templates = []
    for article in split_document(doc):
        identify(article, Config().min_letters)
        lines = article.text.splitlines()[1:]
        paragraphs = tuple(line for line in lines if line.strip())
        templates.append(Template(article.lang or "", article.title or "", paragraphs))
    return doc.header, templates, doc.boilerplate or ""


def make_corpus(folder: Path, scale: int, seed: int = SEED, one_file: bool = False) -> Corpus:
    """Write `scale` × the sample's articles as pages of the sample's layout, all distinct.

    With `one_file`, the same articles are also written as one page (header,
    every article, footer) in `<folder>.one/`: one large file, the other shape
    of the same corpus.

    Article k takes the language, title and paragraph count of sample article
    k mod 11, and draws its paragraphs, shuffled, from all sample paragraphs of
    that language, so EN and FR never mix and sizes follow the sample.  Titles
    get a running number, and a repeated text is drawn again, so no article
    repeats: a repeat would let a cache or a model's memo flatter the numbers.
    """
    header, templates, footer = sample_page()
    pools: dict[str, list[str]] = {}
    for template in templates:
        pools.setdefault(template.lang, []).extend(template.paragraphs)
    rng = random.Random(f"{seed}:{scale}")
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    records: list[str] = []
    page: list[str] = []
    n_pages = words = 0
    for k in range(scale * len(templates)):
        template = templates[k % len(templates)]
        text = ""
        while not text or text in seen:
            paragraphs = rng.sample(pools[template.lang], len(template.paragraphs))
            text = f"  • {template.title} ({k + 1})\n\n" + "\n\n".join(paragraphs) + "\n\n"
        seen.add(text)
        words += len(text.split())
        records.append(json.dumps({"lang": template.lang, "text": text}, ensure_ascii=False))
        page.append(text)
        if len(page) == ARTICLES_PER_PAGE or k == scale * len(templates) - 1:
            n_pages += 1
            (folder / f"page-{n_pages:04d}.txt").write_text(header + "".join(page) + footer, encoding="utf-8")
            page = []
    articles = folder.with_name(folder.name + ".articles.jsonl")
    articles.write_text("\n".join(records) + "\n", encoding="utf-8")
    single = None
    if one_file:
        single = folder.with_name(folder.name + ".one")
        single.mkdir(exist_ok=True)
        with open(single / "all-pages.txt", "w", encoding="utf-8") as handle:
            handle.write(header)
            for record in records:
                handle.write(json.loads(record)["text"])
            handle.write(footer)
    return Corpus(scale, folder, articles, n_pages, len(records), words, single)


# --- measurements, each in a fresh process ------------------------------------------------


@dataclass
class Measurement:
    """One fresh process's run: wall and CPU seconds, peak memory, and what it reported."""

    name: str
    wall: float
    cpu: float
    rss_main_mb: float
    rss_worker_mb: float  # the largest finished descendant (a worker); 0 without workers
    others: float | None  # share of the machine's CPU that other processes used meanwhile
    pss_total_mb: float = 0.0  # peak sampled PSS of the whole process tree (shared pages once)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, from run()
    cached: int = 0
    out: Path | None = None


def _usage() -> dict[str, float]:
    """Peak memory (MB) and CPU seconds of this process and its finished children.

    `ru_maxrss` of the children is that of the largest one, not a sum; their
    CPU time is a sum.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_main_mb": own.ru_maxrss / KIB_PER_MB,
        "rss_worker_mb": children.ru_maxrss / KIB_PER_MB,
        "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    }


def _measure_e2e(spec: dict[str, Any], started: float) -> dict[str, Any]:
    from ..engine import executor_for
    from ..runner import run

    cache_dir = spec["cache_dir"]
    config = Config(processes=spec["processes"], cache=cache_dir is not None, cache_dir=cache_dir)
    if spec.get("curation"):
        config = config.replace(curation=spec["curation"])
    with executor_for("local", config.processes, models=config.models) as executor:
        summary = run([spec["input"]], Path(spec["out"]), config, executor=executor, progress=False)
    wall = time.perf_counter() - started
    return {"wall": wall, "seconds": summary.seconds, "cached": summary.cached, **_usage()}


def raw_components(model: str) -> list[str]:
    """Every component of an installed pipeline but tok2vec and ner: what the raw pass excludes."""
    import spacy.util

    meta = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    return [name for name in meta["components"] if name not in ("tok2vec", "ner")]


def _measure_raw(spec: dict[str, Any], started: float) -> dict[str, Any]:
    """The same articles through `nlp.pipe` of each language's model, tok2vec and ner only.

    At the pipeline's batch size: spaCy's default (1000 texts) is slower here
    and holds gigabytes at 50×, which would flatter the pipeline.
    """
    from ..stages.ner.recognise import load_model

    by_lang: dict[str, list[str]] = {}
    with open(spec["articles"], encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            by_lang.setdefault(record["lang"], []).append(record["text"])
    config = Config()
    pipe = 0.0
    n_process = spec.get("n_process", 1)
    for lang, texts in sorted(by_lang.items()):
        nlp = load_model(config.models[lang], exclude=raw_components(config.models[lang]))
        tick = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=config.batch_size, n_process=n_process):
            pass
        pipe += time.perf_counter() - tick
    return {"wall": time.perf_counter() - started, "seconds": {"pipe": pipe}, **_usage()}


def _child(spec_json: str) -> int:
    """Entry point of a measuring process: run one measurement, print it as JSON."""
    started = time.perf_counter()
    spec = json.loads(spec_json)
    measure = _measure_e2e if spec["kind"] == "e2e" else _measure_raw
    print(json.dumps(measure(spec, started)))
    return 0


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            ticks = [int(v) for v in handle.readline().split()[1:]]
    except OSError:
        return None
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(name: str, spec: dict[str, Any]) -> Measurement:
    """Run one measurement in a fresh interpreter; note how busy other processes kept the machine."""
    busy = _busy_seconds()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "pipeline.tools.bench", "--child", json.dumps(spec)],
            stdout=out,
            stderr=err,
            text=True,
            cwd=PROJECT_ROOT,
        )
        pss = _peak_pss(child)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise RuntimeError(f"benchmark process {name!r} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    after = _busy_seconds()
    others = None
    if busy is not None and after is not None:
        others = max(0.0, (after - busy - result["cpu"]) / (elapsed * (os.cpu_count() or 1)))
    print(f"  {name}: {result['wall']:.1f}s", file=sys.stderr)
    return Measurement(
        name,
        result["wall"],
        result["cpu"],
        result["rss_main_mb"],
        result["rss_worker_mb"],
        others,
        pss,
        result["seconds"],
        result.get("cached", 0),
        Path(spec["out"]) if "out" in spec else None,
    )


def _peak_pss(child: subprocess.Popen[str]) -> float:
    """Wait for `child`, sampling its process tree's total PSS; the peak, in MB."""
    import psutil

    peak = 0
    root = psutil.Process(child.pid)
    while child.poll() is None:
        total = 0
        try:
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_full_info().pss
        except psutil.Error:  # the run ended while it was being sampled
            pass
        peak = max(peak, total)
        time.sleep(MEMORY_SAMPLE_SECONDS)
    return peak / 2**20


def best_of(repeat: int, name: str, spec: dict[str, Any]) -> Measurement:
    """The fastest of `repeat` runs: the one least disturbed by other work on the machine."""
    return min((measure(name, spec) for _ in range(repeat)), key=lambda m: m.wall)


# --- the report ---------------------------------------------------------------------------


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


STAGES = ("ingest", "split", "cache", "langid", "ner", "normalise", "write", "resolve_and_publish")
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


def tables_identical(a: Path, b: Path) -> bool:
    from ..schema import TABLES

    return all((a / f"{n}.parquet").read_bytes() == (b / f"{n}.parquet").read_bytes() for n in TABLES)


def _mem(m: Measurement | None, attribute: str) -> str:
    return _mb(getattr(m, attribute)) if m is not None else "–"


def report(sizes: list[SizeResult], warm: WarmResult | None, processes: int) -> str:
    """The markdown report: throughput, memory, stages, warm rerun, targets, and every run."""
    p = processes
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
    lines += [
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
    lines += [
        "",
        "### Time per stage (s; the 1-process runs' `seconds` from run.json, inside `run()`)",
        "",
        "| corpus | " + " | ".join(STAGES) + " | run() total | process wall |",
        "|---|" + "--:|" * (len(STAGES) + 2),
    ]
    for s in sizes:
        cells = " | ".join(f"{s.one.seconds.get(stage, 0.0):.2f}" for stage in STAGES)
        lines.append(f"| {s.corpus.scale}× | {cells} | {s.one.seconds['total']:.2f} | {s.one.wall:.2f} |")
    if warm is not None:
        lines += [
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
    lines += ["", "### Targets", "", *_targets(sizes, warm, p)]
    lines += [
        "",
        "### Every measurement",
        "",
        "| run | wall (s) | CPU (s) | peak main (MB) | peak descendant (MB) | peak all, PSS (MB) "
        "| others' share of the CPUs |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    runs = [m for s in sizes for m in (s.one, s.many, s.one_file, s.raw, s.raw_many) if m is not None]
    for m in runs + ([warm.warm] if warm else []) + ([warm.curated] if warm and warm.curated else []):
        others = f"{m.others:.0%}" if m.others is not None else "–"
        lines.append(
            f"| {m.name} | {m.wall:.1f} | {m.cpu:.1f} | {_mb(m.rss_main_mb)} "
            f"| {_mb(m.rss_worker_mb)} | {_mb(m.pss_total_mb)} | {others} |"
        )
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


def _sizes(text: str) -> list[int]:
    """'1,10,50' → [1, 10, 50]; argparse turns the error into a usage message."""
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected sizes of at least 1, got {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.tools.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes", default=list(SIZES), type=_sizes, help="corpus sizes, in multiples of the sample page"
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help=f"add the {LARGE_SIZE}× corpus (runs about 4× as long as the 50× one)",
    )
    parser.add_argument("--skip-raw", action="store_true", help="no raw spaCy pass")
    parser.add_argument("--skip-warm", action="store_true", help=f"no warm rerun of the {WARM_SIZE}× corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement, the fastest kept")
    parser.add_argument("--work", help="folder for corpora and outputs, kept (default: a temporary folder)")
    parser.add_argument("--results", default=str(RESULTS), help="where to write the markdown report")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)
    scales: list[int] = args.sizes + ([LARGE_SIZE] if args.large else [])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        table = run_bench(scales, work, not args.skip_raw, not args.skip_warm, max(1, args.repeat))
    results = Path(args.results)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {results} (benchmark took {time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
