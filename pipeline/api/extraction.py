"""`extract`: texts, bytes, files and folders in, the four tables out, in memory.

The run is the command line's own (`runner.process`), with an in-memory sink
(`store.memory.TableCollector`) in place of the Parquet writer: the same rows,
ids and checks as `python -m pipeline run`, and nothing written to disk.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..config import Config
from ..engine import executor_for
from ..errors import ConfigError, NoInputError
from ..runner import process
from ..stages.ingest import InlineText, Source, find_inputs
from ..store.memory import TableCollector
from .tables import Tables

# One input: a page or article text, its raw bytes (decoded like a file's), or a file or folder.
Input = str | bytes | os.PathLike[str]
# Characters of a text's SHA-256 in the name it is given in the tables.
LABEL_HASH_CHARS = 16


def extract(
    texts_or_paths: Input | Iterable[Input],
    *,
    config: Config | None = None,
    processes: int = 1,
    progress: bool = False,
) -> Tables:
    """Extract the people, organisations, countries and laws of texts or files.

    `texts_or_paths` is one input or a list of them:

    - a `str` is the text of a page (articles start at bullet title lines,
      `  • TITLE`, as in `corpus/pages/`) or of one article (a text without a
      title line is one article);
    - `bytes` are a file's raw content, decoded as the command line decodes
      files (byte-order marks, UTF-16, legacy encodings);
    - an `os.PathLike` (`pathlib.Path`) is a file, or a folder searched for
      `*.txt` and `*.txt.gz` files (in any case), as the `run` command takes them.
      A `str` is always text, never a path.

    Documents keep the order given; a folder's files come sorted, and a file
    given twice is read once.  A text or bytes is named `text:` and the first
    16 hex digits of the SHA-256 of its bytes (a `str` as UTF-8) in the
    documents table's `path`, and `#2`, `#3` … is added to the repeats of one
    text, so its `doc_id` and every id under it depend on its content only:
    the same text gives the same ids in every call.  A file keeps its path as
    given, so `extract(Path("corpus/pages"))` gives the tables, ids included,
    of `python -m pipeline run corpus/pages` run from the same folder.

    `config` holds the settings (`pipeline.Config`, or `load_config(path)` for
    a TOML file); it applies to this call only.  Results are not cached unless
    `config.cache_dir` names a folder.  With `processes=1`, the default, the
    models run in this process, loaded on the first call and kept for every
    later one.  `processes` > 1 starts that many worker processes, which load
    the models for this call (several seconds): worth it for hundreds of
    articles, not for a paragraph.  It works the same from a notebook, the
    REPL or a script, with or without an `if __name__ == "__main__":` guard:
    the workers never import the caller's main module (`pipeline.forked`).
    `progress` shows a progress bar on stderr.

    Returns a `Tables`.  A file or text that cannot be read is recorded in the
    documents table with its status, as by the command line; raises
    `MissingInputError` for a path that does not exist, `NoInputError` when
    there is nothing to read, `UnreadableInputError` when nothing given is
    text, `ConfigError`, `CurationError` or `ModelError` for invalid settings,
    `TypeError` for an input of another type.  All but `TypeError` are
    `pipeline.errors.PipelineError`, with a one-line message.
    """
    if processes < 1:
        raise ConfigError(f"processes must be at least 1, got {processes}")
    sources = _sources(texts_or_paths)
    if not sources:
        raise NoInputError("nothing to extract from: no text or path given, or folders without *.txt files")
    settings = (config or Config()).replace(processes=processes)
    collector = TableCollector()
    with executor_for("local", processes, models=settings.models) as executor:
        process(sources, lambda: collector, settings, None, executor=executor, progress=progress)
    return Tables(collector.tables, collector.manifest)


def _sources(texts_or_paths: Input | Iterable[Input]) -> list[Source]:
    """What the runner reads, in the order given, texts named by their content."""
    items: Iterable[object]
    if isinstance(texts_or_paths, str | bytes | os.PathLike) or not isinstance(texts_or_paths, Iterable):
        items = [texts_or_paths]
    else:
        items = texts_or_paths
    sources: list[Source] = []
    seen_files: set[Path] = set()
    repeats: Counter[str] = Counter()
    for item in items:
        if isinstance(item, os.PathLike):
            files = [p for p in find_inputs([item]) if p not in seen_files]
            seen_files.update(files)
            sources.extend(files)
        elif isinstance(item, str | bytes):
            data = item.encode("utf-8", "replace") if isinstance(item, str) else item
            label = f"text:{hashlib.sha256(data).hexdigest()[:LABEL_HASH_CHARS]}"
            repeats[label] += 1
            sources.append(InlineText(label if repeats[label] == 1 else f"{label}#{repeats[label]}", data))
        else:
            raise TypeError(
                "extract() takes texts (str), bytes or paths (os.PathLike), or a list of them; "
                f"got {type(item).__name__}"
            )
    return sources
