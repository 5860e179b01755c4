"""Issue 7: bad input gets a clear answer, nothing is lost, a crash never corrupts outputs.

Fast tests run `pipeline.runner.run` in-process with a stand-in for the NER stage
(the model is not what they test).  The slow ones load spaCy models: the run
over a folder of hostile inputs, the kill-at-every-moment tests of publishing,
and chunked NER of a long single-line article.  Every input is written here.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import runner
from pipeline.cli import main
from pipeline.config import PROJECT_ROOT, Config, load_config
from pipeline.errors import ConfigError, InputError
from pipeline.records import Article
from pipeline.runner import ArticleStages, Stages
from pipeline.schema import TABLES, validate_table
from pipeline.stages.ingest import normalise_text, read_document
from pipeline.stages.split import split_document
from pipeline.store.consistency import check_consistency
from pipeline.store.write import JOURNAL, MANIFEST, recover_outputs

from .conftest import SAMPLE

PARQUET = [f"{name}.parquet" for name in TABLES]

ENGLISH = (
    "Civic space\n\n"
    "  • Activists detained after peaceful protest\n\n"
    "    Police detained several activists who had gathered peacefully outside the court to "
    "demand the release of a journalist held without charge for three weeks.\n\n"
    "  • Rights groups call for an independent inquiry\n\n"
    "    Human rights organisations asked the authorities to open an independent inquiry into "
    "the use of force against students during last month's demonstrations.\n"
)
FRENCH = (
    "Liberté d'expression\n\n"
    "  • Des défenseurs des droits humains arrêtés à Genève\n\n"
    "    La Fédération internationale a dénoncé l'arrestation de plusieurs militants. « C'est "
    "inacceptable », a déclaré la présidente, qui évoque une dérive préoccupante où l'État "
    "réprime les associations et les journalistes indépendants.\n"
)
SPANISH = (
    "Informe anual\n\n"
    "  • La organización denuncia la detención de periodistas en Nicaragua\n\n"
    "    El señor Peña y la compañera Núñez pidieron la liberación inmediata de los "
    "periodistas detenidos; «¡basta de represión!», dijo la portavoz. Año tras año, la "
    "represión contra la prensa independiente aumenta en el país.\n"
)
GERMAN = (
    "  • Menschenrechtler in Genf festgenommen\n\n"
    "    Die Internationale Föderation hat die Festnahme mehrerer Aktivisten scharf verurteilt. "
    "Die Präsidentin sprach von einer besorgniserregenden Entwicklung, in der der Staat "
    "unabhängige Vereine und Journalisten unterdrückt.\n"
)


# ---------------------------------------------------------------------------
# A failing stage is recorded for its article or document; the run goes on
# ---------------------------------------------------------------------------


def _small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "b.txt").write_text(ENGLISH.replace("court", "court BOOM"), encoding="utf-8")
    return folder


def _no_ner(articles: Sequence[Article], config: Config) -> None:
    """Stand-in for `ner.recognise`: counts tokens, finds nothing, loads no model."""
    for article in articles:
        article.n_tokens = len(article.text.split())


def _explode_on_boom(real: Any) -> Any:
    def stage(first: Any, *args: Any, **kwargs: Any) -> Any:
        items = first if isinstance(first, list) else [first]
        if any("BOOM" in getattr(item, "text", str(item)) for item in items):
            raise RuntimeError("boom")
        return real(first, *args, **kwargs)

    return stage


def _tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in TABLES}


NO_NER = ArticleStages(recognise=_no_ner)


@pytest.mark.parametrize(
    ("stage", "patched"),
    [("langid", "identify"), ("ner", "recognise"), ("resolve", "resolve")],
)
def test_robustness_failing_article_is_recorded_and_the_run_goes_on(
    tmp_path: Path, stage: str, patched: str
) -> None:
    exploding = dataclasses.replace(NO_NER, **{patched: _explode_on_boom(getattr(NO_NER, patched))})
    run = runner.run([_small_corpus(tmp_path / "in")], tmp_path / "out", Config(processes=1), progress=False,
                     stages=Stages(per_article=exploding))
    articles = _tables(tmp_path / "out")["articles"]
    failed = [a for a in articles if a["status"] == "error"]
    assert len(articles) == 4 and len(failed) == 1
    assert "BOOM" in failed[0]["text"]
    assert failed[0]["error"] == f"{stage}: RuntimeError: boom"
    assert all(a["status"] == "ok" for a in articles if a is not failed[0])
    assert run.counts["documents"] == {"ok": 2}
    check_consistency(tmp_path / "out")


@pytest.mark.parametrize("stage", ["read", "split"])
def test_robustness_failing_document_is_recorded_and_the_run_goes_on(tmp_path: Path, stage: str) -> None:
    real = getattr(Stages(), stage)

    def explode_on_b(item: Any) -> Any:
        if str(getattr(item, "path", item)).endswith("b.txt"):
            raise RuntimeError("boom")
        return real(item)

    stages = dataclasses.replace(Stages(per_article=NO_NER), **{stage: explode_on_b})
    runner.run([_small_corpus(tmp_path / "in")], tmp_path / "out", Config(processes=1), progress=False,
               stages=stages)
    tables = _tables(tmp_path / "out")
    by_name = {Path(d["path"]).name: d for d in tables["documents"]}
    assert by_name["a.txt"]["status"] == "ok" and by_name["a.txt"]["n_articles"] == 2
    assert by_name["b.txt"]["status"] == "error" and by_name["b.txt"]["n_articles"] == 0
    assert "RuntimeError: boom" in by_name["b.txt"]["message"]
    assert stage == "read" or by_name["b.txt"]["message"].startswith("split: ")
    assert {a["doc_id"] for a in tables["articles"]} == {by_name["a.txt"]["doc_id"]}
    check_consistency(tmp_path / "out")


def test_robustness_nothing_readable_is_one_line_exit_2_and_keeps_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    runner.run([_small_corpus(tmp_path / "good")], out, Config(processes=1), progress=False,
               stages=Stages(per_article=NO_NER))
    before = {name: (out / name).read_bytes() for name in [*PARQUET, MANIFEST]}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert main(["run", str(bad), "--out", str(out), "-q", "--processes", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: nothing readable found") and "Traceback" not in "".join(err)
    assert "image.txt: binary" in err[-1] and "empty.txt: empty" in err[-1]
    assert {name: (out / name).read_bytes() for name in [*PARQUET, MANIFEST]} == before
    assert not list(out.glob(".staging-*"))


def test_robustness_missing_input_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        runner.run([tmp_path / "absent"], tmp_path / "out", Config(processes=1), progress=False)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# Size: chunks tile the text; a huge single line stays within a few copies
# ---------------------------------------------------------------------------


@given(st.text(st.sampled_from("ab .!\n\t…"), max_size=400), st.integers(min_value=1, max_value=60))
def test_robustness_chunk_bounds_tile_the_text(text: str, max_chars: int) -> None:
    from pipeline.stages.ner.recognise import chunk_bounds

    bounds = chunk_bounds(text, max_chars)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(bounds))
    assert all(0 < end - start <= max_chars for start, end in bounds if text)


@pytest.mark.parametrize(
    "line",
    [
        "The volunteers said the meeting was calm and people walked home slowly. ",
        # One bullet makes it a title line, and makes Python store the whole text
        # with two bytes per character.
        "  • The volunteers said the meeting was calm and people walked home slowly. ",
    ],
    ids=["ascii", "bullet"],
)
def test_robustness_20mb_single_line_ingest_and_split_memory(tmp_path: Path, line: str) -> None:
    """Peak memory of ingest + split stays under four copies of the text.

    In memory at once: the document text, the article's copy, and transiently
    the copies `records.stable_id` makes to hash the article text (its parts
    joined, then encoded).  The raw bytes are dropped once decoded, and neither
    the reading (no up-front buffer of MAX_INPUT_BYTES) nor the title (null on a
    line this long) adds a copy.
    """
    path = tmp_path / "big.txt"
    path.write_text(line[:4] + line[4:] * (20_000_000 // len(line)), encoding="utf-8")
    tracemalloc.start()
    try:
        doc = read_document(path)
        articles = split_document(doc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert doc.status == "ok" and len(articles) == 1 and articles[0].end == len(doc.text)
    text_bytes = sys.getsizeof(doc.text)
    assert text_bytes >= path.stat().st_size
    assert peak < 4 * text_bytes, f"peak {peak / text_bytes:.1f} copies of the text"


# ---------------------------------------------------------------------------
# Safe configuration parsing: errors name the line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "line"),
    [
        ("min_letters = 30\nbatch_size = \n", 2),
        ("repair = true\n\nfuzzy_threshold = 0.7.1\n", 3),
        ("[models]\nen = 'x'\nen = 'y'\n", 3),
    ],
)
def test_robustness_config_toml_error_names_the_line(tmp_path: Path, toml: str, line: int) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid TOML") and f"(at line {line}, column" in message
    assert "\n" not in message


# Parsers that can run code or build arbitrary objects from what they read.
# `yaml.load` is checked apart: allowed only with a loader derived from SafeLoader.
_UNSAFE_PARSING = re.compile(
    r"\bpickle\b|\bmarshal\b|\bshelve\b|yaml\.(?:unsafe_|full_)load\(|yaml\.(?:Unsafe|Full)?Loader\b"
    r"|(?<![\w.])(?:eval|exec)\("
)
_YAML_LOAD = re.compile(r"yaml\.load\((?:.*Loader=(?P<loader>[\w.]+))?")


def _unsafe_yaml_load(line: str, source: str) -> bool:
    """A `yaml.load` whose loader is not SafeLoader or a class this module derives from it."""
    match = _YAML_LOAD.search(line)
    if match is None:
        return False
    loader = match.group("loader")
    if loader in ("yaml.SafeLoader", "yaml.CSafeLoader"):
        return False
    return loader is None or f"class {loader}(yaml.SafeLoader)" not in source


def test_robustness_inputs_and_settings_are_parsed_as_data_only() -> None:
    """Config is tomllib, curation and registries are safe YAML loaders, the cache is JSON."""
    offenders = []
    for path in sorted((PROJECT_ROOT / "pipeline").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            if _UNSAFE_PARSING.search(line) or _unsafe_yaml_load(line, source):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    ("line", "source", "unsafe"),
    [
        ("yaml.load(text)", "", True),
        ("yaml.load(text, Loader=yaml.Loader)", "", True),
        ("yaml.load(text, Loader=_Strict)", "class _Strict(yaml.FullLoader):", True),
        ("yaml.load(text, Loader=_Strict)", "class _Strict(yaml.SafeLoader):", False),
        ("yaml.load(text, Loader=yaml.SafeLoader)", "", False),
    ],
)
def test_robustness_yaml_load_only_with_a_safe_loader(line: str, source: str, unsafe: bool) -> None:
    assert _unsafe_yaml_load(line, source) is unsafe


# ---------------------------------------------------------------------------
# Slow: a folder of hostile inputs through `python -m pipeline run`
# ---------------------------------------------------------------------------

_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
_RANDOM = bytes((1103515245 * i + 12345) >> 16 & 0xFF for i in range(4096))
_PROSE = (
    "The volunteers said that the meeting in the old town hall was calm, and many people walked "
    "home slowly after the long debate about water, schools and local roads. "
)
_BIG_TAIL = "Amnesty International condemned the arrests of journalists in Kenya and Uganda."
# A file name from an old archive: Latin-1 bytes, not UTF-8.
_NOT_UTF8_NAME = b"r\xe9sum\xe9-\xff.txt"
# \r\n after the tag, \r\r before the second article, \n elsewhere.
_MIXED = ENGLISH.replace("space\n\n", "space\r\n\r\n").replace("weeks.\n\n", "weeks.\r\r")


def _big_line() -> str:
    """A 2 MB article on one line: prose, a long run of blanks, and entities at the very end.

    Most of it is blanks so that the model's cost (per token) stays small: what
    is tested is the size (chunks, offsets, memory), not the model's speed.
    """
    head = _PROSE * 60
    return head + " " * (2_000_000 - len(head) - len(_BIG_TAIL)) + _BIG_TAIL


def _hostile_folder(folder: Path) -> dict[str, tuple[str, list[str]]]:
    """Write one file per kind of bad input; returns name → (document status, article statuses)."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str, list[str]]] = {
        "empty.txt": (b"", "empty", []),
        "blank.txt": (b"  \n\t\n\xc2\xa0\n", "empty", []),
        "fr_utf16.txt": (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "ok", ["ok"]),
        "es_cp1252.txt": (SPANISH.encode("cp1252"), "ok", ["ok"]),
        "en_bom.txt": (codecs.BOM_UTF8 + ENGLISH.encode(), "ok", ["ok", "ok"]),
        "nul.txt": (ENGLISH.replace("peacefully", "peace\0fully\0").encode(), "ok", ["ok", "ok"]),
        "image.txt": (_PNG, "binary", []),
        "random.txt": (_RANDOM, "binary", []),
        "truncated.txt.gz": (gzip.compress(ENGLISH.encode(), mtime=0)[:-30], "unreadable", []),
        "valid.txt.gz": (gzip.compress(ENGLISH.encode(), mtime=0), "ok", ["ok", "ok"]),
        "de.txt": (GERMAN.encode(), "ok", ["unsupported_language"]),
        "short.txt": ("  • Hola\n\n    Muy bien.\n".encode(), "ok", ["too_short"]),
        "mixed_endings.txt": (_MIXED.encode(), "ok", ["ok", "ok"]),
        "big.txt": (_big_line().encode(), "ok", ["ok"]),
    }
    for name, (data, _, _) in files.items():
        (folder / name).write_bytes(data)
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "folder.txt").mkdir()  # a folder named like a file: searched, not read
    (folder / "folder.txt" / "inner.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / os.fsdecode(_NOT_UTF8_NAME)).write_text(ENGLISH, encoding="utf-8")  # bytes on disk
    expected = {name: (status, articles) for name, (_, status, articles) in files.items()}
    expected |= {
        "broken.txt": ("unreadable", []), "fifo.txt": ("unreadable", []), "inner.txt": ("ok", ["ok", "ok"]),
        _NOT_UTF8_NAME.decode("utf-8", "replace"): ("ok", ["ok", "ok"]),
    }
    return expected


def _pipeline(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "run", *args, "-q", "--processes", "1"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.mark.slow
def test_robustness_hostile_inputs_are_all_accounted_for(tmp_path: Path) -> None:
    expected = _hostile_folder(tmp_path / "in")
    result = _pipeline(str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    tables = _tables(tmp_path / "out")
    documents = {Path(d["path"]).name: d for d in tables["documents"]}
    assert sorted(documents) == sorted(expected)
    articles: dict[str, list[dict[str, Any]]] = {}
    for article in tables["articles"]:
        articles.setdefault(article["doc_id"], []).append(article)
    for name, (status, article_statuses) in expected.items():
        doc = documents[name]
        own = articles.get(doc["doc_id"], [])
        assert (name, doc["status"], [a["status"] for a in own]) == (name, status, article_statuses)
        assert doc["status"] == "ok" or doc["message"], name
        assert all(a["status"] == "ok" or a["error"] for a in own), name
        text = doc["header"] + "".join(a["text"] for a in own) + (doc["boilerplate"] or "")
        assert len(text) == doc["n_chars"], name
    encodings = {"fr_utf16.txt": "utf-16-le", "es_cp1252.txt": "cp1252", "en_bom.txt": "utf-8-sig"}
    assert {name: documents[name]["encoding"] for name in encodings} == encodings
    french = documents["fr_utf16.txt"]
    assert french["header"] + articles[french["doc_id"]][0]["text"] == FRENCH
    assert articles[french["doc_id"]][0]["lang"] == "fr"
    spanish = articles[documents["es_cp1252.txt"]["doc_id"]][0]
    assert (spanish["lang"], "Peña" in spanish["text"]) == ("es", True)
    assert "removed 2 control character(s)" in documents["nul.txt"]["message"]
    mixed = documents["mixed_endings.txt"]
    assert mixed["header"] + "".join(a["text"] for a in articles[mixed["doc_id"]]) == ENGLISH
    assert [a["title"] for a in articles[mixed["doc_id"]]] == [
        "Activists detained after peaceful protest", "Rights groups call for an independent inquiry",
    ]
    assert "truncated gzip" in documents["truncated.txt.gz"]["message"]
    assert "broken symbolic link" in documents["broken.txt"]["message"]
    archived = documents[_NOT_UTF8_NAME.decode("utf-8", "replace")]
    assert bytes.fromhex(archived["path_hex"]).endswith(b"/" + _NOT_UTF8_NAME)
    assert {d["path_hex"] for name, d in documents.items() if d is not archived} == {None}
    (big,) = articles[documents["big.txt"]["doc_id"]]
    assert big["text"] == _big_line()
    tail = [m for m in tables["mentions"] if m["article_id"] == big["article_id"] and m["start"] > 1_900_000]
    assert tail and all(big["text"][m["start"] : m["end"]] == m["text"] for m in tail)
    assert "Kenya" in {m["text"] for m in tail}
    check_consistency(tmp_path / "out")


@pytest.mark.slow
def test_robustness_long_article_ner_in_small_chunks_keeps_exact_offsets() -> None:
    from pipeline.stages.ner.recognise import chunk_bounds, recognise_texts

    text = (_PROSE * 30 + _BIG_TAIL + " ") * 8  # one line of ~40k characters
    config = Config(processes=1, max_chunk_chars=2_000)
    assert len(chunk_bounds(text, config.max_chunk_chars)) > 20
    (mentions,) = recognise_texts([text], "en", config)
    kenya = [m for m in mentions if m.text == "Kenya"]
    assert len(kenya) == 8
    assert [m.start for m in kenya] == [i + _BIG_TAIL.index("Kenya") for i in _occurrences(text, _BIG_TAIL)]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def _occurrences(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start >= 0:
        yield start
        start = text.find(needle, start + 1)


# ---------------------------------------------------------------------------
# Slow: kill a run at every moment; old outputs stay whole, reruns are identical
# ---------------------------------------------------------------------------

# Runs `python -m pipeline run` after arranging to SIGKILL itself at a given moment.
_CHILD = """
import os, signal, sys
from pipeline.store import write
from pipeline.cli import main

moment, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]


def die(*_args):
    os.kill(os.getpid(), signal.SIGKILL)


if moment == "before-publish":
    write._publish = die
elif moment.startswith("after-replace-"):
    limit, publish, replace = int(moment.rsplit("-", 1)[1]), write._publish, os.replace
    calls = []

    def counting_replace(src, dst):
        replace(src, dst)
        calls.append(dst)
        if len(calls) == limit:
            die()

    def publish_and_die(*args):
        os.replace = counting_replace
        publish(*args)

    write._publish = publish_and_die
sys.exit(main(["run", *inputs, "--out", out, "-q", "--processes", "1"]))
"""
# os.replace calls in a publish: the journal first, then each table and run.json.
_MOMENTS = {
    "during-processing": None,  # killed from outside once the staging folder exists
    "before-publish": None,
    "journal-written": 1,
    "one-table-moved": 2,
    "all-moved": 1 + len(PARQUET) + 1,
}


def _child(moment: str, out: Path, inputs: list[Path]) -> subprocess.Popen[str]:
    arg = f"after-replace-{_MOMENTS[moment]}" if _MOMENTS.get(moment) else moment
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, arg, str(out), *map(str, inputs)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _run_killed(moment: str, out: Path, inputs: list[Path]) -> None:
    child = _child(moment, out, inputs)
    if moment == "during-processing":
        deadline = time.monotonic() + 300
        while not list(out.glob(".staging-*")) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=900)
    assert child.returncode == -signal.SIGKILL, err


def _snapshot(out: Path, names: list[str]) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in names}


def _assert_whole(out: Path) -> None:
    """All four tables readable, valid and consistent with each other."""
    tables = {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}
    for name, table in tables.items():
        validate_table(name, table)
    rows = {name: table.to_pylist() for name, table in tables.items()}
    doc_ids = {d["doc_id"] for d in rows["documents"]}
    texts = {a["article_id"]: a["text"] for a in rows["articles"]}
    entity_ids = {e["entity_id"] for e in rows["entities"]}
    assert all(a["doc_id"] in doc_ids for a in rows["articles"])
    assert rows["mentions"]
    for m in rows["mentions"]:
        assert m["doc_id"] in doc_ids and m["entity_id"] in entity_ids
        assert texts[m["article_id"]][m["start"] : m["end"]] == m["text"]
    check_consistency(out)


@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A two-file English corpus cut from the sample, the outputs of a run over its first
    file (the 'previous outputs') and of an uninterrupted run over both."""
    root = tmp_path_factory.mktemp("faults")
    sample = read_document(SAMPLE)
    articles = split_document(sample)
    corpus = root / "corpus"
    corpus.mkdir()
    first = sample.header + articles[0].text + articles[1].text + (sample.boilerplate or "")
    (corpus / "a.txt").write_text(first, encoding="utf-8")
    (corpus / "b.txt").write_text(articles[3].text, encoding="utf-8")
    inputs = [corpus / "a.txt", corpus / "b.txt"]
    for out, files in ((root / "previous", inputs[:1]), (root / "uninterrupted", inputs)):
        result = _pipeline(*map(str, files), "--out", str(out))
        assert result.returncode == 0, result.stderr
    return {"root": root, "inputs": inputs, "previous": root / "previous", "new": root / "uninterrupted"}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(_MOMENTS))
def test_robustness_killed_run_never_corrupts_outputs(fault_runs: dict[str, Any], moment: str) -> None:
    out = fault_runs["root"] / f"killed-{moment}"
    shutil.copytree(fault_runs["previous"], out)
    previous = _snapshot(out, [*PARQUET, MANIFEST])
    _run_killed(moment, out, fault_runs["inputs"])
    if _MOMENTS[moment] is None:  # killed before the journal: the previous outputs, untouched
        assert not (out / JOURNAL).exists()
        assert _snapshot(out, [*PARQUET, MANIFEST]) == previous
        _assert_whole(out)
        expected = previous
    else:  # killed while publishing: readers roll the publish forward
        assert (out / JOURNAL).exists()
        expected = _snapshot(fault_runs["new"], PARQUET)
    recover_outputs(out)  # what every command does first
    assert _snapshot(out, list(expected)) == expected
    _assert_whole(out)
    assert not list(out.glob(".staging-*")) and not (out / JOURNAL).exists()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["during-processing", "one-table-moved"])
def test_robustness_rerun_after_a_kill_equals_an_uninterrupted_run(
    fault_runs: dict[str, Any], moment: str
) -> None:
    out = fault_runs["root"] / f"rerun-{moment}"
    shutil.copytree(fault_runs["previous"], out)
    _run_killed(moment, out, fault_runs["inputs"])
    result = _pipeline(*map(str, fault_runs["inputs"]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert _snapshot(out, PARQUET) == _snapshot(fault_runs["new"], PARQUET)
    assert not list(out.glob(".staging-*")) and not (out / JOURNAL).exists()
    _assert_whole(out)


def test_robustness_normalised_sample_is_its_own_text() -> None:
    """The sample corpus is plain UTF-8 with LF endings: ingest leaves it as it is."""
    raw = SAMPLE.read_text(encoding="utf-8")
    assert read_document(SAMPLE).text == normalise_text(raw)[0] == raw
