"""Assessments as plain records: one dict per commitment (or per commitment and party).

The rows notebooks, data frames and the command line's listings are made of. Values
are plain Python: dates as `datetime.date`, flags as `bool`, parties and areas as
tuples of text, None where there is nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from commitments.assessment import Assessment
from commitments.events import Amendment, Event, Progress, Retraction, StatusUpdate

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
    "period",
    "streak",
    "progress_done",
    "progress_total",
    "progress_unit",
    "parties",
    "areas",
    "occasion",
    "made_on",
)
"""The columns of the command line's listings (`status`, `overdue`, ... as CSV or JSON):
enough to pivot an export by party, area or occasion in a spreadsheet."""

_TEXT: frozenset[type] = frozenset({str})
_MAYBE_TEXT: frozenset[type] = frozenset({str, type(None)})
_MAYBE_INT: frozenset[type] = frozenset({int, type(None)})
_MAYBE_NUMBER: frozenset[type] = frozenset({int, float, type(None)})
_FLAG: frozenset[type] = frozenset({bool})
_LIST: frozenset[type] = frozenset({list})
# The JSON types of each listing column, in `LISTING_COLUMNS` order.
_LISTING_TYPES = (
    _TEXT, _TEXT, _TEXT, _MAYBE_TEXT, _MAYBE_TEXT, _MAYBE_TEXT, _FLAG, _FLAG, _MAYBE_TEXT,
    _MAYBE_INT, _MAYBE_TEXT, _MAYBE_TEXT, _MAYBE_TEXT, _MAYBE_INT, _MAYBE_TEXT, _MAYBE_INT,
    _MAYBE_NUMBER, _MAYBE_NUMBER, _MAYBE_TEXT, _LIST, _LIST, _MAYBE_TEXT, _TEXT,
)  # fmt: skip


_PARTIES = LISTING_COLUMNS.index("parties")
_AREAS = LISTING_COLUMNS.index("areas")

COLUMNS = (*LISTING_COLUMNS, "as_of", "known_on")
"""The keys of a record, in order; a per-party record adds `party` and `party_status`."""

PARTY_COLUMNS = (*COLUMNS, "party", "party_status")


def listing_row(record: Mapping[str, Any]) -> list[Any]:
    """A record's `LISTING_COLUMNS` as JSON values: dates as ISO text, tuples as lists.

    What the command line prints and what a store saves for a settled commitment.
    """
    return [_json_value(record[c]) for c in LISTING_COLUMNS]


def listing_row_problem(row: object) -> str | None:
    """What makes `row` no listing row (as `listing_row` gives, read back), or None."""
    if type(row) is not list or len(row) != len(LISTING_COLUMNS):
        return f"not a list of {len(LISTING_COLUMNS)} values"
    # The usual case in one pass of C loops: each value's type allowed in its column.
    if all(map(frozenset.__contains__, _LISTING_TYPES, map(type, row))) and all(
        type(v) is str for v in (*row[_PARTIES], *row[_AREAS])
    ):
        return None
    for name, value, types in zip(LISTING_COLUMNS, row, _LISTING_TYPES, strict=True):
        if type(value) not in types or (
            type(value) is list and any(type(v) is not str for v in value)
        ):
            return f"its {name} is {value!r}"
    return None


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def record_of(a: Assessment) -> dict[str, Any]:
    """The record of one assessment."""
    c = a.commitment
    deadline = c.deadline
    last = a.last_update
    progress = None if last is None else last.progress
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
        "period": a.period,
        "streak": a.streak,
        "progress_done": None if progress is None else progress.done,
        "progress_total": None if progress is None else progress.total,
        "progress_unit": None if progress is None else progress.unit,
        "parties": c.parties,
        "areas": c.areas,
        "occasion": c.occasion,
        "made_on": c.made_on,
        "as_of": a.as_of,
        "known_on": known_on,
    }


EVENT_COLUMNS = (
    "id",
    "type",
    "recorded_at",
    "recorded_by",
    "on",
    "status",
    "party",
    "changes",
    "reason",
    "note",
    "sources",
    "update_id",
    "retracted_by",
    "progress",
)
"""The columns of an event's record: `show`'s timeline, `changes` and the events CSV."""


def retractions(events: Iterable[Event]) -> dict[str, str]:
    """The id of the retraction of each retracted update or amendment among `events`."""
    return {e.update_id: e.id for e in events if isinstance(e, Retraction)}


def event_record(event: Event, retracted_by: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One event as a record keyed by `EVENT_COLUMNS` (JSON values: dates as ISO text).

    `retracted_by` maps retracted ids to their retractions (see `retractions`).
    """
    from commitments.catalog import event_document  # noqa: PLC0415 - the catalog imports us

    doc = event_document(event)
    row = {c: doc.get(c) for c in EVENT_COLUMNS}
    row["sources"] = [str(s) for s in getattr(event, "sources", ())]
    row["note"] = doc.get("note", doc.get("reason") if row["type"] == "retraction" else "")
    row["changes"] = sorted(event.changes) if isinstance(event, Amendment) else None
    row["retracted_by"] = (
        (retracted_by or {}).get(event.id) if isinstance(event, (StatusUpdate, Amendment)) else None
    )
    progress = getattr(event, "progress", None)
    row["progress"] = None if progress is None else progress_text(progress)
    return row


def event_csv_row(record: Mapping[str, Any], columns: Sequence[str]) -> list[Any]:
    """An event record's CSV cells: `changes` separated by spaces, `sources` by lines.

    A citation holds spaces and commas but never a line break, so the cell splits back.
    """
    separators = {"changes": " ", "sources": "\n"}
    return [separators[c].join(record[c] or ()) if c in separators else record[c] for c in columns]


def progress_text(progress: Progress) -> str:
    """Progress in words: "2300 of 6500 schools (35%)"."""
    unit = f" {progress.unit}" if progress.unit else ""
    return f"{progress.done:g} of {progress.total:g}{unit} ({progress.ratio:.0%})"
