"""The hand-written gold files under corpus/eval point at text that is really there.

Each gold set lives in its own folder: a ``*.jsonl`` gold file (GUIDELINES.md format)
beside the page files (``*.txt``, any depth) it annotates.  Gold is matched to
articles by title and to predictions by surface form, so a title that the split
stage does not produce, or an alias that is not in its article, silently turns a
gold entity into an unfindable miss.  These checks read the pages with the split
stage only: no NER runs, so the gold stays independent of the pipeline's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.schema import CORE_TYPES
from pipeline.stages.split import split_text
from pipeline.tools.evaluate.gold import FOOTER_TITLE, GoldArticle, read_gold
from pipeline.tools.evaluate.strings import normalise, title_key

EVAL_DIR = PROJECT_ROOT / "corpus" / "eval"
GOLD_FILES = sorted(EVAL_DIR.rglob("*.jsonl"))


def _page_articles(folder: Path) -> dict[str, list[str]]:
    """Article texts by normalised title, over every page file under `folder`."""
    articles: dict[str, list[str]] = {}
    for page in sorted(folder.rglob("*.txt")):
        text = page.read_text(encoding="utf-8")
        for segment in split_text(text).articles:
            if segment.title is not None:
                articles.setdefault(title_key(segment.title), []).append(text[segment.start : segment.end])
    return articles


def _problems(article: GoldArticle, texts: list[str] | None) -> list[str]:
    where = article.title[:60]
    if texts is None:
        return [f"{where}: no article with this title in the pages"]
    if len(texts) > 1:
        return [f"{where}: {len(texts)} page articles share this title"]
    text = texts[0]
    problems = []
    owner: dict[str, str] = {}
    for entity in article.entities:
        if entity.type not in CORE_TYPES:
            problems.append(f"{where}: {entity.key}: type {entity.type!r} is not one of {CORE_TYPES}")
        if not entity.aliases:
            problems.append(f"{where}: {entity.key}: no aliases")
        for alias in entity.aliases:
            if alias not in text:
                problems.append(f"{where}: {entity.key}: alias {alias!r} is not in the article")
            # One surface for two gold entities would make every prediction of it a false merge.
            other = owner.setdefault(normalise(alias), entity.key)
            if other != entity.key:
                problems.append(f"{where}: alias {alias!r} belongs to both {other} and {entity.key}")
    return problems


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[str(p.relative_to(EVAL_DIR)) for p in GOLD_FILES])
def test_every_gold_alias_occurs_verbatim_in_its_article(gold_path: Path) -> None:
    # A held-out set keeps its pages beside its gold; the dev gold's are the sample corpus.
    own_pages = gold_path.parent / "pages"
    articles = _page_articles(own_pages if own_pages.is_dir() else PROJECT_ROOT / "corpus" / "pages")
    gold = [a for a in read_gold(gold_path) if a.title != FOOTER_TITLE]
    titles = [title_key(a.title) for a in gold]
    assert len(set(titles)) == len(titles), "two gold articles share a title"
    problems = [p for a in gold for p in _problems(a, articles.get(title_key(a.title)))]
    assert not problems, "\n".join(problems)


def test_the_held_out_set_is_checked() -> None:
    assert EVAL_DIR / "heldout" / "gold.jsonl" in GOLD_FILES


def test_a_misplaced_alias_is_reported(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"title": "T", "lang": "en", "entities": ['
        '{"type": "ORG", "key": "a", "name": "Acme", "aliases": ["Acme"]}, '
        '{"type": "ORG", "key": "b", "name": "Acme Ltd", "aliases": ["ACME", "Bolt"]}]}\n',
        encoding="utf-8",
    )
    (article,) = read_gold(gold)
    assert _problems(article, ["  • T\n    Acme sued ACME.\n"]) == [
        "T: alias 'ACME' belongs to both a and b",
        "T: b: alias 'Bolt' is not in the article",
    ]
    assert _problems(article, None) == ["T: no article with this title in the pages"]
