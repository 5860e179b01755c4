"""`Tables` and `read_tables` on the audit tests' tiny tables (no model, no run)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import EntityLookupError, OutputError, Tables, extract, read_tables
from pipeline.schema import TABLES

from ..tools.audit.tiny import ARTICLES, MENTIONS, tiny_rows, write_tables


@pytest.fixture(scope="module")
def tiny_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(tmp_path_factory.mktemp("tiny") / "out", tiny_rows(ARTICLES, MENTIONS))


@pytest.fixture(scope="module")
def tiny(tiny_out: Path) -> Tables:
    return read_tables(tiny_out)


def test_tables_read_are_the_parquet_dataframes(tiny_out: Path, tiny: Tables) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(tiny, name), pd.read_parquet(tiny_out / f"{name}.parquet"))
    assert tiny.manifest["engine"] == "local"
    assert repr(tiny) == "Tables(documents=2, articles=5, mentions=9, entities=6)"


def test_tables_read_from_a_folder_without_tables_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        read_tables(tmp_path)


def test_tables_entity_is_what_show_prints(tiny: Tables) -> None:
    entity, mentions = tiny.entity("amnistia internacional")
    assert entity["name"] == "Amnesty International" and entity["type"] == "ORG"
    assert list(mentions["text"]) == ["Amnesty International", "Amnistía Internacional"]  # article order
    assert list(mentions["title"]) == ["Surveillance <b>report</b>", "Amnistía en México"]
    assert list(mentions["path"]) == ["corpus/tiny.txt", "corpus/tiny.txt"]  # as `show` shows it
    assert list(mentions.columns[:-3]) == list(tiny.mentions.columns)
    with pytest.raises(EntityLookupError, match="matches 2 entities; give type=TYPE"):
        tiny.entity("georgia")
    assert tiny.entity("georgia", type="LOCATION").entity["key"] == "georgia"
    with pytest.raises(EntityLookupError, match="did you mean 'Amnesty International'"):
        tiny.entity("amnesty")


def test_tables_to_duckdb_registers_the_four_tables(tiny: Tables) -> None:
    db = tiny.to_duckdb()
    rows = db.sql(
        "SELECT e.name, count(*) FROM mentions m JOIN entities e USING (entity_id) "
        "WHERE e.type = 'COUNTRY' GROUP BY e.name ORDER BY e.name"
    ).fetchall()
    assert rows == [("Georgia", 1), ("Mexico", 2)]
    assert db.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]
    assert tiny.to_duckdb(db) is db


def test_tables_to_displacy_gives_each_ok_article_and_its_mentions(tiny: Tables) -> None:
    pages = tiny.to_displacy()
    assert [page["title"] for page in pages] == [a[4] for a in ARTICLES if a[2] == "ok"]
    first = pages[0]
    assert [(first["text"][e["start"] : e["end"]], e["label"]) for e in first["ents"]] == [
        ("Amnesty International", "ORG"), ("Mexico", "COUNTRY"), ("Georgia", "COUNTRY"),
    ]


def test_tables_to_displacy_leaves_out_nested_mentions(tmp_path: Path) -> None:
    text = "Amnesty International Mexico spoke."
    rows = tiny_rows(
        [("art_en", "en", "ok", None, "Nested", text)],
        [("art_en", "Amnesty International Mexico", "ORG", "amnesty-international", "rule:registry.org.name",
          None), ("art_en", "Mexico", "COUNTRY", "MX", "rule:country.cldr", None)],
    )
    (page,) = read_tables(write_tables(tmp_path / "out", rows)).to_displacy()
    assert page["ents"] == [{"start": 0, "end": 28, "label": "ORG"}]


def test_tables_write_refuses_tables_of_another_schema(tiny_out: Path, tmp_path: Path) -> None:
    older = {name: pq.read_table(tiny_out / f"{name}.parquet") for name in TABLES}
    older["entities"] = older["entities"].drop_columns(["doubt", "doubt_reasons"])
    with pytest.raises(OutputError, match=r"cannot write these tables: .*doubt"):
        Tables(older, {}).write(tmp_path / "out")
    assert not (tmp_path / "out" / "entities.parquet").exists()


def test_tables_write_publishes_consistent_tables(tiny: Tables, tmp_path: Path) -> None:
    tiny.write(tmp_path / "out")
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(read_tables(tmp_path / "out"), name), getattr(tiny, name))


def test_tables_write_then_read_gives_the_same_tables(tmp_path: Path) -> None:
    made = extract(["Kenya.", "surveillance\n\n  • A title\n    Chile.\n"])
    assert made.write(tmp_path / "out") == tmp_path / "out"
    read = read_tables(tmp_path / "out")
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(read, name), getattr(made, name))
    assert read.manifest["inputs"] == made.manifest["inputs"]
