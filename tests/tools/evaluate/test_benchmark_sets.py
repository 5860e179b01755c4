"""pipeline.tools.evaluate.benchmark_sets: IOB tags to character spans, and each set's reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tools.evaluate.benchmark_sets import (
    make_sentence,
    read_btc,
    read_uner,
    read_wikigold,
    read_wikineural,
)


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "I-ORG", "B-ORG", "O"], [(0, 2, "ORG"), (2, 3, "ORG")]),  # IOB1
        (["O", "I-MISC", "I-MISC"], [(1, 3, "MISC")]),  # stray I- after O starts one
        (["B-PER", "I-ORG"], [(0, 1, "PER"), (1, 2, "ORG")]),  # type change starts one
        (["B-LOC", "B-LOC"], [(0, 1, "LOC"), (1, 2, "LOC")]),
        ([], []),
    ],
)
def test_iob_decoding_as_conlleval_counts(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    """Token spans (start, end exclusive) of one-letter tokens: character span (2a, 2b - 1)."""
    sentence = make_sentence(["x"] * len(tags), tags)
    assert [(a // 2, (b + 1) // 2, type_) for a, b, type_ in sentence.spans] == spans


@pytest.mark.parametrize("tag", ["S-PER", "L-ORG", "U-LOC", "B-", "X"])
def test_iob_decoding_rejects_other_tags(tag: str) -> None:
    with pytest.raises(ValueError, match="unsupported tag"):
        make_sentence(["x"], [tag])


def test_make_sentence_char_spans() -> None:
    sentence = make_sentence(
        ["Ann", "Lee", "visited", "New", "York", "."],
        ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"],
    )
    assert sentence.text == "Ann Lee visited New York ."
    assert sentence.spans == ((0, 7, "PER"), (16, 24, "LOC"))
    assert [sentence.text[a:b] for a, b, _ in sentence.spans] == ["Ann Lee", "New York"]


def test_read_wikineural(tmp_path: Path) -> None:
    path = tmp_path / "test.conllu"
    path.write_text("0\tAnn\tB-PER\n1\tsang\tO\n2\t.\tO\n\n0\tIn\tO\n1\tOslo\tI-LOC\n\n", encoding="utf-8")
    sentences = read_wikineural(path)
    assert [s.text for s in sentences] == ["Ann sang .", "In Oslo"]
    assert sentences[1].spans == ((3, 7, "LOC"),)


def test_read_uner(tmp_path: Path) -> None:
    path = tmp_path / "x.iob2"
    path.write_text(
        "# newdoc id = d1\n# sent_id = s1\n# text = Bo met Acme Inc\n"
        "1\tBo\tB-PER\t-\tann\n2\tmet\tO\t-\t-\n3\tAcme\tB-ORG\t-\tann\n4\tInc\tI-ORG\t-\tann\n\n"
        "# sent_id = s2\n1\tHi\tO\t-\t-\n",
        encoding="utf-8",
    )
    sentences = read_uner(path)
    assert [s.text for s in sentences] == ["Bo met Acme Inc", "Hi"]
    assert sentences[0].spans == ((0, 2, "PER"), (7, 15, "ORG"))


def test_read_wikigold(tmp_path: Path) -> None:
    path = tmp_path / "wg.txt"
    path.write_text(
        "-DOCSTART- O\n\nThe I-ORG\nBand I-ORG\nplayed O\nin O\nRome I-LOC\n\n"
        "-DOCSTART- O\n\nJazz I-MISC\nfan O\nAl I-PER\nB-PER-like O\n",
        encoding="utf-8",
    )
    sentences = read_wikigold(path)
    assert len(sentences) == 2
    assert sentences[0].spans == ((0, 8, "ORG"), (19, 23, "LOC"))
    assert sentences[1].tokens == ("Jazz", "fan", "Al", "B-PER-like")
    assert [t for *_, t in sentences[1].spans] == ["MISC", "PER"]


def test_read_btc(tmp_path: Path) -> None:
    path = tmp_path / "g.conll"
    path.write_text("#UN\tB-ORG\nsays\tO\n#Obama\tB-PER\n\nhttp://t.co/x\tO\n", encoding="utf-8")
    sentences = read_btc(path)
    assert sentences[0].text == "#UN says #Obama"
    assert sentences[0].spans == ((0, 3, "ORG"), (9, 15, "PER"))
    assert sentences[1].spans == ()
