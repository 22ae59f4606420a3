from __future__ import annotations

import datetime as dt

import pytest

import commitments as cm
from conftest import MADE

D = dt.date
UTC = dt.UTC


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def snapshot(t: cm.Tracker) -> tuple[object, ...]:
    return (t.commitments, t.events(), cm.dumps(t))


class TestCollection:
    def test_getitem_len_iter(self, tracker, two_plus_two):
        """A tracker behaves as a read-only collection of its commitments."""
        assert tracker["cn-kr-2plus2"] is two_plus_two
        assert len(tracker) == 2
        assert [c.id for c in tracker] == ["cn-kr-2plus2", "cn-kr-fta-phase-two"]
        assert "cn-kr-2plus2" in tracker
        assert "nope" not in tracker

    def test_unknown_id_names_it(self, tracker):
        """An unknown id raises UnknownCommitmentError, also a KeyError, naming the id."""
        with pytest.raises(cm.UnknownCommitmentError, match="'cn-jp-summit'") as info:
            tracker["cn-jp-summit"]
        assert isinstance(info.value, KeyError)
        assert "cn-kr-2plus2" in str(info.value)

    def test_duplicate_add_refused(self, tracker, two_plus_two):
        """Adding an id twice is refused and the first commitment stays."""
        with pytest.raises(cm.DuplicateError, match="cn-kr-2plus2"):
            tracker.add(two_plus_two)
        assert len(tracker) == 2

    def test_links_must_name_tracked_commitments(self, tracker):
        """A restatement must name a commitment the tracker knows."""
        restated = cm.Commitment(
            id="restated", title="Again", made_on=D(2025, 3, 22), restates=("missing",)
        )
        with pytest.raises(cm.UnknownCommitmentError, match="missing"):
            tracker.add(restated)
        ok = cm.Commitment(
            id="restated", title="Again", made_on=D(2025, 3, 22), restates=("cn-kr-2plus2",)
        )
        tracker.add(ok)
        assert tracker["restated"].restates == ("cn-kr-2plus2",)


