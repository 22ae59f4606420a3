"""`TrackerMachine`: a hypothesis state machine that drives a tracker and checks it.

The machine keeps its own reference model (the commitments, the updates that count,
every event id in recording order) and after every step compares the tracker with a
plain replay of that model. Subclass it to test your own workflow, tracker factory,
rules or invariants, and run `MyMachine.TestCase` under pytest or unittest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
)

import commitments as cm
from commitments.testing.reference import (
    TickingClock,
    reference_combine,
    reference_valid,
    track_statuses,
)
from commitments.testing.strategies import (
    DEFAULT_PARTIES,
    UpdateRequest,
    commitments,
    invalid_updates,
    update_requests,
    valid_updates,
)

__all__ = ["TrackerMachine"]

TrackerFactory = Callable[[cm.Workflow], cm.Tracker]


def _effect_order(updates: list[cm.StatusUpdate]) -> tuple[cm.StatusUpdate, ...]:
    return tuple(sorted(updates, key=lambda u: (u.on, u.recorded_at)))


class TrackerMachine(RuleBasedStateMachine):
    """Drives a tracker with random steps and checks it against a reference replay.

    Rules add commitments, record valid, invalid and back-dated updates, retract, move
    the query date on, and dump and load.

    Class attributes to set in a subclass:

    - `workflow`: the workflow the tracker must enforce (default `DEFAULT_WORKFLOW`).
    - `tracker_factory`: builds the empty tracker under test from the workflow
      (default `Tracker(workflow)`); or pass a tracker to the constructor.
    - `start`, `end`: the query date starts at `start` and never passes `end`.
    - `parties`, `max_commitments`, `recurring` (False, True or None for either):
      bounds on the commitments the machine adds.

    The machine records every update with an explicit `recorded_at`, so the tracker's
    clock does not matter. Its reference model assumes nothing about the tracker but
    the documented rules; with a policy other than `KeepOpen`, overdue and fulfilled
    sets are checked against `commitments.assess`.
    """

    workflow: ClassVar[cm.Workflow] = cm.DEFAULT_WORKFLOW
    tracker_factory: ClassVar[TrackerFactory | None] = None
    start: ClassVar[dt.date] = dt.date(2023, 1, 1)
    end: ClassVar[dt.date] = dt.date(2027, 12, 31)
    parties: ClassVar[tuple[str, ...]] = DEFAULT_PARTIES
    max_commitments: ClassVar[int] = 5
    recurring: ClassVar[bool | None] = None

    commitment_ids = Bundle("commitment_ids")
    update_ids = Bundle("update_ids")

    def __init__(self, tracker: cm.Tracker | None = None) -> None:
        super().__init__()
        self.tracker = tracker if tracker is not None else self.make_tracker()
        if len(self.tracker) or self.tracker.events():
            raise cm.ValidationError(
                f"TrackerMachine needs an empty tracker; {self.tracker!r} already holds data"
            )
        self.today = self.start
        self.now = dt.datetime.combine(self.start, dt.time(0), tzinfo=dt.UTC)
        self.model: dict[str, cm.Commitment] = {}
        self.updates: dict[str, list[cm.StatusUpdate]] = {}
        self.retracted: set[str] = set()
        self.event_ids: list[str] = []

    def make_tracker(self) -> cm.Tracker:
        """The empty tracker under test; override, or set `tracker_factory`."""
        factory = type(self).tracker_factory
        if factory is not None:
            return factory(self.workflow)
        return cm.Tracker(self.workflow, clock=TickingClock())

    # -- helpers ----------------------------------------------------------------------

    def tick(self) -> dt.datetime:
        """A recording moment later than every one used so far."""
        self.now = max(self.now, dt.datetime.combine(self.today, dt.time(0), tzinfo=dt.UTC))
        self.now += dt.timedelta(minutes=1)
        return self.now

    def expect_refusal(self, attempt: Callable[[], object], why: str) -> None:
        """Run `attempt`, which must raise `UpdateError` and leave the tracker unchanged."""
        before = cm.dumps(self.tracker)
        try:
            attempt()
        except cm.UpdateError as exc:
            note(f"refused as expected: {exc}")
        else:
            raise AssertionError(f"the tracker accepted {why}")
        assert cm.dumps(self.tracker) == before, f"refusing {why} changed the tracker"

    def accept(self, cid: str, request: UpdateRequest) -> str:
        """Record `request`, which must be accepted, and add it to the model."""
        update = request.record(self.tracker, cid)
        self.updates[cid].append(update)
        self.event_ids.append(update.id)
        self.now = max(self.now, request.recorded_at)
        return update.id

    # -- rules ------------------------------------------------------------------------

    @precondition(lambda self: len(self.model) < self.max_commitments)
    @rule(target=commitment_ids, data=st.data())
    def add_commitment(self, data: st.DataObject) -> str:
        """Track a new commitment made on or before the query date."""
        commitment = data.draw(
            commitments(
                commitment_id=f"c{len(self.model)}",
                min_date=self.today - dt.timedelta(days=730),
                max_date=self.today,
                parties=self.parties,
                recurring=self.recurring,
            )
        )
        self.tracker.add(commitment, recorded_at=self.tick())
        self.model[commitment.id] = commitment
        self.updates[commitment.id] = []
        self.event_ids.append(self.tracker.events(commitment.id)[0].id)
        return commitment.id

    @rule(target=update_ids, cid=commitment_ids, data=st.data())
    def record_valid(self, cid: str, data: st.DataObject) -> object:
        """Record an update the workflow allows; the tracker must accept it."""
        request = data.draw(
            valid_updates(
                self.model[cid],
                self.workflow,
                history=self.updates[cid],
                max_date=self.today,
                recorded_after=self.now,
            )
        )
        if request is None:
            note(f"{cid}: the workflow allows no further update")
            return multiple()
        return self.accept(cid, request)

    @rule(cid=commitment_ids, data=st.data())
    def record_invalid(self, cid: str, data: st.DataObject) -> None:
        """Record an update that must be refused; nothing may change."""
        request = data.draw(
            invalid_updates(
                self.model[cid],
                self.workflow,
                history=self.updates[cid],
                max_date=self.today,
                recorded_after=self.now,
            )
        )
        self.expect_refusal(lambda: request.record(self.tracker, cid), f"{request} for {cid}")

    @rule(target=update_ids, cid=commitment_ids, data=st.data())
    def record_backdated(self, cid: str, data: st.DataObject) -> object:
        """Record any status on any day since the commitment was made; the model decides."""
        drawn = data.draw(
            update_requests(self.model[cid], workflow=self.workflow, max_date=self.today)
        )
        request = UpdateRequest(drawn.status, drawn.on, drawn.party, self.tick())
        candidate = request.as_update(cid)
        if reference_valid(self.model[cid], [*self.updates[cid], candidate], self.workflow):
            return self.accept(cid, request)
        self.expect_refusal(lambda: request.record(self.tracker, cid), f"{request} for {cid}")
        return multiple()

    @rule(update_id=update_ids)
    def retract(self, update_id: str) -> None:
        """Retract an update; refused if already retracted or if the rest breaks the workflow."""
        update = self.tracker.event(update_id)
        assert isinstance(update, cm.StatusUpdate)
        cid = update.commitment_id
        remaining = [u for u in self.updates[cid] if u.id != update_id]
        moment = self.tick()
        if update_id in self.retracted or not reference_valid(
            self.model[cid], remaining, self.workflow
        ):
            self.expect_refusal(
                lambda: self.tracker.retract(update_id, reason="test", recorded_at=moment),
                f"retracting {update_id}",
            )
            return
        retraction = self.tracker.retract(update_id, reason="test", recorded_at=moment)
        self.updates[cid] = remaining
        self.retracted.add(update_id)
        self.event_ids.append(retraction.id)

    @precondition(lambda self: self.today < self.end)
    @rule(days=st.integers(1, 400))
    def advance_query_date(self, days: int) -> None:
        """Move the query date on, never past `end`."""
        self.today = min(self.end, self.today + dt.timedelta(days=days))

    @rule()
    def dump_and_load(self) -> None:
        """A dumped and loaded tracker holds the same commitments, events and answers."""
        text = cm.dumps(self.tracker)
        again = cm.loads(text)
        assert again.commitments == self.tracker.commitments
        assert again.events() == self.tracker.events()
        assert cm.dumps(again) == text
        day = self.today
        assert [a.status for a in again.assess_all(as_of=day)] == [
            a.status for a in self.tracker.assess_all(as_of=day)
        ]

    # -- invariants -------------------------------------------------------------------

    @invariant()
    def nothing_is_lost(self) -> None:
        """Every accepted event is kept, in recording order, and nothing else is."""
        assert [e.id for e in self.tracker.events()] == self.event_ids
        assert [c.id for c in self.tracker.commitments] == list(self.model)

    @invariant()
    def histories_match(self) -> None:
        """The updates that count are the model's, in effect order."""
        for cid, updates in self.updates.items():
            assert self.tracker.history(cid) == _effect_order(updates)

    @invariant()
    def answers_match_replay(self) -> None:
        """Statuses, party statuses, overdue() and fulfilled() equal a plain replay."""
        overdue, fulfilled = set(), set()
        assessments = {a.commitment_id: a for a in self.tracker.assess_all(as_of=self.today)}
        keep_open = isinstance(self.tracker.policy, cm.KeepOpen)
        for cid, commitment in self.model.items():
            updates = self.updates[cid]
            tracks = track_statuses(commitment, updates, until=self.today)
            status = reference_combine(list(tracks.values()))
            assessment = assessments[cid]
            assert assessment.recorded_status is status, (cid, assessment, status)
            assert dict(assessment.party_statuses) == {
                p: s for p, s in tracks.items() if p is not None
            }
            if keep_open and commitment.recurrence is None:
                latest = commitment.deadline.latest if commitment.deadline else None
                if latest is not None and status.is_open and self.today > latest:
                    overdue.add(cid)
                if status is cm.Status.FULFILLED:
                    fulfilled.add(cid)
                continue
            pure = cm.assess(commitment, updates, as_of=self.today, policy=self.tracker.policy)
            assert pure == assessment
            if pure.overdue:
                overdue.add(cid)
            if pure.status is cm.Status.FULFILLED:
                fulfilled.add(cid)
        assert {c.id for c in self.tracker.overdue(as_of=self.today)} == overdue
        assert {c.id for c in self.tracker.fulfilled(as_of=self.today)} == fulfilled
