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

Amended commitments (see `commitments.versions`): every rule reads the commitment as
it stood on D (its deadline, parties, recurrence), except `late_by`, which counts
from the latest date of the deadline in force on the day of fulfilment. A revision
made after the old deadline passed leaves the pledge overdue between the two.

Recurring commitments (see `commitments.recurrence`) have periods instead of a deadline:

- `overdue`: the status on D is open and the latest period that ended before D was
  missed.
- `due`: the status on D is open and the period containing D is not met yet (a
  recurring commitment can be both due and overdue).
- `missed_periods`: how many periods were missed; `streak`: how many met periods in a
  row end with the latest completed one (the current period counts once met). Both
  are None for a commitment that does not recur.

Deadline policies (see `commitments.policy`): `recorded_status` is the status from the
history alone; `status` is the status after the policy, `broken` with `by_policy=True`
when the policy breaks the commitment. A commitment broken by policy is closed: neither
due nor overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from commitments.commitment import Commitment
from commitments.deadline import Deadline
from commitments.events import Retraction, StatusUpdate
from commitments.exceptions import NotYetMadeError, ValidationError
from commitments.history import (
    Timeline,
    build_timeline,
    effective_updates,
    knowledge_cutoff,
    occurrences,
)
from commitments.policy import KEEP_OPEN, DeadlinePolicy
from commitments.recurrence import Occurrence
from commitments.status import Status
from commitments.versions import Versions


@attrs.frozen
class Assessment:
    """A commitment's standing on `as_of`, as known on `known_on` (None: all recorded).

    `commitment` is the commitment as it stood on `as_of`. `status` is after the
    deadline policy; `recorded_status` is what the history says (the two differ only
    when `by_policy`). `deadline` is the deadline in force on `as_of`,
    `original_deadline` the first one (as added, with corrections).
    """

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
    recorded_status: Status = attrs.field(
        default=attrs.Factory(lambda self: self.status, takes_self=True)
    )
    by_policy: bool = False
    missed_periods: int | None = None
    streak: int | None = None
    #: For a recurring commitment: "met" or "due" (its current period), "missed" or "met"
    #: (its latest, when none is current); None otherwise.
    period: str | None = None
    original_deadline: Deadline | None = attrs.field(
        default=attrs.Factory(lambda self: self.commitment.deadline, takes_self=True)
    )

    @property
    def deadline(self) -> Deadline | None:
        """The deadline in force on `as_of`."""
        return self.commitment.deadline

    def _repr_html_(self) -> str:
        """A notebook's view: the assessment as a small table."""
        from commitments._notebook import assessment_html  # noqa: PLC0415 - only notebooks

        return assessment_html(self)

    @property
    def flags(self) -> tuple[str, ...]:
        """What stands out, in words: "overdue", "due", "N days late"."""
        late = (f"{self.late_by} days late",) if self.late_by else ()
        return (*(f for f in ("overdue", "due") if getattr(self, f)), *late)

    def __repr__(self) -> str:
        flags = self.flags
        shown = f"{self.status.value}{' (by policy)' if self.by_policy else ''}"
        extra = f", {', '.join(flags)}" if flags else ""
        known = "" if self.known_on is None else f" known on {self.known_on}"
        return f"<Assessment {self.commitment.id} on {self.as_of}{known}: {shown}{extra}>"

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


def recurring_flags(
    periods: Sequence[Occurrence], status: Status, as_of: dt.date
) -> tuple[bool, bool]:
    """(overdue, due) for a recurring commitment in `status` with `periods` up to `as_of`.

    Overdue: the latest completed period was missed and the current one is not met yet
    (a summit held this year makes up for last year's being missed, as far as being
    behind goes; `missed_periods` still counts it). Due: the current period is not met.
    """
    if not status.is_open or not periods:
        return False, False
    current, completed = _current_and_completed(periods, as_of)
    current_met = current is not None and current.met
    overdue = completed is not None and completed.missed and not current_met
    return overdue, current is not None and not current_met


def _current_and_completed(
    periods: Sequence[Occurrence], as_of: dt.date
) -> tuple[Occurrence | None, Occurrence | None]:
    """The period containing `as_of` (if any) and the latest one completed before it."""
    if periods[-1].contains(as_of):
        return periods[-1], periods[-2] if len(periods) > 1 else None
    return None, periods[-1]


