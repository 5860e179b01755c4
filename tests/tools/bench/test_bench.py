"""pipeline.tools.bench: the generated corpora and the report (no timing is asserted)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.stages.ingest import read_document
from pipeline.stages.split import split_document
from pipeline.tools.bench.archive import (
    make_archive,
    make_long_article,
    organisation_keys,
    organisation_names,
)
from pipeline.tools.bench.corpus import Corpus, make_corpus, sample_page
from pipeline.tools.bench.measure import Measurement
from pipeline.tools.bench.report import SizeResult, WarmResult, report
from pipeline.tools.bench.scale import ScaleResults, report_scale


def test_bench_corpus_articles_are_distinct_single_language_and_split_back(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", 3)
    header, templates, footer = sample_page()
    pools = {lang: {p for t in templates if t.lang == lang for p in t.paragraphs} for lang in ("en", "fr")}
    records = [json.loads(line) for line in corpus.articles.read_text(encoding="utf-8").splitlines()]
    assert (corpus.n_pages, corpus.n_articles, len(records)) == (3, 33, 33)
    assert len({r["text"] for r in records}) == 33
    assert [r["lang"] for r in records] == [t.lang for t in templates] * 3
    split_back = []
    for page in sorted(corpus.folder.glob("*.txt")):
        doc = read_document(page)
        split_back += split_document(doc)
        assert doc.boilerplate == footer and doc.header == header
    assert [a.text for a in split_back] == [r["text"] for r in records]
    for article, record in zip(split_back, records, strict=True):
        paragraphs = [line for line in article.text.splitlines()[1:] if line.strip()]
        assert set(paragraphs) <= pools[record["lang"]]  # never EN and FR in one article
    assert corpus.words == sum(len(r["text"].split()) for r in records)


def test_bench_corpus_is_deterministic(tmp_path: Path) -> None:
    first = make_corpus(tmp_path / "a", 2)
    second = make_corpus(tmp_path / "b", 2)
    assert first.articles.read_bytes() == second.articles.read_bytes()


def _measurement(name: str, wall: float, rss: float = 500.0) -> Measurement:
    return Measurement(name, wall, wall, rss, rss, 0.0, 2 * rss, {"total": wall, "ner": wall / 2}, 110, None)


def test_bench_report_states_each_target(tmp_path: Path) -> None:
    sizes = [
        SizeResult(Corpus(scale, tmp_path, tmp_path, scale, 11 * scale, 1000 * scale),
                   _measurement("1p", 10.0 * scale), _measurement("2p", 6.0 * scale),
                   _measurement("raw", 11.0 * scale), _measurement("raw 2p", 7.0 * scale),
                   _measurement("2p one file", 6.0 * scale, rss=500.0 + scale))
        for scale in (5, 10, 50)
    ]
    warm = WarmResult(_measurement("cold", 60.0), _measurement("warm", 3.0), identical=True)
    text = report(sizes, warm, processes=2)
    assert "- 10×, 1 process vs raw spaCy: 1.10× (met; target ≥ 1.0×)" in text
    assert "- 5×, 2 processes vs 1: 1.67× (met; target ≥ 1.6×)" in text
    assert "- 50×, 2 processes vs 1: 1.67× (NOT met; target ≥ 1.85×)" in text
    assert "- warm rerun vs cold, 10×: 20.00× (met; target ≥ 10.0×)" in text
    assert "peak memory 50× vs 10×, 1 process: 1.00× (met" in text
    assert "peak memory 50× vs 10×, 2 processes, one file, main process: 1.08× (met" in text
    assert "| 5× | 55 | 5,000 | 100 | 167 | 1.67× | 91 | 1.10× | 1.10× | 143 | 1.17× | 167 |" in text


def test_bench_one_file_holds_the_same_articles(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", 2, one_file=True)
    assert corpus.one_file is not None
    doc = read_document(corpus.one_file / "all-pages.txt")
    pages = [a.text for p in sorted(corpus.folder.glob("*.txt")) for a in split_document(read_document(p))]
    assert [a.text for a in split_document(doc)] == pages


def test_bench_archive_names_new_people_in_every_article_and_grows_by_appending(tmp_path: Path) -> None:
    small = make_archive(tmp_path / "small", 6)
    large = make_archive(tmp_path / "large", 12)
    records = [json.loads(line) for line in large.articles.read_text(encoding="utf-8").splitlines()]
    assert [r["lang"] for r in records] == ["en", "fr", "es"] * 4
    assert small.articles.read_text(encoding="utf-8").splitlines() == [
        json.dumps(r, ensure_ascii=False) for r in records[:6]
    ]
    articles = [a for page in sorted(large.folder.glob("*.txt")) for a in split_document(read_document(page))]
    assert [a.text for a in articles] == [r["text"] for r in records]
    people = [set(re.findall(r"^ {4}([^,]+),", a.text, re.M)) for a in articles]  # who opens each paragraph
    assert all(people) and all(not p & q for p, q in itertools.combinations(people, 2))


def test_bench_long_article_is_the_same_text_in_one_and_in_parts(tmp_path: Path) -> None:
    long = make_long_article(tmp_path / "long", 60, 4)
    (one,) = split_document(read_document(next(long.one.glob("*.txt"))))
    parts = [a for page in sorted(long.split.glob("*.txt")) for a in split_document(read_document(page))]
    assert (long.sentences, long.parts, len(parts)) == (60, 4, 4)
    paragraphs = [line for line in one.text.splitlines()[1:] if line.strip()]
    assert paragraphs == [line for a in parts for line in a.text.splitlines()[1:] if line.strip()]


def test_bench_organisation_keys_are_distinct_with_near_spellings() -> None:
    keys = organisation_keys(500)
    assert len({key for key, _ in keys}) == 500
    names = organisation_names(300)
    near = [(a, b) for a, b in itertools.combinations(names, 2) if fuzz.ratio(a.lower(), b.lower()) >= 92]
    assert len(near) >= 10  # typos, legal forms, accents dropped: what the merge must join


def test_bench_growth_report_states_each_target(tmp_path: Path) -> None:
    archive = [(Corpus(scale, tmp_path, tmp_path, scale, 100 * scale, 20_000 * scale),
                _measurement(f"archive {scale}×", 20.0 + 8.0 * scale)) for scale in (1, 8, 40)]
    merge = _measurement("merge of 100,000 organisation keys", 40.0)
    merge.seconds["merge"] = 31.0
    long = (_measurement("one", 30.0), _measurement("split", 25.0))
    results = ScaleResults(archive, merge, long, 30_000, 300)
    lines, targets = report_scale(results)
    text = "\n".join(lines + targets)
    assert "- archive, 8× the articles vs 1×, 1 process: 3.00× (met; target ≤ 9.0×)" in text
    assert "- archive of 4,000 short articles, 1 process: 340.00 s (met; target ≤ 400.0 s)" in text
    assert "- merge of 100,000 organisation keys: 31.00 s (met; target ≤ 60.0 s)" in text
    assert "- one long article ÷ the same in parts: 1.20× (met; target ≤ 1.5×)" in text
