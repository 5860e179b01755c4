"""The package's front door: every public name resolves, is documented, and the CLI stays light."""

from __future__ import annotations

import pydoc
import subprocess
import sys

import pytest

import pipeline
from pipeline.config import PROJECT_ROOT


@pytest.mark.parametrize("name", pipeline.__all__)
def test_package_public_names_resolve_and_have_docstrings(name: str) -> None:
    value = getattr(pipeline, name)
    assert (value.__doc__ or "").strip(), f"pipeline.{name} has no docstring"
    assert name in dir(pipeline)


def test_package_help_shows_the_api() -> None:
    text = pydoc.render_doc(pipeline, renderer=pydoc.plaintext)
    assert "extract(texts_or_paths" in text and "load_nlp" in text
    extract_help = pydoc.render_doc(pipeline.extract, renderer=pydoc.plaintext)
    assert "texts_or_paths: 'Input | Iterable[Input]'" in extract_help
    assert "MissingInputError" in extract_help


def test_package_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'extrat'"):
        pipeline.extrat  # noqa: B018


def test_package_command_line_does_not_load_the_api() -> None:
    """`python -m pipeline --help` must not pay for pandas: the API is imported on first use."""
    probe = "import sys, pipeline.cli; print([m for m in ('pandas', 'pipeline.api') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