class TestRecord:
    def test_status_before_and_after(self, tracker):
        """Status is pledged from made_on until the first update takes effect."""
        tracker.record(
            "cn-kr-2plus2", cm.Status.FULFILLED, on=D(2024, 6, 18), source="https://x.test/a"
        )
        assert tracker.status("cn-kr-2plus2", as_of=MADE) is cm.Status.PLEDGED
        assert tracker.status("cn-kr-2plus2", as_of=D(2024, 6, 17)) is cm.Status.PLEDGED
        assert tracker.status("cn-kr-2plus2", as_of=D(2024, 6, 18)) is cm.Status.FULFILLED

    def test_record_returns_the_event(self, tracker):
        """record() returns the appended update with its evidence and generated id."""
        u = tracker.record(
            "cn-kr-2plus2",
            "fulfilled",
            on=D(2024, 6, 18),
            source=cm.Source(url="https://x.test/a", publisher="Yonhap"),
            note="held in Seoul",
        )
        assert u.id == "cn-kr-2plus2:1"
        assert u.status is cm.Status.FULFILLED
        assert u.sources[0].publisher == "Yonhap"
        assert u.recorded_at.utcoffset() is not None
        assert tracker.history("cn-kr-2plus2") == (u,)
        assert tracker.event(u.id) is u

    def test_status_given_as_string_or_name(self, tracker):
        """Statuses can be given by value or by name in any case."""
        u = tracker.record("cn-kr-2plus2", "IN_PROGRESS", on=D(2024, 6, 1))
        assert u.status is cm.Status.IN_PROGRESS

    def test_unknown_status_lists_allowed(self, tracker):
        """An unknown status is refused with the allowed values listed."""
        with pytest.raises(cm.UpdateError, match="allows .*pledged.*in_progress"):
            tracker.record("cn-kr-2plus2", "done", on=D(2024, 6, 1))

    def test_before_made_on_refused(self, tracker):
        """An update dated before the commitment was made is refused."""
        with pytest.raises(cm.UpdateError, match="precedes the commitment, made on 2024-05-26"):
            tracker.record("cn-kr-2plus2", "in_progress", on=D(2024, 5, 25))
        tracker.record("cn-kr-2plus2", "in_progress", on=MADE)
        assert tracker.status("cn-kr-2plus2", as_of=MADE) is cm.Status.IN_PROGRESS

    def test_future_effect_refused(self, tracker):
        """An update may take effect at most one day after it is recorded."""
        recorded = at(D(2024, 6, 1))
        with pytest.raises(cm.UpdateError, match="more than a day after"):
            tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 6, 3), recorded_at=recorded)
        tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 6, 2), recorded_at=recorded)

    def test_naive_recorded_at_refused(self, tracker):
        """recorded_at must be timezone-aware."""
        with pytest.raises(cm.UpdateError, match="timezone-aware"):
            tracker.record(
                "cn-kr-2plus2", "stalled", on=D(2024, 6, 2), recorded_at=dt.datetime(2024, 6, 3)
            )

    def test_unknown_party_refused(self, tracker):
        """A party outside the commitment's parties is refused, naming the parties."""
        with pytest.raises(cm.UpdateError, match="unknown party 'JP'; the parties are CN, KR"):
            tracker.record("cn-kr-2plus2", "in_progress", on=D(2024, 6, 1), party="JP")

    def test_unknown_commitment_refused(self, tracker):
        """Recording on an unknown commitment raises UnknownCommitmentError."""
        with pytest.raises(cm.UnknownCommitmentError):
            tracker.record("cn-jp-summit", "in_progress", on=D(2024, 6, 1))

    def test_terminal_refusal_names_everything(self, tracker):
        """A forbidden transition names commitment, date, from, to and allowed targets."""
        tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        with pytest.raises(cm.TransitionError) as info:
            tracker.record("cn-kr-2plus2", "in_progress", on=D(2024, 7, 1))
        err = info.value
        assert (err.commitment_id, err.on, err.from_status, err.to_status) == (
            "cn-kr-2plus2",
            D(2024, 7, 1),
            "fulfilled",
            "in_progress",
        )
        assert err.allowed == ()
        assert "nothing (terminal)" in str(err)

    def test_backdated_update_checked_against_later_history(self, tracker):
        """A back-dated update that would make a later update invalid is refused."""
        tracker.record("cn-kr-2plus2", "partially_fulfilled", on=D(2024, 6, 18))
        with pytest.raises(
            cm.TransitionError, match="would make the update cn-kr-2plus2:1 invalid"
        ) as info:
            tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 12))
        assert info.value.from_status == "fulfilled"
        assert info.value.to_status == "partially_fulfilled"
        # A back-dated update that fits is accepted and slots in by date.
        tracker.record("cn-kr-2plus2", "in_progress", on=D(2024, 6, 12))
        assert [u.status for u in tracker.history("cn-kr-2plus2")] == [
            "in_progress",
            "partially_fulfilled",
        ]

    def test_refusal_leaves_tracker_unchanged(self, tracker):
        """A refused update changes nothing: commitments, events and the document."""
        tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        before = snapshot(tracker)
        for kwargs in (
            {"status": "stalled", "on": D(2024, 7, 1)},
            {"status": "stalled", "on": D(2024, 1, 1)},
            {"status": "bogus", "on": D(2024, 7, 1)},
            {"status": "stalled", "on": D(2024, 7, 1), "party": "XX"},
            {"status": "stalled", "on": D(2024, 7, 1), "progress": (3, 2)},
        ):
            with pytest.raises(cm.CommitmentsError):
                tracker.record("cn-kr-2plus2", **kwargs)
        assert snapshot(tracker) == before

    def test_same_day_updates_ordered_by_recorded_at(self, tracker):
        """Updates effective the same day count in recorded-at order, the last winning."""
        day = D(2024, 6, 5)
        tracker.record("cn-kr-fta-phase-two", "stalled", on=day, recorded_at=at(day, 15))
        tracker.record("cn-kr-fta-phase-two", "in_progress", on=day, recorded_at=at(day, 9))
        assert tracker.status("cn-kr-fta-phase-two", as_of=day) is cm.Status.STALLED
        assert [u.status for u in tracker.history("cn-kr-fta-phase-two")] == [
            "in_progress",
            "stalled",
        ]

    def test_progress_and_reason(self, tracker):
        """Measured progress and reason codes are kept on the update."""
        u = tracker.record(
            "cn-kr-fta-phase-two", "partially_fulfilled", on=D(2025, 1, 1), progress=(15, 52)
        )
        assert str(u.progress) == "15 of 52"
        assert u.progress is not None
        assert u.progress.ratio == pytest.approx(15 / 52)
        v = tracker.record(
            "cn-kr-2plus2", "broken", on=D(2025, 1, 1), reason="deprioritised", note="no date set"
        )
        assert v.reason == "deprioritised"
        with pytest.raises(cm.UpdateError, match="short code"):
            tracker.record(
                "cn-kr-fta-phase-two", "fulfilled", on=D(2025, 2, 1), reason="Bad Reason"
            )

    def test_explicit_update_id_must_be_unique(self, tracker):
        """A caller-chosen update id is used, and reusing it is refused."""
        tracker.record("cn-kr-2plus2", "in_progress", on=D(2024, 6, 1), update_id="yonhap-0601")
        with pytest.raises(cm.DuplicateError, match="yonhap-0601"):
            tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 6, 2), update_id="yonhap-0601")


