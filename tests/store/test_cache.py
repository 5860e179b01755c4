"""Tests for pipeline.store.cache: round trips, what the key depends on, atomicity, and warm reruns."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.config import DEFAULT_MODELS, MODELS_DIR, PROJECT_ROOT, Config
from pipeline.records import Article, Mention
from pipeline.runner import ArticleStages, Stages, run
from pipeline.schema import TABLES
from pipeline.store import cache as cache_module
from pipeline.store.cache import ArticleCache, ArticleResult, fingerprint

from ..conftest import SAMPLE

TEXT = "  • Title\n\n    Amnesty International met in Geneva.\n"


def _article(text: str = TEXT, title: str = "Title") -> Article:
    return Article("art_x", "doc_x", 0, 0, len(text), text, title)


def _result() -> ArticleResult:
    mention = Mention(
        start=17, end=38, text="Amnesty International", type="ORG", label="ORG", source="model:en",
        sentence_start=17, sentence="Amnesty International met in Geneva.", key="amnesty-international",
        name="Amnesty International", resolution="registry", registry_source="https://amnesty.org",
    )
    return ArticleResult("fr", 0.999996, "ok", None, "repaired « texte » ", 2, 9, [mention])


def test_cache_result_json_round_trip() -> None:
    result = _result()
    assert ArticleResult.from_json(result.to_json()) == result


def test_cache_result_of_and_apply_carry_every_field() -> None:
    source, target = _article(), _article()
    _result().apply(source)
    ArticleResult.of(source).apply(target)
    assert target == source
    assert target.mentions == _result().mentions


def test_cache_get_returns_only_stored_keys(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path / "c.sqlite3", "fp")
    cache.put([("a", _result())])
    assert cache.get(["a", "b"]) == {"a": _result()}
    assert cache.get([]) == {}
    cache.close()
    reopened = ArticleCache(tmp_path / "c.sqlite3", "fp")
    assert reopened.get(["a"]) == {"a": _result()}
    reopened.close()


def test_cache_never_keeps_a_failure(tmp_path: Path) -> None:
    failed = ArticleResult("en", 0.99, "error", "ner: MemoryError: ", None, 0, 0, [])
    short = ArticleResult(None, None, "too_short", None, None, 0, 0, [])
    cache = ArticleCache(tmp_path / "c.sqlite3", "fp")
    cache.put([("ok", _result()), ("failed", failed), ("short", short)])
    assert cache.get(["ok", "failed", "short"]) == {"ok": _result(), "short": short}


def test_cache_a_failed_article_is_tried_again_by_the_next_run(tmp_path: Path) -> None:
    """A failure that goes away (memory, a killed worker) is not served again from the cache."""
    failing = tmp_path / "failing"
    failing.touch()

    def recognise(articles: list[Article], config: Config) -> None:
        if failing.exists() and any("Geneva" in a.text for a in articles):
            raise MemoryError
        for article in articles:
            article.n_tokens = len(article.text.split())

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, place in (("a", "Geneva"), ("b", "Nairobi")):
        (corpus / f"{name}.txt").write_text(
            f"  • Rights groups meet in {place}\n\n    Human rights organisations met in {place} to ask the "
            "authorities for an independent inquiry into the use of force against students.\n",
            encoding="utf-8",
        )
    stages = Stages(per_article=ArticleStages(recognise=recognise, resolve=lambda article, config: None))
    config = Config(processes=1, cache_dir=str(tmp_path / "cache"))

    def statuses() -> list[str]:
        return pq.read_table(tmp_path / "out" / "articles.parquet").column("status").to_pylist()

    assert run([corpus], tmp_path / "out", config, progress=False, stages=stages).cached == 0
    assert statuses() == ["error", "ok"]
    failing.unlink()
    assert run([corpus], tmp_path / "out", config, progress=False, stages=stages).cached == 1
    assert statuses() == ["ok", "ok"]
    assert run([corpus], tmp_path / "out", config, progress=False, stages=stages).cached == 2


def test_cache_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path / "c.sqlite3", "fp")
    cache.put([("good", _result())])
    cache._insert([("bad", '{"lang": "en"}'), ("worse", "{")])
    assert cache.get(["good", "bad", "worse"]) == {"good": _result()}


def test_cache_key_depends_on_text_title_and_fingerprint(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path / "c.sqlite3", "fp")
    other = ArticleCache(tmp_path / "c.sqlite3", "another fingerprint")
    base = _article()
    keys = {
        cache.key(base),
        cache.key(_article(text=base.text + " ")),
        cache.key(_article(title="Other")),
        other.key(base),
    }
    assert len(keys) == 4
    moved = Article("art_y", "doc_y", 3, 100, 100 + len(base.text), base.text, base.title)
    assert cache.key(moved) == cache.key(base)  # content, not position or file, is the key


@pytest.mark.parametrize(
    ("change", "invalidates"),
    [
        ({"min_letters": 31}, True),
        ({"max_chunk_chars": 10_000}, True),
        ({"repair": False}, True),
        ({"models": {**DEFAULT_MODELS, "fr": "fr_core_news_sm"}}, True),
        ({"processes": 7}, False),
        ({"fuzzy_threshold": 80.0}, False),
        ({"curation": None}, False),
        ({"cache_dir": "/elsewhere"}, False),
        ({"cache": False}, False),
    ],
)
def test_cache_fingerprint_follows_per_article_settings_only(change: dict, invalidates: bool) -> None:
    assert (fingerprint(Config().replace(**change)) != fingerprint(Config())) is invalidates


def test_cache_fingerprint_follows_data_files_but_not_curation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models)
    monkeypatch.setattr(cache_module, "MODELS_DIR", models)
    config = Config(curation=str(models / "curation.yaml"))
    before = fingerprint(config)
    with open(models / "curation.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# a researcher's note\n")
    assert fingerprint(config) == before
    with open(models / "patterns" / "laws.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# a new law pattern would go here\n")
    assert fingerprint(config) != before


def test_cache_unusable_file_means_no_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / cache_module.CACHE_FILE).write_bytes(b"this is not an SQLite database, " * 100)
    with caplog.at_level(logging.WARNING):
        assert ArticleCache.open(Config(cache_dir=str(tmp_path)), tmp_path) is None
    assert "running without it" in caplog.text


def test_cache_off_by_config(tmp_path: Path) -> None:
    assert ArticleCache.open(Config(cache=False), tmp_path) is None
    assert not (tmp_path / ".cache").exists()


def test_cache_killed_writer_leaves_committed_entries_only(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = ArticleCache(path, "fp")
    cache.put([("committed", _result())])
    cache.close()
    # Another process dies in the middle of a transaction, as a killed run would.
    killed = (
        "import os, sys; from pathlib import Path; from pipeline.store.cache import ArticleCache\n"
        "cache = ArticleCache(Path(sys.argv[1]), 'fp')\n"
        "cache._db.execute('BEGIN')\n"
        "cache._db.execute(\"INSERT INTO results VALUES ('half-written', '{')\")\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", killed, str(path)], cwd=PROJECT_ROOT, check=False)
    assert done.returncode == 9
    reopened = ArticleCache(path, "fp")
    assert reopened.get(["committed", "half-written"]) == {"committed": _result()}
    reopened.close()


# --- whole runs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles of the sample page (two English, one French), as one page."""
    text = SAMPLE.read_text(encoding="utf-8")
    starts = [i for i in range(len(text)) if text.startswith("  • ", i)]
    page = text[: starts[0]] + text[starts[0] : starts[3]]
    folder = tmp_path_factory.mktemp("small_corpus")
    (folder / "page.txt").write_text(page, encoding="utf-8")
    return folder


