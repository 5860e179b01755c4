"""YAML files of models/ read as data and checked against typed (pydantic) models.

Every error is one line naming the file and line: bytes that are not UTF-8,
invalid YAML, a duplicate key (YAML would silently keep the last one), and
what the typed model rejects (an unknown key, a wrong type).  The parser is
PyYAML's safe loader (data only, nothing is executed); lines of what parsed
well are found again in the node tree, as config.py does for TOML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in lines:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {lines[key]})", key_node.start_mark
                )
            lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def read_text(path: Path, error: type[Exception] = ConfigError, what: str = "file") -> str:
    """The file's text; `error` for a missing file, a folder or bytes that are not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise error(f"{path}: {what} does not exist") from exc
    except IsADirectoryError as exc:
        raise error(f"{path}: is a directory, not a {what}") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{path} line {line}: not UTF-8 text (byte {data[exc.start]:#04x})") from exc


def parse(text: str, path: Path, error: type[Exception] = ConfigError) -> Any:
    """The YAML data of `text`; `error` naming the line of invalid YAML or a duplicate key."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise error(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from exc


class Lines:
    """Where each value of a YAML text is: `Lines(text).of(loc)`."""

    def __init__(self, text: str) -> None:
        self.root = yaml.compose(text, Loader=yaml.SafeLoader)

    def of(self, loc: Sequence[int | str]) -> int:
        """Line of the value at `loc` (keys and list indexes), or of the deepest part
        of it that exists (a missing key: its mapping's line)."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else 1
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def problem(error: Any) -> str:
    """One pydantic error as a reader reads it after the line number: ': ' and where
    in the file, then what is wrong."""
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f": unknown key {where!r}"
    if error["type"] == "missing":
        return f": missing key {where!r}"
    return f": {where}: {error['msg'].lower()}, got {error.get('input')!r}"


def check(
    model: type[Model],
    data: Any,
    path: Path,
    text: str,
    error: type[Exception] = ConfigError,
    describe: Callable[[dict[str, Any]], str] = problem,
    at: tuple[int | str, ...] = (),
) -> Model:
    """`data` as an instance of `model`; else `error` naming the file, the line of the
    first problem in the file's order, missing keys last (`describe` says what follows the line number),
    and how many more there are.  `at` is where `data` is in the file."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        where = Lines(text)
        # A missing key comes last: a misspelt key beside it says more ('nmae' for 'name').
        ranked = sorted((e["type"] == "missing", where.of((*at, *e["loc"])), n) for n, e in enumerate(errors))
        _, line, index = ranked[0]
        first = errors[index]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise error(f"{path} line {line}{describe(dict(first))}{more}") from exc


def load(model: type[Model], path: Path, error: type[Exception] = ConfigError) -> Model:
    """A YAML file of models/ read and checked against `model`."""
    text = read_text(path, error)
    return check(model, parse(text, path, error), path, text, error)