class TestRetract:
    def test_retraction_is_bitemporal(self, tracker):
        """A retracted update stops counting from the retraction on, but not before."""
        u = tracker.record(
            "cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18), recorded_at=at(D(2024, 6, 18))
        )
        r = tracker.retract(u.id, reason="misreported date", recorded_at=at(D(2024, 6, 20)))
        june30 = D(2024, 6, 30)
        assert tracker.status("cn-kr-2plus2", as_of=june30) is cm.Status.PLEDGED
        assert tracker.status("cn-kr-2plus2", as_of=june30, known_on=D(2024, 6, 19)) == "fulfilled"
        assert tracker.status("cn-kr-2plus2", as_of=june30, known_on=D(2024, 6, 20)) == "pledged"
        assert tracker.events("cn-kr-2plus2")[1:] == (u, r)
        assert tracker.events("cn-kr-2plus2", known_on=D(2024, 6, 19))[1:] == (u,)
        assert tracker.history("cn-kr-2plus2") == ()

    def test_retract_twice_refused(self, tracker):
        """An update can be retracted once."""
        u = tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        tracker.retract(u.id, reason="wrong")
        with pytest.raises(cm.UpdateError, match="already retracted"):
            tracker.retract(u.id, reason="again")

    def test_retract_before_recorded_refused(self, tracker):
        """A retraction cannot precede the update it withdraws."""
        u = tracker.record(
            "cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18), recorded_at=at(D(2024, 6, 18))
        )
        with pytest.raises(cm.UpdateError, match="before it was recorded"):
            tracker.retract(u.id, reason="wrong", recorded_at=at(D(2024, 6, 17)))

    def test_retract_unknown_or_retraction(self, tracker):
        """Retracting an unknown id or a retraction is refused."""
        with pytest.raises(cm.UnknownEventError):
            tracker.retract("nope:1", reason="x")
        u = tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        r = tracker.retract(u.id, reason="x")
        with pytest.raises(cm.UpdateError, match="only status updates") as caught:
            tracker.retract(r.id, reason="x")
        assert caught.value.field == "update_id"
        addition = tracker.events("cn-kr-2plus2")[0]
        with pytest.raises(cm.UpdateError, match="is an addition; only status updates"):
            tracker.retract(addition.id, reason="x")

    def test_retract_that_breaks_later_history_refused(self, clock, two_plus_two):
        """A retraction that would leave a forbidden transition behind is refused."""
        strict = cm.Workflow.from_pairs(
            [("pledged", "in_progress"), ("in_progress", "fulfilled")], name="strict"
        )
        t = cm.Tracker(strict, clock=clock)
        t.add(two_plus_two)
        first = t.record("cn-kr-2plus2", "in_progress", on=D(2024, 6, 1))
        t.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        before = snapshot(t)
        with pytest.raises(cm.TransitionError, match="without the retracted update"):
            t.retract(first.id, reason="x")
        assert snapshot(t) == before