def _same_tables(a: Path, b: Path) -> bool:
    return all((a / f"{n}.parquet").read_bytes() == (b / f"{n}.parquet").read_bytes() for n in TABLES)


@pytest.mark.slow
def test_cache_warm_rerun_gives_identical_tables(small_corpus: Path, tmp_path: Path) -> None:
    config = Config(processes=1, cache_dir=str(tmp_path / "cache"))
    cold = run([small_corpus], tmp_path / "cold", config, progress=False)
    warm = run([small_corpus], tmp_path / "warm", config, progress=False)
    assert (cold.cached, warm.cached) == (0, 3)
    assert "ner" not in warm.seconds  # no article went to the per-article stages
    assert _same_tables(tmp_path / "cold", tmp_path / "warm")
    uncached = run([small_corpus], tmp_path / "uncached", config.replace(cache=False), progress=False)
    assert uncached.cached == 0
    assert _same_tables(tmp_path / "cold", tmp_path / "uncached")


@pytest.mark.slow
def test_cache_changed_setting_or_data_file_is_recomputed(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config(processes=1, cache_dir=str(tmp_path / "cache"))
    out = tmp_path / "out"
    run([small_corpus], out, config, progress=False)
    assert run([small_corpus], out, config.replace(fuzzy_threshold=95.0), progress=False).cached == 3
    assert run([small_corpus], out, config.replace(min_letters=31), progress=False).cached == 0
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models)
    with open(models / "registry" / "organisations.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    monkeypatch.setattr(cache_module, "MODELS_DIR", models)
    assert run([small_corpus], out, config, progress=False).cached == 0


@pytest.mark.slow
def test_cache_default_location_is_inside_the_output_folder(small_corpus: Path, tmp_path: Path) -> None:
    run([small_corpus], tmp_path / "out", Config(processes=1), progress=False)
    assert (tmp_path / "out" / ".cache" / cache_module.CACHE_FILE).is_file()
