"""Deadline policies: pure rules applied at query time, never written as events."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments import testing as kit

D = dt.date
NOW = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
MADE = D(2020, 1, 1)
DEADLINE = D(2024, 1, 31)


def tracker(*commitments: cm.Commitment, policy: cm.DeadlinePolicy | None = None) -> cm.Tracker:
    t = cm.Tracker(policy=policy, clock=lambda: NOW)
    for c in commitments:
        t.add(c)
    return t


def pledge(**kwargs) -> cm.Commitment:
    return cm.Commitment("p", "A pledge", MADE, deadline=cm.Deadline.by(DEADLINE), **kwargs)


class TestPolicies:
    def test_break_after_day(self):
        """BreakAfter(days=N) breaks on the day after deadline plus N."""
        assert cm.BreakAfter(days=100).breaks_on(DEADLINE) == D(2024, 5, 11)
        assert cm.BreakAfter(days=0).breaks_on(DEADLINE) == D(2024, 2, 1)

    def test_keep_open_never_breaks(self):
        """KeepOpen never breaks a commitment."""
        assert cm.KeepOpen().breaks_on(DEADLINE) is None

    @pytest.mark.parametrize("days", [-1, True, 1.5, "100"])
    def test_break_after_refuses_bad_days(self, days):
        """BreakAfter days must be a whole number of days, 0 or more."""
        with pytest.raises(cm.ValidationError, match="whole number of days"):
            cm.BreakAfter(days=days)

    def test_policies_satisfy_the_protocol(self):
        """Both policies are DeadlinePolicy instances and compare by value."""
        assert isinstance(cm.KeepOpen(), cm.DeadlinePolicy)
        assert isinstance(cm.BreakAfter(days=3), cm.DeadlinePolicy)
        assert cm.BreakAfter(days=3) == cm.BreakAfter(days=3)

    def test_tracker_refuses_other_policies(self):
        """A tracker refuses a policy that is not a DeadlinePolicy."""
        with pytest.raises(cm.ValidationError, match="BreakAfter"):
            cm.Tracker(policy="break after 100 days")

    def test_tracker_default_is_keep_open(self):
        """A tracker keeps commitments open by default."""
        assert cm.Tracker().policy == cm.KeepOpen()


class TestBreakAfter:
    def test_grace_days_are_inclusive(self):
        """Open and overdue through deadline + N; broken by policy from the day after."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=100))
        t.record("p", "in_progress", on=D(2023, 1, 1))
        last_grace = t.assess("p", as_of=D(2024, 5, 10))
        assert (last_grace.status, last_grace.overdue, last_grace.by_policy) == (
            cm.Status.IN_PROGRESS,
            True,
            False,
        )
        broken = t.assess("p", as_of=D(2024, 5, 11))
        assert broken.status is cm.Status.BROKEN
        assert broken.recorded_status is cm.Status.IN_PROGRESS
        assert broken.by_policy
        assert not broken.overdue
        assert not broken.due

    def test_delivery_within_grace_counts(self):
        """Fulfilled within the grace days stays fulfilled, late by its days."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=100))
        t.record("p", "fulfilled", on=D(2024, 5, 10))
        assessment = t.assess("p", as_of=D(2025, 1, 1))
        assert assessment.status is cm.Status.FULFILLED
        assert not assessment.by_policy
        assert assessment.late_by == 100
        assert t.fulfilled(as_of=D(2025, 1, 1)) == [t["p"]]

    def test_delivery_after_the_break_does_not_undo_it(self):
        """A commitment broken by policy stays broken though fulfilment is recorded later."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=100))
        t.record("p", "fulfilled", on=D(2024, 5, 12))
        assessment = t.assess("p", as_of=D(2025, 1, 1))
        assert assessment.status is cm.Status.BROKEN
        assert assessment.recorded_status is cm.Status.FULFILLED
        assert assessment.fulfilled_on is None
        assert t.status("p", as_of=D(2025, 1, 1)) is cm.Status.BROKEN
        assert t.fulfilled(as_of=D(2025, 1, 1)) == []

    def test_closed_before_the_break_is_untouched(self):
        """A commitment withdrawn before the break day keeps its recorded status."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=10))
        t.record("p", "withdrawn", on=D(2024, 2, 5))
        assessment = t.assess("p", as_of=D(2025, 1, 1))
        assert assessment.status is cm.Status.WITHDRAWN
        assert not assessment.by_policy

    def test_no_latest_date_never_breaks(self):
        """Without a latest date there is nothing to break after."""
        commitment = cm.Commitment("p", "t", MADE, deadline=cm.Deadline.unspecified("soon"))
        t = tracker(commitment, policy=cm.BreakAfter(days=0))
        assert t.status("p", as_of=D(2090, 1, 1)) is cm.Status.PLEDGED

    def test_party_status_is_as_recorded(self):
        """A party's status stays as recorded; the policy decides the overall status."""
        t = tracker(pledge(parties=("CN", "JP")), policy=cm.BreakAfter(days=0))
        assert t.status("p", as_of=D(2025, 1, 1), party="CN") is cm.Status.PLEDGED
        assert t.status("p", as_of=D(2025, 1, 1)) is cm.Status.BROKEN

    def test_recurring_breaks_after_first_missed_period(self):
        """A recurring commitment breaks N days after its first missed period ends."""
        commitment = cm.Commitment(
            "s", "Meet yearly", MADE, recurrence=cm.Recurrence.parse("every year from 2020")
        )
        t = tracker(commitment, policy=cm.BreakAfter(days=30))
        t.record("s", "fulfilled", on=D(2021, 1, 20))
        grace = t.assess("s", as_of=D(2021, 1, 30))
        # 2021 is met, so it is not behind now; the policy still counts 2020's miss.
        assert not grace.overdue
        assert grace.period == "met"
        assert grace.status is cm.Status.PLEDGED
        assert not grace.by_policy
        broken = t.assess("s", as_of=D(2021, 1, 31))
        assert broken.status is cm.Status.BROKEN
        assert broken.by_policy
        assert not broken.overdue
        assert t.overdue(as_of=D(2021, 1, 31)) == []

    def test_pure_assess_takes_the_policy(self):
        """assess(policy=...) gives what the tracker with that policy gives."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=5))
        pure = cm.assess(t["p"], t.history("p"), as_of=D(2024, 3, 1), policy=cm.BreakAfter(days=5))
        assert pure == t.assess("p", as_of=D(2024, 3, 1))
        assert pure.by_policy


class TestCatalog:
    def test_round_trip(self):
        """A tracker's policy survives a JSON round trip exactly."""
        t = tracker(pledge(), policy=cm.BreakAfter(days=100))
        t.record("p", "in_progress", on=D(2023, 1, 1))
        text = cm.dumps(t)
        again = cm.loads(text, clock=kit.TickingClock())
        assert again.policy == cm.BreakAfter(days=100)
        assert cm.dumps(again) == text
        assert cm.to_document(t)["policy"] == {"kind": "break_after", "days": 100}

    def test_default_is_not_written(self):
        """The default keep-open policy writes no policy key and reads back as KeepOpen."""
        document = cm.to_document(tracker(pledge()))
        assert "policy" not in document
        assert cm.from_document(document, clock=kit.TickingClock()).policy == cm.KeepOpen()

    def test_explicit_keep_open_reads(self):
        """An explicit keep_open policy reads as KeepOpen."""
        assert (
            cm.from_document({"schema_version": 1, "policy": {"kind": "keep_open"}}).policy
            == cm.KeepOpen()
        )

    @pytest.mark.parametrize(
        ("policy", "path", "message"),
        [
            ([], "$.policy", "expected an object"),
            ({"kind": "nope"}, "$.policy.kind", "unknown policy"),
            ({"kind": "break_after"}, "$.policy.days", "required"),
            ({"kind": "break_after", "days": -1}, "$.policy.days", "whole number"),
            ({"kind": "break_after", "days": True}, "$.policy.days", "whole number"),
            ({"kind": "keep_open", "days": 3}, "$.policy", "unknown field"),
        ],
    )
    def test_bad_policy_names_the_path(self, policy, path, message):
        """A malformed policy raises CatalogError at its path."""
        with pytest.raises(cm.CatalogError, match=message) as info:
            cm.from_document({"schema_version": 1, "policy": policy})
        assert info.value.path == path


