"""Ingest: find input files, read their bytes, decode them to normalised text.

Decoding order, first match wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. UTF-16 without a byte-order mark, recognised only when the NUL bytes fall on
   one byte parity (Latin-script text: every other byte is 0).  Other UTF-16
   without a mark cannot be told from binary data and is treated as bytes;
3. more than `BINARY_CONTROL_SHARE` control bytes in the first 64 KiB: binary;
4. strict UTF-8;
5. charset-normalizer's best guess, except that Windows-1252 (the legacy
   encoding of English, French and Spanish) wins whenever it is as plausible:
   on short Spanish text charset-normalizer ranks Windows-1250 first, which
   turns every ``ñ`` into ``ń``.

The text is NFC-normalised, line endings become ``\\n`` and control characters
other than tab and newline are removed, so every later offset refers to this
text (the `documents` row keeps the raw bytes' SHA-256 for provenance).  A file
that cannot become text is still returned, with a status and a message; nothing
is dropped silently.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import logging
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding

from ..errors import MissingInputError
from ..records import Document, display_path, raw_path_hex, stable_id

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".txt", ".txt.gz")  # in any case: KENYA.TXT, notes.Txt.GZ
# Longest mark first: the UTF-32 LE mark starts with the UTF-16 LE one.
# Each: (mark, codec for the bytes after it, name recorded in `encoding`).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# C0/C1 controls and other non-text code points, except tab and newline.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Bytes that plain text in any encoding we accept does not contain: NUL and the
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
# Share of control bytes (or decoded control characters) above which data is
# binary.  Random or compressed bytes have about 11%; text with stray NULs far less.
BINARY_CONTROL_SHARE = 0.05
BINARY_SAMPLE_BYTES = 65_536
# UTF-16 without a mark: share of NUL bytes on one parity needed, and allowed on the other.
UTF16_NUL_SHARE = 0.5
UTF16_OTHER_NUL_SHARE = 0.05
# With a byte-order mark, up to this share of invalid sequences is replaced by
# U+FFFD (a truncated last character, say); more means the mark lies.
MAX_REPLACED_SHARE = 0.01
# Larger files (after gunzip) are refused: a gzip bomb must not exhaust memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_READ_PIECE_BYTES = 1024 * 1024
# charset-normalizer's names of the encodings preferred when as plausible as its best guess.
_PREFERRED_LEGACY = ("cp1252",)


@dataclass(frozen=True)
class Decoded:
    """Outcome of decoding bytes: the text when status is ok, else why not."""

    text: str | None
    encoding: str | None
    status: str  # ok, binary or undecodable
    message: str | None = None


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and folders into a sorted list of input files.

    Raises MissingInputError when a path does not exist.  Folders contribute every
    entry named `*.txt` or `*.txt.gz`, in any case (`KENYA.TXT`, archives copied
    from other systems), that is not itself a folder, recursively:
    broken symbolic links and special files included, so that each gets a
    `documents` row saying why it could not be read instead of vanishing.  Files
    given by name are taken whatever their suffix, so a mislabelled file is
    still accounted for.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise MissingInputError(f"input path does not exist: {path}")
        if path.is_dir():
            found.update(
                p for p in path.rglob("*") if p.name.lower().endswith(INPUT_SUFFIXES) and not p.is_dir()
            )
        else:
            found.add(path)
    return sorted(found)


def normalise_text(text: str) -> tuple[str, int]:
    """NFC, unified line endings, control characters removed; returns (text, n_removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, removed = _CONTROL_CHARS.subn("", text)
    return unicodedata.normalize("NFC", text), removed


def _control_byte_share(data: bytes) -> float:
    sample = data[:BINARY_SAMPLE_BYTES]
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / max(len(sample), 1)


def _control_char_share(text: str) -> float:
    sample = text[:BINARY_SAMPLE_BYTES]
    return len(_CONTROL_CHARS.findall(sample)) / max(len(sample), 1)


def _sniff_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit on one parity only, else None."""
    sample = data[: BINARY_SAMPLE_BYTES & ~1]
    if len(data) % 2 or len(sample) < 2:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd >= UTF16_NUL_SHARE and even <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _binary(share: float, what: str) -> Decoded:
    return Decoded(None, None, "binary", f"binary content ({share:.0%} {what}), not text")


def _decode_marked(data: bytes, bom: bytes, encoding: str, name: str) -> Decoded:
    """Decode after a byte-order mark, tolerating a few invalid sequences (a truncated end)."""
    body = data[len(bom) :]
    try:
        text, message = body.decode(encoding), None
    except UnicodeDecodeError:
        text = body.decode(encoding, errors="replace")
        replaced = text.count("\ufffd") - body.decode(encoding, errors="ignore").count("\ufffd")
        if replaced > MAX_REPLACED_SHARE * max(len(text), 1):
            return Decoded(
                None, None, "undecodable",
                f"starts with a {encoding} byte-order mark, but {replaced} byte sequences are not {encoding}",
            )
        message = f"{replaced} invalid {encoding} byte sequence(s) replaced by U+FFFD"
    share = _control_char_share(text)
    if share > BINARY_CONTROL_SHARE:
        return _binary(share, "control characters after the byte-order mark")
    return Decoded(text, name, "ok", message)


def _guess_legacy(data: bytes) -> Decoded:
    """charset-normalizer's guess; Windows-1252 is preferred to another single-byte
    code page that is no more plausible (never to a multi-byte guess)."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return Decoded(None, None, "undecodable", "bytes match no known text encoding")
    encoding, text = codecs.lookup(best.encoding).name, str(best)
    if not is_multi_byte_encoding(best.encoding):
        for match in matches:
            preferred = next((e for e in _PREFERRED_LEGACY if e in match.could_be_from_charset), None)
            if preferred is not None and match.chaos <= best.chaos:
                # A byte that Windows-1252 leaves undefined keeps the best guess.
                with contextlib.suppress(UnicodeDecodeError):
                    encoding, text = preferred, data.decode(preferred)
                break
    return Decoded(text, encoding, "ok", f"not UTF-8; decoded as {encoding} (guessed)")


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw bytes (see the module docstring for the order of attempts)."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            return _decode_marked(data, bom, encoding, name)
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            share = _control_char_share(text)
            if share > BINARY_CONTROL_SHARE:
                return _binary(share, "control characters as UTF-16")
            return Decoded(text, utf16, "ok", f"no byte-order mark; recognised as {utf16}")
    share = _control_byte_share(data)
    if share > BINARY_CONTROL_SHARE:
        return _binary(share, "control bytes")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "ok")
    except UnicodeDecodeError:
        return _guess_legacy(data)


