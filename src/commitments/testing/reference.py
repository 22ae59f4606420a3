"""A plain reference model of status replay, written apart from `commitments.history`.

The machine and the property tests compare the tracker with these functions. They
favour obviousness over speed: every answer is a fresh replay of a list of updates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

import commitments as cm

__all__ = [
    "TickingClock",
    "reference_combine",
    "reference_statuses",
    "reference_valid",
    "reference_valid_as_known",
    "reference_version",
    "track_statuses",
]


def _ordered(updates: Iterable[cm.StatusUpdate]) -> list[cm.StatusUpdate]:
    return sorted(updates, key=lambda u: (u.on, u.recorded_at))


def _is_marker(commitment: cm.Commitment, update: cm.StatusUpdate) -> bool:
    return commitment.recurrence is not None and update.status is cm.Status.FULFILLED


def track_statuses(
    commitment: cm.Commitment, updates: Iterable[cm.StatusUpdate], *, until: dt.date | None = None
) -> dict[str | None, cm.Status]:
    """Each party's status (key None when the commitment names no parties).

    Replays `updates` in effect order, up to and including `until` (None: all of them);
    a recurring commitment's `fulfilled` updates mark occurrences and change nothing.
    """
    state: dict[str | None, cm.Status] = dict.fromkeys(
        commitment.parties or (None,), cm.Status.PLEDGED
    )
    for update in _ordered(updates):
        if until is not None and update.on > until:
            break
        if _is_marker(commitment, update):
            continue
        for track in state if update.party is None else (update.party,):
            state[track] = update.status
    return state


def reference_statuses(
    commitment: cm.Commitment, updates: Iterable[cm.StatusUpdate], *, until: dt.date | None = None
) -> cm.Status:
    """The overall recorded status after replaying `updates` up to `until` (inclusive)."""
    return reference_combine(list(track_statuses(commitment, updates, until=until).values()))


def reference_combine(statuses: Sequence[cm.Status]) -> cm.Status:
    """The README's table of how parties' statuses combine, read row by row.

    Written apart from `commitments.combine` so that the machine can catch it out.
    """
    S = cm.Status  # noqa: N806 - a short alias keeps the table readable
    if len(set(statuses)) == 1:
        return statuses[0]
    still_open = [s for s in statuses if s in (S.PLEDGED, S.IN_PROGRESS, S.STALLED)]
    if still_open:
        moved = any(s in (S.IN_PROGRESS, S.FULFILLED, S.PARTIALLY_FULFILLED) for s in statuses)
        if moved:
            return S.IN_PROGRESS
        if all(s is S.PLEDGED for s in statuses):
            return S.PLEDGED
        return S.STALLED
    if any(s in (S.FULFILLED, S.PARTIALLY_FULFILLED) for s in statuses):
        return S.PARTIALLY_FULFILLED
    for closing in (S.BROKEN, S.WITHDRAWN, S.SUPERSEDED):
        if closing in statuses:
            return closing
    msg = f"no row of the table covers {statuses!r}"  # pragma: no cover - every mix is covered
    raise AssertionError(msg)


def reference_valid(
    commitment: cm.Commitment, updates: Sequence[cm.StatusUpdate], workflow: cm.Workflow
) -> bool:
    """Whether every party's chain of statuses follows `workflow`.

    An occurrence marker of a recurring commitment is valid while some party it applies
    to is open; every other update must be a transition the workflow allows from the
    status of each party it applies to.
    """
    state: dict[str | None, cm.Status] = dict.fromkeys(
        commitment.parties or (None,), cm.Status.PLEDGED
    )
    for update in _ordered(updates):
        if update.status not in workflow.states:
            return False
        touched = list(state) if update.party is None else [update.party]
        if update.party is not None and update.party not in state:
            return False
        if _is_marker(commitment, update):
            if not any(state[track].is_open for track in touched):
                return False
            continue
        for track in touched:
            if update.status not in workflow.targets(state[track]):
                return False
            state[track] = update.status
    return True


class TickingClock:
    """A tracker clock that moves forward by `step` (default one minute) each time it is read.

    Deterministic, so examples replay exactly; aware (UTC), as a tracker requires. It
    starts in 2100 by default, after every moment the strategies draw: a tracker refuses
    an event recorded after its clock.
    """

    def __init__(
        self,
        start: dt.datetime = dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
        step: dt.timedelta = dt.timedelta(minutes=1),
    ) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> dt.datetime:
        """The next moment."""
        self.now += self.step
        return self.now


def reference_valid_as_known(
    commitment: cm.Commitment,
    updates: Sequence[cm.StatusUpdate],
    workflow: cm.Workflow,
    retractions: Sequence[cm.Retraction] = (),
) -> bool:
    """Whether the history is valid as known at every moment something was recorded.

    At each `recorded_at`, the updates recorded by then and not yet retracted by then
    must pass `reference_valid`: a back-filled update or a retraction may not leave a
    state of knowledge the workflow forbids.
    """
    moments = sorted({u.recorded_at for u in updates} | {r.recorded_at for r in retractions})
    for moment in moments:
        gone = {r.update_id for r in retractions if r.recorded_at <= moment}
        known = [u for u in updates if u.recorded_at <= moment and u.id not in gone]
        if not reference_valid(commitment, known, workflow):
            return False
    return True


def reference_version(
    commitment: cm.Commitment,
    amendments: Sequence[cm.Amendment],
    day: dt.date | None = None,
    *,
    retracted: Iterable[str] = (),
) -> cm.Commitment:
    """The commitment as it stood on `day` (None: with every revision).

    Read from the README's rule, apart from `commitments.versions`: every correction
    applies, in recording order; then every revision on or before `day`, by date, then
    recording time. Retracted amendments (their ids in `retracted`) do not count.
    """
    gone = set(retracted)
    kept = [a for a in amendments if a.id not in gone]
    fields: dict[str, Any] = {}
    for amendment in kept:
        if amendment.on is None:
            fields.update(amendment.changes)
    revisions = [a for a in kept if a.on is not None and (day is None or a.on <= day)]
    for amendment in sorted(revisions, key=lambda a: (a.on, a.recorded_at)):
        fields.update(amendment.changes)
    return attrs.evolve(commitment, **fields) if fields else commitment
