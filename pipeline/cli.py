"""Command line: one parser tree over importable functions (run, eval, bench, audit, show, curate,
fingerprint).

Logging is configured here once, to stderr.  Expected failures (a
`PipelineError`, permissions, a full disk, a missing file, an interrupt) are
printed as one `error:` line, without a traceback, with exit 2
(`errors.run_command`); a traceback means a bug.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

from .config import PROJECT_ROOT, load_config
from .errors import run_command
from .store.lock import hold_output
from .tools import bench as bench_tool
from .tools.bench.measure import measure_child
from .tools.evaluate import (
    BENCHMARKS_DIR,
    DEFAULT_GOLD,
    DEFAULT_LIMIT,
    DEFAULT_PAGES,
    DEFAULT_TABLES,
    EVAL_DIR,
)
from .tools.evaluate.benchmark_sets import BENCHMARKS

DEFAULT_INPUT = PROJECT_ROOT / "corpus" / "pages"
DEFAULT_OUT = PROJECT_ROOT / "outputs"
log = logging.getLogger("pipeline")
Subcommands = argparse._SubParsersAction  # what `add_subparsers` returns (argparse names it privately)


def _run(args: argparse.Namespace) -> int:
    from .engine import executor_for
    from .runner import run

    config = load_config(
        args.config,
        processes=args.processes,
        cache_dir=args.cache_dir,
        cache=False if args.no_cache else None,
    )
    # The output folder is taken before workers start, so a second run fails at once.
    with hold_output(Path(args.out)), executor_for(
        args.engine, config.processes, args.workers, args.scheduler, config.models
    ) as executor:
        summary = run(
            args.inputs or [DEFAULT_INPUT],
            Path(args.out),
            config,
            executor=executor,
            progress=not args.quiet,
            engine=args.engine,
        )
    print(summary.format(), file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from .tools.evaluate.command import evaluate

    return evaluate(
        gold=args.gold,
        tables=args.tables,
        benchmarks_dir=args.benchmarks_dir,
        config=args.config,
        benchmarks=args.benchmarks,
        sets=args.sets,
        limit=args.limit or None,
        baseline=args.baseline,
        heldout=args.heldout,
        ablation=args.ablation,
        pages=args.pages,
        json_path=args.json,
    )


def _bench(args: argparse.Namespace) -> int:
    if args.child:
        return measure_child(args.child)
    return bench_tool.bench(
        args.sizes,
        large=args.large,
        raw=not args.skip_raw,
        warm=not args.skip_warm,
        repeat=args.repeat,
        work=Path(args.work) if args.work else None,
        results=Path(args.results),
    )


def _audit(args: argparse.Namespace) -> int:
    from .tools.audit import write_report

    path = write_report(Path(args.out))
    print(f"audit report: {path}", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from .tools.audit import entity_card

    print(entity_card(Path(args.out), args.entity, args.type))
    return 0


def _curate(args: argparse.Namespace) -> int:
    from .errors import CurationError
    from .tools import curate

    target = load_config(args.config).curation
    if target is None:
        raise CurationError("the config sets no curation file (curation = \"path\")")
    if args.action == "list":
        print(curate.listing(Path(target)))
        return 0
    if args.file is None:
        raise CurationError(f"curate {args.action} needs FILE (the YAML exported from the audit report)")
    out = Path(args.out)
    if curate.read_current(out) is None:
        print(f"note: no tables in {out}; keys and articles not checked against them", file=sys.stderr)
    step = curate.apply if args.action == "apply" else curate.check
    plan = step(Path(args.file), Path(target), out)
    verb = "added to" if args.action == "apply" else "would be added to"
    print(f"{len(plan.new)} decision(s) {verb} {target}; {plan.duplicates} already in force", file=sys.stderr)
    return 0


def _fingerprint(args: argparse.Namespace) -> int:
    from .tools import fingerprint

    lines = fingerprint.table_hashes()
    print("\n".join(lines))
    if args.expect is None:
        return 0
    differences = fingerprint.compare(lines, Path(args.expect))
    for line in differences:
        print(f"differs: {line}", file=sys.stderr)
    return 1 if differences else 0


CURATE_HELP = "apply or check decisions exported from the audit report; list those in force"


def _shown(path: Path) -> str:
    """A default path as help shows it: inside the project folder, wherever that is."""
    return f"<project>/{path.relative_to(PROJECT_ROOT)}"


def _benchmark_names(text: str) -> list[str]:
    """'btc_g, wikigold' → ['btc_g', 'wikigold'] (unknown names are refused by `evaluate`)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _sizes(text: str) -> list[int]:
    """'1,10,50' → [1, 10, 50]; argparse turns the error into a usage message."""
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected sizes of at least 1, got {text!r}")
    return sizes


def _add_run(commands: Subcommands) -> None:
    run = commands.add_parser("run", help="extract entities from text files into Parquet tables")
    run.add_argument(
        "inputs", nargs="*", help=f"files or folders of *.txt / *.txt.gz (default {DEFAULT_INPUT})"
    )
    run.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default outputs/)")
    run.add_argument("--config", help="TOML file overriding pipeline.config.Config defaults")
    run.add_argument("--processes", type=int, help="worker processes for the local engine (default 2)")
    run.add_argument("--engine", choices=("local", "dask"), default="local", help="where workers run")
    run.add_argument("--workers", type=int, default=2, help="dask: workers of a local cluster")
    run.add_argument("--scheduler", help="dask: address of an existing cluster, tcp://host:8786")
    run.add_argument("--no-cache", action="store_true", help="neither reuse nor store per-article results")
    run.add_argument("--cache-dir", help="folder of the per-article cache (default <out>/.cache)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no INFO lines")
    run.set_defaults(func=_run)


