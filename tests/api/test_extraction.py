"""`pipeline.extract`: inputs, their names and ids, the documented errors, settings per call."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import (
    Config,
    ConfigError,
    MissingInputError,
    NoInputError,
    PipelineError,
    UnreadableInputError,
    extract,
)
from pipeline.config import PROJECT_ROOT
from pipeline.stages.ner.recognise import load_recogniser

# Too short for language detection: each becomes a `too_short` article, so these
# tests read, split and name documents without loading a model.
SHORT = "Kenya."
SHORT_PAGE = "surveillance\n\n  • First title\n    Kenya.\n\n  • Second title\n    Chile.\n"


def _one_line(error: BaseException) -> str:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("given", "error", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, UnreadableInputError, "binary"),
        ([], NoInputError, "nothing to extract"),
        (Path("no/such/folder"), MissingInputError, "does not exist: no/such/folder"),
        ("", UnreadableInputError, "empty"),
        ([b"\xff\xfe\x00\xd8"], UnreadableInputError, "nothing readable"),
    ],
    ids=["binary-bytes", "empty-list", "missing-path", "empty-text", "undecodable-bytes"],
)
def test_extraction_bad_input_raises_the_documented_error(
    given: object, error: type[PipelineError], needle: str
) -> None:
    with pytest.raises(error) as raised:
        extract(given)  # type: ignore[arg-type]
    assert needle in _one_line(raised.value)


def test_extraction_folder_without_text_files_is_no_input(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# not an input\n", encoding="utf-8")
    with pytest.raises(NoInputError):
        extract(tmp_path)


def test_extraction_refuses_other_types_and_processes_below_one() -> None:
    with pytest.raises(TypeError, match="got int"):
        extract([SHORT, 42])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="got float"):
        extract(4.2)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="at least 1"):
        extract(SHORT, processes=0)


def test_extraction_one_bad_input_among_good_ones_is_recorded_not_raised() -> None:
    tables = extract([SHORT, b"\x00" * 64])
    assert list(tables.documents["status"]) == ["ok", "binary"]


def test_extraction_names_texts_by_their_content() -> None:
    tables = extract([SHORT, SHORT_PAGE, SHORT])
    digest = hashlib.sha256(SHORT.encode("utf-8")).hexdigest()[:16]
    paths = list(tables.documents["path"])
    assert paths[0] == f"text:{digest}" and paths[2] == f"text:{digest}#2"
    assert paths[1].startswith("text:") and paths[1] != paths[0]
    again = extract([SHORT_PAGE])  # the same text gives the same ids in every call
    assert again.documents["doc_id"].item() == tables.documents["doc_id"][1]
    assert list(again.articles["article_id"]) == list(tables.articles["article_id"][1:3])


def test_extraction_reads_a_page_or_a_plain_text_as_one_article() -> None:
    tables = extract([SHORT_PAGE, SHORT])
    articles = tables.articles
    assert list(articles["title"].fillna("-")) == ["First title", "Second title", "-"]
    assert tables.documents["tag"][0] == "surveillance"
    assert list(tables.documents["n_articles"]) == [2, 1]
    assert list(articles["status"]) == ["too_short"] * 3


def test_extraction_of_files_and_folders_as_the_command_line_names_them(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "a.txt.gz").write_bytes(b"")  # read, and recorded as empty
    tables = extract([tmp_path, tmp_path / "b.txt", SHORT])
    digest = hashlib.sha256(SHORT.encode("utf-8")).hexdigest()[:16]
    files = [str(tmp_path / "a.txt.gz"), str(tmp_path / "b.txt")]  # b.txt given twice, read once
    assert list(tables.documents["path"]) == [*files, f"text:{digest}"]


def test_extraction_bytes_are_decoded_like_a_file() -> None:
    tables = extract("Malmö, Kenya.".encode("cp1252"))
    assert tables.documents["encoding"].item() == "cp1252"
    assert tables.articles["text"].item() == "Malmö, Kenya."


def test_extraction_tables_keep_the_parquet_dtypes(tmp_path: Path) -> None:
    tables = extract([SHORT_PAGE, SHORT])
    tables.write(tmp_path / "out")
    for name in ("documents", "articles", "mentions", "entities"):
        written = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        pd.testing.assert_frame_equal(getattr(tables, name), written)
    manifest = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert sum(manifest["counts"]["articles"].values()) == 3
    assert manifest["inputs"] == list(tables.documents["path"])


_FRESH_PROCESS = """
import json, sys
from pipeline import Config, extract
tables = extract(sys.argv[1], config=Config(rules_off=("countries", "registry")))
print(json.dumps(tables.mentions[["text", "type", "key", "source"]].values.tolist()))
"""


@pytest.mark.slow
def test_extraction_settings_apply_to_one_call_only() -> None:
    text = (
        "The United Nations and Amnesty International asked Kenya and Chile to respect the "
        "International Covenant on Civil and Political Rights, said Maria Lopez."
    )
    switched_off = Config(rules_off=("countries", "registry"))
    before = extract(text).mentions
    off = extract(text, config=switched_off).mentions
    after = extract(text).mentions
    pd.testing.assert_frame_equal(before, after)  # the call with other settings left nothing behind
    assert not off.equals(before)
    shared = load_recogniser("en", Config().models["en"]).nlp  # the pipeline every call in this process uses
    assert "COUNTRY" in {span.label_ for span in shared(text).ents}
    fresh = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, text], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=600, check=True,
    )
    assert off[["text", "type", "key", "source"]].values.tolist() == json.loads(fresh.stdout)
