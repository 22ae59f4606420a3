"""Where a commitment stands on a date: the one pure function behind every query.

Rules (inclusive bounds throughout):

- `overdue`: the status on D is open and D > deadline.latest.
- `due`: the status on D is open, the deadline has a latest date, and
  earliest <= D <= latest (an open earliest counts as already reached).
- A deadline without a latest date is never due nor overdue.
- `fulfilled_on`: when the status on D is `fulfilled`, the day that run of
  `fulfilled` began; else None.
- `late_by`: whole days from deadline.latest to `fulfilled_on`, 0 when on time; None
  when not fulfilled or there is no latest date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from commitments.commitment import Commitment
from commitments.events import Retraction, StatusUpdate
from commitments.exceptions import NotYetMadeError, ValidationError
from commitments.history import (
    Timeline,
    build_timeline,
    effective_updates,
    knowledge_cutoff,
    party_statuses_on,
)
from commitments.status import Status


@attrs.frozen
class Assessment:
    """A commitment's standing on `as_of`, as known on `known_on` (None: all recorded)."""

    commitment: Commitment
    as_of: dt.date
    known_on: dt.date | dt.datetime | None
    status: Status
    overdue: bool
    due: bool
    fulfilled_on: dt.date | None
    late_by: int | None
    last_update: StatusUpdate | None
    party_statuses: Mapping[str, Status] = attrs.field(factory=dict)

    @property
    def commitment_id(self) -> str:
        """The id of the assessed commitment."""
        return self.commitment.id

    @property
    def on_time(self) -> bool | None:
        """True when fulfilled by the latest date; None when not fulfilled or no deadline."""
        return None if self.late_by is None else self.late_by == 0


def check_made(commitment: Commitment, as_of: dt.date) -> None:
    """Refuse questions about a date before the commitment was made."""
    if type(as_of) is not dt.date:
        raise ValidationError(
            f"{commitment.id}: as_of must be a calendar date (datetime.date), got {as_of!r}"
        )
    if as_of < commitment.made_on:
        raise NotYetMadeError(
            f"{commitment.id} was made on {commitment.made_on}; there is no status on "
            f"{as_of}, ask for a date on or after it"
        )


def deadline_flags(commitment: Commitment, status: Status, as_of: dt.date) -> tuple[bool, bool]:
    """(overdue, due) for a commitment in `status` on `as_of`."""
    deadline = commitment.deadline
    if deadline is None or deadline.latest is None or not status.is_open:
        return False, False
    if as_of > deadline.latest:
        return True, False
    return False, deadline.earliest is None or deadline.earliest <= as_of


def assess_timeline(
    commitment: Commitment,
    timeline: Timeline,
    as_of: dt.date,
    known_on: dt.date | dt.datetime | None = None,
    party_statuses: Mapping[str, Status] | None = None,
) -> Assessment:
    """Assess from a prebuilt timeline (the tracker caches them)."""
    check_made(commitment, as_of)
    index = timeline.index_on(as_of)
    status = timeline.statuses[index] if index >= 0 else Status.PLEDGED
    overdue, due = deadline_flags(commitment, status, as_of)
    fulfilled_on = None
    late_by = None
    if status is Status.FULFILLED:
        fulfilled_on = timeline.run_start(index)
        deadline = commitment.deadline
        if deadline is not None and deadline.latest is not None:
            late_by = max(0, (fulfilled_on - deadline.latest).days)
    return Assessment(
        commitment=commitment,
        as_of=as_of,
        known_on=known_on,
        status=status,
        overdue=overdue,
        due=due,
        fulfilled_on=fulfilled_on,
        late_by=late_by,
        last_update=timeline.updates[index] if index >= 0 else None,
        party_statuses=party_statuses or {},
    )


def assess(
    commitment: Commitment,
    updates: Iterable[StatusUpdate],
    retractions: Iterable[Retraction] = (),
    *,
    as_of: dt.date,
    known_on: dt.date | dt.datetime | None = None,
) -> Assessment:
    """Assess `commitment` on `as_of` from its events, as known on `known_on`.

    `updates` are the commitment's updates in recording order; `retractions` its
    retractions. Raises `NotYetMadeError` for a date before `made_on`.
    """
    check_made(commitment, as_of)
    effective = effective_updates(updates, retractions, knowledge_cutoff(known_on))
    timeline = build_timeline(commitment, effective)
    parties = party_statuses_on(commitment, effective, as_of)
    return assess_timeline(commitment, timeline, as_of, known_on, parties)
