"""Stage 1, ingest: find input files, read their bytes, decode them to normalised text.

Decoding order: a byte-order mark (UTF-8/16/32) wins; then strict UTF-8; then
charset-normalizer's best guess, which is recorded.  The text is NFC-normalised,
line endings become ``\\n`` and control characters other than tab and newline are
removed, so every later offset refers to this text (the `documents` row keeps the
raw bytes' SHA-256 for provenance).  A file that cannot become text is still
yielded, with a status and a message; nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import logging
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError
from .records import Document, stable_id

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".txt", ".txt.gz")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 controls and other non-text code points, except tab and newline.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Share of NUL or other control bytes above which undecodable bytes count as binary.
BINARY_CONTROL_SHARE = 0.10


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and folders into a sorted list of input files.

    Raises InputError when a path does not exist.  Folders contribute their
    `*.txt` and `*.txt.gz` files, recursively; files given by name are taken
    whatever their suffix, so a mislabelled file is still accounted for.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input path does not exist: {path}")
        if path.is_dir():
            found.update(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(INPUT_SUFFIXES)
            )
        else:
            found.add(path)
    return sorted(found)


def normalise_text(text: str) -> tuple[str, int]:
    """NFC, unified line endings, control characters removed; returns (text, n_removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, removed = _CONTROL_CHARS.subn("", text)
    return unicodedata.normalize("NFC", text), removed


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / max(len(sample), 1) > BINARY_CONTROL_SHARE


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str]:
    """Return (text, encoding, status) for raw bytes; status is ok, binary or undecodable."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, "ok"
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", "ok"
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        return None, None, "binary"
    best = from_bytes(data).best()
    if best is None:
        return None, None, "undecodable"
    return str(best), best.encoding, "ok"


def _read_bytes(path: Path) -> bytes:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


def read_document(path: Path, root_label: str | None = None) -> Document:
    """Read and decode one file; failures become a Document with a status and message."""
    label = root_label or str(path)
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        status = "unreadable"
        return Document(stable_id("doc", label), label, status, message=f"cannot read: {exc}")
    sha256 = hashlib.sha256(data).hexdigest()
    doc_id = stable_id("doc", label, sha256)
    if not data.strip():
        return Document(doc_id, label, "empty", sha256=sha256, message="file is empty")
    text, encoding, status = decode_bytes(data)
    if text is None:
        message = (
            "binary content (control bytes), not text"
            if status == "binary"
            else "bytes match no known text encoding"
        )
        return Document(doc_id, label, status, sha256=sha256, message=message)
    text, removed = normalise_text(text)
    message = f"removed {removed} control characters" if removed else None
    if encoding not in ("utf-8", "utf-8-sig"):
        log.info("%s: decoded as %s", label, encoding)
    if not text.strip():
        return Document(
            doc_id, label, "empty", text=text, sha256=sha256, encoding=encoding,
            message="no text after decoding",
        )
    return Document(doc_id, label, "ok", text=text, sha256=sha256, encoding=encoding, message=message)


def read_documents(paths: Iterable[Path]) -> Iterator[Document]:
    for path in paths:
        yield read_document(path)