class TestParties:
    def test_per_party_status_and_combination(self, tracker):
        """Party updates set one party; the overall status combines the parties."""
        tracker.record("cn-kr-fta-phase-two", "in_progress", on=D(2024, 7, 1), party="KR")
        day = D(2024, 7, 2)
        assert tracker.status("cn-kr-fta-phase-two", as_of=day, party="KR") == "in_progress"
        assert tracker.status("cn-kr-fta-phase-two", as_of=day, party="CN") == "pledged"
        assert tracker.status("cn-kr-fta-phase-two", as_of=day) == "in_progress"
        tracker.record("cn-kr-fta-phase-two", "fulfilled", on=D(2024, 8, 1), party="KR")
        assert tracker.status("cn-kr-fta-phase-two", as_of=D(2024, 8, 1)) == "in_progress"
        tracker.record("cn-kr-fta-phase-two", "fulfilled", on=D(2024, 9, 1), party="CN")
        a = tracker.assess("cn-kr-fta-phase-two", as_of=D(2024, 9, 30))
        assert a.status is cm.Status.FULFILLED
        assert a.fulfilled_on == D(2024, 9, 1)
        assert dict(a.party_statuses) == {"CN": "fulfilled", "KR": "fulfilled"}

    def test_partyless_update_applies_to_all(self, tracker):
        """An update without a party sets every party's status."""
        tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 7, 1))
        for party in ("CN", "KR"):
            assert tracker.status("cn-kr-2plus2", as_of=D(2024, 7, 1), party=party) == "stalled"

    def test_party_transitions_validated_per_party(self, tracker):
        """A party that fulfilled cannot be moved back, while the other party can move."""
        tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18), party="CN")
        with pytest.raises(cm.TransitionError, match="for party CN"):
            tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 7, 1))
        tracker.record("cn-kr-2plus2", "stalled", on=D(2024, 7, 1), party="KR")
        assert tracker.status("cn-kr-2plus2", as_of=D(2024, 7, 1)) == "in_progress"

    @pytest.mark.parametrize(
        ("statuses", "overall"),
        [
            (["fulfilled", "fulfilled"], "fulfilled"),
            (["fulfilled", "broken"], "partially_fulfilled"),
            (["partially_fulfilled", "withdrawn"], "partially_fulfilled"),
            (["broken", "withdrawn"], "broken"),
            (["withdrawn", "superseded"], "withdrawn"),
            (["fulfilled", "pledged"], "in_progress"),
            (["stalled", "pledged"], "stalled"),
            (["broken", "pledged"], "stalled"),
            (["pledged", "pledged", "pledged"], "pledged"),
            (["in_progress", "stalled"], "in_progress"),
        ],
    )
    def test_combine_rule(self, statuses, overall):
        """The documented rule combines differing party statuses."""
        assert cm.combine(cm.Status(s) for s in statuses) is cm.Status(overall)

    def test_fulfilled_only_when_every_party_fulfilled(self):
        """No mix that contains a non-fulfilled party combines to fulfilled."""
        for other in cm.Status:
            if other is not cm.Status.FULFILLED:
                assert cm.combine([cm.Status.FULFILLED, other]) is not cm.Status.FULFILLED


