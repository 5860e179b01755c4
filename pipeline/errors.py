"""Errors that end a run or reject a file, each with a readable one-line message.

Per-document and per-article failures are not exceptions to the caller: they are
recorded as a status and message in the tables (see `schema.py`).  The exceptions
here are for what must stop the run; the CLI prints them without a traceback.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: `str(error)` is the one-line reason shown to the user."""


class InputError(PipelineError):
    """An input path is missing, or nothing readable was found."""


class ConfigError(PipelineError):
    """The configuration file is invalid; the message names the file and line."""


class CurationError(PipelineError):
    """The curation file is invalid; the message names the file and line."""


class ModelError(PipelineError):
    """A spaCy pipeline is not installed or does not match the pinned manifest."""


class OutputError(PipelineError):
    """The output tables are missing, or fail their declared schema."""
