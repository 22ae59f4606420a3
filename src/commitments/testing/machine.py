"""`TrackerMachine`: a hypothesis state machine that drives a tracker and checks it.

The machine keeps its own reference model (the commitments, their amendments, the
updates that count, every event id in recording order) and after every step compares
the tracker with a plain replay of that model. Subclass it to test your own workflow,
tracker factory, rules or invariants, and run `MyMachine.TestCase` under pytest or
unittest. For a tracker over a store, override `reopen` too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

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
    reference_version,
    track_statuses,
)
from commitments.testing.strategies import (
    DEFAULT_PARTIES,
    UpdateRequest,
    commitments,
    deadlines,
    invalid_updates,
    update_requests,
    valid_updates,
)

__all__ = ["TrackerMachine"]

TrackerFactory = Callable[[cm.Workflow], cm.Tracker]


class _AbortError(Exception):
    """Raised inside a transaction to abort it."""


def _effect_order(updates: list[cm.StatusUpdate]) -> tuple[cm.StatusUpdate, ...]:
    return tuple(sorted(updates, key=lambda u: (u.on, u.recorded_at)))


class TrackerMachine(RuleBasedStateMachine):
    """Drives a tracker with random steps and checks it against a reference replay.

    Rules add commitments, record valid, invalid and back-dated updates, correct and
    revise commitments, retract updates and amendments, abort transactions, reopen the
    tracker, ask questions as known on earlier moments, move the query date on, and dump
    and load.

    Class attributes to set in a subclass:

    - `workflow`: the workflow the tracker must enforce (default `DEFAULT_WORKFLOW`).
    - `tracker_factory`: builds the empty tracker under test from the workflow
      (default: `Tracker(workflow, clock=TickingClock())`); or pass a tracker to the
      constructor.
    - `start`, `end`: the query date starts at `start` and never passes `end`.
    - `parties`, `max_commitments`, `recurring` (False, True or None for either):
      bounds on the commitments the machine adds.

    Methods to override: `make_tracker()` (the empty tracker under test) and `reopen()`
    (the same log read afresh; a store closes and opens its file; default: no-op).

    The machine records every event with an explicit `recorded_at`, between `start` and
    a little after `end`. A tracker refuses events recorded after its clock, so the
    tracker under test needs a clock standing after those moments, as `TickingClock`'s
    default (2100 on) does. Its reference model assumes nothing about the tracker but
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
    amendment_ids = Bundle("amendment_ids")

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
        self.added_at: dict[str, dt.datetime] = {}
        self.updates: dict[str, list[cm.StatusUpdate]] = {}
        self.recorded: dict[str, list[cm.StatusUpdate]] = {}  # retracted ones too
        self.amendments: dict[str, list[cm.Amendment]] = {}
        self.retracted: set[str] = set()
        self.retracted_at: dict[str, dt.datetime] = {}
        self.event_ids: list[str] = []

    def make_tracker(self) -> cm.Tracker:
        """The empty tracker under test; override, or set `tracker_factory`."""
        factory = type(self).tracker_factory
        if factory is not None:
            return factory(self.workflow)
        return cm.Tracker(self.workflow, clock=TickingClock())

    def reopen(self) -> None:
        """Read the log afresh: a store closes and reopens its file (default: nothing)."""

    def version(self, cid: str, day: dt.date | None = None) -> cm.Commitment:
        """The model's commitment as it stood on `day` (None: every revision)."""
        return reference_version(
            self.model[cid], self.amendments[cid], day, retracted=self.retracted
        )

    # -- helpers ----------------------------------------------------------------------

    def tick(self) -> dt.datetime:
        """A recording moment later than every one used so far."""
        self.now = max(self.now, dt.datetime.combine(self.today, dt.time(0), tzinfo=dt.UTC))
        self.now += dt.timedelta(minutes=1)
        return self.now

    def draw_request(
        self, data: st.DataObject, strategy: Callable[..., st.SearchStrategy[Any]], cid: str
    ) -> Any:  # noqa: ANN401 - an UpdateRequest, or None from valid_updates
        """Draw from `valid_updates` or `invalid_updates` for `cid`'s model and history."""
        return data.draw(
            strategy(
                self.model[cid],
                self.workflow,
                history=self.updates[cid],
                max_date=self.today,
                recorded_after=self.now,
            )
        )

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
        self.recorded[cid].append(update)
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
        moment = self.tick()
        self.tracker.add(commitment, recorded_at=moment)
        self.model[commitment.id] = commitment
        self.added_at[commitment.id] = moment
        self.updates[commitment.id] = []
        self.recorded[commitment.id] = []
        self.amendments[commitment.id] = []
        self.event_ids.append(self.tracker.events(commitment.id)[0].id)
        return commitment.id

    @rule(target=amendment_ids, cid=commitment_ids, data=st.data())
    def amend(self, cid: str, data: st.DataObject) -> str:
        """Correct a commitment (on=None) or revise it from a day it was in force."""
        current = self.version(cid)
        revise = data.draw(st.booleans(), label="revise")
        on = (
            data.draw(st.dates(current.made_on, max(current.made_on, self.today)), label="on")
            if revise
            else None
        )
        field = data.draw(
            st.sampled_from(
                ["title", "occasion", "areas"]
                + (["deadline"] if current.recurrence is None else [])
            ),
            label="field",
        )
        value: Any
        if field == "deadline":
            value = data.draw(
                st.none() | deadlines(min_date=current.made_on, max_date=self.end), label="deadline"
            )
        elif field == "areas":
            value = tuple(data.draw(st.lists(st.sampled_from(["trade", "health"]), max_size=2,
                                             unique=True), label="areas"))  # fmt: skip
        else:
            value = data.draw(st.sampled_from(["Revised", "Meet again", "Later"]), label=field)
        changes: dict[str, Any] = {field: value}
        amendment = self.tracker.amend(
            cid, reason="test", on=on, recorded_at=self.tick(), **changes
        )
        self.amendments[cid].append(amendment)
        self.event_ids.append(amendment.id)
        return amendment.id

    @rule(amendment_id=amendment_ids)
    def retract_amendment(self, amendment_id: str) -> None:
        """Retract an amendment: its commitment reads as before, from now on."""
        moment = self.tick()
        if amendment_id in self.retracted:
            self.expect_refusal(
                lambda: self.tracker.retract(amendment_id, reason="test", recorded_at=moment),
                f"retracting {amendment_id} again",
            )
            return
        retraction = self.tracker.retract(amendment_id, reason="test", recorded_at=moment)
        self.retracted.add(amendment_id)
        self.retracted_at[amendment_id] = moment
        self.event_ids.append(retraction.id)

    @rule(cid=commitment_ids, data=st.data())
    def abort_transaction(self, cid: str, data: st.DataObject) -> None:
        """Record, amend and add inside a transaction, then raise: nothing may remain."""
        before = cm.dumps(self.tracker)
        request = self.draw_request(data, valid_updates, cid)
        moment = self.tick()

        def changes_then_abort() -> None:
            with self.tracker.transaction():
                if request is not None:
                    request.record(self.tracker, cid)
                    self.tracker.history(cid)  # read what was just written
                self.tracker.amend(cid, title="Aborted", reason="test", recorded_at=moment)
                raise _AbortError

        with contextlib.suppress(_AbortError):
            changes_then_abort()
        assert cm.dumps(self.tracker) == before, "an aborted transaction left changes"

    @rule()
    def reopen_tracker(self) -> None:
        """Read the log afresh; nothing may change."""
        before = cm.dumps(self.tracker)
        self.reopen()
        assert cm.dumps(self.tracker) == before

    @rule(data=st.data())
    def ask_as_known_earlier(self, data: st.DataObject) -> None:
        """Statuses and versions as known on an earlier moment equal the model's then."""
        if not self.model:
            return
        start = min(self.added_at.values())
        moment = data.draw(
            st.datetimes(
                start.replace(tzinfo=None), self.now.replace(tzinfo=None), timezones=st.just(dt.UTC)
            ),
            label="known_on",
        )
        day = self.today
        known = {cid for cid, added in self.added_at.items() if added <= moment}
        assessed = self.tracker.assess_all(as_of=day, known_on=moment)
        assert {a.commitment_id for a in assessed} == {
            cid for cid in known if self.model[cid].made_on <= day
        }
        gone = {i for i, at in self.retracted_at.items() if at <= moment}
        for cid in known:
            amendments = [a for a in self.amendments[cid] if a.recorded_at <= moment]
            expected = reference_version(self.model[cid], amendments, day, retracted=gone)
            assert self.tracker.commitment(cid, as_of=day, known_on=moment) == expected
            updates = [
                u for u in self.recorded[cid] if u.recorded_at <= moment and u.id not in gone
            ]
            if expected.made_on <= day:
                tracks = track_statuses(expected, updates, until=day)
                assert self.tracker.assess(
                    cid, as_of=day, known_on=moment
                ).recorded_status is reference_combine(list(tracks.values()))

    @rule(target=update_ids, cid=commitment_ids, data=st.data())
    def record_valid(self, cid: str, data: st.DataObject) -> object:
        """Record an update the workflow allows; the tracker must accept it."""
        request = self.draw_request(data, valid_updates, cid)
        if request is None:
            note(f"{cid}: the workflow allows no further update")
            return multiple()
        return self.accept(cid, request)

    @rule(cid=commitment_ids, data=st.data())
    def record_invalid(self, cid: str, data: st.DataObject) -> None:
        """Record an update that must be refused; nothing may change."""
        request = self.draw_request(data, invalid_updates, cid)
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
        self.retracted_at[update_id] = moment
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
        again = cm.loads(text, clock=TickingClock())
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
    def versions_match(self) -> None:
        """The commitment as it stands, and as it stood on the query date, are the model's."""
        for cid in self.model:
            assert self.tracker[cid] == self.version(cid)
            assert self.tracker.commitment(cid, as_of=self.today) == self.version(cid, self.today)

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
        for cid in self.model:
            commitment = self.version(cid, self.today)
            if commitment.made_on > self.today:
                continue
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
            revised = any(a.on is not None for a in self.amendments[cid])
            if revised:  # the pure function sees one version: compare what it decides
                assert (pure.status, pure.overdue) == (assessment.status, assessment.overdue)
            else:
                assert pure == assessment
            if pure.overdue:
                overdue.add(cid)
            if pure.status is cm.Status.FULFILLED:
                fulfilled.add(cid)
        assert {c.id for c in self.tracker.overdue(as_of=self.today)} == overdue
        assert {c.id for c in self.tracker.fulfilled(as_of=self.today)} == fulfilled