class TestQueries:
    def test_overdue_due_fulfilled_on_seed_case(self, tracker):
        """The 2+2 dialogue (held 18 June) and the FTA talks (no update) over June 2024."""
        tracker.record("cn-kr-2plus2", "fulfilled", on=D(2024, 6, 18))
        ids = lambda cs: [c.id for c in cs]  # noqa: E731
        assert ids(tracker.due(as_of=D(2024, 6, 5))) == ["cn-kr-fta-phase-two"]
        assert ids(tracker.due(as_of=D(2024, 6, 12))) == ["cn-kr-2plus2"]
        assert ids(tracker.overdue(as_of=D(2024, 6, 12))) == ["cn-kr-fta-phase-two"]
        assert ids(tracker.overdue(as_of=D(2024, 7, 1))) == ["cn-kr-fta-phase-two"]
        assert ids(tracker.fulfilled(as_of=D(2024, 7, 1))) == ["cn-kr-2plus2"]
        assert ids(tracker.fulfilled(as_of=D(2024, 6, 17))) == []

    def test_deadline_bounds_inclusive(self, tracker):
        """Due on earliest and latest, overdue only from the day after latest."""
        fta = "cn-kr-fta-phase-two"
        assert not tracker.assess(fta, as_of=D(2024, 5, 31)).due
        assert tracker.assess(fta, as_of=D(2024, 6, 1)).due
        assert tracker.assess(fta, as_of=D(2024, 6, 10)).due
        assert not tracker.assess(fta, as_of=D(2024, 6, 10)).overdue
        assert tracker.assess(fta, as_of=D(2024, 6, 11)).overdue
        assert not tracker.assess(fta, as_of=D(2024, 6, 11)).due

    def test_late_fulfilment(self, tracker):
        """Fulfilled after the latest date: late_by counts the whole days."""
        tracker.record("cn-kr-fta-phase-two", "fulfilled", on=D(2024, 6, 14))
        a = tracker.assess("cn-kr-fta-phase-two", as_of=D(2024, 7, 1))
        assert (a.fulfilled_on, a.late_by, a.on_time, a.overdue) == (
            D(2024, 6, 14),
            4,
            False,
            False,
        )
        early = tracker.assess("cn-kr-fta-phase-two", as_of=D(2024, 6, 14))
        assert early.late_by == 4

    def test_no_latest_never_due_nor_overdue(self, clock):
        """A deadline with no latest date is never due nor overdue."""
        t = cm.Tracker(clock=clock)
        t.add(
            cm.Commitment(
                id="summit",
                title="Hold the next summit",
                made_on=D(2023, 11, 26),
                deadline=cm.Deadline.unspecified("at a mutually convenient time"),
            )
        )
        t.add(
            cm.Commitment(
                id="talks",
                title="Keep talking",
                made_on=D(2023, 11, 26),
                deadline=cm.Deadline.window(D(2024, 1, 1), None),
            )
        )
        for day in (D(2023, 11, 26), D(2024, 6, 1), D(2030, 1, 1)):
            assert t.overdue(as_of=day) == []
            assert t.due(as_of=day) == []
            assert not t.assess("summit", as_of=day).overdue

    def test_not_reported_before_made_on(self, tracker):
        """Queries leave out commitments not yet made; direct questions are refused."""
        assert tracker.overdue(as_of=D(2024, 1, 1)) == []
        assert tracker.assess_all(as_of=D(2024, 1, 1)) == []
        with pytest.raises(cm.NotYetMadeError, match="made on 2024-05-26"):
            tracker.status("cn-kr-2plus2", as_of=D(2024, 5, 25))

    def test_known_on_date_is_whole_utc_day(self, tracker):
        """known_on as a date counts everything recorded up to the end of that UTC day."""
        tracker.record(
            "cn-kr-2plus2",
            "fulfilled",
            on=D(2024, 6, 18),
            recorded_at=dt.datetime(2024, 6, 18, 23, 59, tzinfo=UTC),
        )
        q = {"as_of": D(2024, 7, 1)}
        assert tracker.fulfilled(**q, known_on=D(2024, 6, 17)) == []
        assert len(tracker.fulfilled(**q, known_on=D(2024, 6, 18))) == 1
        seoul = dt.timezone(dt.timedelta(hours=9))
        # 08:59 on 19 June in Seoul is 23:59 UTC on 18 June: known, inclusive.
        assert (
            len(tracker.fulfilled(**q, known_on=dt.datetime(2024, 6, 19, 8, 59, tzinfo=seoul))) == 1
        )
        assert tracker.fulfilled(**q, known_on=dt.datetime(2024, 6, 19, 8, 58, tzinfo=seoul)) == []

    def test_naive_known_on_refused(self, tracker):
        """A naive datetime for known_on is refused."""
        with pytest.raises(cm.ValidationError, match="naive"):
            tracker.overdue(as_of=D(2024, 7, 1), known_on=dt.datetime(2024, 7, 1))

    def test_default_as_of_is_today(self, tracker, clock):
        """Without as_of, queries ask about the clock's UTC date."""
        a = tracker.assess("cn-kr-fta-phase-two")
        assert a.as_of == clock.now.date()
        assert a.overdue