class _Unreadable(Exception):
    """A file whose bytes cannot be had; `str()` is the documents row's message."""


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (gunzipped for `.gz`, in any case), or _Unreadable saying why not.

    The file type is checked before opening, so a FIFO named `x.txt` cannot
    block the run, and at most `MAX_INPUT_BYTES` are read.
    """
    try:
        return _read_regular_file(path)
    except (OSError, EOFError, zlib.error) as exc:
        raise _Unreadable(_why_unreadable(path, exc)) from exc


def _read_regular_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise _Unreadable("is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise _Unreadable("not a regular file (a FIFO, socket or device)")
    with open(path, "rb") as raw:
        if path.name.lower().endswith(".gz"):
            return _read_limited(gzip.GzipFile(fileobj=raw))
        if os.fstat(raw.fileno()).st_size > MAX_INPUT_BYTES:
            raise _Unreadable(f"larger than {MAX_INPUT_BYTES:,} bytes")
        return raw.read()


def _why_unreadable(path: Path, exc: OSError | EOFError | zlib.error) -> str:
    """The documents row's message for an error reading `path`."""
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return f"broken symbolic link to {os.readlink(path)}"
        return "file vanished before it could be read"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, EOFError):
        return "truncated gzip file: the compressed stream ends early"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip file: {exc}"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data: {exc}"
    return f"cannot read: {exc.strerror or exc}"


