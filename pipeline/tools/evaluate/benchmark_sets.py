"""The public NER benchmark sets: where each file is, and how its token tags become character spans.

IOB decoding is spaCy's (`spacy.training.iob_to_biluo`, then
`biluo_tags_to_offsets` on a Doc of the tokens joined by single spaces).
spaCy is imported when a set is read, not when the command line builds its help.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.vocab import Vocab

# A character span labelled with a benchmark type (PER, ORG, LOC, MISC, …).
Span = tuple[int, int, str]


@dataclass(frozen=True)
class BenchSentence:
    """Tokens joined by single spaces; `spans` are gold character spans (all types)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]
    spans: tuple[Span, ...]


@lru_cache(maxsize=1)
def _vocab() -> Vocab:
    from spacy.vocab import Vocab

    return Vocab()


def _check_iob(tags: Sequence[str]) -> None:
    """spaCy reads any ``X-TYPE`` tag as IOB; only O, B-X and I-X are accepted here."""
    for tag in tags:
        if tag != "O" and not (len(tag) > 2 and tag[1] == "-" and tag[0] in "BI"):
            raise ValueError(f"unsupported tag {tag!r} (expected O, B-X or I-X)")


def make_sentence(tokens: Sequence[str], tags: Sequence[str]) -> BenchSentence:
    """Join tokens with single spaces and turn IOB1 or IOB2 token tags into character spans.

    Decoded the way conlleval counts: ``B-X`` always starts an entity, ``I-X``
    continues one only if the previous tag has type X and otherwise starts one.
    That reads IOB2 (stray ``I-`` after ``O`` included) and IOB1 (entities start
    with ``I-``; ``B-`` only separates two adjacent entities of one type) alike.
    """
    from spacy.tokens import Doc
    from spacy.training import biluo_tags_to_offsets, iob_to_biluo

    _check_iob(tags)
    doc = Doc(_vocab(), words=list(tokens), spaces=[True] * (len(tokens) - 1) + [False] * bool(tokens))
    offsets = tuple((token.idx, token.idx + len(token)) for token in doc)
    offsets_labels = biluo_tags_to_offsets(doc, iob_to_biluo(tags))
    spans = tuple((start, end, str(label)) for start, end, label in offsets_labels)
    return BenchSentence(tuple(tokens), tuple(tags), doc.text, offsets, spans)


def _read_blocks(
    path: Path,
    split: Callable[[str], list[str]],
    token_col: int,
    tag_col: int,
    comments: bool = False,
    docstart: bool = False,
) -> list[BenchSentence]:
    sentences: list[BenchSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(make_sentence(tokens, tags))
        tokens.clear()
        tags.clear()

    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if comments and line.startswith("#"):
                continue
            cols = split(line)
            if docstart and cols[0] == "-DOCSTART-":
                flush()
                continue
            if len(cols) <= max(token_col, tag_col):
                raise ValueError(f"{path}:{number}: expected more columns in {line!r}")
            tokens.append(cols[token_col])
            tags.append(cols[tag_col])
    flush()
    return sentences


def read_wikineural(path: str | Path) -> list[BenchSentence]:
    """WikiNEuRal ``test.conllu``: ``index<TAB>token<TAB>tag``, IOB2, no comments."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 1, 2)


def read_uner(path: str | Path) -> list[BenchSentence]:
    """Universal NER ``.iob2``: ``#`` comment lines, then ``index token tag - annotator``."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 1, 2, comments=True)


def read_wikigold(path: str | Path) -> list[BenchSentence]:
    """WikiGold: ``token tag`` separated by one space, IOB1, ``-DOCSTART-`` blocks skipped."""
    return _read_blocks(Path(path), lambda s: s.rsplit(" ", 1), 0, 1, docstart=True)


def read_btc(path: str | Path) -> list[BenchSentence]:
    """Broad Twitter Corpus CoNLL: ``token<TAB>tag``, IOB2.  Tokens may start with ``#``."""
    return _read_blocks(Path(path), lambda s: s.split("\t"), 0, 1)


@dataclass(frozen=True)
class BenchmarkSpec:
    path: str
    lang: str
    reader: Callable[[str | Path], list[BenchSentence]]
    note: str = ""


BENCHMARKS: dict[str, BenchmarkSpec] = {
    "wikineural_en": BenchmarkSpec("wikineural/en/test.conllu", "en", read_wikineural, "silver"),
    "wikineural_fr": BenchmarkSpec("wikineural/fr/test.conllu", "fr", read_wikineural, "silver"),
    "wikineural_es": BenchmarkSpec("wikineural/es/test.conllu", "es", read_wikineural, "silver"),
    "uner_pud": BenchmarkSpec("uner_en/pud/en_pud-ud-test.iob2", "en", read_uner, "news+wiki"),
    "uner_ewt": BenchmarkSpec("uner_en/ewt/en_ewt-ud-test.iob2", "en", read_uner, "web"),
    "wikigold": BenchmarkSpec("wikigold_en/wikigold.conll.txt", "en", read_wikigold, "wiki"),
    "btc_g": BenchmarkSpec("btc_en/g.conll", "en", read_btc, "tweets"),
}
