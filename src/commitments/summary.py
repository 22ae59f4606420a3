"""A commitment's history digested for quick questions and quick appends.

A `Summary` is a pure function of one commitment's events (everything recorded
counts): its overall status timeline, each track's latest status and the effect key
of its last effective update. A store keeps one per commitment, rewritten in the same
transaction as each event, so questions without `known_on` about non-recurring
commitments need no events, and an update that comes last in effect order can be
validated from the track statuses alone. The rules stay in `commitments.history`;
this module only calls them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import overload

import attrs

from commitments.commitment import Commitment
from commitments.events import Retraction, StatusUpdate
from commitments.history import (
    Timeline,
    Violation,
    advance,
    build_timeline,
    effect_key,
    effective_updates,
    first_violation,
    statuses_after,
)
from commitments.status import Status
from commitments.workflow import Workflow

#: (id, recorded_at in ISO format, party, own status) of the update behind an entry;
#: the time stays text so a summary is read and written without parsing every entry.
Ref = tuple[str, str, str | None, Status]


@attrs.frozen
class Head:
    """What checking and summarizing an update that comes last needs.

    `events` counts every event recorded (updates and retractions); `tracks` holds
    each track's status after every effective update; `last` is the effect key
    (on, recorded_at) of the last effective update, or None; `newest` the latest
    `recorded_at` of any event (update or retraction), or None.
    """

    events: int
    tracks: tuple[tuple[str | None, Status], ...]
    last: tuple[dt.date, dt.datetime] | None
    newest: dt.datetime | None = None


@attrs.frozen
class Summary(Head):
    """The digest of one commitment's whole history; see the module docstring.

    `days`/`statuses` are the overall timeline (as `Timeline`); `refs[i]` names the
    update behind entry i.
    """

    days: tuple[int, ...] = ()
    statuses: tuple[Status, ...] = ()
    refs: Sequence[Ref] = ()

    def timeline(self, commitment_id: str) -> Timeline:
        """The timeline; its updates are rebuilt when read, without notes or sources."""
        return stored_timeline(commitment_id, self.days, self.statuses, self.refs)


def stored_timeline(
    commitment_id: str, days: tuple[int, ...], statuses: tuple[Status, ...], refs: Sequence[Ref]
) -> Timeline:
    """A timeline from a summary's parts; its updates are built when read."""
    return Timeline(days, statuses, _Updates(commitment_id, days, refs))


class _Updates(Sequence[StatusUpdate]):
    """The updates behind a summary's timeline entries, built when read."""

    __slots__ = ("_cid", "_days", "_refs")

    def __init__(self, commitment_id: str, days: tuple[int, ...], refs: Sequence[Ref]) -> None:
        self._cid = commitment_id
        self._days = days
        self._refs = refs

    def __len__(self) -> int:
        return len(self._refs)

    @overload
    def __getitem__(self, index: int) -> StatusUpdate: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[StatusUpdate]: ...
    def __getitem__(self, index: int | slice) -> StatusUpdate | Sequence[StatusUpdate]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        eid, recorded, party, status = self._refs[index]
        return StatusUpdate(
            id=eid,
            commitment_id=self._cid,
            status=status,
            on=dt.date.fromordinal(self._days[index]),
            recorded_at=dt.datetime.fromisoformat(recorded),
            party=party,
        )

    def __iter__(self) -> Iterator[StatusUpdate]:
        return (self[i] for i in range(len(self)))


def summarize(
    commitment: Commitment,
    updates: Sequence[StatusUpdate],
    retractions: Sequence[Retraction] = (),
) -> Summary:
    """The summary of a commitment with `updates` (recording order) and `retractions`."""
    effective = effective_updates(updates, retractions)
    timeline = build_timeline(commitment, effective)
    return Summary(
        events=len(updates) + len(retractions),
        days=timeline.days,
        statuses=timeline.statuses,
        refs=tuple((u.id, u.recorded_at.isoformat(), u.party, u.status) for u in timeline.updates),
        tracks=tuple(statuses_after(commitment, effective).items()),
        last=effect_key(effective[-1]) if effective else None,
        newest=max(
            [u.recorded_at for u in updates] + [r.recorded_at for r in retractions], default=None
        ),
    )


def comes_last(commitment: Commitment, head: Head, update: StatusUpdate) -> bool:
    """Whether `update` comes last both in effect order and in what was known when.

    That is: a non-recurring commitment, `update` sorts after every effective update,
    and no event was recorded after it. Every state of knowledge from its
    `recorded_at` on is then the latest history plus `update`, so checking the track
    statuses (`check_appended`) is what `knowledge_violation` checks, and `step` gives
    the summary.
    """
    return (
        commitment.recurrence is None
        and (head.last is None or effect_key(update) >= head.last)
        and (head.newest is None or update.recorded_at >= head.newest)
    )


def check_appended(
    commitment: Commitment, head: Head, update: StatusUpdate, workflow: Workflow
) -> Violation | None:
    """The violation `update` causes, when it `comes_last`; else None."""
    return first_violation(commitment, (update,), workflow, start=dict(head.tracks))


def step(head: Head, update: StatusUpdate) -> tuple[Head, Status]:
    """(the head after `update`, which `comes_last`; the overall status it sets).

    The timeline gains an entry on `update.on` with that status, replacing the last
    entry when it is on the same day (same-day updates collapse, as in `build_timeline`).
    """
    state, overall = advance(dict(head.tracks), update)
    after = Head(head.events + 1, tuple(state.items()), effect_key(update), update.recorded_at)
    return after, overall


def appended(summary: Summary, update: StatusUpdate) -> Summary:
    """The summary after `update`, which `comes_last` (same as re-summarizing)."""
    head, overall = step(summary, update)
    day = update.on.toordinal()
    ref: Ref = (update.id, update.recorded_at.isoformat(), update.party, update.status)
    days, statuses, refs = summary.days, summary.statuses, summary.refs
    if days and days[-1] == day:
        days, statuses, refs = days[:-1], statuses[:-1], refs[:-1]
    return Summary(
        events=head.events,
        tracks=head.tracks,
        last=head.last,
        newest=head.newest,
        days=(*days, day),
        statuses=(*statuses, overall),
        refs=(*refs, ref),
    )
