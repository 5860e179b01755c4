"""Command line: one parser tree over importable functions (run, eval, bench, audit, show, curate,
fingerprint); the users' descriptions of the commands are in `cli_help`.

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

from .cli_help import (
    AUDIT,
    BENCH,
    CURATE,
    CURATE_APPLY,
    CURATE_CONFIG,
    DESCRIPTION,
    EVAL,
    EXAMPLES,
    FINGERPRINT,
    RUN,
    SHOW,
)
from .config import PROJECT_ROOT, load_config
from .errors import run_command
from .invocation import command
from .store.lock import hold_output
from .tools import bench as bench_tool
from .tools.bench.measure import measure_child
from .tools.evaluate import (
    BENCHMARKS_DIR,
    DEFAULT_GOLD,
    DEFAULT_LIMIT,
    DEFAULT_PAGES,
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
    note = stale_report_note(Path(args.out))
    if note:
        print(note, file=sys.stderr)
    return 0


def stale_report_note(out_dir: Path) -> str | None:
    """An audit report left in the folder shows the tables it was written from, not
    these: after a rerun with new curation decisions they would look undone."""
    report = out_dir / "audit" / "index.html"
    if not report.is_file():
        return None
    rewrite = f"{command()} audit --out {out_dir}"
    return f"note: {report} is the report of an earlier run; `{rewrite}` writes this run's"


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
        parts=args.parts,
        growth_sizes=bench_tool.GrowthSizes(
            args.archive_base, tuple(args.archive_scales), args.merge_keys, args.long_sentences,
            args.long_parts, args.report_articles,
        ),
    )


def _audit(args: argparse.Namespace) -> int:
    from .tools.audit import write_report

    path = write_report(Path(args.out))
    # The URL is one a terminal makes clickable and any browser opens, on any system.
    print(f"audit report: {path}\nopen it in a browser: {path.resolve().as_uri()}", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from .tools.audit import entity_card

    print(entity_card(Path(args.out), args.entity, args.type))
    return 0


def _curate(args: argparse.Namespace) -> int:
    from .errors import CurationError
    from .tools import curate
    from .tools.audit.tables import check_folder

    target = load_config(args.config).curation
    if target is None:
        raise CurationError("the config sets no curation file (curation = \"path\")")
    if args.action == "list":
        print(curate.listing(Path(target)))
        return 0
    out = Path(args.out)
    if out.exists():  # a file given as --out is a mistake, not "no tables"
        check_folder(out)
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


class _Paragraphs(argparse.HelpFormatter):
    """Keeps a description's paragraphs (blank-line separated), each wrapped to the
    terminal; argparse's own formatters either join them into one block or wrap
    nothing.  A paragraph whose lines are indented (examples) is kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        return "\n\n".join(
            p if p.startswith("  ") or "\n  " in p else fill(p, width, indent) for p in text.split("\n\n")
        )


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


def _command(commands: Subcommands, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    """A subcommand: `summary` is its line in the list of commands, `description` opens its --help.

    It names itself in the parsed arguments (the innermost one wins), so that an
    argument it does not know is refused with its own usage (`main`)."""
    parser = commands.add_parser(name, help=summary, description=description, formatter_class=_Paragraphs)
    parser.set_defaults(parser=parser)
    return parser


def _add_out(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--out", metavar="DIR", default=str(DEFAULT_OUT), help=f"{what} (default {_shown(DEFAULT_OUT)})"
    )


def _add_run(commands: Subcommands) -> None:
    run = _command(commands, "run", "extract entities from text files into Parquet tables", RUN)
    run.add_argument(
        "inputs", nargs="*", metavar="INPUT",
        help=f"files or folders of *.txt / *.txt.gz (default {_shown(DEFAULT_INPUT)})",
    )
    _add_out(run, "folder for the tables, created if missing")
    run.add_argument(
        "--config", metavar="FILE", help="settings file (TOML) changing the defaults: README, Configuration"
    )
    run.add_argument(
        "--processes", type=int, metavar="N",
        help="processes that run the language models on this machine (default 2, 1 on a one-core machine)",
    )
    run.add_argument(
        "--engine", choices=("local", "dask"), default="local",
        help="local: processes on this machine; dask: a Dask cluster, see README (default local)",
    )
    run.add_argument(
        "--workers", type=int, default=2, metavar="N",
        help="with --engine dask and no --scheduler: workers of a cluster started here (default 2)",
    )
    run.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --engine dask: a running scheduler, e.g. tcp://host:8786"
    )
    run.add_argument(
        "--no-cache", action="store_true", help="process every article again, and keep nothing for next time"
    )
    run.add_argument(
        "--cache-dir", metavar="DIR", help="folder of the per-article cache (default <out>/.cache)"
    )
    run.add_argument(
        "-q", "--quiet", action="store_true",
        help="no progress bar and no INFO lines: only the summary and warnings",
    )
    run.set_defaults(func=_run)