def _add_eval_inputs(evaluate: argparse.ArgumentParser) -> None:
    evaluate.add_argument(
        "--gold", type=Path, default=DEFAULT_GOLD, help=f"gold JSONL file (default {_shown(DEFAULT_GOLD)})"
    )
    evaluate.add_argument(
        "--tables",
        type=Path,
        default=DEFAULT_TABLES,
        help=f"output tables dir (default {_shown(DEFAULT_TABLES)})",
    )
    evaluate.add_argument(
        "--benchmarks-dir",
        type=Path,
        default=BENCHMARKS_DIR,
        help=f"folder of the benchmark sets (default {_shown(BENCHMARKS_DIR)})",
    )
    evaluate.add_argument("--config", type=Path, default=None, help="pipeline TOML config")
    evaluate.add_argument(
        "--benchmarks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score the public NER benchmarks",
    )
    evaluate.add_argument(
        "--sets",
        type=_benchmark_names,
        default=list(BENCHMARKS),
        help=f"comma-separated benchmark sets (default all: {', '.join(BENCHMARKS)})",
    )
    evaluate.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help="sentences per benchmark set, 0 for all (default %(default)s)",
    )


def _add_eval(commands: Subcommands) -> None:
    evaluate = commands.add_parser(
        "eval",
        help="score outputs against the gold entity sets and NER benchmarks, next to raw spaCy",
        description="Score pipeline outputs on the gold entity sets and NER benchmarks, next to raw spaCy.",
    )
    _add_eval_inputs(evaluate)
    evaluate.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run raw spaCy for comparison",
    )
    evaluate.add_argument(
        "--heldout",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also run the pipeline on each held-out set ({_shown(EVAL_DIR)}/<set>/pages, gold.jsonl) "
        "and score it; a set whose set.yaml says role: blind (or that has none) shows its figures only",
    )
    evaluate.add_argument(
        "--ablation",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score with each rule family switched off (models/rule_families.yaml); "
        "blind sets get no row",
    )
    evaluate.add_argument(
        "--pages",
        type=Path,
        default=None,
        help=f"pages the --gold articles come from, for the ablation runs (default {_shown(DEFAULT_PAGES)} "
        "for the default gold; without it a custom gold is left out of the ablation)",
    )
    evaluate.add_argument("--json", type=Path, default=None, help="write all figures as JSON")
    evaluate.set_defaults(func=_eval)


def _add_bench(commands: Subcommands) -> None:
    bench = commands.add_parser(
        "bench",
        help="speed and memory against raw spaCy at several corpus sizes (make bench)",
        description=bench_tool.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument(
        "--sizes",
        default=list(bench_tool.SIZES),
        type=_sizes,
        help="corpus sizes, in multiples of the sample page",
    )
    bench.add_argument(
        "--large",
        action="store_true",
        help=f"add the {bench_tool.LARGE_SIZE}× corpus (runs about 4× as long as the 50× one)",
    )
    bench.add_argument("--skip-raw", action="store_true", help="no raw spaCy pass")
    bench.add_argument(
        "--skip-warm", action="store_true", help=f"no warm rerun of the {bench_tool.WARM_SIZE}× corpus"
    )
    bench.add_argument("--repeat", type=int, default=1, help="runs per measurement, the fastest kept")
    bench.add_argument("--work", help="folder for corpora and outputs, kept (default: a temporary folder)")
    bench.add_argument(
        "--results", default=str(bench_tool.RESULTS), help="where to write the markdown report"
    )
    bench.add_argument("--child", help=argparse.SUPPRESS)  # one measuring process, started by the bench
    bench.set_defaults(func=_bench)


def _add_audit_and_show(commands: Subcommands) -> None:
    audit = commands.add_parser("audit", help="write the HTML audit report next to the tables")
    audit.add_argument("--out", default=str(DEFAULT_OUT), help="folder holding the tables")
    audit.set_defaults(func=_audit)

    show = commands.add_parser("show", help="print an entity's card and its mentions in context")
    show.add_argument("entity", help="entity id, key or name")
    show.add_argument(
        "--type", choices=("PERSON", "ORG", "COUNTRY", "LAW", "LOCATION"), help="only entities of this type"
    )
    show.add_argument("--out", default=str(DEFAULT_OUT), help="folder holding the tables")
    show.set_defaults(func=_show)


def _add_curate(commands: Subcommands) -> None:
    curate = commands.add_parser("curate", help=CURATE_HELP)
    curate.add_argument("action", choices=("apply", "check", "list"), help="what to do")
    curate.add_argument("file", nargs="?", help="YAML exported from the audit report (apply, check)")
    curate.add_argument(
        "--config", help="TOML config naming the curation file (default: models/curation.yaml)",
    )
    curate.add_argument("--out", default=str(DEFAULT_OUT), help="tables to check keys and articles against")
    curate.set_defaults(func=_curate)


def _add_fingerprint(commands: Subcommands) -> None:
    fingerprint = commands.add_parser(
        "fingerprint", help="hash the four tables made from the sample and the 10x corpus (refactoring check)"
    )
    fingerprint.add_argument(
        "--expect", help="hashes recorded earlier (e.g. docs/table-hashes.txt); exit 1 if any table differs"
    )
    fingerprint.set_defaults(func=_fingerprint)


def build_parser() -> argparse.ArgumentParser:
    """The one parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    commands = parser.add_subparsers(dest="command", required=True)
    for add in (_add_run, _add_eval, _add_bench, _add_audit_and_show, _add_curate, _add_fingerprint):
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = getattr(args, "quiet", False)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.captureWarnings(True)  # a library's warning becomes one log line, not a raw traceback
    warnings.simplefilter("default")
    return run_command(lambda: int(args.func(args)))
