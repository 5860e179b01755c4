"""`write_report` on the tiny corpus: the embedded data, escaping, the summary, determinism, refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import OutputError
from pipeline.tools import audit
from pipeline.tools.audit.report import MAX_LISTED

from .tiny import ARTICLES, MANIFEST, MENTIONS, report_data, tiny_rows, write_tables


def test_audit_report_embeds_every_entity_once(tiny_out: Path, tiny_report: Path) -> None:
    assert tiny_report == tiny_out / "audit" / "index.html"
    data = report_data(tiny_report.read_text(encoding="utf-8"))
    entities = pq.read_table(tiny_out / "entities.parquet").to_pylist()
    assert sorted(data["entities"]["id"]) == sorted(e["entity_id"] for e in entities)
    for e in entities:
        i = data["entities"]["id"].index(e["entity_id"])
        for column in ("type", "name", "key", "aliases", "alias_counts", "n_mentions", "n_articles", "langs",
                       "resolution", "registry_source"):
            assert data["entities"][column][i] == e[column], column


def test_audit_report_every_mention_reachable_from_its_entity(tiny_out: Path, tiny_report: Path) -> None:
    data = report_data(tiny_report.read_text(encoding="utf-8"))
    E, M, A = data["entities"], data["mentions"], data["articles"]
    reached = {}
    for i, ident in enumerate(E["id"]):
        for k in range(E["m_first"][i], E["m_first"][i] + E["m_count"][i]):
            assert M["id"][k] not in reached
            reached[M["id"][k]] = (ident, k)
    mentions = pq.read_table(tiny_out / "mentions.parquet").to_pylist()
    assert set(reached) == {m["mention_id"] for m in mentions}
    for m in mentions:
        ident, k = reached[m["mention_id"]]
        assert ident == m["entity_id"]
        text = A["text"][M["article"][k]]
        assert A["id"][M["article"][k]] == m["article_id"]
        for column in ("start", "end", "sentence_start"):
            assert M[column][k] == m[column]
        assert text[M["sentence_start"][k]:][: M["sentence_len"][k]] == m["sentence"]
        assert data["sources"][M["source"][k]] == m["source"]
        assert data["labels"][M["label"][k]] == m["label"]
    assert data["overrides"] == {}


def test_audit_report_escapes_html_from_the_tables(tiny_report: Path) -> None:
    page = tiny_report.read_text(encoding="utf-8")
    # Only the report's own two scripts: the article's <script> is data, never markup.
    assert page.count("<script") == 2 and "alert('x')" in page
    assert "<script>alert" not in page and "<b>report</b>" not in page and "<img src=x" not in page
    assert "bytes are not UTF-8 &lt;b&gt;nor&lt;/b&gt; cp1252" in page  # document message in the summary
    assert "12 letters &lt; 30 &lt;img src=x onerror=alert(1)&gt;" in page  # article error in the summary
    data = report_data(page)
    assert data["articles"]["text"][0] == ARTICLES[0][5]  # round trip is exact
    assert data["articles"]["title"][0] == "Surveillance <b>report</b>"


def test_audit_report_keeps_accents_as_utf8(tiny_report: Path) -> None:
    raw = tiny_report.read_bytes()
    assert b'<meta charset="utf-8">' in raw
    for word in ("Éloïse Dupré", "Amnistía Internacional", "l’informatique", "Überwachung", "🙂"):
        assert word.encode("utf-8") in raw, word
    assert b"\\u00e9" not in raw  # not escaped to ASCII


def test_audit_report_summary_lists_run_and_failures(tiny_report: Path) -> None:
    page = tiny_report.read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index('<section id="entities"')]
    for expected in ("civic-entities 0.1.0", "3.8.18", "fr_core_news_md@3.8.0", "2026-11-30T12:00:00Z",
                     "corpus/broken.txt", "undecodable", "unsupported_language",
                     "language de is not supported (en, fr, es)", "too_short", 'lang="de"',
                     "All 9 mentions are the article text",
                     "spaCy &gt;=3.1.0,&lt;3.2.0 (installed 3.8.18: mismatch: loads with warning W095)"):
        assert expected in summary, expected


def test_audit_report_flags_mentions_that_do_not_match_their_article(tmp_path: Path) -> None:
    rows = tiny_rows(ARTICLES, MENTIONS)
    rows["mentions"][1]["sentence"] = rows["mentions"][1]["sentence"].replace("Mexico", "Mexico City")
    rows["entities"][0]["n_mentions"] += 1
    page = audit.write_report(write_tables(tmp_path / "out", rows)).read_text(encoding="utf-8")
    assert "1 mentions whose sentence is not the article text" in page
    assert "1 entities whose n_mentions differs" in page
    data = report_data(page)
    k = data["mentions"]["id"].index("men_1")
    assert data["overrides"] == {str(k): {"sentence": rows["mentions"][1]["sentence"]}}


def test_audit_report_is_self_contained_and_deterministic(tiny_out: Path, tiny_report: Path) -> None:
    first = tiny_report.read_bytes()
    assert audit.write_report(tiny_out).read_bytes() == first
    page = first.decode("utf-8")
    assert not re.search(r'<(script|img|link|iframe)\b[^>]*\b(src|href)=', page)
    assert "@import" not in page and "url(http" not in page
    assert page.count("<svg") == 4 + 2  # top entities of 4 types, entities by language, mentions per article


def test_audit_report_with_no_mentions(tmp_path: Path) -> None:
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, []))
    page = audit.write_report(out).read_text(encoding="utf-8")
    assert report_data(page)["mentions"]["id"] == []


def test_audit_report_requires_tables_and_manifest(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        audit.write_report(tmp_path / "nothing")
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS))
    (out / "run.json").unlink()
    with pytest.raises(OutputError, match=r"run\.json does not exist"):
        audit.write_report(out)


def test_audit_report_refuses_dangling_references(tmp_path: Path) -> None:
    rows = tiny_rows(ARTICLES, MENTIONS)
    rows["entities"] = rows["entities"][1:]
    with pytest.raises(OutputError, match=r"mentions\.entity_id refers to 2 missing"):
        audit.write_report(write_tables(tmp_path / "out", rows))


def test_audit_report_escapes_the_manifest(tmp_path: Path) -> None:
    """run.json is input too: an input's file name and the configuration are text, never markup."""
    hostile = {"inputs": ["corpus/tiny<img src=x onerror=alert(1)>.txt"], "config": {"x": "</pre><i>"}}
    manifest = {**MANIFEST, **hostile}
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS), manifest)
    page = audit.write_report(out).read_text(encoding="utf-8")
    assert "<img" not in page and "<i>" not in page
    assert "<title>Entity audit: tiny&lt;img src=x onerror=alert(1)&gt;.txt</title>" in page
    assert "&lt;/pre&gt;&lt;i&gt;" in page


def test_audit_report_lists_the_first_failed_articles_and_counts_the_rest(tmp_path: Path) -> None:
    short = [(f"art_{i}", None, "too_short", "too short", None, "Short text.") for i in range(MAX_LISTED)]
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES + short, MENTIONS))
    page = audit.write_report(out).read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index('<section id="entities"')]
    assert summary.count("<li><b>too_short</b>") == MAX_LISTED - 1  # art_de (unsupported) is listed first
    assert "<li>… and 2 more articles (see the Articles tab)</li>" in summary
    assert len(report_data(page)["articles"]["id"]) == len(ARTICLES) + MAX_LISTED