def period_state(periods: Sequence[Occurrence], as_of: dt.date) -> str | None:
    """A recurring commitment's state in words (None before its first period).

    Its current period "met" or "due"; with no current period, its latest "met" or "missed".
    """
    if not periods:
        return None
    current, completed = _current_and_completed(periods, as_of)
    if current is not None:
        return "met" if current.met else "due"
    assert completed is not None  # noqa: S101 - periods is not empty
    return "met" if completed.met else "missed"


def streak(periods: Sequence[Occurrence], as_of: dt.date) -> int:
    """Met periods in a row ending with the latest completed one, or the current if met."""
    count = 0
    for period in reversed(periods):
        if period.met:
            count += 1
        elif not period.contains(as_of):
            break
    return count


def due_by(commitment: Commitment, periods: Sequence[Occurrence]) -> dt.date | None:
    """The date a policy measures lateness from: the deadline, or the first missed period's end."""
    if commitment.recurrence is None:
        deadline = commitment.deadline
        return None if deadline is None else deadline.latest
    return next((p.end for p in periods if p.missed), None)


def policy_status(
    timeline: Timeline, as_of: dt.date, due: dt.date | None, policy: DeadlinePolicy
) -> tuple[Status, bool]:
    """(status after `policy`, whether the policy decided it) on `as_of`."""
    recorded = timeline.status_on(as_of)
    if due is None:
        return recorded, False
    breaks = policy.breaks_on(due)
    if breaks is None or breaks > as_of or not timeline.status_on(breaks).is_open:
        return recorded, False
    return Status.BROKEN, True


def assess_timeline(
    commitment: Commitment,
    timeline: Timeline,
    as_of: dt.date,
    known_on: dt.date | dt.datetime | None = None,
    party_statuses: Mapping[str, Status] | None = None,
    *,
    policy: DeadlinePolicy = KEEP_OPEN,
    versions: Versions | None = None,
) -> Assessment:
    """Assess from a prebuilt timeline (the tracker caches them).

    `commitment` is the version in force on `as_of`; `versions` all of them, when it
    was amended.
    """
    check_made(commitment, as_of)
    index = timeline.index_on(as_of)
    recorded = timeline.statuses[index] if index >= 0 else Status.PLEDGED
    periods = occurrences(commitment, timeline, as_of)
    status, by_policy = policy_status(timeline, as_of, due_by(commitment, periods), policy)
    if commitment.recurrence is None:
        overdue, due = deadline_flags(commitment, status, as_of)
    else:
        overdue, due = recurring_flags(periods, status, as_of)
    fulfilled_on = None
    late_by = None
    if status is Status.FULFILLED:
        fulfilled_on = timeline.run_start(index)
        deadline = (commitment if versions is None else versions.at(fulfilled_on)).deadline
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
        recorded_status=recorded,
        by_policy=by_policy,
        missed_periods=None if commitment.recurrence is None else sum(p.missed for p in periods),
        streak=None if commitment.recurrence is None else streak(periods, as_of),
        period=None if commitment.recurrence is None else period_state(periods, as_of),
        original_deadline=(commitment if versions is None else versions.original).deadline,
    )


def assess(
    commitment: Commitment,
    updates: Iterable[StatusUpdate],
    retractions: Iterable[Retraction] = (),
    *,
    as_of: dt.date,
    known_on: dt.date | dt.datetime | None = None,
    policy: DeadlinePolicy = KEEP_OPEN,
) -> Assessment:
    """Assess `commitment` on `as_of` from its events, as known on `known_on`.

    `updates` are the commitment's updates in recording order; `retractions` its
    retractions; `policy` decides what a passed deadline means (default `KeepOpen`).
    Raises `NotYetMadeError` for a date before `made_on`.
    """
    check_made(commitment, as_of)
    effective = effective_updates(updates, retractions, knowledge_cutoff(known_on))
    timeline = build_timeline(commitment, effective)
    parties = timeline.party_statuses_on(commitment, as_of)
    return assess_timeline(commitment, timeline, as_of, known_on, parties, policy=policy)