def _read_limited(stream: gzip.GzipFile) -> bytes:
    """Read a decompressing stream in pieces, refusing more than MAX_INPUT_BYTES.

    (`read(MAX_INPUT_BYTES + 1)` would allocate that many bytes up front.)
    """
    pieces: list[bytes] = []
    total = 0
    while piece := stream.read(_READ_PIECE_BYTES):
        total += len(piece)
        if total > MAX_INPUT_BYTES:
            raise _Unreadable(f"larger than {MAX_INPUT_BYTES:,} bytes after decompression")
        pieces.append(piece)
    return b"".join(pieces)


@dataclass(frozen=True)
class InlineText:
    """A document given in memory (the API's `extract`) rather than as a file.

    Its bytes are decoded exactly like a file's; `label` stands for the file's
    path (the documents table's `path`, and with the bytes' SHA-256, its id).
    """

    label: str
    data: bytes


# What the runner reads documents from.
Source = Path | InlineText


def source_label(source: Source) -> str:
    """How a source is named in the tables and the run manifest."""
    return source.label if isinstance(source, InlineText) else display_path(source)


def read_source(source: Source) -> Document:
    """A file (`read_document`) or an in-memory text, read into a Document."""
    if isinstance(source, InlineText):
        return document_from_bytes(source.label, source.data)
    return read_document(source)


def read_document(path: Path, root_label: str | None = None) -> Document:
    """Read and decode one file; failures become a Document with a status and message.

    Statuses: ok, empty (no bytes, or only whitespace/control characters),
    binary, undecodable, unreadable (see `_read_bytes` for the reasons).
    A name that is not valid UTF-8 is shown with U+FFFD in `path`, its bytes
    kept in `path_hex`, and its id hashed from those bytes.
    """
    raw_label = root_label or str(path)
    try:
        # The bytes pass straight into the decoder, which drops them once decoded.
        return document_from_bytes(raw_label, _read_bytes(path))
    except _Unreadable as exc:
        return Document(stable_id("doc", raw_label), display_path(raw_label), "unreadable", message=str(exc),
                        path_hex=raw_path_hex(raw_label))


def document_from_bytes(raw_label: str, data: bytes) -> Document:
    """Decode a document's bytes (statuses as for `read_document`); `raw_label` is its path."""
    label, path_hex = display_path(raw_label), raw_path_hex(raw_label)
    sha256 = hashlib.sha256(data).hexdigest()
    doc_id = stable_id("doc", raw_label, sha256)
    if not data:
        return Document(
            doc_id, label, "empty", sha256=sha256, message="0 bytes", path_hex=path_hex
        )
    decoded = decode_bytes(data)
    del data  # the text replaces the bytes: keep one copy of a large file
    if decoded.text is None:
        return Document(
            doc_id, label, decoded.status, sha256=sha256, encoding=decoded.encoding,
            message=decoded.message, path_hex=path_hex,
        )
    text, removed = normalise_text(decoded.text)
    notes = [decoded.message] if decoded.message else []
    if removed:
        notes.append(f"removed {removed} control character(s)")
    if not text or text.isspace():  # not `strip()`: that would copy a large text
        return Document(
            doc_id, label, "empty", text=text, sha256=sha256, encoding=decoded.encoding,
            message="; ".join([*notes, "only whitespace or control characters, no text"]), path_hex=path_hex,
        )
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        log.info("%s: decoded as %s", label, decoded.encoding)
    return Document(
        doc_id, label, "ok", text=text, sha256=sha256, encoding=decoded.encoding,
        message="; ".join(notes) or None, path_hex=path_hex,
    )
