"""The notebooks in notebooks/ run on the sample corpus's tables, so they never rot; explore.ipynb's
last cell also runs the pipeline itself, through the Python API, on a paragraph."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from pipeline.config import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_found() -> None:
    assert "explore.ipynb" in {path.name for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    stale = [
        i for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert stale == [], f"{path.name}: cells {stale} carry outputs; clear them before committing"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_run_on_the_sample_tables(
    path: Path, sample_out: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from nbclient import NotebookClient

    monkeypatch.setenv("CIVIC_ENTITIES_TABLES", str(sample_out))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3  # the charts were drawn
    html = [o.get("data", {}).get("text/html", "") for o in outputs]
    drawn = [page for page in html if 'class="entities"' in page]
    assert len(drawn) == 1 and "COUNTRY" in drawn[0]  # the pasted paragraph, extracted and drawn by displaCy
