"""Consistency of the four tables with each other, checked before they are published.

Each table is validated on its own against `schema.py`; what one table says
about another (an article tiles its document's text, a mention slices its
article and names an entity, the counts agree) is checked here, in one
streaming pass, so that memory does not grow with the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import OutputError

BATCH_ROWS = 1024


def _rows(path: Path, columns: list[str], batch_rows: int) -> Iterator[dict[str, Any]]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
        yield from batch.to_pylist()


def _disagreement(problem: str) -> OutputError:
    return OutputError(f"tables disagree: {problem}")


def check_consistency(folder: Path, batch_rows: int = BATCH_ROWS) -> None:
    """Check the four tables in `folder` against each other; OutputError if they disagree.

    One streaming pass over documents, articles and mentions (`batch_rows` of
    each in memory, plus the set of entity ids).  It relies on the order the writer
    guarantees: articles grouped by document in document order, mentions
    grouped by article in article order; a row out of that order is reported
    as referring to nothing.  Checked: each document's articles are numbered
    from 0, start after the header, follow each other without gap and end at
    the boilerplate (or the text's end), and their count is `n_articles`; each
    mention has its article's document and language, its offsets, text and
    sentence slice the article's text, its entity exists, and each article's
    `n_mentions` counts them.
    """
    entity_ids = {row["entity_id"] for row in _rows(folder / "entities.parquet", ["entity_id"], batch_rows)}
    documents = _rows(
        folder / "documents.parquet", ["doc_id", "n_chars", "header", "n_articles", "boilerplate_start"],
        batch_rows,
    )
    mentions = _rows(
        folder / "mentions.parquet",
        ["mention_id", "article_id", "doc_id", "entity_id", "lang", "text", "start", "end",
         "sentence", "sentence_start"],
        batch_rows,
    )
    article_columns = ["article_id", "doc_id", "seq", "start", "end", "text", "lang", "n_mentions"]
    doc: dict[str, Any] | None = None
    mention = next(mentions, None)
    seq = position = 0
    for article in _rows(folder / "articles.parquet", article_columns, batch_rows):
        if doc is None or article["doc_id"] != doc["doc_id"]:
            _check_document_end(doc, seq, position)
            doc = _document_of(article, documents)
            seq, position = 0, len(doc["header"])
        _check_follows_on(article, doc, seq, position)
        seq, position = seq + 1, article["end"]
        mention = _check_mentions_of(article, mention, mentions, entity_ids)
    _check_document_end(doc, seq, position)
    for rest in documents:
        _check_document_end(rest, 0, 0)
    if mention is not None:
        raise _disagreement(f"mention {mention['mention_id']} refers to no article (or is out of order)")


def _document_of(article: dict[str, Any], documents: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """The next document, which must be the article's; documents without articles on the way are checked."""
    for doc in documents:
        if doc["doc_id"] == article["doc_id"]:
            return doc
        _check_document_end(doc, 0, 0)
    raise _disagreement(f"article {article['article_id']} refers to no document (or is out of order)")


def _check_follows_on(article: dict[str, Any], doc: dict[str, Any], seq: int, position: int) -> None:
    if article["seq"] != seq or article["start"] != position or article["end"] > doc["n_chars"]:
        raise _disagreement(
            f"article {article['article_id']} (seq {article['seq']}, {article['start']}:"
            f"{article['end']}) does not follow on in document {doc['doc_id']} "
            f"(expected seq {seq} at {position}, text of {doc['n_chars']} chars)"
        )


def _check_mentions_of(
    article: dict[str, Any], mention: dict[str, Any] | None, mentions: Iterator[dict[str, Any]],
    entity_ids: set[str],
) -> dict[str, Any] | None:
    """Check the article's mentions, from `mention` on; the first mention of a later article."""
    count = 0
    while mention is not None and mention["article_id"] == article["article_id"]:
        _check_mention(mention, article, entity_ids)
        count += 1
        mention = next(mentions, None)
    if count != article["n_mentions"]:
        raise _disagreement(
            f"article {article['article_id']} has n_mentions {article['n_mentions']} "
            f"but {count} mentions follow it"
        )
    return mention


def _check_document_end(doc: dict[str, Any] | None, n_articles: int, end: int) -> None:
    if doc is None:
        return
    if n_articles != doc["n_articles"]:
        raise _disagreement(
            f"document {doc['doc_id']} has n_articles {doc['n_articles']} but {n_articles} rows"
        )
    expected = doc["boilerplate_start"] if doc["boilerplate_start"] is not None else doc["n_chars"]
    if n_articles and end != expected:
        raise _disagreement(f"document {doc['doc_id']}: its last article ends at {end}, not at {expected}")


def _check_mention(mention: dict[str, Any], article: dict[str, Any], entity_ids: set[str]) -> None:
    text, ident = article["text"], mention["mention_id"]
    if mention["doc_id"] != article["doc_id"] or mention["lang"] != article["lang"]:
        raise _disagreement(f"mention {ident} has another document or language than its article")
    if not 0 <= mention["start"] <= mention["end"] <= len(text):
        raise _disagreement(
            f"mention {ident} offsets {mention['start']}:{mention['end']} are outside "
            f"its article's {len(text)} characters"
        )
    if text[mention["start"] : mention["end"]] != mention["text"]:
        raise _disagreement(f"mention {ident} text is not article.text[start:end]")
    sentence_start = mention["sentence_start"]
    if text[sentence_start : sentence_start + len(mention["sentence"])] != mention["sentence"]:
        raise _disagreement(f"mention {ident} sentence is not a slice of its article's text")
    if mention["entity_id"] not in entity_ids:
        raise _disagreement(f"mention {ident} refers to entity {mention['entity_id']}, not in entities")
