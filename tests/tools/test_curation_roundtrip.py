"""The audit loop end to end in headless Chromium: decide in the real report, export, apply, rerun.

Runs the pipeline on the sample page, opens its audit report from file://,
rejects one entity, merges two, detaches one mention (all by clicking), downloads
the export, merges it with `curate apply` into a curation file outside the
repository (`--config`), reruns from the cache, and checks the new tables
changed exactly as decided and nothing else did.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli_main
from pipeline.config import MODELS_DIR
from pipeline.tools.bench.chromium import CHROMIUM, Chromium

from ..conftest import SAMPLE
from .chromium import fill

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _entities(out: Path) -> dict[str, dict[str, Any]]:
    return {e["entity_id"]: e for e in pq.read_table(out / "entities.parquet").to_pylist()}


def _click(browser: Chromium, selector: str) -> None:
    browser.wait_for(f"!!document.querySelector({selector!r})")
    browser.evaluate(f"document.querySelector({selector!r}).click()")


def _open_entity(browser: Chromium, entity_id: str) -> None:
    browser.evaluate(f"location.hash = '#/entity/{entity_id}'")
    browser.wait_for(f"document.querySelector('#entity [data-entity]')?.dataset.entity === '{entity_id}'")


def test_curation_round_trip_in_chromium(tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    corpus, out, downloads = tmp_path / "corpus", tmp_path / "out", tmp_path / "downloads"
    corpus.mkdir()
    downloads.mkdir()
    shutil.copy(SAMPLE, corpus)
    curation = tmp_path / "elsewhere" / "curation.yaml"
    curation.parent.mkdir()
    shutil.copy(MODELS_DIR / "curation.yaml", curation)
    original = curation.read_text(encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'curation = "{curation}"\nprocesses = 1\n', encoding="utf-8")
    run = ["run", str(corpus), "--out", str(out), "--config", str(config), "-q"]
    assert cli_main(run) == 0
    assert cli_main(["audit", "--out", str(out)]) == 0
    before = _entities(out)

    # Pick by the tables' content: the most doubtful ORG to reject, two other
    # model-found ORGs to merge, and a mention of a PERSON with several mentions to detach.
    orgs = sorted((e for e in before.values() if e["type"] == "ORG" and e["resolution"] == "fingerprint"),
                  key=lambda e: (-e["doubt"], e["entity_id"]))
    rejected, merged, kept = orgs[0], orgs[1], orgs[2]
    person = next(e for e in sorted(before.values(), key=lambda e: e["entity_id"])
                  if e["type"] == "PERSON" and e["n_mentions"] >= 2)

    browser = Chromium(CHROMIUM, tmp_path / "profile")
    try:
        browser.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        browser.open((out / "audit" / "index.html").as_uri() + "#/entities")
        # The index opens as the review queue: the most doubtful first.
        first = browser.evaluate("document.querySelector('#entities tbody tr .doubt').textContent")
        assert first == f"{max(e['doubt'] for e in before.values()):.2f}"

        _open_entity(browser, rejected["entity_id"])
        _click(browser, "#entity [data-action=reject]")
        assert "reject pending" in browser.evaluate("document.querySelector('#entity h2').textContent")

        _open_entity(browser, merged["entity_id"])
        fill(browser, "#entity [data-action=merge] input", kept["name"], "input")
        _click(browser, f"#entity [data-action=merge] button[data-pick='{kept['key']}']")

        _open_entity(browser, person["entity_id"])
        detached = browser.evaluate("document.querySelector('#entity li.mention').dataset.mention")
        _click(browser, "#entity li.mention [data-action=detach]")
        _click(browser, "#entity li.mention [data-action=detach-drop]")

        decisions = "[...document.querySelectorAll('#review li')].map(li => li.dataset.decision)"
        assert browser.evaluate(decisions) == ["reject", "merge", "detach"]
        # A decision can be undone, and made again.
        _click(browser, "#review li:last-child [data-action=undo]")
        assert browser.evaluate("document.querySelectorAll('#review li').length") == 2
        _click(browser, "#entity li.mention [data-action=detach-drop]")
        # Pending decisions survive a reload (localStorage, keyed by the run).
        browser.open((out / "audit" / "index.html").as_uri() + "#/entities")
        assert browser.evaluate("document.querySelectorAll('#review li').length") == 3
        _click(browser, "#review [data-action=export]")
        deadline = time.monotonic() + 20
        while not (files := list(downloads.glob("*.yaml"))) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert browser.exceptions == []
    finally:
        browser.close()
    (export,) = files
    text = export.read_text(encoding="utf-8")
    assert f"reject “{rejected['name']}”" in text  # the comment names the entity and its counts

    assert cli_main(["curate", "apply", str(export), "--config", str(config), "--out", str(out)]) == 0
    assert cli_main(run) == 0
    after = _entities(out)

    expected = {ident: e["n_mentions"] for ident, e in before.items()}
    del expected[rejected["entity_id"]]
    expected[kept["entity_id"]] += expected.pop(merged["entity_id"])
    expected[person["entity_id"]] -= 1
    assert {ident: e["n_mentions"] for ident, e in after.items()} == expected
    assert after[kept["entity_id"]]["curated"] and after[person["entity_id"]]["curated"]
    mention_ids = set(pq.read_table(out / "mentions.parquet", columns=["mention_id"]).column(0).to_pylist())
    assert detached not in mention_ids
    manifest = (out / "run.json").read_text(encoding="utf-8")
    assert '"hits": 11' in manifest  # the rerun took every article from the cache: no NER

    # The cache holds results from before curation: without the decisions, the tables come back.
    curation.write_text(original, encoding="utf-8")
    assert cli_main(run) == 0
    assert {i: e["n_mentions"] for i, e in _entities(out).items()} == {
        i: e["n_mentions"] for i, e in before.items()}
