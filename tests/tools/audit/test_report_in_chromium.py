"""The audit report in headless Chromium: the entity index, entity and article views, the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tools import audit
from pipeline.tools.bench.chromium import Chromium

from ..chromium import fill, texts
from .tiny import ARTICLES, ENTITIES, MENTIONS, entity_id, tiny_rows, write_tables


@pytest.mark.browser
def test_audit_report_in_chromium(tiny_report: Path, browser: Chromium, tmp_path: Path) -> None:
    browser.open(tiny_report.as_uri() + "#/entities")

    # The index lists every entity.
    names = texts(browser, "#entities tbody tr td:nth-child(2)")
    assert sorted(names) == sorted(name for name, _ in ENTITIES.values())

    # Filtering by type and language, searching and sorting, through the form as a person would.
    fill(browser, "#entities select[name=type]", "COUNTRY", "change")
    assert sorted(texts(browser, "#entities tbody tr td:nth-child(1)")) == ["COUNTRY", "COUNTRY"]
    assert "type=COUNTRY" in browser.evaluate("location.hash")  # kept in the URL, so Back restores it
    fill(browser, "#entities select[name=type]", "", "change")
    fill(browser, "#entities select[name=lang]", "es", "change")
    assert texts(browser, "#entities tbody tr td:nth-child(2)") == ["Amnesty International", "Mexico",
                                                                     "Éloïse Dupré"]
    fill(browser, "#entities select[name=lang]", "", "change")
    fill(browser, "#entities input[name=q]", "amnistia", "input")
    assert texts(browser, "#entities tbody tr td:nth-child(2)") == ["Amnesty International"]
    fill(browser, "#entities input[name=q]", "", "input")
    browser.evaluate("document.querySelector('#entities th[data-key=name] button').click()")
    assert texts(browser, "#entities tbody tr td:nth-child(2)") == [  # accents sort with their letter
        "Amnesty International", "Commission nationale de l’informatique et des libertés", "Éloïse Dupré",
        "Georgia", "Georgia", "Mexico"]

    # An entity's mentions, highlighted in their sentence (after an emoji: code point offsets).
    browser.evaluate("""[...document.querySelectorAll('#entities tbody a')]
        .find(a => a.textContent === 'Éloïse Dupré').click()""")
    browser.wait_for("!document.getElementById('entity').hidden")
    assert texts(browser, "#entity li.mention mark") == ["Éloïse Dupré", "Éloïse Dupré"]
    contexts = texts(browser, "#entity li.mention .context")
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


HOSTILE_NAME = (
    '<img src=x onerror=alert(1)> "Q" l\'ONU C:\\dir \u2028\n# injected\nreject:\n  - {type: ORG, key: pwned}'
)
HOSTILE_KEY = 'evil"key\n- {x: 1}'


@pytest.mark.browser
def test_audit_report_exports_hostile_names_as_data(tmp_path: Path, browser: Chromium) -> None:
    """Names and keys are hostile input: the panel shows them as text and the export quotes them."""
    from pipeline.knowledge.curation import load_curation

    rows = tiny_rows(ARTICLES, MENTIONS)
    person = next(e for e in rows["entities"] if e["type"] == "PERSON")
    person["name"], person["key"] = HOSTILE_NAME, HOSTILE_KEY
    out = write_tables(tmp_path / "out", rows)
    browser.open(audit.write_report(out).as_uri() + f"#/entity/{person['entity_id']}")
    browser.wait_for("!!document.querySelector('#entity [data-action=reject]')")
    # Quotes, backslashes and line separators survive the data files' quoting exactly.
    heading = browser.evaluate("document.querySelector('#entity h2').firstChild.textContent")
    assert heading == HOSTILE_NAME + " "
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


@pytest.mark.browser
def test_audit_report_lists_untitled_articles_by_file(tmp_path: Path, browser: Chromium) -> None:
    rows = tiny_rows(ARTICLES, MENTIONS)
    rows["articles"][2]["title"] = None  # art_es, as from a file of plain paragraphs
    browser.open(audit.write_report(write_tables(tmp_path / "out", rows)).as_uri() + "#/articles")
    titles = texts(browser, "#articles tbody td:nth-child(2)")
    assert titles[2] == "tiny.txt — Amnistía Internacional denunció a México. Éloïse Dupré habló."
    assert texts(browser, "#articles thead th:nth-child(3)") == ["Document"]
    assert set(texts(browser, "#articles tbody td:nth-child(3)")) == {"corpus/tiny.txt"}
    fill(browser, "#articles input[name=q]", "tiny.txt", "input")  # the file name finds its articles
    assert len(texts(browser, "#articles tbody tr")) == len(ARTICLES)

    # An entity's page names each mention's article the same way, with its document.
    browser.evaluate(f"location.hash = '#/entity/{entity_id('ORG', 'amnesty-international')}'")
    browser.wait_for("document.querySelectorAll('#entity li.mention').length === 2")
    metas = texts(browser, "#entity li.mention .meta")
    assert metas[0].startswith("Surveillance <b>report</b> · corpus/tiny.txt · en")
    assert metas[1].startswith(titles[2] + " · corpus/tiny.txt · es")
    assert browser.exceptions == []
