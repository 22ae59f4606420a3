"""The tracker contract: what every recorder must give, as one suite of tests.

Subclass `TrackerContract` with `make_tracker()` (and `reopen()` for a recorder that
persists) and pytest runs every test against that backend: `tests/test_contract.py`
does so for memory and SQLite, and the next backend adds one subclass.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import commitments as cm
from commitments.records import LISTING_COLUMNS, listing_row, record_of
from store_support import thin_update

D = dt.date
UTC = dt.UTC


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


SUMMIT = cm.Commitment(
    id="cjk-10th-summit",
    title="Hold the 10th China-Japan-ROK summit in Japan",
    made_on=D(2024, 5, 27),
    parties=("CN", "JP", "KR"),
    occasion="9th trilateral summit, Seoul",
    deadline=cm.Deadline.parse("in 2025"),
)
FTA = cm.Commitment(
    id="cn-kr-fta-phase2",
    title="Resume China-ROK FTA phase-two talks",
    made_on=D(2024, 5, 26),
    parties=("CN", "KR"),
    deadline=cm.Deadline.parse("in early June", made_on=D(2024, 5, 26)),
)


class TrackerContract:
    """Every test here must pass for every recorder."""

    #: Whether the recorder lists party codes from an index (`Recorder.parties`).
    indexes_parties = False

    def default_recorded_by(self) -> str | None:
        """Who an event naming nobody is recorded by (a server store: its role)."""
        return None

    def make_tracker(self, workflow: cm.Workflow | None = None) -> cm.Tracker:
        raise NotImplementedError

    def reopen(self, tracker: cm.Tracker) -> cm.Tracker:
        """The same log read afresh (a store closes and opens its file)."""
        return tracker

    def seeded(self) -> cm.Tracker:
        t = self.make_tracker()
        t.add(SUMMIT, recorded_at=at(D(2024, 5, 27)), recorded_by="ana")
        t.add(FTA, recorded_at=at(D(2024, 5, 27)))
        return t

    # -- additions and knowledge --------------------------------------------------------

    def test_a_commitment_is_known_from_its_addition(self):
        """Added today, a 2024 pledge is not in answers known on a 2024 day (item 2)."""
        t = self.make_tracker()
        t.add(FTA, recorded_at=at(D(2026, 11, 30)))
        assert [c.id for c in t.overdue(as_of=D(2024, 12, 31))] == [FTA.id]
        assert t.overdue(as_of=D(2024, 12, 31), known_on=D(2024, 12, 31)) == []
        assert t.compliance(as_of=D(2024, 12, 31), known_on=D(2024, 12, 31)).overall.count == 0
        with pytest.raises(cm.NotYetKnownError, match="first recorded"):
            t.status(FTA.id, as_of=D(2024, 12, 31), known_on=D(2024, 12, 31))
        assert t.known_from(FTA.id) == at(D(2026, 11, 30))

    def test_a_back_filled_update_makes_it_known_earlier(self):
        """Known from the earliest recorded_at of its addition and events."""
        t = self.make_tracker()
        t.add(FTA, recorded_at=at(D(2026, 11, 30)))
        t.record(FTA.id, "fulfilled", on=D(2025, 1, 15), recorded_at=at(D(2025, 1, 16)))
        t = self.reopen(t)
        assert t.known_from(FTA.id) == at(D(2025, 1, 16))
        assert t.status(FTA.id, as_of=D(2025, 2, 1), known_on=D(2025, 1, 16)) == "fulfilled"

    def test_events_and_who_recorded_them(self):
        """events(id) lists the addition, then every event in recording order; recorded_by
        is kept on each."""
        t = self.seeded()
        u = t.record(SUMMIT.id, "stalled", on=D(2025, 6, 1), recorded_at=at(D(2025, 6, 2)),
                     recorded_by="min-jun")  # fmt: skip
        a = t.amend(SUMMIT.id, on=D(2025, 11, 24), deadline=cm.Deadline.parse("in 2026"),
                    reason="China said conditions were not ready",
                    recorded_at=at(D(2025, 11, 25)))  # fmt: skip
        r = t.retract(u.id, reason="misread", recorded_at=at(D(2025, 11, 26)), recorded_by="ana")
        t = self.reopen(t)
        events = t.events(SUMMIT.id)
        assert [type(e) for e in events] == [cm.Addition, cm.StatusUpdate, cm.Amendment,
                                             cm.Retraction]  # fmt: skip
        assert [e.id for e in events[1:]] == [u.id, a.id, r.id]
        # Naming nobody, an event names the recorder's default: a server store's role.
        nobody = self.default_recorded_by()
        assert [e.recorded_by for e in events] == ["ana", "min-jun", nobody, "ana"]
        assert [e.id for e in t.events(SUMMIT.id, known_on=D(2025, 11, 25))] == [
            events[0].id, u.id, a.id,
        ]  # fmt: skip

    # -- amendments -------------------------------------------------------------------

    def test_a_correction_always_read_so(self):
        """A correction changes every version, counting from when it was recorded."""
        t = self.seeded()
        a = t.amend(FTA.id, title="Hold a chief negotiators' meeting on FTA phase two",
                    reason="the briefing promised a meeting", source="https://x.test/brief",
                    recorded_at=at(D(2025, 2, 1)))  # fmt: skip
        assert a.is_correction
        assert a.sources == (cm.Source(url="https://x.test/brief"),)
        t = self.reopen(t)
        assert t[FTA.id].title.startswith("Hold a chief")
        assert t.commitment(FTA.id, as_of=D(2024, 5, 26)).title.startswith("Hold a chief")
        assert t.commitment(FTA.id, known_on=D(2025, 1, 31)).title == FTA.title
        assert t.amendments(FTA.id) == (a,)

    def test_a_revision_changes_the_pledge_from_its_day(self):
        """Questions before the revision's day see the earlier version; an overdue
        pledge stays overdue between the old deadline and the revision."""
        t = self.seeded()
        t.amend(SUMMIT.id, on=D(2025, 11, 24), deadline=cm.Deadline.parse("in 2026"),
                reason="China said conditions were not ready", source="https://x.test/n",
                recorded_at=at(D(2025, 11, 25)))  # fmt: skip
        t = self.reopen(t)
        assert t.commitment(SUMMIT.id, as_of=D(2025, 11, 23)).deadline == SUMMIT.deadline
        assert str(t.commitment(SUMMIT.id, as_of=D(2025, 11, 24)).deadline) == "in 2026"
        assert str(t[SUMMIT.id].deadline) == "in 2026"
        assert SUMMIT.id not in [c.id for c in t.overdue(as_of=D(2026, 1, 5))]
        a = t.assess(SUMMIT.id, as_of=D(2026, 3, 1))
        assert str(a.deadline) == "in 2026"
        assert a.original_deadline == SUMMIT.deadline
        # As known before the revision was recorded, the pledge was overdue in 2026.
        assert SUMMIT.id in [c.id for c in t.overdue(as_of=D(2026, 1, 5), known_on=D(2025, 11, 24))]

    def test_a_late_revision_leaves_the_gap_overdue(self):
        """Revised after its deadline passed: overdue between the old deadline and the day."""
        t = self.seeded()
        t.amend(FTA.id, on=D(2024, 9, 1), deadline=cm.Deadline.parse("by 2024-12-31"),
                reason="new target", recorded_at=at(D(2024, 9, 2)))  # fmt: skip
        t = self.reopen(t)
        assert [c.id for c in t.overdue(as_of=D(2024, 8, 1))] == [FTA.id]
        assert t.overdue(as_of=D(2024, 10, 1)) == []
        assert t.due(as_of=D(2024, 10, 1)) == [t[FTA.id]]
        # Fulfilled in January 2025: late by the days past the deadline then in force.
        t.record(FTA.id, "fulfilled", on=D(2025, 1, 15), recorded_at=at(D(2025, 1, 16)))
        assert t.assess(FTA.id, as_of=D(2025, 2, 1)).late_by == 15

    def test_amendments_retract_like_updates(self):
        """A retracted amendment stops counting from the retraction; before, it counts."""
        t = self.seeded()
        a = t.amend(FTA.id, title="Wrong title", reason="typo?", recorded_at=at(D(2025, 1, 1)))
        t.retract(a.id, reason="the old one was right", recorded_at=at(D(2025, 1, 3)))
        t = self.reopen(t)
        assert t[FTA.id].title == FTA.title
        assert t.commitment(FTA.id, known_on=D(2025, 1, 2)).title == "Wrong title"
        assert t.amendments(FTA.id) == ()
        with pytest.raises(cm.UpdateError, match="already retracted"):
            t.retract(a.id, reason="again")

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"parties": ("CN",)}, "unknown party 'KR'"),
            ({"made_on": D(2024, 7, 1)}, "precedes the commitment"),
            ({"restates": ("ghost",)}, "'ghost' is not a tracked commitment"),
            ({"title": ""}, "title must be a non-empty string"),
            ({"recurrence": cm.Recurrence.parse("every year from 2024")}, "not both"),
        ],
    )
    def test_an_amendment_that_breaks_the_log_is_refused(self, changes, message):
        """Refused with a CommitmentsError naming the commitment and why; nothing changes."""
        t = self.seeded()
        t.record(FTA.id, "in_progress", on=D(2024, 6, 5), party="KR",
                 recorded_at=at(D(2024, 6, 5)))  # fmt: skip
        before = cm.dumps(t)
        with pytest.raises(cm.CommitmentsError, match=message) as info:
            t.amend(FTA.id, reason="test", recorded_at=at(D(2024, 7, 2)), **changes)
        assert FTA.id in str(info.value)
        assert cm.dumps(self.reopen(t)) == before

    def test_the_id_is_not_amendable(self):
        """Only the documented fields can be amended."""
        t = self.seeded()
        with pytest.raises(TypeError):
            t.amend(FTA.id, reason="x", id="other")  # type: ignore[call-arg]
        with pytest.raises(cm.UpdateError, match="at least one field"):
            t.amend(FTA.id, reason="nothing")

    # -- writes ----------------------------------------------------------------------

    def test_a_rolled_back_transaction_leaves_nothing(self):
        """Raise inside transaction(): the tracker and its log are as before (item 4)."""
        t = self.seeded()
        t.record(FTA.id, "in_progress", on=D(2024, 6, 5), recorded_at=at(D(2024, 6, 5)))
        before = cm.dumps(t)

        def changes_then_raise() -> None:
            with t.transaction():
                t.record(FTA.id, "fulfilled", on=D(2024, 6, 20), recorded_at=at(D(2024, 6, 20)))
                assert t.status(FTA.id, as_of=D(2024, 7, 1)) == "fulfilled"
                t.amend(SUMMIT.id, title="Changed", reason="x", recorded_at=at(D(2024, 7, 1)))
                t.add(cm.Commitment(id="new", title="New", made_on=D(2024, 7, 1)))
                raise RuntimeError

        with pytest.raises(RuntimeError):
            changes_then_raise()
        assert t.status(FTA.id, as_of=D(2024, 7, 1)) == "in_progress"
        assert t[SUMMIT.id].title == SUMMIT.title
        assert "new" not in t
        assert cm.dumps(t) == before
        assert cm.dumps(self.reopen(t)) == before

    def test_extend_is_all_or_nothing(self):
        """A log appended with extend() is checked whole; a bad event refuses it all."""
        source = self.seeded()
        source.record(FTA.id, "in_progress", on=D(2024, 6, 5), recorded_at=at(D(2024, 6, 5)))
        source.amend(FTA.id, on=D(2024, 9, 1), deadline=cm.Deadline.parse("by 2024-12-31"),
                     reason="new target", recorded_at=at(D(2024, 9, 2)))  # fmt: skip
        events = source.events()
        t = self.make_tracker()
        t.extend(events)
        assert cm.dumps(self.reopen(t)) == cm.dumps(source)
        other = self.make_tracker()
        bad = cm.StatusUpdate("x:1", FTA.id, cm.Status.IN_PROGRESS, D(2024, 6, 1),
                              at(D(2024, 6, 1)), party="JP")  # fmt: skip
        with pytest.raises(cm.UpdateError, match="unknown party") as info:
            other.extend([*events, bad])
        assert info.value.index == len(events)
        assert len(other) == 0

    def test_changes_of_a_window(self):
        """The events recorded on the window's days (UTC, both ends in), in the order recorded."""
        t = self.seeded()
        last = dt.datetime(2025, 6, 2, 23, 59, 59, 999999, tzinfo=UTC)
        u = t.record(SUMMIT.id, "stalled", on=D(2025, 6, 1), recorded_at=last)
        v = t.record(FTA.id, "fulfilled", on=D(2025, 6, 1), recorded_at=at(D(2025, 6, 2), 1))
        t.record(SUMMIT.id, "in_progress", on=D(2025, 6, 3), recorded_at=at(D(2025, 6, 3), 0))
        t = self.reopen(t)
        found = t.changes("2025-06-01", "2025-06-02")
        assert [c.event.id for c in found] == [v.id, u.id]
        assert [(c.status_before, c.status_after) for c in found] == [
            (cm.Status.PLEDGED, cm.Status.FULFILLED),
            (cm.Status.PLEDGED, cm.Status.STALLED),
        ]
        first = t.changes("2024-05-27", "2024-05-27")
        assert [c.event.id for c in first] == [f"{SUMMIT.id}:0", f"{FTA.id}:0"]

    def test_parties_are_codes_and_the_recorder_lists_them_alike(self):
        """Codes are stored trimmed and upper-case; a recorder's list equals the commitments'."""
        t = self.seeded()
        t.add(cm.Commitment(id="eu", title="EU pledge", made_on=D(2024, 6, 1), parties=(" eu",)))
        t.record("eu", "in_progress", on=D(2024, 7, 1), party="Eu ")
        t = self.reopen(t)
        assert t["eu"].parties == ("EU",)
        assert t.history("eu")[-1].party == "EU"
        listed = t.recorder.parties()
        assert (listed is not None) == self.indexes_parties
        if listed is not None:
            assert listed == {p for c in t.commitments for p in c.parties}

    def test_answers_survive_reopening(self):
        """Every question answers the same after the log is read afresh."""
        t = self.seeded()
        t.record(SUMMIT.id, "in_progress", on=D(2025, 3, 22), party="JP",
                 recorded_at=at(D(2025, 3, 23)))  # fmt: skip
        t.record(FTA.id, "fulfilled", on=D(2025, 1, 15), recorded_at=at(D(2025, 1, 16)))
        questions = [
            (day, known_on)
            for day in (D(2024, 6, 30), D(2025, 6, 30), D(2026, 6, 30))
            for known_on in (None, D(2024, 12, 31))
        ]

        def answers(tracker: cm.Tracker) -> list[object]:
            found: list[object] = [tracker.events(), tracker.commitments]
            for day, known_on in questions:
                found.append(tracker.assess_all(as_of=day, known_on=known_on))
                found.append(tracker.overdue(as_of=day, known_on=known_on))
                # select's last_update may be read thin (documented): compare what it keeps.
                found.append(
                    [
                        attrs.evolve(a, last_update=thin_update(a.last_update))
                        for a in tracker.select("all", as_of=day, known_on=known_on)
                    ]
                )
            return found

        expected = answers(t)
        assert answers(self.reopen(t)) == expected

    def test_listings_are_the_assessments_of_select(self):
        """`listing_rows` (saved settled rows where the recorder keeps them) lists what
        `select` assesses, on the days a commitment settles and around them."""
        t = self.seeded()
        t.record(FTA.id, "fulfilled", on=D(2025, 1, 15), recorded_at=at(D(2025, 1, 16)))
        t.record(SUMMIT.id, "stalled", on=D(2025, 11, 24), party="CN",
                 recorded_at=at(D(2025, 11, 25)))  # fmt: skip
        t.add(cm.Commitment(id="yearly", title="Meet yearly", made_on=D(2024, 5, 27),
                            recurrence=cm.Recurrence.parse("every year from 2024")),
              recorded_at=at(D(2024, 5, 27)))  # fmt: skip
        t.add(cm.Commitment(id="window", title="A window", made_on=D(2024, 5, 27),
                            deadline=cm.Deadline.parse("2025-2026")),
              recorded_at=at(D(2024, 5, 27)))  # fmt: skip
        t.amend("window", deadline=cm.Deadline.parse("in 2027"), on=D(2025, 6, 1),
                reason="postponed", recorded_at=at(D(2025, 6, 2)))  # fmt: skip
        days = [D(2024, 6, 10), D(2024, 6, 11), D(2025, 1, 15), D(2025, 11, 24),
                D(2026, 1, 1), D(2026, 1, 2), D(2028, 1, 1)]  # fmt: skip
        for day in days:
            for kind in ("overdue", "due", "fulfilled", "all"):
                expected = [listing_row(record_of(a)) for a in t.select(kind, as_of=day)]
                assert t.listing_rows(kind, as_of=day) == expected, (kind, day)
                known = D(2025, 1, 1)
                expected = [
                    listing_row(record_of(a)) for a in t.select(kind, as_of=day, known_on=known)
                ]
                assert t.listing_rows(kind, as_of=day, known_on=known) == expected, (kind, day)
        (row,) = t.listing("fulfilled", as_of=D(2026, 1, 1))
        assert (row["id"], row["fulfilled_on"], row["late_by"]) == (FTA.id, "2025-01-15", 219)
        assert list(row) == list(LISTING_COLUMNS)

    def test_questions_inside_a_transaction_see_its_changes(self):
        """Listings and selections asked mid-transaction count what it wrote so far."""
        t = self.seeded()
        day = D(2026, 1, 1)
        with t.transaction():
            t.record(FTA.id, "fulfilled", on=D(2025, 1, 15), recorded_at=at(D(2025, 1, 16)))
            assert [r[0] for r in t.listing_rows("overdue", as_of=day)] == [SUMMIT.id]
            assert [c.id for c in t.overdue(as_of=day)] == [SUMMIT.id]
            assert [c.id for c in t.fulfilled(as_of=day)] == [FTA.id]
        with t.transaction():
            (done,) = [e for e in t.events(FTA.id) if isinstance(e, cm.StatusUpdate)]
            t.retract(done.id, reason="it was the wrong round", recorded_at=at(D(2025, 2, 1)))
            assert t.fulfilled(as_of=day) == []
            assert [a.commitment.id for a in t.select("overdue", as_of=day)] == [
                SUMMIT.id,
                FTA.id,
            ]
            assert [r[0] for r in t.listing_rows("overdue", as_of=day)] == [SUMMIT.id, FTA.id]

    # -- found in review ------------------------------------------------------------

    def test_amended_values_are_stored_as_the_commitment_holds_them(self):
        """A lone party string is one party in the amendment too, before and after reopening."""
        t = self.seeded()
        a = t.amend(FTA.id, parties="CNKR", reason="one code", recorded_at=at(D(2024, 6, 1)))
        assert a.changes["parties"] == ("CNKR",)
        t.record(FTA.id, "in_progress", on=D(2024, 6, 5), party="CNKR",
                 recorded_at=at(D(2024, 6, 5)))  # fmt: skip
        t.amend(FTA.id, areas=None, sources="https://x.test/s", reason="r",
                recorded_at=at(D(2024, 6, 6)))  # fmt: skip
        expected = cm.dumps(t)
        again = self.reopen(t)
        assert again[FTA.id].parties == ("CNKR",)
        assert again[FTA.id].sources == (cm.Source(url="https://x.test/s"),)
        assert again.status(FTA.id, as_of=D(2024, 7, 1)) == "in_progress"
        assert cm.dumps(again) == expected
        with pytest.raises(cm.UpdateError):
            again.amend(FTA.id, title="x", reason="r", source=5)  # type: ignore[arg-type]

    def test_updates_are_judged_by_the_version_of_their_day(self):
        """A revision that makes a pledge recurring does not turn an earlier fulfilment
        into a marker; one that ends the recurrence keeps earlier markers valid."""
        t = self.make_tracker()
        t.add(
            cm.Commitment(id="c", title="t", made_on=D(2020, 1, 1)), recorded_at=at(D(2020, 1, 1))
        )
        t.record("c", "fulfilled", on=D(2020, 3, 1), recorded_at=at(D(2020, 3, 1)))
        t.amend("c", recurrence=cm.Recurrence.parse("every year from 2020"), on=D(2022, 1, 1),
                reason="now yearly", recorded_at=at(D(2022, 1, 1)))  # fmt: skip
        with pytest.raises(cm.TransitionError):
            t.record("c", "in_progress", on=D(2020, 6, 1), recorded_at=at(D(2022, 2, 1)))
        yearly = self.make_tracker()
        yearly.add(
            cm.Commitment(id="y", title="t", made_on=D(2020, 1, 1),
                          recurrence=cm.Recurrence.parse("every year from 2020")),
            recorded_at=at(D(2020, 1, 1)),
        )  # fmt: skip
        for year in (2020, 2021):
            yearly.record("y", "fulfilled", on=D(year, 5, 1), recorded_at=at(D(year, 5, 1)))
        yearly.amend(
            "y",
            recurrence=None,
            deadline=cm.Deadline.parse("by 2023-12-31"),
            on=D(2022, 1, 1),
            reason="one last time",
            recorded_at=at(D(2022, 1, 2)),
        )
        assert yearly.commitment("y", as_of=D(2022, 6, 1)).recurrence is None

    def test_a_party_removed_by_a_revision_no_longer_blocks_updates(self):
        """After a revision drops a fulfilled party, an update for all applies to the rest."""
        t = self.make_tracker()
        t.add(cm.Commitment(id="p", title="t", made_on=D(2020, 1, 1), parties=("A", "B")),
              recorded_at=at(D(2020, 1, 1)))  # fmt: skip
        t.record("p", "fulfilled", on=D(2020, 2, 1), party="A", recorded_at=at(D(2020, 2, 1)))
        t.amend("p", parties=("B",), on=D(2021, 1, 1), reason="A left",
                recorded_at=at(D(2021, 1, 1)))  # fmt: skip
        t.record("p", "in_progress", on=D(2021, 2, 1), recorded_at=at(D(2021, 2, 1)))
        assert t.status("p", as_of=D(2021, 3, 1)) == "in_progress"

    def test_a_duplicate_id_in_a_transaction_refuses_only_itself(self):
        """An event id used twice in one transaction: the second is refused, the rest stays."""
        t = self.seeded()
        with t.transaction():
            t.record(FTA.id, "in_progress", on=D(2024, 6, 5), update_id="u1",
                     recorded_at=at(D(2024, 6, 5)))  # fmt: skip
            with pytest.raises(cm.DuplicateError):
                t.record(SUMMIT.id, "in_progress", on=D(2024, 6, 5), update_id="u1",
                         recorded_at=at(D(2024, 6, 5)))  # fmt: skip
            t.record(SUMMIT.id, "stalled", on=D(2024, 6, 6), recorded_at=at(D(2024, 6, 6)))
        again = self.reopen(t)
        assert [type(e).__name__ for e in again.events()][-2:] == ["StatusUpdate", "StatusUpdate"]
        assert again.status(SUMMIT.id, as_of=D(2024, 7, 1)) == "stalled"

    @pytest.mark.parametrize(
        "steps",
        [
            # A revision that would have the pledge made after the revision's own day.
            [("amend", {"made_on": D(2020, 9, 1), "on": D(2020, 6, 1)})],
            # A correction of made_on to after an existing revision's day.
            [("amend", {"title": "r", "on": D(2020, 6, 1)}), ("amend", {"made_on": D(2020, 9, 1)})],
        ],
    )
    def test_revisions_stay_on_or_after_the_day_it_was_made(self, steps):
        """No state has a revision dated before the pledge was made (refused, unchanged)."""
        t = self.make_tracker()
        t.add(
            cm.Commitment(id="m", title="t", made_on=D(2020, 1, 1)), recorded_at=at(D(2020, 1, 1))
        )
        *first, last = steps
        for _, fields in first:
            t.amend("m", reason="r", recorded_at=at(D(2020, 10, 1)), **fields)
        before = cm.dumps(t)
        with pytest.raises(cm.UpdateError, match="made"):
            t.amend("m", reason="r", recorded_at=at(D(2020, 10, 2)), **last[1])
        assert cm.dumps(t) == before

    def test_retracting_a_correction_cannot_strand_a_revision(self):
        """Retracting the made_on correction a revision relies on is refused."""
        t = self.make_tracker()
        t.add(
            cm.Commitment(id="m", title="t", made_on=D(2020, 1, 1)), recorded_at=at(D(2020, 1, 1))
        )
        early = t.amend("m", made_on=D(2019, 6, 1), reason="r", recorded_at=at(D(2020, 2, 1)))
        t.amend("m", title="r", on=D(2019, 8, 1), reason="r", recorded_at=at(D(2020, 2, 2)))
        with pytest.raises(cm.UpdateError, match="before it was made"):
            t.retract(early.id, reason="wrong", recorded_at=at(D(2020, 3, 1)))
