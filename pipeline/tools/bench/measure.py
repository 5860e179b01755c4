"""Measurements, each in a fresh Python process: wall and CPU time, peak memory, stage times."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import PROJECT_ROOT, Config

MEMORY_SAMPLE_SECONDS = 0.2
KIB_PER_MB = 1024  # ru_maxrss is in KiB on Linux


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
    entities: int = 0  # the run's entities (end-to-end runs), or the keys merged (the merge alone)


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
    from ...engine import executor_for
    from ...runner import run

    cache_dir = spec["cache_dir"]
    config = Config(processes=spec["processes"], cache=cache_dir is not None, cache_dir=cache_dir)
    if spec.get("curation"):
        config = config.replace(curation=spec["curation"])
    with executor_for("local", config.processes, models=config.models) as executor:
        summary = run([spec["input"]], Path(spec["out"]), config, executor=executor, progress=False)
    wall = time.perf_counter() - started
    return {"wall": wall, "seconds": summary.seconds, "cached": summary.cached,
            "entities": sum(summary.counts["entities"].values()), **_usage()}


def _measure_merge(spec: dict[str, Any], started: float) -> dict[str, Any]:
    """The cross-article merge alone (`EntityResolver.key_map`) over `keys` generated
    organisation keys, each seen once; the names are made before the clock starts."""
    from ...records import Mention
    from ...stages.merge import EntityResolver
    from .archive import organisation_keys

    resolver = EntityResolver(Config().fuzzy_threshold)
    for key, name in organisation_keys(spec["keys"]):
        resolver.add([Mention(0, len(name), name, "ORG", None, "rule:bench", 0, name, key=key, name=name,
                              resolution="fingerprint")])
    tick = time.perf_counter()
    key_map = resolver.key_map()
    merge = time.perf_counter() - tick
    return {"wall": time.perf_counter() - started, "seconds": {"merge": merge},
            "entities": len(set(key_map.values())), **_usage()}


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
    from ...stages.ner.recognise import load_model

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


def measure_child(spec_json: str) -> int:
    """Entry point of a measuring process (`python -m pipeline bench --child SPEC`): run one
    measurement, print it as JSON."""
    started = time.perf_counter()
    spec = json.loads(spec_json)
    measure = {"e2e": _measure_e2e, "raw": _measure_raw, "merge": _measure_merge}[spec["kind"]]
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
            [sys.executable, "-m", "pipeline", "bench", "--child", json.dumps(spec)],
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
        result.get("entities", 0),
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
