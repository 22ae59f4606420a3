"""A commitment's standing once it no longer changes with the day.

Everything recorded counting, a commitment's assessment changes only on the days of its
status updates, when its deadline opens and passes, and when a deadline policy breaks
it. From the latest of those days on (`settled_from`), it reads the same on every day.
A store saves that assessment as a listing row with the snapshot (`settled`), so a
listing as of any later day prints the saved row instead of assessing again: the row
comes from the one assessment, computed when the snapshot is written.

Only a commitment with one version (no revision in force) that does not recur
settles: a recurring one has a new period every year, and a revised one changes on
the day of its revision (which is a day like the others, but its versions are not in
the snapshot).
"""

from __future__ import annotations

import datetime as dt
import json

import attrs

from commitments.assessment import assess_timeline
from commitments.policy import DeadlinePolicy
from commitments.records import listing_row, record_of
from commitments.snapshot import Snapshot
from commitments.status import Status

#: Bits of `Settled.selects`: the selections (`Tracker.select`'s kinds) that pick it.
SELECTED_BY = {"overdue": 1, "due": 2, "fulfilled": 4, "all": 8, "due_within": 0}


@attrs.frozen
class Settled:
    """A settled assessment: from `day` on, the listing `row` (JSON text) holds."""

    day: dt.date
    selects: int
    row: str


def settled_from(snap: Snapshot, policy: DeadlinePolicy) -> dt.date | None:
    """The first day from which the snapshot's assessment no longer changes, or None.

    The latest of: the day it was made, its last status change, its deadline's
    earliest day, the day after its latest day, the day `policy` would break it.
    None for a recurring or revised commitment, or one settling after 9999-12-31.
    """
    c = snap.commitment
    if not snap.usable or c.recurrence is not None:
        return None
    days = [c.made_on.toordinal()]
    if snap.timeline.days:
        days.append(snap.timeline.days[-1])
    deadline = c.deadline
    if deadline is not None:
        if deadline.earliest is not None:
            days.append(deadline.earliest.toordinal())
        if deadline.latest is not None:
            days.append(deadline.latest.toordinal() + 1)
            try:
                breaks = policy.breaks_on(deadline.latest)
            except OverflowError:
                return None
            if breaks is not None:
                days.append(breaks.toordinal())
    last = max(days)
    return None if last > dt.date.max.toordinal() else dt.date.fromordinal(last)


def settled(snap: Snapshot, policy: DeadlinePolicy) -> Settled | None:
    """The snapshot's settled assessment as a listing row, or None if it never settles."""
    day = settled_from(snap, policy)
    if day is None:
        return None
    c = snap.commitment
    a = assess_timeline(c, snap.timeline, day, policy=policy)
    selects = SELECTED_BY["all"]
    if a.overdue:
        selects |= SELECTED_BY["overdue"]
    if a.due:
        selects |= SELECTED_BY["due"]
    if a.status is Status.FULFILLED:
        selects |= SELECTED_BY["fulfilled"]
    text = json.dumps(listing_row(record_of(a)), ensure_ascii=False, separators=(",", ":"))
    return Settled(day, selects, text)
