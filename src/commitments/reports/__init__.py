"""Reports and exports: Markdown, a static HTML page, CSV, iCalendar and Atom.

This subpackage is an edge: it reads a `Tracker` and writes text; `import commitments`
never imports it. Every renderer takes `as_of` (a date) and `known_on` (None: all
recorded), so a report can be reproduced as it stood on any day.
"""

from __future__ import annotations

from commitments.reports.atom import to_atom
from commitments.reports.csv import assessments_csv, events_csv, write_csv
from commitments.reports.html import render_html
from commitments.reports.ical import to_ical
from commitments.reports.markdown import render_markdown
from commitments.reports.table import compliance_table

__all__ = [
    "assessments_csv",
    "compliance_table",
    "events_csv",
    "render_html",
    "render_markdown",
    "to_atom",
    "to_ical",
    "write_csv",
]
