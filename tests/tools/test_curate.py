"""`curate apply|check|list` and mention-level detach: exports merged into the curation file, or refused."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli_main
from pipeline.knowledge.curation import load_curation
from pipeline.tools import curate

ARTICLE = "Amnesty International and the Steering Committee met in Geneva."
CURATION = """# Our corrections: keep this comment.
merge: []
reject:
  # a heading the model took for a body
  - {type: ORG, key: old-heading}
rename: []
"""
EXPORT = """# exported from the report
reject:
  # reject "Steering Committee" (ORG committee-steering, 1 mention(s) in 1 article(s))
  - {type: "ORG", key: "committee-steering", added: "2026-12-02"}
merge:
  # merge "Amnesty" into "Amnesty International"
  - {type: "ORG", into: "amnesty-international", keys: ["amnesty"], added: "2026-12-02"}
"""


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    out.mkdir()
    keys = [("ORG", "amnesty-international"), ("ORG", "amnesty"), ("ORG", "committee-steering")]
    pq.write_table(pa.Table.from_pylist([{"type": t, "key": k} for t, k in keys]), out / "entities.parquet")
    pq.write_table(pa.Table.from_pylist([{"text": ARTICLE}]), out / "articles.parquet")
    return out


def _files(tmp_path: Path, export: str = EXPORT) -> tuple[Path, Path, Path]:
    target, export_path, config = tmp_path / "cur.yaml", tmp_path / "export.yaml", tmp_path / "cfg.toml"
    target.write_text(CURATION, encoding="utf-8")
    export_path.write_text(export, encoding="utf-8")
    config.write_text(f'curation = "{target}"\n', encoding="utf-8")
    return target, export_path, config


def test_curate_apply_merges_and_keeps_comments(tmp_path: Path, tables: Path) -> None:
    target, export, config = _files(tmp_path)
    assert cli_main(["curate", "apply", str(export), "--config", str(config), "--out", str(tables)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Our corrections: keep this comment.\n")
    assert "  # a heading the model took for a body\n  - {type: ORG, key: old-heading}\n" in text
    assert '# reject "Steering Committee"' in text
    curation = load_curation(target)
    assert curation is not None
    assert curation.rejected_keys == {("ORG", "old-heading"), ("ORG", "committee-steering")}
    assert curation.merges == {("ORG", "amnesty"): "amnesty-international"}
    # Applying the same export again adds nothing: duplicates are dropped.
    assert cli_main(["curate", "apply", str(export), "--config", str(config), "--out", str(tables)]) == 0
    assert target.read_text(encoding="utf-8") == text


def test_curate_list_prints_decisions_in_force(
    tmp_path: Path, tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, export, config = _files(tmp_path)
    cli_main(["curate", "apply", str(export), "--config", str(config), "--out", str(tables)])
    capsys.readouterr()
    assert cli_main(["curate", "list", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "3 decision(s) in force" in out and "committee-steering" in out and "added 2026-12-02" in out


@pytest.mark.parametrize(
    ("export", "needle"),
    [
        ("reject:\n  - {type: ORG, key: amnesty}\nmerge:\n  - {type: ORG, into: amnesty-international, "
         "keys: [amnesty]}\n", "line 2: ORG amnesty is rejected here but merged at"),
        ("merge:\n  - {type: ORG, into: amnesty, keys: [amnesty-international]}\n"
         "  - {type: ORG, into: amnesty-international, keys: [amnesty]}\n", "merge cycle"),
        ("reject:\n  - {type: ORG, key: gone-away}\n", "line 2: ORG gone-away is not an entity of the"),
        ("merge:\n  - {type: ORG, into: amnesty-internationl, keys: [amnesty]}\n",
         "line 2: ORG amnesty-internationl is not an entity of the current tables (did you mean "
         "'amnesty-international'?)"),
        ("reject:\n  - {type: ORG, key: [x\n", "invalid YAML"),
        ("detach:\n  - {type: ORG, article: txt_0, start: 0, end: 7, text: Amnesty}\n",
         "line 2: article txt_0 is not in the current tables (stale decision)"),
    ],
)
def test_curate_refuses_conflicts_and_writes_nothing(
    tmp_path: Path, tables: Path, export: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target, export_path, config = _files(tmp_path, export)
    for action in ("check", "apply"):
        args = ["curate", action, str(export_path), "--config", str(config), "--out", str(tables)]
        assert cli_main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {export_path}") and needle in err
    assert target.read_text(encoding="utf-8") == CURATION


def test_curate_check_writes_nothing(tmp_path: Path, tables: Path) -> None:
    target, export, config = _files(tmp_path)
    assert cli_main(["curate", "check", str(export), "--config", str(config), "--out", str(tables)]) == 0
    assert target.read_text(encoding="utf-8") == CURATION


def test_curate_inline_list_becomes_block(tmp_path: Path) -> None:
    text = curate.merged_text("reject: [{type: ORG, key: a}]  # old\nmerge: []\n", [],
                              [{"operation": "reject", "entry": {"type": "ORG", "key": "b"}, "line": 1}])
    assert text == "reject:\n  - {type: ORG, key: a}\n  - {type: ORG, key: b}\nmerge: []\n"


def test_curate_refuses_a_merge_of_a_key_the_curation_file_rejects(
    tmp_path: Path, tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = "merge:\n  - {type: ORG, into: amnesty-international, keys: [old-heading]}\n"
    target, export_path, config = _files(tmp_path, export)
    assert cli_main(["curate", "apply", str(export_path), "--config", str(config), "--out", str(tables)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {target} line 5: ORG old-heading is rejected here but merged at {export_path} line 2"
    )
    assert target.read_text(encoding="utf-8") == CURATION
