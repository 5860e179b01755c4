"""Audit: check every entity against the text that produced it.

Two views over the published tables, read with `store.write.read_table` so
that the audit sees exactly what a researcher gets, never the pipeline's
internals:

* `write_report` (report) writes out_dir/audit/index.html and, beside it, a
  folder of data in pieces; the page opens from the file system (no server,
  no network).  The run summary (summary) and the charts (charts, matplotlib
  SVG) are static HTML from the Jinja2 templates in templates/; the tables
  are cut into pieces of columnar JSON (data, paging), each a small script the
  page loads the first time a view needs it, and assets/report.js builds only
  what is on screen: a page of the entity index, one entity's mentions, one
  article.  index.html stays about 0.15 MB whatever the corpus, so a
  20,000-article archive opens in well under a second.
* `find_entity` (card) finds an entity and its mentions in context, as data;
  `entity_card` prints it: the terminal view behind `python -m pipeline show`.

Offsets in the tables count Unicode code points (Python `str`); the script
slices with `Array.from`, so characters outside the BMP (emoji) do not shift
highlights.
"""

from .card import EntityMentions, entity_card, find_entity
from .report import write_report

__all__ = ["EntityMentions", "entity_card", "find_entity", "write_report"]
