"""Tests for pipeline.knowledge.curation: each operation on tiny mention lists and key maps, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import MODELS_DIR
from pipeline.errors import CurationError
from pipeline.knowledge.curation import OPERATIONS, Curation, article_hash, load_curation
from pipeline.records import Article, Mention

from ..conftest import make_mention


def _mention(text: str, type_: str, key: str) -> Mention:
    return make_mention(text, type_, key, name=text)




def _curation(tmp_path: Path, text: str) -> Curation:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    curation = load_curation(path)
    assert curation is not None
    return curation



# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def test_curation_missing_file_directory_and_bad_bytes_are_errors(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match=r"absent\.yaml: curation file does not exist"):
        load_curation(tmp_path / "absent.yaml")
    with pytest.raises(CurationError, match="is a directory"):
        load_curation(tmp_path)
    path = tmp_path / "latin1.yaml"
    path.write_bytes("reject:\n  - {type: ORG, text: Caf\u00e9}\n".encode("latin-1"))
    with pytest.raises(CurationError, match=r"latin1\.yaml line 2: not UTF-8 text \(byte 0xe9\)"):
        load_curation(path)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "merge: []\nreject:\n"])
def test_curation_empty_file_changes_nothing(tmp_path: Path, text: str) -> None:
    curation = _curation(tmp_path, text)
    mentions = [_mention("Ana Pérez", "PERSON", "ana-perez")]
    curation.apply_to_mentions(mentions)
    assert [(m.text, m.key, m.curated) for m in mentions] == [("Ana Pérez", "ana-perez", False)]
    assert curation.apply_to_keys({("ORG", "a"): "a"}) == {("ORG", "a"): "a"}


def test_curation_shipped_file_loads_and_its_examples_are_valid(tmp_path: Path) -> None:
    shipped = MODELS_DIR / "curation.yaml"
    assert load_curation(shipped).decisions == []  # a template: every operation, no decision
    examples = [
        line.removeprefix("# ")
        for line in shipped.read_text(encoding="utf-8").splitlines()
        if line.startswith("# ") and line.removeprefix("# ").split(":")[0] in OPERATIONS
    ]
    curation = _curation(tmp_path, "\n".join(examples) + "\n")
    assert {d["operation"] for d in curation.decisions} == set(OPERATIONS)


def test_curation_load_every_operation(tmp_path: Path) -> None:
    curation = _curation(
        tmp_path,
        "merge:\n"
        "  - {type: ORG, into: united-nations, keys: [un-system, naciones-unidas]}\n"
        "split:\n"
        "  - {type: PERSON, key: anisha, text: Anisha Kumar, new_key: anisha-kumar}\n"
        "rename:\n"
        "  - {type: ORG, key: body-data, name: Body and Data}\n"
        "reject:\n"
        "  - {type: ORG, key: steering-committee}\n"
        "  - {type: PERSON, text: Prime Minister}\n"
        "retype:\n"
        "  - {text: Open Data Charter, from: LAW, to: ORG}\n",
    )
    assert curation.merges == {
        ("ORG", "un-system"): "united-nations",
        ("ORG", "naciones-unidas"): "united-nations",
    }
    assert curation.splits == {("PERSON", "anisha", "Anisha Kumar"): "anisha-kumar"}
    assert curation.renames == {("ORG", "body-data"): "Body and Data"}
    assert curation.rejected_keys == {("ORG", "steering-committee")}
    assert curation.rejected_texts == {("PERSON", "Prime Minister")}
    assert curation.retypes == {("LAW", "Open Data Charter"): "ORG"}


# ---------------------------------------------------------------------------
# Mention-level operations: reject, retype, split
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "mention", "kept"),
    [
        # reject by key: only that key, only that type
        (
            {"type": "ORG", "key": "steering-committee"},
            ("Steering Committee", "ORG", "steering-committee"),
            False,
        ),
        (
            {"type": "ORG", "key": "steering-committee"},
            ("Comité de pilotage", "ORG", "steering-committee"),
            False,
        ),
        (
            {"type": "ORG", "key": "steering-committee"},
            ("Steering Committee", "PERSON", "steering-committee"),
            True,
        ),
        ({"type": "ORG", "key": "steering-committee"}, ("Amnesty", "ORG", "amnesty-international"), True),
        # reject by text: exact surface only, only that type
        ({"type": "PERSON", "text": "Prime Minister"}, ("Prime Minister", "PERSON", "prime-minister"), False),
        (
            {"type": "PERSON", "text": "Premier ministre"},
            ("Premier ministre", "PERSON", "premier-ministre"),
            False,
        ),
        (
            {"type": "PERSON", "text": "Prime Minister"},
            ("the Prime Minister", "PERSON", "prime-minister"),
            True,
        ),
        ({"type": "PERSON", "text": "Prime Minister"}, ("Prime Minister", "ORG", "prime-minister"), True),
    ],
)
def test_curation_reject(
    tmp_path: Path, rule: dict[str, str], mention: tuple[str, str, str], kept: bool
) -> None:
    fields = ", ".join(f"{k}: {v}" for k, v in rule.items())
    curation = _curation(tmp_path, f"reject:\n  - {{{fields}}}\n")
    mentions = [_mention(*mention), _mention("Ana Pérez", "PERSON", "ana-perez")]
    curation.apply_to_mentions(mentions)
    assert [m.text for m in mentions] == ([mention[0]] if kept else []) + ["Ana Pérez"]
    assert not any(m.curated for m in mentions)


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        # retyped, re-keyed from its own text, flagged
        (("Open Data Charter", "LAW", "open-data-charter"), ("ORG", "open-data-charter", True)),
        (("la Carta de Datos Abiertos", "LAW", "x"), ("ORG", "carta-de-datos-abiertos", True)),
        # other type or other text: untouched
        (("Open Data Charter", "PERSON", "open-data-charter"), ("PERSON", "open-data-charter", False)),
        (("Open Data charter", "LAW", "open-data-charter"), ("LAW", "open-data-charter", False)),
    ],
)
def test_curation_retype(
    tmp_path: Path, mention: tuple[str, str, str], expected: tuple[str, str, bool]
) -> None:
    curation = _curation(
        tmp_path,
        "retype:\n"
        "  - {text: Open Data Charter, from: LAW, to: ORG}\n"
        "  - {text: la Carta de Datos Abiertos, from: LAW, to: ORG}\n",
    )
    mentions = [_mention(*mention)]
    curation.apply_to_mentions(mentions)
    assert (mentions[0].type, mentions[0].key, mentions[0].curated) == expected


def test_curation_retype_then_reject_under_the_new_type(tmp_path: Path) -> None:
    curation = _curation(
        tmp_path,
        "retype:\n  - {text: Body and Data, from: PERSON, to: ORG}\n"
        "reject:\n  - {type: ORG, text: Body and Data}\n",
    )
    mentions = [_mention("Body and Data", "PERSON", "body-and-data")]
    curation.apply_to_mentions(mentions)
    assert mentions == []


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        (("Anisha Kumar", "PERSON", "anisha"), ("anisha-kumar", True)),
        (("Anisha", "PERSON", "anisha"), ("anisha", False)),  # same key, other surface
        (("Anisha Kumar", "PERSON", "kumar"), ("kumar", False)),  # same surface, other key
        (("Anisha Kumar", "ORG", "anisha"), ("anisha", False)),  # other type
    ],
)
def test_curation_split(tmp_path: Path, mention: tuple[str, str, str], expected: tuple[str, bool]) -> None:
    curation = _curation(
        tmp_path, "split:\n  - {type: PERSON, key: anisha, text: Anisha Kumar, new_key: anisha-kumar}\n"
    )
    mentions = [_mention(*mention)]
    curation.apply_to_mentions(mentions)
    assert (mentions[0].key, mentions[0].curated) == expected
    if expected[1]:
        assert mentions[0].name == "Anisha Kumar"


# ---------------------------------------------------------------------------
# Entity-level operations: merge, rename, touches_key
# ---------------------------------------------------------------------------


def test_curation_merge_redirects_keys(tmp_path: Path) -> None:
    curation = _curation(
        tmp_path, "merge:\n  - {type: ORG, into: united-nations, keys: [un-system, naciones-unidas]}\n"
    )
    key_map = {
        ("ORG", "un-system"): "un-system",  # merged key itself
        ("ORG", "onu-systeme"): "un-system",  # article-level key resolved to a merged key
        ("ORG", "naciones-unidas"): "naciones-unidas",
        ("ORG", "amnesty"): "amnesty-international",  # untouched
        ("PERSON", "un-system"): "un-system",  # other type: untouched
    }
    assert curation.apply_to_keys(key_map) == {
        ("ORG", "un-system"): "united-nations",
        ("ORG", "onu-systeme"): "united-nations",
        ("ORG", "naciones-unidas"): "united-nations",
        ("ORG", "amnesty"): "amnesty-international",
        ("PERSON", "un-system"): "un-system",
    }


def test_curation_rename(tmp_path: Path) -> None:
    curation = _curation(tmp_path, "rename:\n  - {type: ORG, key: body-data, name: Body and Data}\n")
    assert curation.rename("ORG", "body-data") == "Body and Data"
    assert curation.rename("PERSON", "body-data") is None
    assert curation.rename("ORG", "other") is None


@pytest.mark.parametrize(
    ("type_", "key", "touched"),
    [
        ("ORG", "un-system", True),  # merged away
        ("ORG", "united-nations", True),  # merge target
        ("ORG", "body-data", True),  # renamed
        ("PERSON", "anisha", True),  # split from
        ("PERSON", "anisha-kumar", True),  # split into
        ("ORG", "steering-committee", False),  # rejected mentions leave no entity to flag
        ("ORG", "amnesty-international", False),
        ("PERSON", "un-system", False),
        ("ORG", "anisha", False),
    ],
)
def test_curation_touches_key(tmp_path: Path, type_: str, key: str, touched: bool) -> None:
    curation = _curation(
        tmp_path,
        "merge:\n  - {type: ORG, into: united-nations, keys: [un-system]}\n"
        "rename:\n  - {type: ORG, key: body-data, name: Body and Data}\n"
        "split:\n  - {type: PERSON, key: anisha, text: Anisha Kumar, new_key: anisha-kumar}\n"
        "reject:\n  - {type: ORG, key: steering-committee}\n",
    )
    assert curation.touches_key(type_, key) is touched


# ---------------------------------------------------------------------------
# Invalid files: each error names the file and the line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        # unknown operation
        pytest.param("bogus:\n  - {type: ORG}\n", ["line 1", "unknown operation 'bogus'"]),
        pytest.param(
            "merge: []\n\nbogus:\n  - {type: ORG}\n",
            ["line 3", "unknown operation 'bogus'"],
        ),
        # missing fields
        ("reject:\n  - {type: ORG, key: a}\n\n  - {type: PERSON}\n", ["line 4", "needs key"]),
        ("merge:\n  - {type: ORG, keys: [a]}\n", ["line 2", "needs into"]),
        ("merge:\n  - {type: ORG, into: x, keys: []}\n", ["line 2", "needs keys"]),
        ("rename:\n  - type: ORG\n    key: a\n", ["line 2", "needs name"]),
        ("split:\n  - {type: PERSON, key: a, text: A}\n", ["line 2", "needs new_key"]),
        ("retype:\n  - {text: A, from: LAW}\n", ["line 2", "needs to"]),
        ("reject:\n  - {type: ORG, key: 5}\n", ["line 2", "needs key"]),
        # bad type values
        ("retype:\n  - {text: A, from: LAW, to: COMPANY}\n", ["line 2", "to must be one of"]),
        ("merge:\n  - {type: org, into: x, keys: [a]}\n", ["line 2", "type must be one of"]),
        ("reject:\n  - {type: GPE, key: a}\n", ["line 2", "type must be one of"]),
        # not the expected shape
        ("- merge\n", ["line 1", "expected a mapping of operations"]),
        pytest.param(
            "reject:\n  - just a string\n",
            ["line 2", "must be mappings"],
        ),
        pytest.param(
            "reject: {type: ORG, key: a}\n",
            ["line 1"],
        ),
        pytest.param(
            "reject:\n  - {type: ORG, key: a}\nreject:\n  - {type: ORG, key: b}\n",
            ["line 3", "reject"],
        ),
        # invalid YAML
        ("merge:\n  - {type: ORG, into: x, keys: [a\n", ["line 3", "invalid YAML"]),
        ("merge: [\n", ["line 2", "invalid YAML"]),
        ('rename:\n  - {type: ORG, key: a, name: "unclosed\n', ["invalid YAML"]),
        # unknown fields, ambiguous entries, merges that cannot be followed
        ("rename:\n  - type: ORG\n    key: a\n    nmae: B\n", ["line 4", "unknown field 'nmae'", "'name'"]),
        ("reject:\n  - {type: ORG, key: a, text: A}\n", ["line 2", "not both"]),
        ("merge:\n  - {type: ORG, into: b, keys: [a]}\n  - {type: ORG, into: a, keys: [b]}\n",
         ["line 2", "merge cycle", "a → b → a"]),
        ("merge:\n  - {type: ORG, into: a, keys: [a]}\n", ["line 2", "merge cycle"]),
        ("merge:\n  - {type: ORG, into: b, keys: [a]}\n  - {type: ORG, into: c, keys: [a]}\n",
         ["line 3", "already merged into 'b'"]),
    ],
)
def test_curation_invalid_file_names_file_and_line(tmp_path: Path, text: str, needles: list[str]) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError) as info:
        load_curation(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.mkdir",
        "!!python/object/new:pathlib.Path.mkdir",
        "!!python/object/apply:pathlib.Path.mkdir",
    ],
)
def test_curation_python_tags_are_refused_not_run(tmp_path: Path, tag: str) -> None:
    target = tmp_path / "pwned"
    path = tmp_path / "curation.yaml"
    path.write_text(f'reject:\n  - {tag} ["{target}"]\n', encoding="utf-8")
    with pytest.raises(CurationError, match=r"line 2: invalid YAML"):
        load_curation(path)
    assert not target.exists()


def test_curation_python_name_tag_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text("reject:\n  - {type: ORG, key: !!python/name:os.system }\n", encoding="utf-8")
    with pytest.raises(CurationError, match="invalid YAML"):
        load_curation(path)


def test_curation_merge_chains_are_followed_to_their_end(tmp_path: Path) -> None:
    curation = _curation(
        tmp_path,
        "merge:\n  - {type: ORG, into: b, keys: [a]}\n  - {type: ORG, into: c, keys: [b]}\n",
    )
    key_map = {("ORG", "a"): "a", ("ORG", "b"): "b", ("ORG", "c"): "c"}
    assert curation.apply_to_keys(key_map) == {("ORG", "a"): "c", ("ORG", "b"): "c", ("ORG", "c"): "c"}


@pytest.mark.parametrize(
    ("text", "applies", "absent", "near"),
    [
        ("merge:\n  - {type: ORG, into: amnesty-internacional, keys: [amnesty-international]}\n",
         True, ["ORG amnesty-internacional"], [("amnesty-internacional", "amnesty-international")]),
        ("merge:\n\n  - {type: ORG, into: united-nations, keys: [un]}\n",
         False, ["ORG un", "ORG united-nations"], []),
        ("rename:\n  - {type: PERSON, key: ana, name: Ana}\n", False, ["PERSON ana"], []),
        ("reject:\n  - {type: ORG, key: nobody}\n", False, ["ORG nobody"], []),
        ("reject:\n  - {type: PERSON, key: ana-peres}\n",
         False, ["PERSON ana-peres"], [("ana-peres", "ana-perez")]),
        ("rename:\n  - {type: ORG, key: ana-perez, name: Ana}\n", False, ["ORG ana-perez"], []),
        ("split:\n  - {type: PERSON, key: ana-perez, text: Ana, new_key: ana}\n", True, None, []),
    ],
)
def test_curation_entries_whose_keys_the_run_lacks_do_not_apply_and_typos_are_named(
    tmp_path: Path, text: str, applies: bool, absent: list[str] | None, near: list[tuple[str, str]]
) -> None:
    """A run over another corpus: an entry none of whose acted-on keys is among the run's
    entities does not apply (no error); every absent key is listed; one a typo away from
    a key of the same type is a near miss (of another type it is not)."""
    curation = _curation(tmp_path, text)
    mentions = [
        _mention("Amnesty", "ORG", "amnesty-international"), _mention("Ana Pérez", "PERSON", "ana-perez")
    ]
    curation.apply_to_mentions(mentions)
    curation.match_keys({(m.type, m.key) for m in mentions})
    (decision,) = curation.summary()["decisions"]
    assert decision["applies"] is applies
    assert decision.get("absent_keys") == absent
    assert [(m["key"], m["near"]) for m in decision.get("near_misses", [])] == near
    near_misses = curation.near_misses()
    assert len(near_misses) == len(near)
    if near:
        assert near_misses[0].startswith(f"{tmp_path / 'curation.yaml'} line ")
        assert f"'{near[0][0]}' in this run, but '{near[0][1]}' is one: a typo?" in near_misses[0]
    unapplied = curation.unapplied("run.json")
    if applies:
        assert unapplied is None
    else:
        assert unapplied is not None
        assert unapplied.startswith(f"1 of 1 decision(s) in {tmp_path / 'curation.yaml'} do not apply")
        assert unapplied.endswith("they are listed in run.json")


def test_curation_known_keys_apply_including_rejected_and_split_ones(tmp_path: Path) -> None:
    curation = _curation(
        tmp_path,
        "reject:\n  - {type: ORG, key: steering-committee}\n"
        "split:\n  - {type: PERSON, key: anisha, text: Anisha Kumar, new_key: anisha-kumar}\n"
        "merge:\n  - {type: ORG, into: united-nations, keys: [un]}\n"
        "rename:\n  - {type: ORG, key: united-nations, name: United Nations}\n",
    )
    mentions = [
        _mention("Steering Committee", "ORG", "steering-committee"),
        _mention("Anisha Kumar", "PERSON", "anisha"),
        _mention("UN", "ORG", "un"),
        _mention("United Nations", "ORG", "united-nations"),
    ]
    curation.apply_to_mentions(mentions)
    curation.match_keys({(m.type, m.key) for m in mentions})
    summary = curation.summary()
    assert [d["applies"] for d in summary["decisions"]] == [True] * 4
    assert not any("absent_keys" in d for d in summary["decisions"])
    assert (summary["not_applicable"], summary["near_misses"]) == (0, 0)
    assert (curation.near_misses(), curation.unapplied("run.json")) == ([], None)


def test_curation_a_merge_applies_when_one_of_its_keys_is_in_the_run(tmp_path: Path) -> None:
    curation = _curation(tmp_path, "merge:\n  - {type: ORG, into: united-nations, keys: [un, onu]}\n")
    curation.match_keys({("ORG", "onu")})
    (decision,) = curation.summary()["decisions"]
    assert decision["applies"] and decision["absent_keys"] == ["ORG un", "ORG united-nations"]
    assert curation.apply_to_keys({("ORG", "onu"): "onu"}) == {("ORG", "onu"): "united-nations"}


# ---------------------------------------------------------------------------
# Mention-level detach
# ---------------------------------------------------------------------------

DETACH_TEXT = "Amnesty International and the Steering Committee met in Geneva."


def _article(text: str, *mentions: tuple[str, str, str]) -> Article:
    article = Article("art_1", "doc_1", 0, 0, len(text), text, "Title")
    for surface, type_, key in mentions:
        m = make_mention(surface, type_, key, name=surface)
        m.start = text.index(surface)
        m.end = m.start + len(surface)
        article.mentions.append(m)
    return article


def test_curation_detach_moves_or_drops_one_mention_by_content(tmp_path: Path) -> None:
    digest = article_hash(DETACH_TEXT)
    path = tmp_path / "cur.yaml"
    path.write_text(
        "detach:\n"
        f"  - {{type: ORG, article: {digest}, start: 0, end: 7, text: Amnesty,"
        " into: amnesty-international}\n"
        f"  - {{type: ORG, article: {digest}, start: 30, end: 48, text: Steering Committee}}\n"
        "  - {type: ORG, article: txt_gone, start: 0, end: 3, text: Old}\n",
        encoding="utf-8",
    )
    curation = load_curation(path)
    assert curation is not None
    article = _article(
        DETACH_TEXT, ("Amnesty", "ORG", "amnesty"), ("Steering Committee", "ORG", "committee-steering"),
        ("Geneva", "LOCATION", "geneva"),
    )
    curation.apply_to_article(article)
    assert [(m.text, m.key, m.curated) for m in article.mentions] == [
        ("Amnesty", "amnesty-international", True), ("Geneva", "geneva", False)]
    summary = curation.summary()
    assert [(d["mentions"], d["stale"]) for d in summary["decisions"]] == [(1, False), (1, False), (0, True)]
    assert summary["stale"] == 1


def test_curation_detach_needs_offsets_matching_its_text(tmp_path: Path) -> None:
    path = tmp_path / "cur.yaml"
    path.write_text("detach:\n  - {type: ORG, article: txt_1, start: 0, end: 3, text: Amnesty}\n")
    with pytest.raises(CurationError, match=r"line 2 .*end - start is 3"):
        load_curation(path)


def test_curation_merge_counts_entities_once_and_their_mentions(tmp_path: Path) -> None:
    curation = _curation(tmp_path, "merge:\n  - {type: ORG, into: un, keys: [un-system]}\n")
    key_map = {("ORG", "un-system"): "un-system", ("ORG", "un-systems"): "un-system", ("ORG", "un"): "un"}
    sizes = {("ORG", "un-system"): 3, ("ORG", "un-systems"): 1, ("ORG", "un"): 5}
    assert set(curation.apply_to_keys(key_map, sizes).values()) == {"un"}
    (decision,) = curation.summary()["decisions"]
    assert (decision["entities"], decision["mentions"]) == (1, 4)
