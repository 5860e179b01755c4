"""`write_report` on the tiny corpus: data in pieces, escaping, the summary, determinism, refusals."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import OutputError
from pipeline.tools import audit
from pipeline.tools.audit.paging import Paging
from pipeline.tools.audit.report import MAX_LISTED

from .tiny import ARTICLES, MANIFEST, MENTIONS, report_data, report_head, tiny_rows, write_tables

# A piece of two rows (or 50 characters of text): the tiny corpus spread over many pieces.
TINY_PAGING = Paging(entities=2, articles=2, mentions=2, text_chars=50, ids=2)


def test_audit_report_embeds_every_entity_once(tiny_out: Path, tiny_report: Path) -> None:
    assert tiny_report == tiny_out / "audit" / "index.html"
    data = report_data(tiny_report)
    entities = pq.read_table(tiny_out / "entities.parquet").to_pylist()
    assert sorted(data["entities"]["id"]) == sorted(e["entity_id"] for e in entities)
    for e in entities:
        i = data["entities"]["id"].index(e["entity_id"])
        for column in ("type", "name", "key", "aliases", "alias_counts", "n_mentions", "n_articles", "langs",
                       "resolution", "registry_source", "doubt", "doubt_reasons"):
            assert data["entities"][column][i] == e[column], column
    # Review order: most doubtful first, fewer mentions first among equals, then table order.
    doubts = [(-d, n) for d, n in zip(data["entities"]["doubt"], data["entities"]["n_mentions"], strict=True)]
    assert doubts == sorted(doubts)


def test_audit_report_every_mention_reachable_from_its_entity(tiny_out: Path, tiny_report: Path) -> None:
    data = report_data(tiny_report)
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
        assert A["id"][M["article"][k]] == m["article_id"]
        assert A["lang"][M["article"][k]] == m["lang"]
        for column in ("start", "end", "sentence_start", "sentence"):
            assert M[column][k] == m[column]
        assert data["head"]["sources"][M["source"][k]] == m["source"]
        assert data["head"]["labels"][M["label"][k]] == m["label"]
    assert data["overrides"] == {}
    # Each article's text comes with every one of its mentions to highlight, and its entity.
    marks = {(A["id"][a], start, end, entity[0]) for a, article in enumerate(data["texts"]["marks"])
             for start, end, entity in article}
    assert marks == {(m["article_id"], m["start"], m["end"], m["entity_id"]) for m in mentions}


def test_audit_report_escapes_html_from_the_tables(tiny_report: Path) -> None:
    page = tiny_report.read_text(encoding="utf-8")
    # Only the report's own two scripts: the article's <script> is data, never markup.
    assert page.count("<script") == 2
    assert "<script>alert" not in page and "<b>report</b>" not in page and "<img src=x" not in page
    assert "bytes are not UTF-8 &lt;b&gt;nor&lt;/b&gt; cp1252" in page  # document message in the summary
    assert "12 letters &lt; 30 &lt;img src=x onerror=alert(1)&gt;" in page  # article error in the summary
    data = report_data(tiny_report)
    assert data["texts"]["text"][0] == ARTICLES[0][5]  # round trip is exact
    assert data["articles"]["label"][0] == "Surveillance <b>report</b>"


def test_audit_report_keeps_accents_as_utf8(tiny_report: Path) -> None:
    raw = tiny_report.read_bytes()
    assert b'<meta charset="utf-8">' in raw
    pieces = b"".join(f.read_bytes() for f in tiny_report.parent.glob("data-*/*.js"))
    for word in ("Éloïse Dupré", "Amnistía Internacional", "l’informatique", "Überwachung", "🙂"):
        assert word.encode("utf-8") in pieces, word
    assert b"\\u00e9" not in raw + pieces  # not escaped to ASCII


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
    report = audit.write_report(write_tables(tmp_path / "out", rows))
    page = report.read_text(encoding="utf-8")
    assert "1 mentions whose sentence is not the article text" in page
    assert "1 entities whose n_mentions differs" in page
    data = report_data(report)
    k = data["mentions"]["id"].index("men_1")
    assert data["overrides"] == {str(k): {"sentence": rows["mentions"][1]["sentence"]}}


def _files(report_dir: Path) -> dict[str, bytes]:
    files = sorted(f for f in report_dir.rglob("*") if f.is_file())
    return {str(f.relative_to(report_dir)): f.read_bytes() for f in files}


def test_audit_report_is_self_contained_and_deterministic(tiny_out: Path, tiny_report: Path) -> None:
    first = _files(tiny_report.parent)
    assert audit.write_report(tiny_out) == tiny_report
    assert _files(tiny_report.parent) == first
    page = first["index.html"].decode("utf-8")
    assert not re.search(r'<(script|img|link|iframe)\b[^>]*\b(src|href)=', page)
    assert "@import" not in page and "url(http" not in page
    assert page.count("<svg") == 4 + 2  # top entities of 4 types, entities by language, mentions per article
    # The pieces the head names are exactly the files beside it, in one folder.
    head = report_head(page)
    counts = {kind: len(starts) for kind, starts in head["starts"].items()}
    named = {f"{head['dir']}/{kind}-{k}.js" for kind, n in counts.items() for k in range(n)}
    assert set(first) - {"index.html"} == named
    assert not any("http" in name for name in named)


def test_audit_report_keeps_article_text_out_of_the_index(tiny_report: Path) -> None:
    """index.html holds what the first screen needs: never a table's rows, whatever the corpus's size."""
    page = tiny_report.read_text(encoding="utf-8")
    assert "met officials in Mexico" not in page and "Éloïse Dupré habló" not in page
    assert "ent_person_eloise-dupre" not in page


def test_audit_report_in_small_pieces_holds_the_same_data(tiny_report: Path, tmp_path: Path) -> None:
    whole = report_data(tiny_report)
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS))
    paged = report_data(audit.write_report(out, TINY_PAGING))
    head = paged["head"]
    assert head["starts"]["entities"] == [0, 2, 4] and head["starts"]["mentions"] == [0, 2, 4, 6, 8]
    assert head["starts"]["entity-ids"] == sorted(head["starts"]["entity-ids"])
    assert len(head["starts"]["texts"]) > 2  # cut by size: each piece holds at least one article
    for kind in ("entities", "mentions", "articles", "texts"):
        assert paged[kind] == whole[kind], kind


def test_audit_report_rewritten_drops_the_old_pieces(tmp_path: Path) -> None:
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS))
    old = report_head(audit.write_report(out).read_text(encoding="utf-8"))["dir"]
    out = write_tables(out, tiny_rows(ARTICLES, MENTIONS[:-1]))
    new = report_head(audit.write_report(out).read_text(encoding="utf-8"))["dir"]
    assert new != old
    assert sorted(p.name for p in (out / "audit").iterdir()) == sorted([new, "index.html"])


def test_audit_report_with_no_mentions(tmp_path: Path) -> None:
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, []))
    data = report_data(audit.write_report(out))
    assert data["mentions"] == {} and data["head"]["mentions"]["n"] == 0


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
    report = audit.write_report(out)
    page = report.read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index('<section id="entities"')]
    assert summary.count("<li><b>too_short</b>") == MAX_LISTED - 1  # art_de (unsupported) is listed first
    assert "<li>… and 2 more articles (see the Articles tab)</li>" in summary
    assert len(report_data(report)["articles"]["id"]) == len(ARTICLES) + MAX_LISTED


def test_audit_report_names_untitled_articles_by_file_and_first_line(tmp_path: Path) -> None:
    """Plain paragraphs have no bullet title: the report shows the file and first line, and every path."""
    rows = tiny_rows(ARTICLES, MENTIONS)
    rows["articles"][2]["title"] = None  # art_es
    report = audit.write_report(write_tables(tmp_path / "out", rows))
    data = report_data(report)
    first_line = "Amnistía Internacional denunció a México. Éloïse Dupré habló."
    assert data["articles"]["label"][2] == f"tiny.txt — {first_line}"
    assert data["articles"]["path"] == ["corpus/tiny.txt"] * len(ARTICLES)
    page = report.read_text(encoding="utf-8")
    listed = "<b>too_short</b> <span>tiny.txt — Short text.</span> (undetected, <code>corpus/tiny.txt</code>"
    assert listed in page  # the summary's list of articles that are not ok


def test_audit_report_lists_stage_times_in_run_order(tmp_path: Path) -> None:
    seconds = {"cache": 0.1, "ingest": 0.2, "langid": 0.3, "merge_and_publish": 0.4, "ner": 0.5,
               "resolve": 0.6, "split": 0.7, "total": 3.0, "write": 0.8, "zeta": 0.9}
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS), {**MANIFEST, "seconds": seconds})
    page = audit.write_report(out).read_text(encoding="utf-8")
    assert ("<th scope=\"row\">seconds</th><td>ingest 0.2, split 0.7, langid 0.3, cache 0.1, ner 0.5, "
            "resolve 0.6, write 0.8, merge_and_publish 0.4, zeta 0.9, total 3.0</td>") in page


def test_audit_report_that_cannot_be_written_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = write_tables(tmp_path / "out", tiny_rows(ARTICLES, MENTIONS))
    before = _files(audit.write_report(out).parent)
    out = write_tables(out, tiny_rows(ARTICLES, MENTIONS[:-1]))
    real_write_text, written = Path.write_text, []

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        if len(written) == 3:  # the fourth piece finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        written.append(self)
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OutputError, match=r"cannot write the audit report in .*: No space left on device"):
        audit.write_report(out, TINY_PAGING)
    assert _files(out / "audit") == before  # the previous report, whole; no half-written pieces


def test_audit_report_summary_says_none_instead_of_an_empty_table(tmp_path: Path) -> None:
    """A run that found nothing (a German page only) showed the column headers over no rows."""
    rows = {**tiny_rows(ARTICLES, []), "entities": []}
    report = audit.write_report(write_tables(tmp_path / "out", rows))
    page = report.read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index('<section id="entities"')]
    start = summary.index("<h2>Entities and mentions by type</h2>")
    by_type = summary[start:summary.index("<h2>Consistency")]
    assert "None in this run." in by_type and "<table" not in by_type
    assert '<table class="grid"><thead><tr>' in summary  # documents and articles still have theirs
