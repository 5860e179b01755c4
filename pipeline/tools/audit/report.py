"""The audit report: out_dir/audit/index.html, rendered from templates/ with autoescape, and its data.

The run summary and the charts are static HTML; the tables are cut into
pieces (`data`, `paging`) written beside index.html as scripts, and
assets/report.js loads a piece the first time a view needs it and builds only
what is on screen.  Every value from the tables and run.json reaches the page
through Jinja2's autoescape or as JSON data; only the report's own markup is
passed through unescaped: its assets, matplotlib's SVG, and the head's JSON
made safe for a <script> element.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...errors import OutputError
from .data import ReportData, report_data
from .paging import Paging, data_folder, piece_scripts, remove_other_pieces, script_json, write_pieces
from .palette import TYPE_COLORS
from .summary import summary
from .tables import Tables, read_tables

REPORT_DIR = "audit"
REPORT_FILE = "index.html"
# Rows of non-ok documents/articles written into the static summary; the rest
# are counted, and the Articles tab lists every article with a status filter.
MAX_LISTED = 200
_PACKAGE = __name__.rpartition(".")[0]  # templates/ and assets/ are resources of this package


def _dash(value: Any) -> Any:
    """A missing value shown as a dash."""
    return "—" if value is None else value


def _cell(value: Any) -> Any:
    """A table cell: counts with thousands separators, a missing value as a dash."""
    return f"{value:,}" if isinstance(value, int) else _dash(value)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["dash"] = _dash
    env.filters["cell"] = _cell
    return env


def _asset(name: str) -> Markup:
    """One of the report's own files in assets/, inlined so that the page needs nothing else."""
    return Markup((resources.files(_PACKAGE) / "assets" / name).read_text("utf-8"))


def render(tables: Tables, data: ReportData, folder: str) -> str:
    """The report page: summary, charts, the head of the data (its pieces are in `folder`), script."""
    from .charts import charts  # imported here: matplotlib only when a report is drawn, never for `show`

    inputs = tables.manifest.get("inputs") or []
    title = "Entity audit" + (f": {Path(str(inputs[0])).name}" if len(inputs) == 1 else "")
    return _environment().get_template("report.html.j2").render(
        title=title,
        finished_at=tables.manifest.get("finished_at"),
        css=_asset("report.css"),
        type_colors=TYPE_COLORS,
        max_listed=MAX_LISTED,
        **summary(tables, data.integrity),
        charts=[(caption, Markup(svg)) for caption, svg in charts(tables)],
        data=Markup(script_json({**data.head, "dir": folder})),
        script=_asset("report.js"),
    )


def write_report(out_dir: Path, paging: Paging | None = None) -> Path:
    """Write out_dir/audit/index.html and its data pieces from the published tables and run.json.

    Returns the path of index.html.  `paging` sets how many rows go into one piece.
    """
    tables = read_tables(out_dir)
    data = report_data(tables, paging)
    scripts = piece_scripts(data.pieces)
    folder = data_folder(scripts)
    page = render(tables, data, folder)
    report_dir = out_dir / REPORT_DIR
    path = report_dir / REPORT_FILE
    tmp = path.with_suffix(".tmp")
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
        write_pieces(report_dir, folder, scripts)
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a report
        remove_other_pieces(report_dir, keep=folder)
    except OSError as exc:
        with contextlib.suppress(OSError):  # no half-written report left behind
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the audit report in {report_dir}: {exc.strerror or exc}") from exc
    return path
