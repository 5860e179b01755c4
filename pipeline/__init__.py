"""civic-entities: multilingual entity extraction for civil-society news.

People, organisations, countries and laws in English, French and Spanish
pages, as four tables (README, "Outputs").  In Python (README, "In Python"):

    from pipeline import extract, read_tables, load_nlp

    tables = extract("Amnesty International criticised Kenya's Computer Misuse Act.")
    tables.mentions                 # pandas DataFrames: documents, articles, mentions, entities
    tables.entity("Kenya")          # one entity and its mentions in context
    tables.to_duckdb().sql("SELECT type, count(*) FROM mentions GROUP BY type")
    tables.write("outputs")         # the Parquet tables python -m pipeline run writes
    read_tables("outputs")          # the tables of a command-line run
    nlp = load_nlp("en")            # the spaCy pipeline; its components, civic_rules and
                                    # civic_decision, can be added to any spaCy pipeline

`extract(texts_or_paths, *, config=None, processes=1, progress=False) -> Tables`,
`read_tables(out_dir) -> Tables`, `load_nlp(lang, *, config=None)`, `Config`
and `load_config(path)` (settings), and the exceptions, all subclasses of
`PipelineError` with a one-line message: `MissingInputError`, `NoInputError`,
`UnreadableInputError` (bad input, all `InputError`), `ConfigError`,
`CurationError`, `ModelError`, `OutputError` (and its `EntityLookupError`) and
`UnsupportedLanguageError`.  `help(pipeline.extract)` and the others say more.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    CurationError,
    EntityLookupError,
    InputError,
    MissingInputError,
    ModelError,
    NoInputError,
    OutputError,
    PipelineError,
    UnreadableInputError,
    UnsupportedLanguageError,
)

if TYPE_CHECKING:
    from .api import EntityView, Tables, extract, load_nlp, read_tables
    from .config import Config, load_config

__version__ = "0.1.0"

# Imported on first use, so that `python -m pipeline` does not load pandas and
# pyarrow before it needs them: name → module.
_LAZY = {
    "extract": "api",
    "read_tables": "api",
    "Tables": "api",
    "EntityView": "api",
    "load_nlp": "api",
    "Config": "config",
    "load_config": "config",
}

__all__ = [
    "Config",
    "ConfigError",
    "CurationError",
    "EntityLookupError",
    "EntityView",
    "InputError",
    "MissingInputError",
    "ModelError",
    "NoInputError",
    "OutputError",
    "PipelineError",
    "Tables",
    "UnreadableInputError",
    "UnsupportedLanguageError",
    "extract",
    "load_config",
    "load_nlp",
    "read_tables",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
