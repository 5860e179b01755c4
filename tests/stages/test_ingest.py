"""Tests for pipeline.stages.ingest: finding inputs, decoding bytes, reading files of every kind.

Every input is built here from inline text; nothing needs a model.
"""

from __future__ import annotations

import codecs
import gzip
import os
import struct
import tempfile
import unicodedata
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.records import display_path, stable_id
from pipeline.schema import DOCUMENT_STATUSES
from pipeline.stages import ingest
from pipeline.stages.ingest import decode_bytes, find_inputs, normalise_text, read_document

FRENCH = (
    "  • Les défenseurs des droits humains arrêtés à Genève\n\n"
    "    La Fédération internationale a dénoncé l'arrestation de militants. « C'est "
    "inacceptable », a déclaré la présidente, évoquant une « dérive » où l'État réprime.\n"
)
SPANISH = (
    "Informe anual\n\n  • La ONG denuncia la detención de periodistas en Nicaragua\n\n"
    "    El señor Peña y la organización Artículo 19 pidieron la liberación inmediata; "
    "«¡basta!», dijo la compañera. Año tras año, la represión aumenta.\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    + b"\x90wS\xde" + struct.pack(">I", 40) + b"IDAT" + zlib.compress(bytes(range(256)) * 3)
)
# Fixed "random" bytes (a seeded LCG), so the test never depends on luck.
RANDOM = bytes((1103515245 * i + 12345) >> 16 & 0xFF for i in range(4096))


# ---------------------------------------------------------------------------
# decode_bytes: one row per kind of input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "encoding", "text"),
    [
        (SPANISH.encode(), "ok", "utf-8", SPANISH),
        (codecs.BOM_UTF8 + SPANISH.encode(), "ok", "utf-8-sig", SPANISH),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "ok", "utf-16-le", FRENCH),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "ok", "utf-16-be", FRENCH),
        (codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le"), "ok", "utf-32-le", FRENCH),
        # UTF-16 without a mark: recognised by its NUL bytes on one parity (Latin text).
        (FRENCH.encode("utf-16-le"), "ok", "utf-16-le", FRENCH),
        (FRENCH.encode("utf-16-be"), "ok", "utf-16-be", FRENCH),
        # Legacy encodings: charset-normalizer ranks cp1250 first for Spanish; cp1252 must win.
        (SPANISH.encode("cp1252"), "ok", "cp1252", SPANISH),
        ("El niño señaló la montaña.".encode("cp1252"), "ok", "cp1252", "El niño señaló la montaña."),
        (FRENCH.replace("•", "*").encode("latin-1"), "ok", "cp1252", FRENCH.replace("•", "*")),
        # A few NUL bytes in UTF-8 text: still text (normalise_text removes them).
        (SPANISH.encode().replace(b"a", b"a\0", 3), "ok", "utf-8", SPANISH.replace("a", "a\0", 3)),
        (PNG, "binary", None, None),
        (RANDOM, "binary", None, None),
        (b"\0" * 100, "binary", None, None),
        # UTF-16-looking NUL pattern that decodes to control characters: binary.
        (bytes([1, 0, 2, 0, 3, 0, 4, 0] * 50), "binary", None, None),
    ],
    ids=[
        "utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf16le-no-bom", "utf16be-no-bom",
        "cp1252-spanish", "cp1252-short", "latin1-french", "nul-bytes", "png", "random", "zeros",
        "utf16-controls",
    ],
)
def test_ingest_decode_bytes(data: bytes, status: str, encoding: str | None, text: str | None) -> None:
    decoded = decode_bytes(data)
    assert (decoded.status, decoded.encoding, decoded.text) == (status, encoding, text)
    if status != "ok":
        assert decoded.message


def test_ingest_decode_bytes_bom_with_truncated_last_character() -> None:
    data = codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")[:-1]
    decoded = decode_bytes(data)
    assert decoded.status == "ok" and decoded.encoding == "utf-16-le"
    assert decoded.text == FRENCH[:-1] + "\ufffd"
    assert decoded.message is not None and "1 invalid" in decoded.message


def test_ingest_decode_bytes_bom_that_lies_is_undecodable() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + SPANISH.encode("cp1252"))
    assert decoded.status == "undecodable" and decoded.text is None
    assert decoded.message is not None and "byte-order mark" in decoded.message


# ---------------------------------------------------------------------------
# normalise_text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "removed"),
    [
        ("a\r\nb\rc\nd", "a\nb\nc\nd", 0),
        ("a\r\r\nb", "a\n\nb", 0),
        ("tab\tkept\x00\x07\x1b\x7f\x85gone", "tab\tkeptgone", 5),
        ("form\x0cfeed\x0bvt", "formfeedvt", 2),
        ("e\u0301te\u0301", "été", 0),  # NFC
        ("nbsp\u00a0kept\ufeffkept", "nbsp\u00a0kept\ufeffkept", 0),
        ("\ufffe\uffffx", "x", 2),
    ],
)
def test_ingest_normalise_text(raw: str, expected: str, removed: int) -> None:
    assert normalise_text(raw) == (expected, removed)


