"""Documentation checks (after sqlite-utils' tests/test_docs.py).

Fails when a CLI subcommand or option has no help text, when README.md does not
mention a Makefile target, when it does not document a column of a table in
pipeline/schema.py, or when one of its examples does not run as written.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from pipeline.config import PROJECT_ROOT, load_config
from pipeline.knowledge.curation import load_curation
from pipeline.schema import TABLES

README = PROJECT_ROOT / "README.md"
MAKEFILE = PROJECT_ROOT / "Makefile"


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _subcommand_help() -> dict[str, str | None]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {choice.dest: choice.help for choice in action._choices_actions}


def _options() -> list[tuple[str, str]]:
    return [
        (command, action.dest)
        for command, sub in _subparsers().items()
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction)
    ]


def _make_targets() -> list[str]:
    text = MAKEFILE.read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.M)
    declared = re.findall(r"^([A-Za-z][\w-]*):(?!=)", text, re.M)
    return sorted(set(declared) | set(phony.group(1).split() if phony else []))


def _readme_backticked() -> set[str]:
    text = README.read_text(encoding="utf-8")
    found = set(re.findall(r"`([^`\n]+)`", text))
    # `table.column` also documents `column`
    return found | {name.rsplit(".", 1)[-1] for name in found}


def test_docs_every_subcommand_has_help() -> None:
    helps = _subcommand_help()
    assert set(helps) == set(_subparsers())
    assert [command for command, text in helps.items() if not (text or "").strip()] == []


@pytest.mark.parametrize(
    ("command", "dest"),
    [
        pytest.param(
            command,
            dest,
        )
        for command, dest in _options()
    ],
)
def test_docs_every_option_has_help(command: str, dest: str) -> None:
    (action,) = [a for a in _subparsers()[command]._actions if a.dest == dest]
    assert (action.help or "").strip(), f"{command} {'/'.join(action.option_strings) or dest} lacks help"


def test_docs_makefile_targets_found() -> None:
    assert {"setup", "run", "test", "eval", "audit", "bench", "clean"} <= set(_make_targets())


@pytest.mark.parametrize("target", _make_targets())
def test_docs_readme_mentions_make_target(target: str) -> None:
    assert re.search(rf"\bmake {re.escape(target)}\b", README.read_text(encoding="utf-8")), (
        f"README.md does not mention `make {target}`"
    )


@pytest.mark.parametrize("table", sorted(TABLES))
def test_docs_readme_documents_every_column(table: str) -> None:
    documented = _readme_backticked()
    missing = [field.name for field in TABLES[table] if field.name not in documented]
    assert missing == [], f"README.md does not document {table} columns: {missing}"


def test_docs_schema_fields_have_doc_strings() -> None:
    missing = [
        f"{table}.{field.name}"
        for table, schema in TABLES.items()
        for field in schema
        if not (field.metadata or {}).get(b"doc", b"").strip()
    ]
    assert missing == []


# README commands a test cannot run, and why.  Every other example of the
# README runs in `test_docs_readme_examples_run_as_written`, so a command added
# to the README is tested unless it is listed here.
README_NOT_RUN = {
    "make test": "runs this test suite, this test included",
    "make eval": "the full evaluation takes minutes; the `--limit 50` example beside it runs",
    "open outputs/audit/index.html": "opens a browser",
    ".venv/bin/python -m tests.tools.audit.measure_report --articles 20000": (
        "a measurement, not an example: minutes of headless Chromium on a 20,000-article archive"
    ),
    ".venv/bin/dask scheduler --port 8786": "starts a Dask scheduler for other machines",
    ".venv/bin/dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1 --memory-limit 2GiB": (
        "needs a scheduler on another machine"
    ),
    ".venv/bin/python -m pipeline run /data/pages --out /data/tables --engine dask "
    "--scheduler tcp://SCHEDULER:8786": "needs a Dask cluster and a /data folder",
}
# Fenced blocks in these languages are examples; `text` blocks are usage synopses.
SHELL_BLOCKS = {"sh", "bash", "shell", "console"}
EXAMPLE_BLOCKS = SHELL_BLOCKS | {"python", "toml", "yaml"}
COPIED = ("pipeline", "models", "corpus", "Makefile", "pyproject.toml", "requirements.lock", "README.md")


@dataclass(frozen=True)
class Example:
    kind: str  # "sh" (one command), "python", "toml" or "yaml"
    text: str
    line: int


def readme_examples(text: str) -> list[Example]:
    """Every example of a README, in order: each command line of a shell block,
    each python/toml/yaml block, then each `.venv/bin/…` command quoted in running
    text (a span with an ellipsis is a pattern, not a command)."""
    examples: list[Example] = []
    outside: list[str] = []
    position = 0
    for block in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        outside.append(text[position : block.start()])
        lang, body = block.group(1), block.group(2)
        line = text.count("\n", 0, block.start(2)) + 1
        if lang in SHELL_BLOCKS:
            for offset, command in enumerate(body.replace("\\\n", " ").splitlines()):
                words = shlex.split(command, comments=True)
                if words:
                    examples.append(Example("sh", shlex.join(words), line + offset))
        elif lang in EXAMPLE_BLOCKS:
            examples.append(Example(lang, body, line))
        position = block.end()
    outside.append(text[position:])
    prose = "\x00".join(outside)
    for span in re.finditer(r"`(\.venv/bin/[^`…]+)`", prose):
        examples.append(Example("sh", shlex.join(shlex.split(span.group(1))), 0))
    return examples


def test_docs_readme_examples_are_found_and_every_block_is_known() -> None:
    text = README.read_text(encoding="utf-8")
    languages = set(re.findall(r"^```(\w*)$", text, re.M)) - {""}
    assert languages <= EXAMPLE_BLOCKS | {"text"}, "a README block in a language the test does not run"
    commands = [e.text for e in readme_examples(text) if e.kind == "sh"]
    missing = [c for c in README_NOT_RUN if c not in commands]
    assert missing == [], f"README_NOT_RUN lists commands no longer in README.md: {missing}"
    assert any(c.startswith(".venv/bin/python -m pipeline show") for c in commands)
    assert any(e.kind == "python" for e in readme_examples(text))


def test_docs_readme_config_and_curation_examples_parse(tmp_path: Path) -> None:
    for example in readme_examples(README.read_text(encoding="utf-8")):
        if example.kind in ("toml", "yaml"):
            path = tmp_path / f"example.{example.kind}"
            path.write_text(example.text, encoding="utf-8")
            (load_config if example.kind == "toml" else load_curation)(path)


def _project_copy(root: Path) -> Path:
    """The project's files in `root`, with `.venv` pointing at the environment running the tests."""
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return root


@pytest.mark.slow
def test_docs_readme_examples_run_as_written(tmp_path: Path) -> None:
    """Each README example, in README order, in a copy of the project: commands
    that read outputs run after the ones that write them, as a reader would."""
    root = _project_copy(tmp_path / "project")
    failures = []
    for number, example in enumerate(readme_examples(README.read_text(encoding="utf-8"))):
        if example.kind == "sh" and example.text not in README_NOT_RUN:
            argv = shlex.split(example.text)
            if argv[0] == "make":  # the environment exists already: never reinstall into it
                argv = ["make", "-o", ".venv/.installed", *argv[1:]]
        elif example.kind == "python":
            script = tmp_path / f"example_{number}.py"
            script.write_text(example.text, encoding="utf-8")
            argv = [".venv/bin/python", str(script)]
        else:
            continue
        done = subprocess.run(
            argv, cwd=root, capture_output=True, text=True, timeout=900, env=os.environ.copy()
        )
        if done.returncode != 0 or "Traceback" in done.stderr:
            failures.append(f"README.md:{example.line}: {example.text[:80]!r} exit {done.returncode}\n"
                            f"{done.stderr[-2000:]}")
    assert failures == [], "\n\n".join(failures)