class TestWorkflowUse:
    def test_custom_workflow_allows_revival(self, clock, two_plus_two):
        """A workflow that lets broken talks revive is honoured by the tracker."""
        revive = cm.Workflow(
            {
                **{s: set(cm.Status) for s in cm.OPEN_STATUSES},
                "broken": {"in_progress"},
                "fulfilled": set(),
                "partially_fulfilled": {"fulfilled"},
                "withdrawn": set(),
                "superseded": set(),
            },
            name="revivable",
        )
        t = cm.Tracker(revive, clock=clock)
        t.add(two_plus_two)
        t.record("cn-kr-2plus2", "broken", on=D(2024, 7, 1))
        t.record("cn-kr-2plus2", "in_progress", on=D(2025, 1, 1))
        assert t.status("cn-kr-2plus2", as_of=D(2025, 1, 2)) == "in_progress"
        default = cm.Tracker(clock=clock)
        default.add(two_plus_two)
        default.record("cn-kr-2plus2", "broken", on=D(2024, 7, 1))
        with pytest.raises(cm.TransitionError, match="from broken to in_progress"):
            default.record("cn-kr-2plus2", "in_progress", on=D(2025, 1, 1))

    def test_labels_accepted_as_status(self, clock, two_plus_two):
        """A workflow's labels can be used to record and are shown in errors."""
        kept = cm.Workflow(
            {"pledged": {"fulfilled", "broken"}, "fulfilled": set(), "broken": set()},
            name="kept-or-broken",
            labels={
                "pledged": "Not Yet Rated",
                "fulfilled": "Promise Kept",
                "broken": "Promise Broken",
            },
        )
        t = cm.Tracker(kept, clock=clock)
        t.add(two_plus_two)
        u = t.record("cn-kr-2plus2", "Promise Kept", on=D(2024, 6, 18))
        assert u.status is cm.Status.FULFILLED
        with pytest.raises(cm.UpdateError, match="'Promise Broken' \\(broken\\)"):
            t.record("cn-kr-2plus2", "stalled", on=D(2024, 6, 19))


