"""CSV exports: assessments (a row per commitment and party) and events (a row each)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TextIO

from commitments._atomic import write_atomically
from commitments._spreadsheet import SafeCsv
from commitments.compliance import Scoring
from commitments.records import (
    EVENT_COLUMNS,
    event_csv_row,
    event_record,
    progress_text,
    retractions,
)
from commitments.reports._summary import summarize
from commitments.tracker import KnownOn, Tracker

COLUMNS = (
    "as_of",
    "known_on",
    "commitment_id",
    "title",
    "made_on",
    "areas",
    "party",
    "status",
    "score",
    "overall_status",
    "deadline",
    "deadline_earliest",
    "deadline_latest",
    "due",
    "overdue",
    "last_update_on",
    "progress",
)
"""The columns, in order. `party` is empty for a commitment without parties; `score`
is exact when whole, else a fraction such as 1/2, and empty when not scored; `progress`
is what the status-setting update reports ("2300 of 6500 schools (35%)"), if anything."""


def _date(value: dt.date | dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


def _rows(
    tracker: Tracker, as_of: dt.date, known_on: KnownOn, scoring: Scoring | None
) -> list[list[str]]:
    summary = summarize(tracker, as_of=as_of, known_on=known_on, scoring=scoring)
    by_id = {a.commitment_id: a for a in summary.assessments}
    rows = []
    for cell in summary.compliance.cells:
        a = by_id[cell.commitment_id]
        c = a.commitment
        deadline = c.deadline
        progress = None if a.last_update is None else a.last_update.progress
        rows.append(
            [
                as_of.isoformat(),
                _date(known_on),
                c.id,
                c.title,
                c.made_on.isoformat(),
                ";".join(c.areas),
                cell.party or "",
                cell.status.value,
                "" if cell.score is None else str(cell.score),
                a.status.value,
                "" if deadline is None else deadline.text,
                _date(None if deadline is None else deadline.earliest),
                _date(None if deadline is None else deadline.latest),
                "true" if a.due else "false",
                "true" if a.overdue else "false",
                _date(None if a.last_update is None else a.last_update.on),
                "" if progress is None else progress_text(progress),
            ]
        )
    return rows


def write_csv(
    tracker: Tracker,
    target: TextIO | Path | str,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    scoring: Scoring | None = None,
) -> None:
    """Write the assessments on `as_of` as CSV (header row first) to a file or path."""
    if isinstance(target, (str, Path)):
        buffer = io.StringIO()
        write_csv(tracker, buffer, as_of=as_of, known_on=known_on, scoring=scoring)
        write_atomically(target, buffer.getvalue())
        return
    writer = SafeCsv(target)
    writer.row(COLUMNS)
    writer.rows(_rows(tracker, as_of, known_on, scoring))


def assessments_csv(
    tracker: Tracker,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    scoring: Scoring | None = None,
) -> str:
    """The assessments on `as_of` as CSV text; see `COLUMNS`."""
    buffer = io.StringIO()
    write_csv(tracker, buffer, as_of=as_of, known_on=known_on, scoring=scoring)
    return buffer.getvalue()


EVENT_CSV_COLUMNS = ("commitment_id", *EVENT_COLUMNS)
"""The events CSV's columns: the commitment, then `records.EVENT_COLUMNS`."""


def events_csv(tracker: Tracker, *, known_on: KnownOn = None) -> str:
    """Every recorded event (as known on `known_on`) as CSV, one row each, in recording order.

    `changes` lists an amendment's fields separated by spaces; `sources`, one per line of
    the cell; `retracted_by` names the retraction, if one is recorded.
    """
    events = tracker.events(known_on=known_on)
    retracted_by = retractions(events)
    buffer = io.StringIO()
    writer = SafeCsv(buffer)
    writer.row(EVENT_CSV_COLUMNS)
    for event in events:
        record = event_record(event, retracted_by)
        record["commitment_id"] = event.commitment_id
        writer.row(event_csv_row(record, EVENT_CSV_COLUMNS))
    return buffer.getvalue()
