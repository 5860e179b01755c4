"""Command line: thin wrappers over importable functions (run, eval, audit, show, curate).

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

DEFAULT_INPUT = PROJECT_ROOT / "corpus" / "pages"
DEFAULT_OUT = PROJECT_ROOT / "outputs"
log = logging.getLogger("pipeline")


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
    from .tools.evaluate import main as evaluate_main

    return evaluate_main(args.rest, prog="python -m pipeline eval")


EVAL_HELP = "score against gold and benchmarks; options as `python -m pipeline.tools.evaluate --help`"


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


CURATE_HELP = "apply or check decisions exported from the audit report; list those in force"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    commands = parser.add_subparsers(dest="command", required=True)

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

    evaluate = commands.add_parser("eval", help=EVAL_HELP, add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for pipeline.tools.evaluate")
    evaluate.set_defaults(func=_eval)

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

    curate = commands.add_parser("curate", help=CURATE_HELP)
    curate.add_argument("action", choices=("apply", "check", "list"), help="what to do")
    curate.add_argument("file", nargs="?", help="YAML exported from the audit report (apply, check)")
    curate.add_argument(
        "--config", help="TOML config naming the curation file (default: models/curation.yaml)",
    )
    curate.add_argument("--out", default=str(DEFAULT_OUT), help="tables to check keys and articles against")
    curate.set_defaults(func=_curate)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "eval":  # every word after `eval` belongs to pipeline.tools.evaluate
        args.rest = argv[argv.index("eval") + 1 :]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    quiet = getattr(args, "quiet", False)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.captureWarnings(True)  # a library's warning becomes one log line, not a raw traceback
    warnings.simplefilter("default")
    return run_command(lambda: int(args.func(args)))
