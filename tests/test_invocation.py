"""`invocation.command`: the program named as the user can type it, for usage lines and messages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline import invocation


def _bin(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "project" / ".venv" / "bin" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("cwd", "on_path", "expected"),
    [
        ("project", False, ".venv/bin/python -m pipeline"),  # as the README writes it
        ("project/.venv/bin", False, "./python -m pipeline"),
        ("elsewhere", False, "{tmp}/project/.venv/bin/python -m pipeline"),
        ("elsewhere", True, "python -m pipeline"),  # source .venv/bin/activate
    ],
)
def test_invocation_names_this_python_as_the_shell_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str, on_path: bool, expected: str
) -> None:
    python = _bin(tmp_path, "python")
    (tmp_path / cwd).mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path / cwd)
    monkeypatch.setenv("PATH", str(python.parent) if on_path else str(tmp_path / "elsewhere"))
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "project" / "pipeline" / "__main__.py")])
    assert invocation.command() == expected.format(tmp=tmp_path)


def test_invocation_a_python_of_the_same_binary_elsewhere_on_path_is_not_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venv's python is a link to the system's: the bare name would run the system's, without
    the project's libraries, so the venv's path is named."""
    python = _bin(tmp_path, "python")
    system = tmp_path / "usr" / "bin" / "python"
    system.parent.mkdir(parents=True)
    system.symlink_to(python)
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("PATH", str(system.parent))
    monkeypatch.setattr(sys, "executable", str(python))
    assert invocation.command() == ".venv/bin/python -m pipeline"


@pytest.mark.parametrize(
    ("on_path", "expected"), [(True, "civic-entities"), (False, ".venv/bin/civic-entities")]
)
def test_invocation_names_the_console_script_when_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_path: bool, expected: str
) -> None:
    script = _bin(tmp_path, "civic-entities")
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("PATH", str(script.parent) if on_path else str(tmp_path))
    monkeypatch.setattr(sys, "argv", [str(script), "run"])
    assert invocation.command() == expected
