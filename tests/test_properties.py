"""Invariants of the tracker over random histories, checked against a plain reference."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments.testing import DEFAULT_END as END
from commitments.testing import DEFAULT_START as START
from commitments.testing import (
    TickingClock,
    commitments,
    dates,
    reference_valid_as_known,
    update_requests,
)
from store_support import thin_update

CHECK_DAYS = [START + dt.timedelta(days=n) for n in range(0, (END - START).days, 61)]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[cm.Commitment], list[tuple[str, dict[str, object]]]]:
    """A few commitments and a sequence of record requests, valid or not."""
    pledges = [
        draw(commitments(commitment_id=f"c{i}", max_date=dt.date(2025, 6, 30)))
        for i in range(draw(st.integers(1, 3)))
    ]
    requests = []
    for _ in range(draw(st.integers(0, 12))):
        target = draw(st.sampled_from(pledges))
        requests.append((target.id, _kwargs(draw(update_requests(target)).as_update(target.id))))
    return pledges, requests


def build(
    pledges: list[cm.Commitment], requests: list[tuple[str, dict[str, object]]]
) -> tuple[cm.Tracker, list[bool]]:
    t = cm.Tracker(clock=TickingClock())
    for c in pledges:
        t.add(c)
    accepted = []
    for cid, kwargs in requests:
        try:
            t.record(cid, **kwargs)  # type: ignore[arg-type]
        except cm.CommitmentsError:
            accepted.append(False)
        else:
            accepted.append(True)
    return t, accepted


class TestValidation:
    @given(scenarios())
    def test_accepts_exactly_what_the_workflow_allows(self, scenario):
        """Accepted iff every state of knowledge with it is valid; a refusal changes nothing."""
        pledges, requests = scenario
        t = cm.Tracker(clock=TickingClock())
        for c in pledges:
            t.add(c)
        for cid, kwargs in requests:
            before = (t.events(), cm.dumps(t))
            candidate = cm.StatusUpdate(
                id="candidate",
                commitment_id=cid,
                **kwargs,  # type: ignore[arg-type]
            )
            recorded = [e for e in t.events(cid) if isinstance(e, cm.StatusUpdate)]
            expected = reference_valid_as_known(t[cid], [*recorded, candidate], t.workflow)
            try:
                t.record(cid, **kwargs)  # type: ignore[arg-type]
            except cm.TransitionError:
                assert not expected
                assert (t.events(), cm.dumps(t)) == before
            else:
                assert expected
                assert len(t.events()) == len(before[0]) + 1

    @given(scenarios())
    def test_incremental_equals_replay(self, scenario):
        """Cached answers after each update equal a from-scratch replay of the history."""
        pledges, requests = scenario
        t = cm.Tracker(clock=TickingClock())
        for c in pledges:
            t.add(c)
        for cid, kwargs in requests:
            try:
                t.record(cid, **kwargs)  # type: ignore[arg-type]
            except cm.CommitmentsError:
                continue
            commitment = t[cid]
            updates = [e for e in t.events(cid) if isinstance(e, cm.StatusUpdate)]
            for day in CHECK_DAYS:
                if day >= commitment.made_on:
                    replayed = cm.assess(commitment, updates, as_of=day)
                    assert t.status(cid, as_of=day) is replayed.status
                    assert t.assess(cid, as_of=day) == replayed
        updates = [e for e in t.events() if isinstance(e, cm.StatusUpdate)]
        replay, _ = build(pledges, [(u.commitment_id, _kwargs(u)) for u in updates])
        assert replay.events() == t.events()


def _kwargs(u: cm.Event) -> dict[str, object]:
    assert isinstance(u, cm.StatusUpdate)
    return {"status": u.status, "on": u.on, "party": u.party, "recorded_at": u.recorded_at}


class TestQueriesAgree:
    @given(scenarios(), dates())
    def test_fast_queries_match_assessments(self, scenario, day):
        """overdue(), due() and fulfilled() select exactly what assess() says."""
        t, _ = build(*scenario)
        assessed = t.assess_all(as_of=day)
        assert [c.id for c in t.overdue(as_of=day)] == [
            a.commitment_id for a in assessed if a.overdue
        ]
        assert [c.id for c in t.due(as_of=day)] == [a.commitment_id for a in assessed if a.due]
        assert [c.id for c in t.fulfilled(as_of=day)] == [
            a.commitment_id for a in assessed if a.status is cm.Status.FULFILLED
        ]

    @given(scenarios(), dates())
    def test_nothing_closed_is_overdue_or_due(self, scenario, day):
        """Overdue and due commitments are open; fulfilled ones are never overdue."""
        t, _ = build(*scenario)
        for a in t.assess_all(as_of=day):
            if a.overdue or a.due:
                assert a.status.is_open
            assert not (a.overdue and a.due)
            if a.status is cm.Status.FULFILLED:
                assert a.fulfilled_on is not None
                assert a.fulfilled_on <= day
                assert a.late_by is None or a.late_by >= 0

    @given(scenarios(), dates())
    def test_known_now_equals_plain_query(self, scenario, day):
        """Asking as known on the latest recorded moment equals asking with no known_on."""
        t, _ = build(*scenario)
        latest = max(
            (e.recorded_at for e in t.events()), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        )
        assert t.assess_all(as_of=day, known_on=latest) == [
            attrs.evolve(a, known_on=latest) for a in t.assess_all(as_of=day)
        ]
        assert t.overdue(as_of=day, known_on=latest) == t.overdue(as_of=day)

    @given(scenarios(), dates())
    def test_known_before_anything_is_all_pledged(self, scenario, day):
        """As known before any update was recorded, every commitment is pledged."""
        t, _ = build(*scenario)
        for a in t.assess_all(as_of=day, known_on=dt.date(2000, 1, 1)):
            assert a.status is cm.Status.PLEDGED
            assert a.last_update is None


class TestMonotone:
    @given(scenarios())
    def test_terminal_stays_terminal(self, scenario):
        """Once a party reaches a terminal status, it keeps it on every later date."""
        t, _ = build(*scenario)
        for c in t:
            for party in c.parties:
                seen: cm.Status | None = None
                for day in CHECK_DAYS:
                    if day < c.made_on:
                        continue
                    status = t.status(c.id, as_of=day, party=party)
                    if seen is not None:
                        assert status is seen
                    if t.workflow.is_terminal(status):
                        seen = status


class TestRoundTrip:
    @given(scenarios())
    def test_dump_load_is_identity(self, scenario):
        """Loading a dumped tracker gives back the same commitments and events."""
        t, _ = build(*scenario)
        again = cm.loads(cm.dumps(t), clock=TickingClock())
        assert again.commitments == t.commitments
        assert again.events() == t.events()
        assert cm.dumps(again) == cm.dumps(t)


class TestStoreAsKnownOn:
    @settings(max_examples=60, deadline=None)
    @given(scenarios(), dates(), st.data())
    def test_a_store_answers_as_known_on_as_memory_does(
        self, tmp_path_factory, scenario, day, data
    ):
        """Snapshots answer past knowledge only where everything was recorded before it.

        The store reads a commitment's snapshot when all its events were recorded before
        the cutoff and its log otherwise; both must give memory's answers, the moments
        of the events themselves (the cutoff's edges) included.
        """
        t, _ = build(*scenario)
        moments = sorted({e.recorded_at for e in t.events()})
        known_on = data.draw(
            st.one_of(st.sampled_from(moments), st.sampled_from([m.date() for m in moments]))
        )
        path = tmp_path_factory.mktemp("known-on") / "t.db"
        cm.create_store(path, t).close()
        with cm.open_store(path) as store:
            for kind in ("overdue", "due", "fulfilled", "all"):
                expected = [
                    attrs.evolve(a, last_update=None)
                    for a in t.select(kind, as_of=day, known_on=known_on)
                ]
                found = store.select(kind, as_of=day, known_on=known_on)
                assert [attrs.evolve(a, last_update=None) for a in found] == expected, kind
                assert [thin_update(a.last_update) for a in found] == [
                    thin_update(a.last_update) for a in t.select(kind, as_of=day, known_on=known_on)
                ]
            assert store.overdue(as_of=day, known_on=known_on) == t.overdue(
                as_of=day, known_on=known_on
            )
