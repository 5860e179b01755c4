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


# Run in the kernel before each figure is shown: what a reader sees as a cut or crowded
# figure, measured on the drawn figure (constrained or tight layout acts at draw time).
CHECK_LAYOUT = """
def _check_layout(fig):
    from matplotlib.patches import Rectangle

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for ax in fig.axes:
        name = repr(ax.get_title() or ax.get_ylabel())
        drawn = ax.get_tightbbox(renderer)  # everything drawn for it: tick labels, title, legend
        if not (drawn.x0 >= page.x0 and drawn.x1 <= page.x1 and drawn.y0 >= page.y0 and drawn.y1 <= page.y1):
            raise AssertionError(f"a label of {name} is cut by the figure's edge")
        frame = ax.get_window_extent(renderer)
        bars = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Rectangle)]
        bars = [bar for bar in bars if bar.width > 0 and bar.height > 0]
        if any(bar.x1 >= frame.x1 - 1 or bar.y1 >= frame.y1 - 1 for bar in bars):
            raise AssertionError(f"a bar touches the frame of {name}")
        legend = ax.get_legend()
        if legend is not None and any(legend.get_window_extent(renderer).overlaps(bar) for bar in bars):
            raise AssertionError(f"the legend of {name} lies over a bar")
"""


def _with_layout_checks(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with `_check_layout` defined first and called before every `plt.show()`."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = cell.source.replace("plt.show()", "_check_layout(plt.gcf())\nplt.show()")
    checked = sum("_check_layout" in cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert checked >= 3, "no plt.show() to check the figures' layout before"
    notebook.cells.insert(0, nbformat.v4.new_code_cell(CHECK_LAYOUT))
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_run_on_the_sample_tables(
    path: Path, sample_out: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from nbclient import NotebookClient

    monkeypatch.setenv("CIVIC_ENTITIES_TABLES", str(sample_out))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    notebook = _with_layout_checks(nbformat.read(path, as_version=4))
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"] == []
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3  # the charts were drawn
    html = [o.get("data", {}).get("text/html", "") for o in outputs]
    drawn = [page for page in html if 'class="entities"' in page]
    assert len(drawn) == 1 and "COUNTRY" in drawn[0]  # the pasted paragraph, extracted and drawn by displaCy
