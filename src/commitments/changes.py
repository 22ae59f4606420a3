"""What changed: the events recorded in a window, each with the status it moved from and to.

The weekly "what's new" an editor asks for. A change is one recorded event (a
commitment added or amended, a status update, a retraction) whose `recorded_at` falls on
a day of the window, in UTC, both ends inclusive; changes come in the order recorded.
Its `status_before` and `status_after` are the commitment's overall status on `as_of` as
known just before the event was recorded and just after (None where the commitment was
not yet known or not yet made); events recorded at the same instant are taken together,
as every known-on answer does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from commitments.events import Addition, Amendment, Event, Retraction, StatusUpdate
from commitments.exceptions import NotYetKnownError, NotYetMadeError, ValidationError
from commitments.history import knowledge_cutoff
from commitments.status import Status

if TYPE_CHECKING:
    from commitments.tracker import Tracker

_TICK = dt.timedelta(microseconds=1)
KINDS = {
    Addition: "added",
    Amendment: "amendment",
    StatusUpdate: "update",
    Retraction: "retraction",
}


@attrs.frozen
class Change:
    """One recorded event of the window and what it did to its commitment's status."""

    event: Event
    title: str
    status_before: Status | None
    status_after: Status | None

    @property
    def kind(self) -> str:
        """`added`, `amendment`, `update` or `retraction`."""
        return KINDS[type(self.event)]

    @property
    def commitment_id(self) -> str:
        """The commitment the event is about."""
        return self.event.commitment_id

    @property
    def moved(self) -> bool:
        """Whether the status on the as-of date changed with this event."""
        return self.status_before is not self.status_after

    def __repr__(self) -> str:
        before = "-" if self.status_before is None else self.status_before.value
        after = "-" if self.status_after is None else self.status_after.value
        return (
            f"<Change {self.event.id} {self.kind} "
            f"{self.event.recorded_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}Z: {before} -> {after}>"
        )


def window(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The window's bounds as moments: from `since` 00:00 UTC, before the day after `until`."""
    if until < since:
        raise ValidationError(f"until {until} is before since {since}; give since <= until")
    start = dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC)
    # The same bound as a question known on `until`; at the end of time, there is none.
    return start, knowledge_cutoff(until) or dt.datetime.max.replace(tzinfo=dt.UTC)


def status_known(
    tracker: Tracker, commitment_id: str, as_of: dt.date, known_on: dt.datetime
) -> Status | None:
    """The status on `as_of` as known at `known_on`; None before it was known or made."""
    try:
        return tracker.status(commitment_id, as_of=as_of, known_on=known_on)
    except (NotYetKnownError, NotYetMadeError):
        return None


def changes_of(tracker: Tracker, events: list[Event], as_of: dt.date) -> list[Change]:
    """Each event with the status on `as_of` just before and just after it was recorded.

    In the order recorded (`recorded_at`; the log's order among equal moments).
    """
    found = []
    for event in sorted(events, key=lambda e: e.recorded_at):
        moment = event.recorded_at
        cid = event.commitment_id
        after = status_known(tracker, cid, as_of, moment)
        # Nothing is known before an addition, nor before the first moment there is.
        first = moment - dt.datetime.min.replace(tzinfo=dt.UTC) < _TICK
        before = (
            None
            if isinstance(event, Addition) or first
            else status_known(tracker, cid, as_of, moment - _TICK)
        )
        try:
            title = tracker.commitment(cid, known_on=moment).title
        except NotYetKnownError:
            title = tracker.commitment(cid).title
        found.append(Change(event, title, before, after))
    return found