def _add_eval_inputs(evaluate: argparse.ArgumentParser) -> None:
    evaluate.add_argument(
        "--gold", type=Path, default=DEFAULT_GOLD, metavar="FILE",
        help=f"entities annotated by hand, JSON lines (default {_shown(DEFAULT_GOLD)})",
    )
    evaluate.add_argument(
        "--tables", type=Path, default=None, metavar="DIR",
        help="folder of the tables of a run to score (default: the pipeline runs here on the gold's pages, "
        "--pages, without the curation file)",
    )
    evaluate.add_argument(
        "--benchmarks-dir", type=Path, default=BENCHMARKS_DIR, metavar="DIR",
        help=f"folder of the benchmark sets (default {_shown(BENCHMARKS_DIR)})",
    )
    evaluate.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="settings file (TOML) for the pipeline's runs here (gold pages, held-out sets, benchmarks, "
        "ablation); its curation file is not applied: eval measures the rules",
    )
    evaluate.add_argument(
        "--benchmarks", action=argparse.BooleanOptionalAction, default=True,
        help="also score the public NER benchmarks (default yes)",
    )
    evaluate.add_argument(
        "--sets", type=_benchmark_names, default=list(BENCHMARKS), metavar="NAME,NAME,...",
        help=f"benchmark sets to score (default all: {', '.join(BENCHMARKS)})",
    )
    evaluate.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
        help="sentences per benchmark set, 0 for all (default %(default)s)",
    )


def _add_eval(commands: Subcommands) -> None:
    evaluate = _command(
        commands, "eval", "measure accuracy against hand-annotated entities and benchmarks", EVAL
    )
    _add_eval_inputs(evaluate)
    evaluate.add_argument(
        "--baseline", action=argparse.BooleanOptionalAction, default=True,
        help="also score spaCy's models alone, for comparison (default yes)",
    )
    evaluate.add_argument(
        "--heldout", action=argparse.BooleanOptionalAction, default=True,
        help=f"also run the pipeline on each held-out set ({_shown(EVAL_DIR)}/<set>/pages, gold.jsonl) "
        "and score it; a set whose set.yaml says role: blind (or that has none) shows its figures only "
        "(default yes)",
    )
    evaluate.add_argument(
        "--ablation", action=argparse.BooleanOptionalAction, default=True,
        help="also score with each rule family switched off (models/rule_families.yaml); "
        "blind sets get no row (default yes)",
    )
    evaluate.add_argument(
        "--pages", type=Path, default=None, metavar="DIR",
        help=f"pages the --gold articles come from, run to score the gold and in the ablation (default "
        f"{_shown(DEFAULT_PAGES)} for the default gold, else the pages/ folder beside the gold file; "
        "with --tables and without --pages, a custom gold is left out of the ablation)",
    )
    evaluate.add_argument(
        "--json", type=Path, default=None, metavar="FILE", help="also write every figure to this JSON file"
    )
    evaluate.set_defaults(func=_eval)


def _add_bench(commands: Subcommands) -> None:
    bench = _command(commands, "bench", "measure speed and memory against spaCy alone (make bench)", BENCH)
    sizes = ",".join(map(str, bench_tool.SIZES))
    bench.add_argument(
        "--sizes", default=list(bench_tool.SIZES), type=_sizes, metavar="N,N,...",
        help=f"corpus sizes, in multiples of the sample page (default {sizes})",
    )
    bench.add_argument(
        "--large", action="store_true",
        help=f"add the {bench_tool.LARGE_SIZE}× corpus (runs about 4× as long as the 50× one)",
    )
    bench.add_argument(
        "--skip-raw", action="store_true", help="do not run spaCy's models alone for comparison"
    )
    bench.add_argument(
        "--skip-warm", action="store_true",
        help=f"do not rerun the {bench_tool.WARM_SIZE}× corpus from its cache",
    )
    bench.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="run each measurement N times and keep the fastest (default 1)",
    )
    bench.add_argument(
        "--work", metavar="DIR",
        help="make the corpora and tables in this folder and keep them (default: a temporary folder)",
    )
    bench.add_argument(
        "--results", default=str(bench_tool.RESULTS), metavar="FILE",
        help=f"where to write the markdown report (default {_shown(bench_tool.RESULTS)})",
    )
    _add_bench_growth(bench)
    bench.add_argument("--child", help=argparse.SUPPRESS)  # one measuring process, started by the bench
    bench.set_defaults(func=_bench)


def _parts(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(bench_tool.PARTS))
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"parts are {', '.join(bench_tool.PARTS)}; not {', '.join(unknown)}")
    return parts