# ---------------------------------------------------------------------------
# read_document: files of every kind
# ---------------------------------------------------------------------------


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "status", "encoding", "text"),
    [
        ("page.txt", SPANISH.encode(), "ok", "utf-8", SPANISH),
        ("page.txt", b"a\r\nb\rc\n", "ok", "utf-8", "a\nb\nc\n"),
        ("page.txt", b"", "empty", None, ""),
        ("page.txt", b" \n\t\r\n  \n", "empty", "utf-8", " \n\t\n  \n"),
        ("page.txt", "\u00a0\n\u00a0 \n".encode(), "empty", "utf-8", "\u00a0\n\u00a0 \n"),
        ("page.txt", b"\0\0\0\0\n" + b" " * 200, "empty", "utf-8", "\n" + " " * 200),
        ("page.txt", PNG, "binary", None, ""),
        ("page.txt.gz", gzip.compress(FRENCH.encode(), mtime=0), "ok", "utf-8", FRENCH),
        ("page.txt.gz", gzip.compress(FRENCH.encode(), mtime=0)[:-20], "unreadable", None, ""),
        ("page.txt.gz", FRENCH.encode(), "unreadable", None, ""),
        ("page.txt.gz", gzip.compress(b""), "empty", None, ""),
    ],
    ids=[
        "utf8", "line-endings", "zero-bytes", "whitespace", "nbsp-only", "nul-and-spaces", "png",
        "gzip", "gzip-truncated", "gzip-not-gzip", "gzip-empty",
    ],
)
def test_ingest_read_document(
    tmp_path: Path, name: str, data: bytes, status: str, encoding: str | None, text: str
) -> None:
    doc = read_document(_write(tmp_path, name, data))
    assert (doc.status, doc.encoding, doc.text) == (status, encoding, text)
    assert doc.path == str(tmp_path / name)
    if status != "ok":
        assert doc.message
    if status != "unreadable":
        assert doc.sha256 is not None


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.symlink_to(p.parent / "nowhere.txt"), "broken symbolic link"),
        (lambda p: os.mkfifo(p), "not a regular file"),  # must not block
        (lambda p: _write(p.parent, p.name, gzip.compress(b"x", mtime=0)[:-3]), "truncated gzip"),
        (lambda p: _write(p.parent, p.name, b"plain text"), "not a valid gzip file"),
    ],
    ids=["directory", "broken-symlink", "fifo", "truncated-gzip", "not-gzip"],
)
def test_ingest_read_document_unreadable(tmp_path: Path, make: object, needle: str) -> None:
    path = tmp_path / "page.txt.gz"
    make(path)  # type: ignore[operator]
    doc = read_document(path)
    assert doc.status == "unreadable" and doc.text == "" and doc.sha256 is None
    assert doc.message is not None and needle in doc.message


def test_ingest_read_document_permission_denied_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, for whom chmod 000 changes nothing: the open call is made to fail."""
    path = _write(tmp_path, "page.txt", b"text")

    def refuse(file: object, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(ingest, "open", refuse, raising=False)
    doc = read_document(path)
    assert (doc.status, doc.message) == ("unreadable", "permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_ingest_read_document_permission_denied(tmp_path: Path) -> None:
    path = _write(tmp_path, "page.txt", b"text")
    path.chmod(0)
    doc = read_document(path)
    assert (doc.status, doc.message) == ("unreadable", "permission denied")


@pytest.mark.parametrize("name", ["big.txt", "big.txt.gz"])
def test_ingest_read_document_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A gzip bomb (or a huge file) is refused after MAX_INPUT_BYTES, not read into memory."""
    monkeypatch.setattr(ingest, "MAX_INPUT_BYTES", 1000)
    data = b"a" * 5000
    doc = read_document(_write(tmp_path, name, gzip.compress(data) if name.endswith(".gz") else data))
    assert doc.status == "unreadable"
    assert doc.message is not None and "larger than 1,000 bytes" in doc.message


def test_ingest_read_document_records_guessed_encoding(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "es.txt", SPANISH.encode("cp1252")))
    assert (doc.status, doc.encoding, doc.text) == ("ok", "cp1252", SPANISH)
    assert doc.message is not None and "cp1252" in doc.message


def test_ingest_read_document_counts_removed_controls(tmp_path: Path) -> None:
    data = SPANISH.replace("Nicaragua", "Nica\0ragua\x1b").encode()
    doc = read_document(_write(tmp_path, "nul.txt", data))
    assert (doc.status, doc.text) == ("ok", SPANISH)
    assert doc.message == "removed 2 control character(s)"


def test_ingest_same_bytes_same_id_other_bytes_other_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", b"one")
    first = read_document(path).doc_id
    assert read_document(path).doc_id == first
    path.write_bytes(b"two")
    assert read_document(path).doc_id != first


# ---------------------------------------------------------------------------
# find_inputs
# ---------------------------------------------------------------------------


