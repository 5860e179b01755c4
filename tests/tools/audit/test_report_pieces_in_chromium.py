"""The report of an archive in headless Chromium: data in pieces, each loaded when a view first needs it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.tools import audit
from pipeline.tools.bench.audit_archive import write_archive
from pipeline.tools.bench.chromium import Chromium

from ..chromium import fill, texts
from .conftest import ARCHIVE_PAGING as PAGING

pytestmark = pytest.mark.browser

PAGE = 100  # rows per page of an index (report.js)


def _pieces_requested(browser: Chromium) -> list[str]:
    browser.evaluate("1")  # reads the events that arrived meanwhile
    return sorted(url.rsplit("/", 1)[1] for url in browser.requested if url.endswith(".js"))


def _count(browser: Chromium) -> str:
    return browser.wait_for(
        "/^[0-9,]+ of /.test(document.querySelector('#entities .count').textContent) "
        "&& document.querySelector('#entities .count').textContent"
    )


def test_audit_report_loads_pieces_as_views_need_them(
    archive: tuple[Path, list[dict]], browser: Chromium
) -> None:
    report, entities = archive
    browser.open(report.as_uri() + "#/entities")
    assert _pieces_requested(browser) == ["entities-0.js"]  # the first page of the review queue
    assert _count(browser) == f"{len(entities):,} of {len(entities):,} entities"
    shown = browser.evaluate(
        "[...document.querySelectorAll('#entities tbody .doubt')].map(d => +d.textContent)"
    )
    assert len(shown) == 100 and shown == sorted(shown, reverse=True)
    assert shown[0] == round(max(e["doubt"] for e in entities), 2)

    # Paging through the review order loads the piece of each page, either way round.
    n, pieces = len(entities), -(-len(entities) // PAGING.entities)
    browser.evaluate("location.hash = '#/entities?page=6'")  # rows 600 to 699: the second piece
    browser.wait_for(
        f"document.querySelector('#entities .pager span').textContent === 'page 7 of {-(-n // PAGE)}'"
    )
    assert _pieces_requested(browser) == ["entities-0.js", "entities-1.js"]
    browser.evaluate(
        "document.querySelector('#entities th[data-key=doubt] button').click()"
    )  # least doubtful first
    browser.wait_for(
        "document.querySelector('#entities th[data-key=doubt]').getAttribute('aria-sort') === "
        "'ascending' && document.querySelectorAll('#entities tbody tr').length === 100"
    )
    last = sorted(
        {f"entities-{(n - 1) // PAGING.entities}.js", f"entities-{(n - PAGE) // PAGING.entities}.js"}
    )
    assert _pieces_requested(browser) == sorted({"entities-0.js", "entities-1.js", *last})
    assert float(texts(browser, "#entities tbody .doubt")[0]) == round(min(e["doubt"] for e in entities), 2)

    # A search, a filter or another order needs every entity: every piece of the index, then the rows.
    lone = next(
        e for e in sorted(entities, key=lambda e: e["key"]) if e["type"] == "LAW" and e["n_mentions"] == 1
    )
    fill(browser, "#entities input[name=q]", lone["key"], "input")
    assert _count(browser) == f"1 of {len(entities):,} entities"
    assert texts(browser, "#entities tbody td:nth-child(2) a") == [lone["name"]]
    assert [p for p in _pieces_requested(browser) if p.startswith("entities-")] == sorted(
        f"entities-{k}.js" for k in range(pieces)
    )
    fill(browser, "#entities input[name=q]", "", "input")
    fill(browser, "#entities select[name=type]", "COUNTRY", "change")
    countries = sum(e["type"] == "COUNTRY" for e in entities)
    assert _count(browser) == f"{countries:,} of {len(entities):,} entities"

    # The most mentioned entity: its first mentions and their articles' rows, then more on demand.
    biggest = max(entities, key=lambda e: (e["n_mentions"], e["entity_id"]))
    browser.evaluate(f"location.hash = '#/entity/{biggest['entity_id']}'")
    browser.wait_for(
        f"document.querySelector('#entity [data-entity]')?.dataset.entity === '{biggest['entity_id']}'"
    )
    assert biggest["n_mentions"] > 200
    assert browser.evaluate("document.querySelectorAll('#entity li.mention').length") == 100
    assert set(texts(browser, "#entity li.mention mark")) <= set(biggest["aliases"])
    requested = _pieces_requested(browser)
    for kind in ("entity-ids-", "mentions-", "articles-"):  # its row by its id, its mentions, their articles
        assert any(p.startswith(kind) for p in requested), kind
    browser.evaluate(
        "[...document.querySelectorAll('#entity button')].find(b => b.textContent.startsWith('show')).click()"
    )
    browser.wait_for("document.querySelectorAll('#entity li.mention').length === 200")

    # A mention's article: the whole text from its piece, the mention brought into view.
    browser.evaluate("document.querySelector('#entity li.mention .meta a').click()")
    browser.wait_for("!document.getElementById('article').hidden")
    article_id = browser.evaluate("document.querySelector('#article dd code').textContent")
    out = report.parent.parent
    article = pq.read_table(out / "articles.parquet").to_pandas().set_index("article_id").loc[article_id]
    assert browser.evaluate("document.querySelector('#article .doc').textContent") == article["text"]
    assert browser.evaluate("document.querySelector('#article mark.focus').textContent") in biggest["aliases"]
    assert any(p.startswith("texts-") for p in _pieces_requested(browser))
    assert browser.exceptions == []


def test_audit_report_picker_loads_the_index_first(
    archive: tuple[Path, list[dict]], browser: Chromium
) -> None:
    """Opened straight on an entity's page, the merge picker loads the whole index, then searches."""
    report, entities = archive
    orgs = sorted((e for e in entities if e["type"] == "ORG"), key=lambda e: e["entity_id"])
    source, target = orgs[0], orgs[-1]
    browser.open(report.as_uri() + f"#/entity/{source['entity_id']}")
    assert sum(p.startswith("entities-") for p in _pieces_requested(browser)) == 1
    fill(browser, "#entity [data-action=merge] input", target["key"], "input")
    browser.wait_for(
        f"!!document.querySelector(\"#entity [data-action=merge] button[data-pick='{target['key']}']\")"
    )
    browser.evaluate(
        f"document.querySelector(\"#entity [data-action=merge] button[data-pick='{target['key']}']\").click()"
    )
    yaml_text = browser.evaluate("document.querySelector('#review pre.yaml').textContent")
    assert f"into: {json.dumps(target['key'])}, keys: [{json.dumps(source['key'])}]" in yaml_text
    assert browser.exceptions == []


def test_audit_report_says_when_its_data_folder_is_missing(tmp_path: Path, browser: Chromium) -> None:
    out = write_archive(tmp_path / "out", 10)
    report = audit.write_report(out)
    copied = tmp_path / "elsewhere.html"
    copied.write_bytes(report.read_bytes())  # the page without its folder of data beside it
    browser.open(copied.as_uri() + "#/entities")
    message = browser.wait_for("document.querySelector('#entities .count .warn')?.textContent")
    assert "did not load: keep index.html and its data-" in message
