"""Every key of every YAML file under models/ is read by the code.

Two halves.  Every YAML file has a typed schema (pydantic, unknown keys
forbidden) and validates against it: a key in a file that the schema does not
name fails here (and when the pipeline reads the file).  And every field of
every schema is read somewhere in pipeline/: as an attribute (`words.stops`),
a subscript (`vocab["stops"]`), a `.get("stops")` or an `"stops" in ...` test.
The second half matches by name, so a field named like an unrelated attribute
(`doc`) would pass unread: fields meant for people, not the code, say so with
`json_schema_extra={"for_readers": True}`.

Registering a new file: a new models/patterns/<name>.yaml is found by walking
that folder; add its schema to `PATTERN_SCHEMAS` in pipeline/knowledge/patterns.py.
A YAML file elsewhere under models/ is added to `OTHER_SCHEMAS` below, with the
models that describe it (the first one validates the whole file).
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError

from pipeline.config import MODELS_DIR, PROJECT_ROOT, RuleFamilyFile
from pipeline.knowledge.countries import VariantFile
from pipeline.knowledge.curation_file import OPERATION_MODELS, CurationFile
from pipeline.knowledge.jurisdiction import DemonymFile
from pipeline.knowledge.patterns import PATTERN_SCHEMAS, LawWords
from pipeline.knowledge.registry import RegistryFile
from pipeline.knowledge.yamlfile import parse

OTHER_SCHEMAS: dict[str, tuple[type[BaseModel], ...]] = {
    "curation.yaml": (CurationFile, *OPERATION_MODELS.values()),
    "rule_families.yaml": (RuleFamilyFile,),
    "countries/demonyms.yaml": (DemonymFile,),
    "countries/variants.yaml": (VariantFile,),
    "registry/laws.yaml": (RegistryFile,),
    "registry/organisations.yaml": (RegistryFile,),
}


def schemas(models_dir: Path = MODELS_DIR) -> dict[str, tuple[type[BaseModel], ...]]:
    """Every YAML file's schemas: models/patterns/ walked, the others from `OTHER_SCHEMAS`."""
    found = {
        f"patterns/{path.name}": (PATTERN_SCHEMAS[path.stem],)
        for path in sorted((models_dir / "patterns").glob("*.yaml"))
        if path.stem in PATTERN_SCHEMAS
    }
    return {**found, **OTHER_SCHEMAS}


def unknown_keys(path: Path, schema: type[BaseModel]) -> list[str]:
    """The keys of the YAML file that its schema does not name, as 'where.key'."""
    try:
        schema.model_validate(parse(path.read_text(encoding="utf-8"), path))
    except ValidationError as exc:
        return [".".join(map(str, e["loc"])) for e in exc.errors() if e["type"] == "extra_forbidden"]
    return []


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models inside a type annotation (`dict[Lang, LawWords]` → LawWords)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def fields(schema: type[BaseModel]) -> set[str]:
    """The keys a schema names, nested models included; fields marked for readers left out."""
    names: set[str] = set()
    for name, info in schema.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if name != "root" and not extra.get("for_readers"):
            names.add(name)
        for model in _models_in(info.annotation):
            names |= fields(model)
    return names


def _key_read(node: ast.AST) -> object:
    """The name `node` reads a key or field by, if it reads one."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant):
        return node.left.value if isinstance(node.ops[0], (ast.In, ast.NotIn)) else None
    return None


def names_read(package: Path) -> set[str]:
    """Every attribute, subscript, `.get()` and `in` key named in the package's code."""
    return {
        str(name)
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (name := _key_read(node)) is not None
    }


def unread_fields(schema_list: tuple[type[BaseModel], ...], read: set[str]) -> set[str]:
    return {f for schema in schema_list for f in fields(schema) if f not in read}


@pytest.fixture(scope="module")
def read() -> set[str]:
    return names_read(PROJECT_ROOT / "pipeline")


def test_yaml_keys_every_file_has_a_schema() -> None:
    files = {path.relative_to(MODELS_DIR).as_posix() for path in MODELS_DIR.rglob("*.yaml")}
    assert files - set(schemas()) == set(), "register these files (see this module's docstring)"
    assert set(schemas()) - files == set(), "schemas of files that are gone"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_yaml_keys_every_key_is_in_the_schema(name: str) -> None:
    assert unknown_keys(MODELS_DIR / name, schemas()[name][0]) == []


@pytest.mark.parametrize("name", sorted(schemas()))
def test_yaml_keys_every_schema_field_is_read(name: str, read: set[str]) -> None:
    assert unread_fields(schemas()[name], read) == set()


def test_yaml_keys_a_key_added_to_a_file_is_found(tmp_path: Path) -> None:
    path = tmp_path / "laws.yaml"
    text = (MODELS_DIR / "patterns" / "laws.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("\nfr:\n", "\n  unread_words: [x]\nfr:\n", 1), encoding="utf-8")
    assert unknown_keys(path, PATTERN_SCHEMAS["laws"]) == ["en.unread_words"]


class _LawWordsAndMore(LawWords):
    unread_words: list[str] = Field(default_factory=list)


def test_yaml_keys_a_field_no_code_reads_is_found(read: set[str]) -> None:
    assert unread_fields((_LawWordsAndMore,), read) == {"unread_words"}
    assert unread_fields((PATTERN_SCHEMAS["laws"],), read) == set()
