"""Assessments as plain records: one dict per commitment (or per commitment and party).

The rows notebooks, data frames and the command line's listings are made of. Values
are plain Python: dates as `datetime.date`, flags as `bool`, parties and areas as
tuples of text, None where there is nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from commitments.assessment import Assessment

LISTING_COLUMNS = (
    "id",
    "title",
    "status",
    "deadline",
    "deadline_earliest",
    "deadline_latest",
    "overdue",
    "due",
    "fulfilled_on",
    "late_by",
    "last_update_id",
    "last_update_on",
    "recurrence",
    "missed_periods",
    "parties",
    "areas",
    "occasion",
    "made_on",
)
"""The columns of the command line's listings (`status`, `overdue`, ... as CSV or JSON):
enough to pivot an export by party, area or occasion in a spreadsheet."""

COLUMNS = (*LISTING_COLUMNS, "as_of", "known_on")
"""The keys of a record, in order; a per-party record adds `party` and `party_status`."""

PARTY_COLUMNS = (*COLUMNS, "party", "party_status")


def record_of(a: Assessment) -> dict[str, Any]:
    """The record of one assessment."""
    c = a.commitment
    deadline = c.deadline
    last = a.last_update
    known_on: dt.date | dt.datetime | None = a.known_on
    return {
        "id": c.id,
        "title": c.title,
        "status": a.status.value,
        "deadline": None if deadline is None else deadline.text,
        "deadline_earliest": None if deadline is None else deadline.earliest,
        "deadline_latest": None if deadline is None else deadline.latest,
        "overdue": a.overdue,
        "due": a.due,
        "fulfilled_on": a.fulfilled_on,
        "late_by": a.late_by,
        "last_update_id": None if last is None else last.id,
        "last_update_on": None if last is None else last.on,
        "recurrence": None if c.recurrence is None else c.recurrence.text,
        "missed_periods": a.missed_periods,
        "parties": c.parties,
        "areas": c.areas,
        "occasion": c.occasion,
        "made_on": c.made_on,
        "as_of": a.as_of,
        "known_on": known_on,
    }
