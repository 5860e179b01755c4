"""Tests for pipeline.knowledge.registry: the real registries' invariants, lookups, and malformed files."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.knowledge.names import match_key
from pipeline.knowledge.registry import REGISTRY_DIR, REGISTRY_FILES, Registry, _parse, load_registry


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    load_registry.cache_clear()
    yield
    load_registry.cache_clear()


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


# ---------------------------------------------------------------------------
# The real registries under models/registry/
# ---------------------------------------------------------------------------


def test_registry_loads_both_types(registry: Registry) -> None:
    types = {entry.type for entry in registry.entries}
    assert types == set(REGISTRY_FILES)
    assert len(registry.entries) > 100


def test_registry_ids_are_unique_within_a_type(registry: Registry) -> None:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for entry in registry.entries:
        seen[(entry.type, entry.id)] += 1
    assert [key for key, n in seen.items() if n > 1] == []


def test_registry_ids_are_lowercase_with_dashes(registry: Registry) -> None:
    bad = [e.id for e in registry.entries if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.id)]
    assert bad == []


def test_registry_every_entry_has_a_source(registry: Registry) -> None:
    bad = [e.id for e in registry.entries if not re.match(r"https?://\S+$", e.source)]
    assert bad == []


def test_registry_no_surface_maps_to_two_ids_within_a_type(registry: Registry) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in registry.entries:
        for surface in (*entry.surfaces, *entry.acronyms):
            owners[(entry.type, match_key(surface))].add(entry.id)
    clashes = {key: sorted(ids) for key, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_registry_no_empty_surface_or_acronym(registry: Registry) -> None:
    bad = [
        e.id
        for e in registry.entries
        if not e.surfaces or any(not match_key(s) for s in (*e.surfaces, *e.acronyms))
    ]
    assert bad == []


@pytest.mark.parametrize("filename", sorted(REGISTRY_FILES.values()))
def test_registry_files_follow_the_documented_format(filename: str) -> None:
    """models/registry/README.md: exactly these keys, and `names` has `en`."""
    allowed = {"id", "name", "names", "acronyms", "short_names", "working_titles", "jurisdiction", "source"}
    data = yaml.safe_load((REGISTRY_DIR / filename).read_text(encoding="utf-8"))
    problems = []
    for item in data:
        if set(item) - allowed:
            problems.append((item.get("id"), "unknown keys", sorted(set(item) - allowed)))
        if "en" not in (item.get("names") or {}):
            problems.append((item.get("id"), "names without en"))
        if set(item["names"]) - {"en", "fr", "es"}:
            problems.append((item.get("id"), "names in another language", sorted(item["names"])))
    assert problems == []


# ---------------------------------------------------------------------------
# Lookup
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "type_", "expected"),
    [
        # organisations by name, in each language, with articles and odd spacing
        ("Open Government Partnership", "ORG", "open-government-partnership"),
        ("Partenariat pour un gouvernement ouvert", "ORG", "open-government-partnership"),
        ("Alianza para el Gobierno Abierto", "ORG", "open-government-partnership"),
        ("the United Nations", "ORG", "united-nations"),
        ("les Nations Unies", "ORG", "united-nations"),
        ("las Naciones Unidas", "ORG", "united-nations"),
        ("UN General Assembly", "ORG", "un-general-assembly"),
        ("Amnistía Internacional", "ORG", "amnesty-international"),
        ("AMNESTY\u00a0INTERNATIONAL", "ORG", "amnesty-international"),
        ("Amnesty International’s", "ORG", "amnesty-international"),
        # laws by name, in each language
        ("General Data Protection Regulation", "LAW", "gdpr"),
        ("le Règlement général sur la protection des données", "LAW", "gdpr"),
        ("Reglamento General de Protección de Datos", "LAW", "gdpr"),
        ("the Universal Declaration of Human Rights", "LAW", "udhr"),
        ("la Déclaration universelle des droits de l’homme", "LAW", "udhr"),
        ("Declaración Universal de Derechos Humanos", "LAW", "udhr"),
        # acronyms, case-sensitive
        ("OGP", "ORG", "open-government-partnership"),
        ("ONU", "ORG", "united-nations"),
        ("UN", "ORG", "united-nations"),
        ("GDPR", "LAW", "gdpr"),
        ("RGPD", "LAW", "gdpr"),
        (" OGP ", "ORG", "open-government-partnership"),
        ("ogp", "ORG", None),
        ("Ogp", "ORG", None),
        ("un", "ORG", None),
        ("gdpr", "LAW", None),
        # the type filter
        ("GDPR", "ORG", None),
        ("OGP", "LAW", None),
        ("United Nations", "LAW", None),
        ("Universal Declaration of Human Rights", "ORG", None),
        # unknown
        ("Ministry of Silly Walks", None, None),
        ("", None, None),
    ],
)
def test_registry_lookup(registry: Registry, text: str, type_: str | None, expected: str | None) -> None:
    entry = registry.lookup(text, type_)
    assert (entry.id if entry else None) == expected
    if expected is not None:
        assert registry.lookup(text) == entry  # no filter: same entry
        assert entry.type == type_


def test_registry_by_id(registry: Registry) -> None:
    entry = registry.by_id["gdpr"]
    assert entry.type == "LAW"
    assert "GDPR" in entry.acronyms
    assert entry.name == "General Data Protection Regulation"


# ---------------------------------------------------------------------------
# Malformed files
# ---------------------------------------------------------------------------

_GOOD = "- {id: a, name: Alpha Act, names: {en: [Alpha Act]}, source: https://example.org/a}\n"
_BETA = "- {id: b, name: Beta, names: {en: [Beta]}, "



@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ("- {id: b, name: Beta, names: {en: [Beta]}}", "entry 2"),  # no source
        ("- {id: b, names: {en: [Beta]}, source: s}", "entry 2"),  # no name
        ("- {name: Beta, names: {en: [Beta]}, source: s}", "entry 2"),  # no id
        ("- {id: b, name: Beta, source: s}", "entry 2"),  # no names
        ("- just a string", "entry 2"),
        ("- {id: b, name: Beta, names: [Beta], source: s}", "entry 2 (b)"),  # names not a mapping
        ("- {id: b, name: Beta, names: {en: [1]}, source: s}", "line 2: entry 2 (b) names.en"),
        (_BETA + "acronyms: [1], source: s}", "line 2: entry 2 (b) acronyms"),
        (_BETA + "short_names: {x: y}, source: s}", "line 2: entry 2 (b) short_names"),
        (_BETA + "notes: x, source: s}", "line 2: entry 2 (b): unknown key 'notes'"),
        (_BETA + "jurisdiction: xx, source: s}", "line 2: entry 2 (b) jurisdiction: must be an ISO 3166-1"),
        pytest.param(
            "- {id: b, name: Beta, names: {en: [Beta]}, source: }",
            "entry 2",
        ),
        pytest.param(
            "- {id: b, name: Beta, names: {en: [Beta]}, source: ''}",
            "entry 2",
        ),
        pytest.param(
            "- {id: , name: Beta, names: {en: [Beta]}, source: s}",
            "entry 2",
        ),
        pytest.param(
            "- {id: b, name: , names: {en: [Beta]}, source: s}",
            "entry 2",
        ),
    ],
)
def test_registry_malformed_entry_is_a_config_error(tmp_path: Path, entry: str, needle: str) -> None:
    path = tmp_path / "laws.yaml"
    path.write_text(_GOOD + entry + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        _parse(path, "LAW")
    assert "laws.yaml" in str(info.value)
    assert needle in str(info.value)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("- {id: a, name: [unclosed\n", "invalid YAML"),
        ("id: a\nname: Alpha\n", "expected a list of entries"),
        ("", "expected a list of entries"),
        ("- !!python/object/apply:os.getcwd []\n", "invalid YAML"),  # safe_load: data only
    ],
)
def test_registry_malformed_file_is_a_config_error(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "laws.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle) as info:
        _parse(path, "LAW")
    assert str(path) in str(info.value)


def test_registry_parse_good_entry(tmp_path: Path) -> None:
    path = tmp_path / "laws.yaml"
    path.write_text(
        "- id: alpha-act\n"
        "  name: Alpha Act\n"
        "  names: {en: [Alpha Act], fr: [Loi Alpha], es: [Ley Alfa]}\n"
        "  acronyms: AA\n"
        "  short_names: [Alpha, Alpha Act]\n"
        "  source: https://example.org/alpha\n",
        encoding="utf-8",
    )
    (entry,) = _parse(path, "LAW")
    assert entry.id == "alpha-act"
    assert entry.type == "LAW"
    assert entry.surfaces == ("Alpha Act", "Ley Alfa", "Loi Alpha", "Alpha")  # deduplicated
    assert entry.acronyms == ("AA",)  # a single string is a list of one
    assert entry.source == "https://example.org/alpha"


def test_registry_load_registry_from_a_folder(tmp_path: Path, fresh_cache: None) -> None:
    (tmp_path / "laws.yaml").write_text(_GOOD, encoding="utf-8")
    (tmp_path / "organisations.yaml").write_text(
        "- {id: beta-group, name: Beta Group, names: {en: [Beta Group]}, acronyms: [BG], source: s}\n",
        encoding="utf-8",
    )
    registry = load_registry(tmp_path)
    assert [(e.type, e.id) for e in registry.entries] == [("LAW", "a"), ("ORG", "beta-group")]
    assert registry.lookup("BG", "ORG").id == "beta-group"
    assert registry.lookup("bg") is None
    assert registry.lookup("the Beta Group").id == "beta-group"


def test_registry_load_registry_missing_files_give_an_empty_registry(
    tmp_path: Path, fresh_cache: None
) -> None:
    assert load_registry(tmp_path).entries == ()


def test_registry_load_registry_names_the_bad_file(tmp_path: Path, fresh_cache: None) -> None:
    (tmp_path / "organisations.yaml").write_text("- {id: x}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"organisations\.yaml line 1: entry 1 \(x\): needs name"):
        load_registry(tmp_path)
