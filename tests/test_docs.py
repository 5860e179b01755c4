"""Documentation checks (after sqlite-utils' tests/test_docs.py).

Fails when a CLI command has no description or an argument no help text, when a
help shows a path of this machine, when README.md's command synopsis misses a
command or option (or names one that does not exist), when README.md does
not mention a Makefile target or document a column of a table in
pipeline/schema.py, or when one of its examples does not run as written.
"""

from __future__ import annotations

import argparse
import itertools
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


Command = tuple[str, ...]  # a path in the command tree: () the top level, ("curate", "apply")


def _commands(
    parser: argparse.ArgumentParser | None = None, path: Command = ()
) -> dict[Command, argparse.ArgumentParser]:
    """Every parser of the command tree, by its path."""
    parser = parser or build_parser()
    found = {path: parser}
    subcommands = _subcommands(parser)
    for name, sub in (subcommands.choices if subcommands else {}).items():
        found.update(_commands(sub, (*path, name)))
    return found


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _typed(action: argparse.Action) -> bool:
    """An argument a user types (not --help, not a hidden one, not the choice of a subcommand)."""
    hidden = isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    return not hidden and action.help != argparse.SUPPRESS


def _own_options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and _typed(a)]


def _arguments() -> list[tuple[Command, str]]:
    return [
        (path, action.dest)
        for path, parser in _commands().items()
        for action in parser._actions
        if _typed(action)
    ]


def _named(path: Command) -> str:
    return " ".join(("python -m pipeline", *path))


@pytest.mark.parametrize("path", [path for path in _commands() if path], ids=" ".join)
def test_docs_every_command_has_a_summary_and_a_description(path: Command) -> None:
    parent = _subcommands(_commands()[path[:-1]])
    assert parent is not None
    (summary,) = [choice.help for choice in parent._choices_actions if choice.dest == path[-1]]
    assert (summary or "").strip(), f"{_named(path)} has no line in its parent's list of commands"
    assert (_commands()[path].description or "").strip(), f"{_named(path)} --help has no description"


def _id(value: Command | str) -> str:
    return value if isinstance(value, str) else " ".join(value) or "top"


@pytest.mark.parametrize(("path", "dest"), _arguments(), ids=_id)
def test_docs_every_argument_has_help(path: Command, dest: str) -> None:
    (action,) = [a for a in _commands()[path]._actions if a.dest == dest]
    name = "/".join(action.option_strings) or dest
    assert (action.help or "").strip(), f"{_named(path)} {name} lacks help"


@pytest.mark.parametrize("path", list(_commands()), ids=_id)
def test_docs_help_is_written_for_users(path: Command) -> None:
    """No path of this machine (a default shows as <project>/…), no issue numbers, no module names."""
    text = _commands()[path].format_help()
    squeezed = "".join(text.split())  # a long path may be wrapped anywhere
    assert "".join(str(PROJECT_ROOT).split()) not in squeezed
    assert not re.search(r"\bissues? \d", text, re.I), text
    assert not re.search(r"\bpipeline\.\w", text), text


def _readme_synopsis() -> dict[Command, set[str]]:
    """README's command-line synopsis: the options written on each command's line, by command path
    (`curate apply|check FILE` is the line of two commands; an indented line continues the one above)."""
    section = README.read_text(encoding="utf-8").split("\n## Command line\n", 1)[1]
    block = re.search(r"^```text\n(.*?)^```$", section, re.M | re.S)
    assert block, "README.md: no ```text synopsis under ## Command line"
    synopsis: dict[Command, set[str]] = {}
    for line in re.sub(r"\n[ \t]+", " ", block.group(1)).splitlines():
        words = re.sub(r"\s#.*", "", line).split()  # a comment says what a line is for
        assert words[:3] == [".venv/bin/python", "-m", "pipeline"], line
        names = list(itertools.takewhile(lambda w: re.fullmatch(r"[a-z]+(\|[a-z]+)*", w), words[3:]))
        options = set(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", " ".join(words[3 + len(names) :])))
        for path in itertools.product(*(name.split("|") for name in names)):
            synopsis.setdefault(path, set()).update(options)
    return synopsis


def test_docs_readme_synopsis_finds_its_lines() -> None:
    synopsis = _readme_synopsis()
    assert {("run",), ("curate", "apply"), ("curate", "list")} <= set(synopsis)
    assert {"--out", "--processes", "-q"} <= synopsis[("run",)]


# Every command a user types, with the top level for its own options (-v); not `curate`
# alone, which takes nothing but one of its actions.
TYPED = [path for path, parser in _commands().items() if _subcommands(parser) is None or _own_options(parser)]


@pytest.mark.parametrize("path", TYPED, ids=_id)
def test_docs_readme_synopsis_names_every_option(path: Command) -> None:
    synopsis, options = _readme_synopsis(), _own_options(_commands()[path])
    assert path in synopsis, f"README.md's synopsis has no line for `{_named(path)}`"
    missing = [a.option_strings[-1] for a in options if not set(a.option_strings) & synopsis[path]]
    assert missing == [], f"README.md's synopsis of `{_named(path)}` omits {missing}"
    known = {s for a in options for s in a.option_strings}
    assert synopsis[path] - known == set(), f"README.md's synopsis of `{_named(path)}` names unknown options"


def test_docs_readme_synopsis_names_only_commands_that_exist() -> None:
    assert [path for path in _readme_synopsis() if path not in _commands()] == []


def test_docs_makefile_targets_found() -> None:
    assert {"setup", "run", "test", "eval", "audit", "bench", "clean"} <= set(_make_targets())


def test_docs_make_setup_refuses_another_python_at_once(tmp_path: Path) -> None:
    """README: Python 3.11. With another (a python3 of 3.12 found first), pip would spend minutes
    building wheels the lock does not pin before failing; make setup stops at once instead."""
    for name in ("Makefile", "requirements.lock", "pyproject.toml", "models/spacy-models.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    other_python = tmp_path / "python3.12"  # this Python, saying it is 3.12
    pretend = "import sys; sys.version_info = (3, 12, 1); sys.version = '3.12.1'; exec(sys.argv[1])"
    other_python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -c "{pretend}" "$2"\n')
    other_python.chmod(0o755)
    done = subprocess.run(
        ["make", "-s", "setup", f"PYTHON_BOOT={other_python}"], cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )
    assert done.returncode != 0 and not (tmp_path / ".venv").exists()
    assert done.stderr.startswith("error: the project needs Python 3.11"), done.stderr
    assert "is 3.12.1: install python3.11" in done.stderr and "PYTHON_BOOT=" in done.stderr


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
    "make eval": "the full evaluation takes minutes; the `--limit 50 --no-ablation` example beside it runs",
    "open outputs/audit/index.html": "opens a browser",
    ".venv/bin/python -m pipeline bench --parts report --report-articles 20000": (
        "a measurement, not an example: minutes of headless Chromium on a 20,000-article archive"
    ),
    ".venv/bin/dask scheduler --port 8786": "starts a Dask scheduler for other machines",
    ".venv/bin/dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1 --memory-limit 2GiB": (
        "needs a scheduler on another machine"
    ),
    ".venv/bin/python -m pipeline run /data/pages --out /data/tables --engine dask "
    "--scheduler tcp://SCHEDULER:8786": "needs a Dask cluster and a /data folder",
    ".venv/bin/python -m pipeline": "names the program in prose; alone it prints its usage, exit 2",
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
