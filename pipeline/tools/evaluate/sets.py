"""The held-out gold sets under corpus/eval/<set>/, each with its declared role.

A blind set stays blind only if nobody reads its errors (issue #19): `make eval`
prints its summary figures and never its false positives, misses or ablation
rows.  A set whose errors have been read while developing rules is labelled
"developed on", and everything about it is printed.  Each set folder says which
it is in `set.yaml`, checked against `SetFile` like the project's other data
files:

    role: developed
    description: 15 articles in six genres, annotated before any output was seen

A folder without `set.yaml` is treated as blind, the safe side: forgetting to
declare a set can hide its errors, never spend it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ...errors import InputError
from ...knowledge.yamlfile import load
from . import EVAL_DIR

Role = Literal["blind", "developed"]
SET_FILE = "set.yaml"
ROLE_LABELS: dict[Role, str] = {
    "blind": "blind: summary figures only, its errors are never printed",
    "developed": "developed on: its errors are read while developing rules; its figures are not blind",
}


class SetFile(BaseModel):
    """`corpus/eval/<set>/set.yaml`: the set's role and a one-line description."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    description: str


@dataclass(frozen=True)
class GoldSet:
    """A gold file, the folder of pages its articles come from, and its role.

    `declared` is False for a set folder without `set.yaml` (then `role` is blind).
    """

    name: str
    gold: Path
    pages: Path
    role: Role = "blind"
    description: str = ""
    declared: bool = True

    @property
    def blind(self) -> bool:
        return self.role == "blind"

    def heading(self) -> str:
        """The set's name and role as the report's section heading shows them."""
        about = f" — {self.description}" if self.description else ""
        undeclared = "" if self.declared else f" (no {SET_FILE}: treated as blind)"
        return f"{self.name}, {ROLE_LABELS[self.role]}{undeclared}{about}"


def read_set_file(folder: Path) -> SetFile | None:
    """The folder's `set.yaml`, None when it has none; InputError naming file and line when invalid."""
    path = folder / SET_FILE
    if not path.exists():
        return None
    return load(SetFile, path, InputError)


def held_out_sets(eval_dir: Path = EVAL_DIR) -> list[GoldSet]:
    """Every `<eval_dir>/<name>/` holding a `gold.jsonl` and its `pages/`, by name, with its role."""
    if not eval_dir.is_dir():
        return []
    return [
        gold_file_set(folder / "gold.jsonl", folder / "pages")
        for folder in sorted(eval_dir.iterdir())
        if (folder / "gold.jsonl").is_file() and (folder / "pages").is_dir()
    ]


def gold_file_set(gold: Path, pages: Path) -> GoldSet:
    """A gold file given with `--gold`, as a set: in a set folder it has that folder's
    role (blind when undeclared, like `held_out_sets`); any other file, such as the
    dev gold, is developed on."""
    folder = gold.parent
    declared = read_set_file(folder)
    if declared is not None:
        return GoldSet(folder.name, gold, pages, declared.role, declared.description)
    if gold.name == "gold.jsonl" and (folder / "pages").is_dir():
        return GoldSet(folder.name, gold, pages, "blind", declared=False)
    return GoldSet("dev", gold, pages, "developed")
