"""Hashes of the four tables on fixed inputs: proof that a refactoring changed no output.

`python -m pipeline fingerprint` runs the pipeline, without cache, on the sample
page and on the benchmark's 10× corpus and prints one SHA-256 per table;
`--expect FILE` compares with hashes recorded earlier (exit 1 on a difference).
Tables hold each input's absolute path, so the inputs are written to one fixed
folder under the system's temporary folder: hashes agree between checkouts.
That folder is shared by every checkout on the machine, so a run holds an
exclusive lock beside it (`<folder>.lock`, an `flock` the system releases when
the process ends, however it ends) and a second run waits for the first,
saying so, instead of rewriting its inputs under it.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import PROJECT_ROOT, Config
from ..runner import run
from ..schema import TABLES
from .bench import make_corpus

log = logging.getLogger(__name__)

SAMPLE_PAGE = PROJECT_ROOT / "corpus" / "pages" / "civicus_surveillance.txt"
WORK = Path(tempfile.gettempdir()) / "civic-entities-fingerprint"
BENCH_SCALE = 10


def _inputs(work: Path) -> dict[str, Path]:
    """The fixed inputs, (re)written at fixed paths: the sample page and the 10× corpus."""
    shutil.rmtree(work, ignore_errors=True)
    sample = work / "sample"
    sample.mkdir(parents=True)
    shutil.copy(SAMPLE_PAGE, sample / SAMPLE_PAGE.name)
    corpus = make_corpus(work / f"corpus{BENCH_SCALE}", BENCH_SCALE)
    return {"sample": sample, f"{BENCH_SCALE}x": corpus.folder}


@contextmanager
def exclusive(work: Path) -> Iterator[None]:
    """Hold `<work>.lock` for the block: one fingerprint at a time uses the fixed folder."""
    lock = work.with_name(work.name + ".lock")
    # Read-only suffices for flock, so a lock file another user created works too.
    fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another fingerprint is using %s: waiting for it to finish", work)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def table_hashes(work: Path = WORK) -> list[str]:
    """`<input> <sha256>  <table>.parquet` lines, inputs and tables in a fixed order."""
    lines = []
    config = Config(cache=False)
    with exclusive(work):
        for name, folder in _inputs(work).items():
            out = work / f"out-{name}"
            run([folder], out, config, progress=False)
            for table in TABLES:
                digest = hashlib.sha256((out / f"{table}.parquet").read_bytes()).hexdigest()
                lines.append(f"{name} {digest}  {table}.parquet")
    return lines


def compare(lines: list[str], expected_file: Path) -> list[str]:
    """The lines that differ from the recorded ones (empty when every table is identical)."""
    text = expected_file.read_text(encoding="utf-8")
    expected = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return sorted(set(lines) ^ set(expected))
