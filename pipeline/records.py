"""Records that flow between stages: ingest → split → langid → ner → resolve → entities → write.

Each stage takes and returns these small dataclasses; only the writer turns them
into table rows (see `schema.py`).  Ids are content hashes (`stable_id`), never run order.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field


def stable_id(prefix: str, *parts: object) -> str:
    """A short id derived from content only, so the same input gives the same id.

    A file name that is not valid UTF-8 reaches Python with its bad bytes as
    lone surrogates; `surrogateescape` hashes those original bytes back.
    """
    digest = hashlib.blake2b(digest_size=8)
    for index, part in enumerate(parts):  # part by part: no copy of a long text
        if index:
            digest.update(b"\x1f")
        digest.update(str(part).encode("utf-8", "surrogateescape"))
    return f"{prefix}_{digest.hexdigest()}"


def entity_id(type_: str, key: str) -> str:
    """An entity's id: a hash of its type and final key only."""
    return stable_id("ent", type_, key)


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as text: bytes that are not UTF-8 shown as U+FFFD (see `raw_path_hex`)."""
    return os.fsencode(path).decode("utf-8", "replace")


def raw_path_hex(path: str | os.PathLike[str]) -> str | None:
    """Hex of the path's bytes when they are not valid UTF-8 (so `display_path` loses
    them), else None."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return None


@dataclass
class Document:
    """One input file, decoded (ingest) and split into articles (split)."""

    doc_id: str
    path: str  # display_path: always valid text
    status: str
    text: str = ""
    sha256: str | None = None
    encoding: str | None = None
    message: str | None = None
    tag: str | None = None
    header: str = ""
    boilerplate: str | None = None
    boilerplate_start: int | None = None
    boilerplate_lang: str | None = None
    n_articles: int = 0
    path_hex: str | None = None  # raw_path_hex: the name's bytes when not UTF-8


@dataclass
class Article:
    """A span of a document's text with its title, language and processing status."""

    article_id: str
    doc_id: str
    seq: int
    start: int
    end: int
    text: str
    title: str | None
    status: str = "ok"
    error: str | None = None
    lang: str | None = None
    lang_score: float | None = None
    repaired_text: str | None = None
    n_repairs: int = 0
    n_tokens: int = 0
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Mention:
    """A typed span of an article's text, with the model or rule that produced it."""

    start: int
    end: int
    text: str
    type: str
    label: str | None
    source: str
    sentence_start: int
    sentence: str
    key: str = ""
    name: str = ""
    resolution: str = "fingerprint"
    registry_source: str | None = None
    curated: bool = False
    # The long form an in-text acronym was defined with ('Open Government
    # Partnership' for 'OGP'), when that long form has no registry or ISO key.
    long_form: str | None = None


@dataclass
class Entity:
    """One real-world thing of the run: its final key, its name and what its mentions show."""

    entity_id: str
    type: str
    name: str
    key: str
    aliases: list[str]  # most frequent first
    alias_counts: list[int]
    n_mentions: int
    n_articles: int
    langs: list[str]
    resolution: str
    registry_source: str | None
    curated: bool
    doubt: float = 0.0
    doubt_reasons: list[str] = field(default_factory=list)
