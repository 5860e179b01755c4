"""The Python API on the sample page, in one process, against `python -m pipeline run` (issue 21).

`extract` gives the command line's four tables, ids included, and `Tables.write`
its files byte for byte; a second `extract` reuses the loaded models; the
civic components work in a plain `spacy.load` pipeline; displaCy draws our types
in the audit report's colours.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import spacy
from spacy import displacy

from pipeline import Config, Tables, extract
from pipeline.config import PROJECT_ROOT
from pipeline.schema import TABLES
from pipeline.stages.ner.recognise import load_recogniser
from pipeline.tools.audit.palette import TYPE_COLORS

from ..conftest import SAMPLE

pytestmark = pytest.mark.slow

# Written for this test: a page-less paragraph, as a notebook user would paste it.
PARAGRAPH = (
    "Access Now and Amnesty International asked Kenya to repeal the Computer Misuse and "
    "Cybercrimes Act, which lawyer Esther Wanjiru says breaches the African Charter on "
    "Human and Peoples' Rights."
)


def _command_line_run(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(out), "--processes", "1",
         "--no-cache", "-q"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _law_and_country_mentions(tables: Tables, lang: str) -> set[tuple[str, str, str]]:
    m = tables.mentions
    found = m[(m["lang"] == lang) & m["type"].isin(["LAW", "COUNTRY"])]
    return set(zip(found["article_id"], found["type"], found["text"], strict=True))


def _plain_spacy_finds(tables: Tables, lang: str) -> set[tuple[str, str, str]]:
    """What a user's own `spacy.load` pipeline with our two components finds in the sample's articles."""
    nlp = spacy.load(Config().models[lang])
    nlp.add_pipe("civic_rules")
    nlp.add_pipe("civic_decision")
    articles = tables.articles[tables.articles["lang"] == lang]
    found = set()
    for article_id, text in zip(articles["article_id"], articles["text"], strict=True):
        doc = nlp(text)
        assert {e.label_ for e in doc.ents} <= {"PERSON", "ORG", "COUNTRY", "LAW", "LOCATION"}
        assert set(doc.ents) <= set(doc.spans["civic"])
        chosen = doc.spans["civic"]
        found |= {(article_id, s.label_, s.text) for s in chosen if s.label_ in ("LAW", "COUNTRY")}
    return found


def _drawn_in(html: str, label: str) -> bool:
    """True when displaCy drew a `label` entity in its colour from TYPE_COLORS."""
    colour = re.escape(TYPE_COLORS[label])
    return re.search(rf"background: {colour};[^>]*>[^<]*<span[^>]*>{label}\b", html) is not None


def test_api_end_to_end_on_the_sample_page(tmp_path: Path, measured: Callable[[str], None]) -> None:
    started = time.perf_counter()
    _command_line_run(tmp_path / "cli")
    cli_seconds = time.perf_counter() - started

    started = time.perf_counter()
    tables = extract(SAMPLE)
    first_seconds = time.perf_counter() - started
    for name in TABLES:
        written = pd.read_parquet(tmp_path / "cli" / f"{name}.parquet")
        pd.testing.assert_frame_equal(getattr(tables, name), written)
    tables.write(tmp_path / "api")
    for name in TABLES:
        assert _sha256(tmp_path / "api" / f"{name}.parquet") == _sha256(tmp_path / "cli" / f"{name}.parquet")

    loads = load_recogniser.cache_info().misses
    started = time.perf_counter()
    paragraph = extract(PARAGRAPH)
    second_seconds = time.perf_counter() - started
    assert load_recogniser.cache_info().misses == loads  # no model loaded again
    assert {"Kenya", "Computer Misuse and Cybercrimes Act"} <= set(paragraph.mentions["text"])
    measured(
        f"api: extract of the sample page {first_seconds:.1f}s (models loaded; the command line in its "
        f"own process: {cli_seconds:.1f}s); second extract, one paragraph: {second_seconds:.2f}s"
    )

    for lang in ("en", "fr"):
        ours = _law_and_country_mentions(tables, lang)
        theirs = _plain_spacy_finds(tables, lang)
        assert {t for _, t, _ in theirs} == {"LAW", "COUNTRY"}
        # Without scrape repair a few names differ ('l‘Union' stays unrepaired).
        assert len(ours & theirs) >= 0.9 * len(ours), sorted(ours - theirs)

    nlp = spacy.load(Config().models["en"])
    nlp.add_pipe("civic_rules")
    nlp.add_pipe("civic_decision")
    html = displacy.render(nlp(PARAGRAPH), style="ent", jupyter=False)
    assert _drawn_in(html, "COUNTRY") and _drawn_in(html, "LAW")
    manual = displacy.render(tables.to_displacy(), style="ent", manual=True, jupyter=False)
    assert all(_drawn_in(manual, label) for label in ("PERSON", "ORG", "COUNTRY", "LAW"))


FRENCH_PARAGRAPH = (
    "Le Sénégal a adopté une loi sur la cybersécurité que critiquent Amnesty International et "
    "la Ligue sénégalaise des droits humains, selon l'avocate Aminata Diallo."
)
# A script as a newcomer writes it: no `if __name__ == "__main__":`, worker processes asked for.
UNGUARDED_SCRIPT = f"""
from pipeline import extract

print("top level", flush=True)
tables = extract([{PARAGRAPH!r}, {FRENCH_PARAGRAPH!r}], processes=2)
print(sorted(tables.articles["status"]), sorted(set(tables.mentions["type"]) - {{"LOCATION"}}), flush=True)
"""


@pytest.mark.parametrize("how", ["script file", "standard input, as a REPL"])
def test_api_extract_with_processes_in_a_script_without_main_guard(how: str, tmp_path: Path) -> None:
    """Issue 21: `extract(texts, processes=2)` from a plain script or the REPL runs once, in two
    workers, without the workers running the script again (which made them start workers of
    their own: tracebacks, and every article failed)."""
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    argv = [sys.executable, str(script) if how == "script file" else "-"]
    with open(script, encoding="utf-8") as source:
        done = subprocess.run(argv, stdin=source, capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "top level\n['ok', 'ok'] ['COUNTRY', 'LAW', 'ORG', 'PERSON']\n"