# -- properties over random histories ---------------------------------------------------

POLICIES = st.sampled_from(
    [cm.KeepOpen(), cm.BreakAfter(days=0), cm.BreakAfter(days=30), cm.BreakAfter(days=100)]
)
OPEN = [cm.Status.PLEDGED, cm.Status.IN_PROGRESS, cm.Status.STALLED]


def commitments(*, recurring: bool | None = None) -> st.SearchStrategy[cm.Commitment]:
    """Commitments "c" made on MADE, with parties among A and B, from the kit."""
    return kit.commitments(
        commitment_id="c", min_date=MADE, max_date=MADE, parties=("A", "B"), recurring=recurring
    )


@st.composite
def histories(draw, *, statuses=tuple(cm.Status), recurring: bool | None = None):
    """A commitment and the steps to record (status, day, party), some of them refused."""
    commitment = draw(commitments(recurring=recurring))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(statuses),
                st.integers(0, 2500),
                st.sampled_from([None, "A", "B"]),
            ),
            max_size=8,
        )
    )
    return commitment, steps


def build(commitment: cm.Commitment, steps, policy: cm.DeadlinePolicy) -> cm.Tracker:
    t = tracker(commitment, policy=policy)
    for status, offset, party in steps:
        # Random steps often break the workflow; the refused ones are simply not recorded.
        with contextlib.suppress(cm.UpdateError):
            t.record(
                "c",
                status,
                on=MADE + dt.timedelta(days=offset),
                party=party if commitment.parties else None,
            )
    return t