def test_ingest_find_inputs_accounts_for_odd_entries(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"b"))
    (tmp_path / "notes.md").write_text("ignored: not an input suffix")
    (tmp_path / "dir.txt").mkdir()  # a folder named like a file: searched, not read
    (tmp_path / "dir.txt" / "inner.txt").write_text("c")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    found = [p.relative_to(tmp_path).as_posix() for p in find_inputs([tmp_path])]
    assert found == ["a.txt", "b.txt.gz", "broken.txt", "dir.txt/inner.txt", "fifo.txt"]


def test_ingest_find_inputs_matches_suffixes_in_any_case(tmp_path: Path) -> None:
    """Archives copied from other systems name files KENYA.TXT: found and read, gzip included."""
    (tmp_path / "KENYA.TXT").write_text("Kenya")
    (tmp_path / "notes.Txt.GZ").write_bytes(gzip.compress(b"Notes", mtime=0))
    (tmp_path / "README.TXT.BAK").write_text("not an input suffix")
    found = find_inputs([tmp_path])
    assert [p.name for p in found] == ["KENYA.TXT", "notes.Txt.GZ"]
    assert [(d.status, d.text) for d in map(read_document, found)] == [("ok", "Kenya"), ("ok", "Notes")]


def test_ingest_find_inputs_takes_named_files_whatever_their_suffix(tmp_path: Path) -> None:
    path = _write(tmp_path, "page.html", b"x")
    assert find_inputs([path, path]) == [path]


def test_ingest_find_inputs_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        find_inputs([tmp_path / "absent"])


# ---------------------------------------------------------------------------
# Properties: arbitrary bytes and text
# ---------------------------------------------------------------------------

# Text as a page may hold it: no control characters other than tab/newline/CR,
# and no leading U+FEFF (which is a byte-order mark, rightly dropped).
_PAGE_CHARS = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff", include_characters="\t\n\r"
)
page_text = st.text(_PAGE_CHARS, max_size=300).filter(lambda s: not s.startswith("\ufeff"))


@given(st.binary(max_size=2000))
def test_ingest_decode_bytes_never_crashes(data: bytes) -> None:
    decoded = decode_bytes(data)
    assert decoded.status in ("ok", "binary", "undecodable")
    assert (decoded.text is not None) == (decoded.status == "ok")
    assert decoded.status == "ok" or decoded.message


@given(page_text)
def test_ingest_utf8_text_round_trips(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    assert (decoded.status, decoded.text) == ("ok", text)


@given(page_text, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_ingest_utf16_with_bom_round_trips(text: str, encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    decoded = decode_bytes(bom + text.encode(encoding))
    assert (decoded.status, decoded.encoding, decoded.text) == ("ok", encoding, text)


@given(st.text())
def test_ingest_normalise_text_is_clean_and_idempotent(text: str) -> None:
    clean, _ = normalise_text(text)
    assert "\r" not in clean
    assert unicodedata.is_normalized("NFC", clean)
    assert normalise_text(clean) == (clean, 0)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(st.one_of(st.binary(max_size=1000), page_text.map(str.encode)), st.booleans())
def test_ingest_read_document_never_crashes_nor_loses_text(data: bytes, gz: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("page.txt.gz" if gz else "page.txt")
        path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
        doc = read_document(path)
    assert doc.status in DOCUMENT_STATUSES
    assert doc.status == "ok" or doc.message
    if doc.status == "ok":
        assert doc.text.strip()
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if doc.status in ("ok", "empty") and doc.encoding == "utf-8":
        assert doc.text == normalise_text(expected)[0]


# ---------------------------------------------------------------------------
# File names that are not UTF-8
# ---------------------------------------------------------------------------


def test_ingest_non_utf8_file_name_is_read_with_a_stable_id_and_its_bytes_kept(tmp_path: Path) -> None:
    raw_name = b"caf\xe9-\xff\xfe.txt"  # Latin-1 'é' and two bytes no encoding of UTF-8 has
    raw_path = os.path.join(os.fsencode(tmp_path), raw_name)
    with open(raw_path, "wb") as handle:  # a real name of bytes on disk
        handle.write(b"A page about Kenya.\n")
    (path,) = find_inputs([tmp_path])
    doc = read_document(path)
    assert doc.status == "ok" and doc.text == "A page about Kenya.\n"
    assert doc.path == f"{tmp_path}/caf\ufffd-\ufffd\ufffd.txt"
    assert doc.path_hex == raw_path.hex()
    assert bytes.fromhex(doc.path_hex) == raw_path
    doc.path.encode("utf-8")  # valid text for Parquet
    assert read_document(path).doc_id == doc.doc_id  # stable
    os.rename(raw_path, os.path.join(os.fsencode(tmp_path), b"caf\xe9-\xff\xfd.txt"))
    (other,) = find_inputs([tmp_path])
    assert display_path(other) == doc.path  # shown alike, yet another file: another id
    assert read_document(other).doc_id != doc.doc_id


def test_ingest_utf8_file_names_have_no_hex_and_unchanged_ids(tmp_path: Path) -> None:
    path = tmp_path / "café.txt"
    path.write_text("Some text here.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.path == str(path) and doc.path_hex is None
    assert doc.doc_id == stable_id("doc", str(path), doc.sha256)
