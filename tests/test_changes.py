"""What changed: `Tracker.changes(since, until)` and `commitments changes`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings

import commitments as cm
from commitments.changes import window
from commitments.history import knowledge_cutoff
from store_support import SEED_NOTICE, run
from test_output_fuzz import trackers as fuzz_trackers

D = dt.date
UTC = dt.UTC


def at(day: dt.date, *time: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, *time, tzinfo=UTC)


@pytest.fixture
def week() -> cm.Tracker:
    """A pledge added, worked on, retracted and amended over a week in November 2026."""
    t = cm.Tracker(clock=lambda: at(D(2026, 12, 1)))
    t.add(
        cm.Commitment(
            id="talks",
            title="Resume the talks",
            made_on=D(2026, 11, 1),
            parties=("CN", "KR"),
            deadline=cm.Deadline.by(D(2026, 11, 30)),
        ),
        recorded_at=at(D(2026, 11, 22), 23, 59, 59),
    )
    t.record("talks", "in_progress", on=D(2026, 11, 20), recorded_at=at(D(2026, 11, 23)),
             note="a first meeting", recorded_by="ana")  # fmt: skip
    late = t.record("talks", "fulfilled", on=D(2026, 11, 25),
                    recorded_at=at(D(2026, 11, 29), 23, 59, 59, 999999))  # fmt: skip
    t.retract(late.id, reason="it was only a preparatory meeting",
              recorded_at=at(D(2026, 11, 30)))  # fmt: skip
    t.amend("talks", title="Resume the formal talks", reason="the pledge said formal",
            recorded_at=at(D(2026, 11, 24), 12))  # fmt: skip
    return t


def test_the_window_is_whole_utc_days_both_inclusive(week):
    """22 Nov 23:59:59 and 30 Nov 00:00 fall outside 23-29 Nov; 29 Nov 23:59:59.999999 in."""
    found = week.changes("2026-11-23", "2026-11-29")
    assert [c.event.id for c in found] == ["talks:1", "talks:4", "talks:2"]
    assert [c.kind for c in found] == ["update", "amendment", "update"]
    assert [c.event.id for c in week.changes(D(2026, 11, 22), D(2026, 11, 22))] == ["talks:0"]
    assert [c.event.id for c in week.changes(D(2026, 11, 30), D(2026, 11, 30))] == ["talks:3"]
    assert week.changes(D(2026, 12, 1)) == []  # until: today, by the tracker's clock
    with pytest.raises(cm.ValidationError, match="before since"):
        week.changes("2026-11-29", "2026-11-23")


def test_each_change_names_the_status_it_moved_from_and_to(week):
    found = {c.event.id: c for c in week.changes("2026-11-01", "2026-11-30")}
    assert (found["talks:0"].status_before, found["talks:0"].status_after) == (
        None,
        cm.Status.PLEDGED,
    )
    assert (found["talks:1"].status_before, found["talks:1"].status_after) == (
        cm.Status.PLEDGED,
        cm.Status.IN_PROGRESS,
    )
    assert (found["talks:2"].status_before, found["talks:2"].status_after) == (
        cm.Status.IN_PROGRESS,
        cm.Status.FULFILLED,
    )
    assert (found["talks:3"].status_before, found["talks:3"].status_after) == (
        cm.Status.FULFILLED,
        cm.Status.IN_PROGRESS,
    )
    assert not found["talks:4"].moved  # a correction of the title moves no status
    assert found["talks:4"].title == "Resume the formal talks"
    assert found["talks:1"].title == "Resume the talks"  # as it read when recorded
    assert found["talks:1"].event.recorded_by == "ana"
    assert repr(found["talks:3"]) == (
        "<Change talks:3 retraction 2026-11-30 00:00Z: fulfilled -> in_progress>"
    )


def test_statuses_are_compared_on_as_of(week):
    """On 21 Nov the pledge was already in progress (the update's `on` is 20 Nov)."""
    early = {c.event.id: c for c in week.changes("2026-11-01", "2026-11-30", as_of="2026-11-21")}
    assert early["talks:2"].status_after is cm.Status.IN_PROGRESS  # fulfilled only from 25 Nov
    assert not early["talks:2"].moved
    before = week.changes("2026-11-01", "2026-11-30", as_of="2026-10-01")
    assert {c.status_after for c in before} == {None}  # not yet made on 1 October


def test_a_store_and_a_view_give_the_same_changes(week, tmp_path):
    with cm.create_store(tmp_path / "t.db", week) as store:
        assert store.changes("2026-11-23", "2026-11-29") == week.changes("2026-11-23", "2026-11-29")
        assert store.where(party="kr").changes("2026-11-01", "2026-11-30") == week.changes(
            "2026-11-01", "2026-11-30"
        )
        assert store.where(party="JP").changes("2026-11-01", "2026-11-30") == []


@given(tracker=fuzz_trackers())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_all_time_is_every_event_and_each_after_is_the_known_status(tracker):
    everything = tracker.changes(D.min, D.max, as_of=D(2030, 1, 1))
    assert sorted(c.event.id for c in everything) == sorted(e.id for e in tracker.events())
    moments = [c.event.recorded_at for c in everything]
    assert moments == sorted(moments)
    for change in everything:
        try:
            known = tracker.status(
                change.commitment_id, as_of=D(2030, 1, 1), known_on=change.event.recorded_at
            )
        except (cm.NotYetKnownError, cm.NotYetMadeError):
            known = None
        assert change.status_after == known


# -- the command line ----------------------------------------------------------------------


def test_cli_changes_in_every_format():
    code, out, err = run("changes", "--since", "2025-11-20", "--until", "2025-11-22")
    assert (code, err) == (0, SEED_NOTICE)
    assert (
        "2025-11-22 00:00  cjk-10th-summit-japan  update  pledged -> stalled (on 2025-11-22)" in out
    )
    code, out, _ = run(
        "changes", "--since", "2025-11-20", "--until", "2025-11-22", "--format", "json"
    )
    doc = json.loads(out)
    assert (doc["since"], doc["until"], doc["as_of"]) == ("2025-11-20", "2025-11-22", "2025-11-22")
    ids = [c["id"] for c in doc["changes"]]
    expected = cm.seed_catalog().changes("2025-11-20", "2025-11-22")
    assert ids == [c.event.id for c in expected]
    retraction = next(c for c in doc["changes"] if c["type"] == "retraction")
    assert retraction["update_id"]
    assert retraction["note"]
    code, out, _ = run(
        "changes", "--since", "2025-11-20", "--until", "2025-11-22", "--format", "csv",
        "--party", "JP",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    jp = cm.seed_catalog().where(party="JP").changes("2025-11-20", "2025-11-22")
    assert [r["id"] for r in rows] == [c.event.id for c in jp]
    assert rows[0]["status_before"]
    assert rows[0]["status_after"]


def test_cli_changes_refuses_a_backwards_window():
    code, _, err = run("changes", "--since", "2025-11-22", "--until", "2025-11-20")
    assert code == 1
    assert "before since" in err
    code, _, err = run("changes")
    assert code == 2
    assert "--since" in err


def test_an_event_at_the_first_moment_there_is():
    """Recorded at 0001-01-01 00:00 UTC: nothing was known before it (no overflow)."""
    t = cm.Tracker(clock=lambda: at(D(2026, 12, 1)))
    first = dt.datetime.min.replace(tzinfo=UTC)
    t.add(cm.Commitment(id="old", title="Old", made_on=D.min), recorded_at=first)
    t.record("old", "fulfilled", on=D.min, recorded_at=first)
    found = t.changes(D.min, D.min, as_of=D(2000, 1, 1))
    assert [(c.kind, c.status_before, c.status_after) for c in found] == [
        ("added", None, cm.Status.FULFILLED),
        ("update", None, cm.Status.FULFILLED),
    ]


def test_the_window_ends_where_a_question_known_on_until_would():
    """Up to the end of `until` (UTC), exclusive; with no end at the end of time."""
    for until in (D(2024, 1, 31), D(2024, 2, 29)):
        assert window(D(2024, 1, 1), until) == (
            dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            knowledge_cutoff(until),
        )
    assert window(D(2024, 1, 1), D(2024, 1, 31))[1] == dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    assert window(D(2024, 1, 1), dt.date.max)[1] == dt.datetime.max.replace(tzinfo=dt.UTC)