class TestKnowledgeStates:
    def test_backfill_cannot_forge_an_invalid_past(self, clock):
        """A back-filled update may not leave a past state of knowledge the workflow forbids."""
        moment = lambda *a: dt.datetime(*a, tzinfo=UTC)  # noqa: E731
        t = cm.Tracker(clock=clock)
        t.add(cm.Commitment("a", "Hold talks", D(2024, 1, 1)))
        wrong = t.record("a", "stalled", on=D(2024, 5, 1), recorded_at=moment(2024, 5, 2))
        t.retract(wrong.id, reason="misread", recorded_at=moment(2024, 6, 10))
        before = snapshot(t)
        # Known on 5 June the history would read fulfilled (1 April), then stalled (1 May).
        with pytest.raises(cm.TransitionError, match="as known at 2024-06-01"):
            t.record("a", "fulfilled", on=D(2024, 4, 1), recorded_at=moment(2024, 6, 1))
        assert snapshot(t) == before
        # Recorded after the retraction, the same fact is fine.
        t.record("a", "fulfilled", on=D(2024, 4, 1), recorded_at=moment(2024, 6, 11))
        assert t.status("a", as_of=D(2024, 7, 1), known_on=D(2024, 6, 5)) == "stalled"
        assert t.status("a", as_of=D(2024, 7, 1)) == "fulfilled"

    def test_catalog_refuses_a_forged_past(self):
        """Loading checks every state of knowledge, naming the moment."""
        update = {"type": "update", "commitment_id": "a"}
        doc = {
            "schema_version": 1,
            "commitments": [{"id": "a", "title": "Hold talks", "made_on": "2024-01-01"}],
            "events": [
                {**update, "id": "a:1", "status": "stalled", "on": "2024-05-01",
                 "recorded_at": "2024-05-02T00:00:00+00:00"},
                {**update, "id": "a:2", "status": "fulfilled", "on": "2024-04-01",
                 "recorded_at": "2024-06-01T00:00:00+00:00"},
                {"type": "retraction", "id": "a:3", "commitment_id": "a", "update_id": "a:1",
                 "reason": "misread", "recorded_at": "2024-06-10T00:00:00+00:00"},
            ],
        }  # fmt: skip
        with pytest.raises(cm.CatalogError, match="as known at 2024-06-01") as info:
            cm.from_document(doc)
        assert info.value.path == "$.events[0].status"


class TestDatesAsText:
    """Queries take ISO text for `as_of` and `known_on`, read as the catalog reads dates."""

    def test_text_answers_as_the_date_does(self, tracker):
        tracker.record("cn-kr-2plus2", "fulfilled", on=dt.date(2024, 6, 18),
                       recorded_at=dt.datetime(2024, 6, 18, 12, tzinfo=dt.UTC))  # fmt: skip
        day = dt.date(2024, 7, 1)
        assert tracker.assess("cn-kr-2plus2", as_of="2024-07-01") == tracker.assess(
            "cn-kr-2plus2", as_of=day
        )
        assert tracker.status("cn-kr-2plus2", as_of="2024-07-01", known_on="2024-06-17") == (
            "pledged"
        )
        noon = "2024-06-18T12:00:00+00:00"
        assert tracker.status("cn-kr-2plus2", as_of="2024-07-01", known_on=noon) == "fulfilled"
        assert tracker.overdue(as_of="2024-07-01") == tracker.overdue(as_of=day)
        assert tracker.assess_all(as_of="2024-07-01", known_on="2024-06-30") == (
            tracker.assess_all(as_of=day, known_on=dt.date(2024, 6, 30))
        )
        assert tracker.assess(
            "cn-kr-2plus2", as_of="2024-07-01", known_on="2024-06-30"
        ).known_on == (dt.date(2024, 6, 30))

    @pytest.mark.parametrize("text", ["2024-W27-1", "20240701", "01/07/2024", "2024-7-1", ""])
    def test_other_spellings_of_a_day_are_refused(self, tracker, text):
        with pytest.raises(cm.ValidationError, match="YYYY-MM-DD"):
            tracker.overdue(as_of=text)

    def test_a_day_no_calendar_has_says_why(self, tracker):
        """The same explanation as the command line's, for every caller."""
        with pytest.raises(cm.ValidationError, match="as_of: 2025-02-30 .*February 2025 has 28"):
            tracker.overdue(as_of="2025-02-30")

    def test_a_known_on_moment_needs_its_offset(self, tracker):
        with pytest.raises(cm.ValidationError, match="offset"):
            tracker.overdue(as_of="2024-07-01", known_on="2024-06-30T12:00:00")
