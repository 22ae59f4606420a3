"""An iCalendar feed of deadline windows (and recurring occurrences, where tracked).

Needs the optional `icalendar` package: `pip install "commitments[ical]"`. Each event
is an all-day event spanning the window; its DTEND is the day after `latest`, as
RFC 5545 makes the end of an all-day event exclusive. A window that ends on
9999-12-31 (an "open-ended" placeholder) has no next day, so its event gives a DURATION
in days instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from commitments.assessment import Assessment
from commitments.deadline import Deadline
from commitments.exceptions import MissingExtraError, ValidationError
from commitments.recurrence import Occurrence
from commitments.tracker import KnownOn, Tracker

if TYPE_CHECKING:
    import icalendar

_ONE_DAY = dt.timedelta(days=1)


def _icalendar() -> Any:  # noqa: ANN401 - the module object itself
    try:
        import icalendar  # noqa: PLC0415 - optional extra, imported on use only
    except ImportError:
        raise MissingExtraError(
            "iCalendar export needs the optional 'icalendar' package; install it with "
            "pip install 'commitments[ical]'"
        ) from None
    return icalendar


def _window(deadline: Deadline) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of a deadline; None when it has no latest date."""
    if deadline.latest is None:
        return None
    return (deadline.earliest or deadline.latest, deadline.latest)


def _occurrence_label(occurrence: Occurrence) -> str:
    if occurrence.met:
        return "Met"
    return "Missed" if occurrence.missed else "Due"


def _event(
    ical: Any,  # noqa: ANN401 - the icalendar module, imported on use
    assessment: Assessment,
    window: tuple[dt.date, dt.date],
    *,
    uid: str,
    stamp: dt.datetime,
    label: str,
) -> icalendar.Event:
    c = assessment.commitment
    event: icalendar.Event = ical.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", window[0])
    if window[1] < dt.date.max:
        event.add("dtend", window[1] + _ONE_DAY)
    else:  # no date follows 9999-12-31, so the window is given as a length
        event.add("duration", window[1] - window[0] + _ONE_DAY)
    event.add("summary", f"{label}: {c.title}")
    lines = [
        f"Commitment {c.id}, made on {c.made_on.isoformat()}",
        f"Status on {assessment.as_of.isoformat()}: {assessment.status.value}",
    ]
    if c.parties:
        lines.append(f"Parties: {', '.join(c.parties)}")
    if c.deadline is not None:
        lines.append(f"Deadline: {c.deadline.text}")
    lines += [str(s) for s in c.sources]
    event.add("description", "\n".join(lines))
    if c.areas:
        event.add("categories", list(c.areas))
    url = next((s.web_url for s in c.sources if s.web_url), None)
    if url is not None:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def to_ical(
    tracker: Tracker,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    name: str = "Commitment deadlines",
    stamp: dt.datetime | None = None,
) -> bytes:
    """An iCalendar feed of the deadline windows of commitments made by `as_of`.

    Commitments without a latest deadline date are left out; a recurring commitment
    gives one event per period up to the one containing `as_of`, labelled Met, Missed
    or Due. `stamp` (an aware
    datetime; default now) is each event's DTSTAMP; pass one for reproducible output.
    UIDs are stable: `<id>.deadline@commitments`.
    """
    ical = _icalendar()
    stamp = dt.datetime.now(dt.UTC) if stamp is None else stamp
    if not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None:
        raise ValidationError(f"stamp must be a timezone-aware datetime, got {stamp!r}")
    calendar = ical.Calendar()
    calendar.add("prodid", "-//commitments//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for assessment in tracker.assess_all(as_of=as_of, known_on=known_on):
        c = assessment.commitment
        window = None if c.deadline is None else _window(c.deadline)
        if window is not None:
            uid = f"{c.id}.deadline@commitments"
            calendar.add_component(
                _event(ical, assessment, window, uid=uid, stamp=stamp, label="Deadline")
            )
        if c.recurrence is not None:
            for occurrence in tracker.occurrences(c.id, as_of=as_of, known_on=known_on):
                uid = f"{c.id}.{occurrence.start.isoformat()}@commitments"
                span = (occurrence.start, occurrence.end)
                label = _occurrence_label(occurrence)
                calendar.add_component(
                    _event(ical, assessment, span, uid=uid, stamp=stamp, label=label)
                )
    data: bytes = calendar.to_ical()
    return data
