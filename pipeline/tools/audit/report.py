"""The audit report: out_dir/audit/index.html, rendered from templates/ with autoescape.

The run summary and the charts are static HTML; the tables are embedded once
as columnar JSON (see `data`) and assets/report.js builds only what is on
screen.  Every value from the tables and run.json reaches the page through
Jinja2's autoescape; only the report's own markup is passed through unescaped:
its assets, matplotlib's SVG, and the JSON made safe for a <script> element.
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
from .data import report_data, script_json
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


def render(tables: Tables) -> str:
    """The report page of the tables: summary, charts, embedded data and script."""
    from .charts import charts  # imported here: matplotlib only when a report is drawn, never for `show`

    data, integrity = report_data(tables)
    inputs = tables.manifest.get("inputs") or []
    title = "Entity audit" + (f": {Path(str(inputs[0])).name}" if len(inputs) == 1 else "")
    return _environment().get_template("report.html.j2").render(
        title=title,
        finished_at=tables.manifest.get("finished_at"),
        css=_asset("report.css"),
        type_colors=TYPE_COLORS,
        max_listed=MAX_LISTED,
        **summary(tables, integrity),
        charts=[(caption, Markup(svg)) for caption, svg in charts(tables)],
        data=Markup(script_json(data)),
        script=_asset("report.js"),
    )


def write_report(out_dir: Path) -> Path:
    """Write out_dir/audit/index.html from the published tables and run.json; return its path."""
    page = render(read_tables(out_dir))
    report_dir = out_dir / REPORT_DIR
    path = report_dir / REPORT_FILE
    tmp = path.with_suffix(".tmp")
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a report
    except OSError as exc:
        with contextlib.suppress(OSError):  # no half-written report left behind
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the audit report in {report_dir}: {exc.strerror or exc}") from exc
    return path
