"""pipeline.tools.evaluate.sets: the held-out set folders and their declared role (set.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.tools.evaluate import DEFAULT_GOLD, EVAL_DIR
from pipeline.tools.evaluate.sets import SET_FILE, gold_file_set, held_out_sets, read_set_file


def _set_folder(root: Path, name: str, set_yaml: str | None = None, pages: bool = True) -> Path:
    folder = root / name
    (folder / "pages").mkdir(parents=True) if pages else folder.mkdir(parents=True)
    (folder / "gold.jsonl").write_text("", encoding="utf-8")
    if set_yaml is not None:
        (folder / SET_FILE).write_text(set_yaml, encoding="utf-8")
    return folder


def test_held_out_sets_are_folders_with_gold_and_pages_by_name(tmp_path: Path) -> None:
    _set_folder(tmp_path, "b", "role: blind\ndescription: kept for final figures\n")
    _set_folder(tmp_path, "a", "role: developed\ndescription: its errors were read\n")
    _set_folder(tmp_path, "c", pages=False)
    sets = held_out_sets(tmp_path)
    assert [(s.name, s.role, s.description) for s in sets] == [
        ("a", "developed", "its errors were read"),
        ("b", "blind", "kept for final figures"),
    ]
    assert [s.blind for s in sets] == [False, True]
    assert held_out_sets(tmp_path / "missing") == []


def test_a_set_without_set_yaml_is_treated_as_blind_and_says_so(tmp_path: Path) -> None:
    _set_folder(tmp_path, "new")
    (new,) = held_out_sets(tmp_path)
    assert new.blind and not new.declared
    assert f"no {SET_FILE}: treated as blind" in new.heading()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("role: secret\ndescription: x\n", "line 1: role: input should be 'blind' or 'developed'"),
        ("role: blind\ndescription: x\nowner: me\n", "line 3: unknown key 'owner'"),
        ("role: blind\n", "missing key 'description'"),
        ("role: [blind\n", "invalid YAML"),
    ],
)
def test_an_invalid_set_yaml_is_an_error_naming_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    folder = _set_folder(tmp_path, "bad", text)
    with pytest.raises(InputError) as error:
        read_set_file(folder)
    assert str(folder / SET_FILE) in str(error.value) and message in str(error.value)


def test_a_gold_file_given_with_gold_takes_its_set_folders_role(tmp_path: Path) -> None:
    sealed = _set_folder(tmp_path, "sealed", "role: blind\ndescription: x\n")
    undeclared = _set_folder(tmp_path, "undeclared")
    assert gold_file_set(sealed / "gold.jsonl", sealed / "pages").blind
    assert gold_file_set(undeclared / "gold.jsonl", undeclared / "pages").blind
    mine = tmp_path / "my_gold.jsonl"
    assert gold_file_set(mine, tmp_path).role == "developed"
    assert gold_file_set(DEFAULT_GOLD, tmp_path).role == "developed"


def test_every_set_of_the_repository_declares_its_role() -> None:
    """A set folder merged without set.yaml would be treated as blind; the repository says it outright."""
    folders = [f for f in sorted(EVAL_DIR.iterdir()) if (f / "gold.jsonl").is_file()]
    undeclared = [f.name for f in folders if read_set_file(f) is None]
    assert not undeclared, f"set folders without {SET_FILE}: {undeclared}"
    roles = {s.name: s.role for s in held_out_sets()}
    assert roles["heldout"] == "developed"
    assert roles["genres"] == "developed"
    assert roles["blind"] == "blind"
