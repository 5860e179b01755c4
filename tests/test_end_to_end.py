"""The whole run on the sample corpus: the output contract of issue 2."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline.config import Config
from pipeline.records import entity_id
from pipeline.runner import run
from pipeline.schema import CORE_TYPES, TABLES

from .conftest import SAMPLE

pytestmark = pytest.mark.slow


def _tables(out: Path) -> dict[str, list[dict]]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in TABLES}


def test_end_to_end_articles_languages_and_titles(sample_out: Path) -> None:
    tables = _tables(sample_out)
    articles = tables["articles"]
    assert [a["status"] for a in articles] == ["ok"] * 11
    langs = [a["lang"] for a in articles]
    assert langs.count("en") == 8 and langs.count("fr") == 3
    bullet_titles = [
        line.split("•", 1)[1].strip()
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("•")
    ]
    assert [a["title"] for a in articles] == bullet_titles


def test_end_to_end_document_tag_and_boilerplate(sample_out: Path) -> None:
    (doc,) = _tables(sample_out)["documents"]
    assert doc["status"] == "ok" and doc["tag"] == "surveillance" and doc["n_articles"] == 11
    assert doc["boilerplate"].startswith("CONTACTA CON NOSOTROS")


def test_end_to_end_segments_cover_the_whole_text(sample_out: Path) -> None:
    tables = _tables(sample_out)
    (doc,) = tables["documents"]
    text = doc["header"] + "".join(a["text"] for a in tables["articles"]) + (doc["boilerplate"] or "")
    assert len(text) == doc["n_chars"]
    assert text == SAMPLE.read_text(encoding="utf-8")


def test_end_to_end_mentions_slice_their_article(sample_out: Path) -> None:
    tables = _tables(sample_out)
    texts = {a["article_id"]: a["text"] for a in tables["articles"]}
    entity_ids = {e["entity_id"] for e in tables["entities"]}
    assert tables["mentions"]
    for m in tables["mentions"]:
        article = texts[m["article_id"]]
        assert article[m["start"] : m["end"]] == m["text"]
        assert article[m["sentence_start"] : m["sentence_start"] + len(m["sentence"])] == m["sentence"]
        assert m["text"] in m["sentence"]
        assert m["entity_id"] in entity_ids
        assert m["source"].startswith(("model:", "rule:"))
    assert set(CORE_TYPES) <= {e["type"] for e in tables["entities"]}


def test_end_to_end_entity_figures_are_those_of_their_mentions(sample_out: Path) -> None:
    """Each entity's counts, aliases and languages, recomputed from the mentions table
    alone: what the writer's checks do not look at."""
    tables = _tables(sample_out)
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for mention in tables["mentions"]:
        by_entity[mention["entity_id"]].append(mention)
    assert len(by_entity) == len(tables["entities"])  # no entity without mentions
    for entity in tables["entities"]:
        mentions = by_entity[entity["entity_id"]]
        assert entity["entity_id"] == entity_id(entity["type"], entity["key"])
        assert {(m["type"], m["key"]) for m in mentions} == {(entity["type"], entity["key"])}
        assert entity["n_mentions"] == len(mentions) == sum(entity["alias_counts"])
        assert entity["n_articles"] == len({m["article_id"] for m in mentions})
        assert entity["langs"] == sorted({m["lang"] for m in mentions})
        assert len(entity["aliases"]) == len(set(entity["aliases"])) == len(entity["alias_counts"])
        assert 0.0 <= entity["doubt"] <= 1.0 and bool(entity["doubt_reasons"]) == (entity["doubt"] > 0)


def test_end_to_end_two_runs_give_identical_tables(sample_out: Path, tmp_path: Path) -> None:
    run([SAMPLE], tmp_path, Config(processes=1), progress=False)
    for name in TABLES:
        assert (tmp_path / f"{name}.parquet").read_bytes() == (sample_out / f"{name}.parquet").read_bytes()


def test_end_to_end_curation_is_applied_and_flagged(tmp_path: Path) -> None:
    curation = tmp_path / "curation.yaml"
    curation.write_text(
        "merge:\n  - {type: ORG, into: civicus, keys: [civicus-monitor]}\n"
        "rename:\n  - {type: PERSON, key: nancy-pelosi, name: Speaker Pelosi}\n"
        "reject:\n  - {type: ORG, key: twitter}\n  - {type: LOCATION, text: Tashkent}\n"
        "retype:\n  - {text: Aneekarma, from: LOCATION, to: PERSON}\n"
        "split:\n  - {type: PERSON, key: stephane-duguin, text: StephaneDuguin,"
        " new_key: stephane-duguin-caption}\n",
        encoding="utf-8",
    )
    run([SAMPLE], tmp_path / "out", Config(processes=1, curation=str(curation)), progress=False)
    tables = _tables(tmp_path / "out")
    entities = {(e["type"], e["key"]): e for e in tables["entities"]}
    assert ("ORG", "civicus-monitor") not in entities
    assert "CIVICUS Monitor" in entities[("ORG", "civicus")]["aliases"]
    civicus = entities[("ORG", "civicus")]
    assert civicus["curated"] and civicus["resolution"] == "curation"
    assert entities[("PERSON", "nancy-pelosi")]["name"] == "Speaker Pelosi"
    assert ("ORG", "twitter") not in entities
    assert not any(m["text"] == "Tashkent" and m["type"] == "LOCATION" for m in tables["mentions"])
    assert ("PERSON", "stephane-duguin-caption") in entities
    retyped = [m for m in tables["mentions"] if m["text"] == "Aneekarma"]
    assert retyped and all(m["type"] == "PERSON" and m["curated"] for m in retyped)


def test_end_to_end_manifest_records_each_models_spacy_versions(sample_out: Path) -> None:
    import json

    manifest = json.loads((sample_out / "run.json").read_text(encoding="utf-8"))
    checks = manifest["model_spacy_versions"]
    assert set(checks) == set(manifest["models"]) == {"en", "fr", "es"}
    assert checks["es"]["compatible"] is False and checks["es"]["trained_for_spacy"] == ">=3.1.0,<3.2.0"
    assert checks["en"]["compatible"] is True and checks["en"]["installed_spacy"] == manifest["spacy"]
