"""Documentation checks (after sqlite-utils' tests/test_docs.py).

Fails when a CLI subcommand or option has no help text, when README.md does not
mention a Makefile target, or when it does not document a column of a table in
pipeline/schema.py.
"""

from __future__ import annotations

import argparse
import re

import pytest

from pipeline.cli import build_parser
from pipeline.config import PROJECT_ROOT
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