DAYS = st.lists(st.integers(0, 3000), min_size=1, max_size=6)


class TestProperties:
    @given(histories(), POLICIES, DAYS)
    def test_fast_queries_agree_with_assess(self, history, policy, offsets):
        """overdue, due, fulfilled and status agree with the pure assess() on every day."""
        commitment, steps = history
        t = build(commitment, steps, policy)
        for offset in offsets:
            day = MADE + dt.timedelta(days=offset)
            pure = cm.assess(commitment, t.history("c"), as_of=day, policy=policy)
            assert t.assess("c", as_of=day) == pure
            assert (commitment in t.overdue(as_of=day)) == pure.overdue
            assert (commitment in t.due(as_of=day)) == pure.due
            assert (commitment in t.fulfilled(as_of=day)) == (pure.status is cm.Status.FULFILLED)
            assert t.status("c", as_of=day) is pure.status
            if pure.by_policy:
                assert pure.status is cm.Status.BROKEN
            else:
                assert pure.status is pure.recorded_status

    @given(histories(statuses=OPEN, recurring=False), st.integers(0, 3000), st.integers(0, 500))
    def test_overdue_is_monotone_while_open(self, history, offset, later):
        """Under KeepOpen an open non-recurring commitment, once overdue, stays overdue."""
        commitment, steps = history
        t = build(commitment, steps, cm.KeepOpen())
        day = MADE + dt.timedelta(days=offset)
        if t.assess("c", as_of=day).overdue:
            assert t.assess("c", as_of=day + dt.timedelta(days=later)).overdue

    @given(histories(), st.integers(0, 100), st.integers(0, 3000), st.integers(0, 800))
    def test_broken_by_policy_is_never_overdue_again(self, history, days, offset, later):
        """Once broken by BreakAfter, a commitment stays broken and is never overdue nor due."""
        commitment, steps = history
        t = build(commitment, steps, cm.BreakAfter(days=days))
        day = MADE + dt.timedelta(days=offset)
        if t.assess("c", as_of=day).by_policy:
            after = t.assess("c", as_of=day + dt.timedelta(days=later))
            assert after.by_policy
            assert after.status is cm.Status.BROKEN
            assert not after.overdue
            assert not after.due

    @given(histories(), POLICIES, DAYS)
    def test_policy_never_changes_events(self, history, policy, offsets):
        """A policy accepts the same events as keep-open and asking questions writes none."""
        commitment, steps = history
        t = build(commitment, steps, policy)
        reference = build(commitment, steps, cm.KeepOpen())
        events = t.events()
        assert [e.id for e in events] == [e.id for e in reference.events()]
        for offset in offsets:
            day = MADE + dt.timedelta(days=offset)
            t.assess("c", as_of=day)
            t.overdue(as_of=day)
            t.status("c", as_of=day)
        assert t.events() == events
