"""Tests for pipeline.cli through `main([...])`: clean errors and help, without running models."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import build_parser, main

SUBCOMMANDS = ("run", "eval", "audit", "show", "curate")


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


def test_cli_run_missing_input_is_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder"
    out = tmp_path / "out"
    assert main(["run", str(missing), "--out", str(out), "--quiet"]) == 2
    captured = capsys.readouterr()
    line = _one_line_error(captured.err)
    assert "does not exist" in line
    assert str(missing) in line
    assert captured.out == ""
    assert not out.exists()  # nothing written


def test_cli_run_folder_without_txt_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "notes.md").write_text("# not an input\n", encoding="utf-8")
    (inputs / "data.csv").write_text("a,b\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--quiet"]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert "*.txt" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("min_leters = 5\n", "min_leters"),
        ("min_letters = \n", "invalid TOML"),
    ],
)
def test_cli_run_bad_config_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, needle: str
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(toml, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    code = main(["run", str(tmp_path / "a.txt"), "--config", str(config), "--out", str(tmp_path / "out")])
    assert code == 2
    line = _one_line_error(capsys.readouterr().err)
    assert needle in line
    assert str(config) in line


@pytest.mark.parametrize("command", [["audit"], ["show", "Amnesty International"]])
def test_cli_reading_commands_without_tables_are_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([*command, "--out", str(tmp_path)]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert str(tmp_path) in line
    assert "does not exist" in line


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["run", "--engine", "spark"], ["show"]])
def test_cli_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_cli_subcommand_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m pipeline {command}")


def test_cli_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in SUBCOMMANDS:
        assert command in out


def test_cli_parser_knows_exactly_these_subcommands() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    assert set(commands.choices) == set(SUBCOMMANDS)