def _count(text: str) -> int:
    """'500' → 500; at least 1 (argparse turns the error into a usage message)."""
    try:
        count = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from exc
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return count


def _add_bench_growth(bench: argparse.ArgumentParser) -> None:
    """The options of the growth parts (issue 20) and of the report part."""
    growth = bench_tool.GrowthSizes()
    bench.add_argument("--parts", type=_parts, default=list(bench_tool.PARTS), metavar="PART,PART,...",
                       help=f"parts to run (default all: {','.join(bench_tool.PARTS)})")
    bench.add_argument("--archive-base", type=_count, default=growth.archive_base, metavar="N",
                       help="articles of the 1× generated archive (default %(default)s)")
    bench.add_argument("--archive-scales", type=_sizes, default=list(growth.archive_scales),
                       metavar="N,N,...",
                       help="generated archive sizes, in multiples of the base (default 1,8,40)")
    bench.add_argument("--merge-keys", type=_count, default=growth.merge_keys, metavar="N",
                       help="organisation keys the merge alone is timed on (default %(default)s)")
    bench.add_argument("--long-sentences", type=_count, default=growth.long_sentences, metavar="N",
                       help="sentences of the long article (default %(default)s)")
    bench.add_argument("--long-parts", type=_count, default=growth.long_parts, metavar="N",
                       help="articles the long article's text is also cut into (default %(default)s)")
    bench.add_argument("--report-articles", type=_count, default=growth.report_articles, metavar="N",
                       help="articles of the archive whose audit report is measured (default %(default)s)")


def _add_audit_and_show(commands: Subcommands) -> None:
    audit = _command(commands, "audit", "write the HTML report to check and correct the entities", AUDIT)
    _add_out(audit, "folder holding the tables of a run; the report goes in its audit/ folder")
    audit.set_defaults(func=_audit)

    show = _command(commands, "show", "print one entity and every mention of it in context", SHOW)
    show.add_argument("entity", metavar="ENTITY", help="entity id, key, name or alias")
    show.add_argument(
        "--type", choices=("PERSON", "ORG", "COUNTRY", "LAW", "LOCATION"), help="only entities of this type"
    )
    _add_out(show, "folder holding the tables of a run")
    show.set_defaults(func=_show)


def _add_curate(commands: Subcommands) -> None:
    curate = _command(
        commands, "curate", "apply, check or list corrections exported from the audit report", CURATE
    )
    actions = curate.add_subparsers(title="actions", dest="action", required=True, metavar="ACTION")
    apply = _command(
        actions, "apply", "add the decisions of an exported file to the curation file", CURATE_APPLY
    )
    check = _command(
        actions, "check", "check an exported file as apply would, writing nothing",
        "Check FILE, a YAML file exported from the audit report, as `curate apply` would, and write nothing.",
    )
    for parser in (apply, check):
        parser.add_argument("file", metavar="FILE", help="the YAML file exported from the audit report")
        parser.add_argument("--config", metavar="FILE", help=CURATE_CONFIG)
        _add_out(parser, "tables whose keys and articles the decisions must name")
    listing = _command(
        actions, "list", "print the decisions in force",
        "Print the decisions of the curation file in force, one a line.",
    )
    listing.add_argument("--config", metavar="FILE", help=CURATE_CONFIG)
    curate.set_defaults(func=_curate)


def _add_fingerprint(commands: Subcommands) -> None:
    fingerprint = _command(
        commands, "fingerprint", "check that a code change left the tables unchanged (developers)",
        FINGERPRINT,
    )
    fingerprint.add_argument(
        "--expect", metavar="FILE",
        help="hashes recorded earlier to compare with (make fingerprint: <project>/docs/table-hashes.txt); "
        "exit 1 if any table differs; without it the hashes are only printed",
    )
    fingerprint.set_defaults(func=_fingerprint)


def build_parser() -> argparse.ArgumentParser:
    """The one parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog=command(), description=DESCRIPTION, epilog=EXAMPLES, formatter_class=_Paragraphs
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also print DEBUG lines on stderr")
    commands = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")
    for add in (_add_run, _add_eval, _add_bench, _add_audit_and_show, _add_curate, _add_fingerprint):
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):  # the program alone: what it does, not a usage error
        parser.print_help()
        return 0
    # argparse refuses a subcommand's extra arguments with the top-level usage; the
    # subcommand's own usage says what it does take.
    args, extras = parser.parse_known_args(argv)
    if extras:
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(extras)}")
    quiet = getattr(args, "quiet", False)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.captureWarnings(True)  # a library's warning becomes one log line, not a raw traceback
    warnings.simplefilter("default")
    return run_command(lambda: int(args.func(args)))
