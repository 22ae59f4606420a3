"""Summaries: a pure digest of a history that must agree with the full computation."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments import store as store_module
from commitments.history import build_timeline, effective_updates, knowledge_violation
from commitments.summary import appended, check_appended, comes_last, summarize
from old_stores import write_store

MADE = dt.date(2024, 1, 1)
T0 = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
T1 = dt.datetime(2024, 1, 20, 12, tzinfo=dt.UTC)
STATUSES = [s.value for s in cm.Status]
# Property tests keep their stores in memory-backed /dev/shm where there is one: fsync
# on a busy disk can outlast hypothesis's deadline.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 - a private temp dir inside
DAYS = st.integers(0, 120).map(lambda n: MADE + dt.timedelta(days=n))


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, ...]]:
    """Attempted changes: (record, commitment, status, day, party, hours) or (retract, n)."""
    result: list[tuple[str, ...]] = []
    for _ in range(draw(st.integers(0, 14))):
        if draw(st.integers(0, 5)) == 0:
            result.append(("retract", str(draw(st.integers(1, 8)))))
            continue
        result.append(
            (
                "record",
                draw(st.sampled_from(["solo", "pair", "late"])),
                draw(st.sampled_from(STATUSES)),
                draw(DAYS).isoformat(),
                draw(st.sampled_from(["", "", "A", "B"])),
                str(draw(st.integers(0, 3200))),  # recorded hours after T0; may go back
            )
        )
    return result


def commitments_() -> list[cm.Commitment]:
    """One plain, one two-party and one commitment whose deadline is in the future."""
    return [
        cm.Commitment(
            id="solo", title="Solo", made_on=MADE, deadline=cm.Deadline.by(dt.date(2024, 2, 1))
        ),
        cm.Commitment(
            id="pair",
            title="Pair",
            made_on=MADE,
            parties=("A", "B"),
            deadline=cm.Deadline.by(dt.date(2024, 2, 15)),
        ),
        cm.Commitment(
            id="late", title="Late", made_on=MADE, deadline=cm.Deadline.by(dt.date(2025, 1, 1))
        ),
    ]


def apply(tracker: cm.Tracker, step: tuple[str, ...]) -> bool:
    """Try one step; whether it was accepted."""
    try:
        if step[0] == "retract":
            target = tracker.events()[int(step[1]) % max(1, len(tracker.events()))]
            tracker.retract(target.id, reason="wrong", recorded_at=T0 + dt.timedelta(days=140))
        else:
            _, cid, status, day, party, hours = step
            tracker.record(
                cid,
                status,
                on=dt.date.fromisoformat(day),
                party=party or None,
                recorded_at=T0 + dt.timedelta(hours=int(hours)),
            )
    except (cm.CommitmentsError, IndexError):
        return False
    return True


def history(tracker: cm.Tracker, cid: str) -> tuple[list[cm.StatusUpdate], list[cm.Retraction]]:
    events = tracker.events(cid)
    return (
        [e for e in events if isinstance(e, cm.StatusUpdate)],
        [e for e in events if isinstance(e, cm.Retraction)],
    )


class TestSummary:
    @given(steps())
    def test_summary_matches_timeline(self, attempted):
        """A summary's timeline and track statuses are those of the full computation."""
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        for step in attempted:
            apply(tracker, step)
        for c in tracker:
            updates, retractions = history(tracker, c.id)
            summary = summarize(c, updates, retractions)
            timeline = build_timeline(c, effective_updates(updates, retractions))
            assert summary.days == timeline.days
            assert summary.statuses == timeline.statuses
            assert [u.id for u in summary.timeline(c.id).updates] == [
                u.id for u in timeline.updates
            ]
            assert summary.events == len(updates) + len(retractions)

    @given(
        steps(),
        st.sampled_from(STATUSES),
        DAYS,
        st.sampled_from(["", "A", "B"]),
        st.integers(0, 3400),
    )
    def test_appended_matches_full_check(self, attempted, status, day, party, hours):
        """An update that comes last is refused, or summarized, exactly as in full."""
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        for step in attempted:
            apply(tracker, step)
        c = tracker["pair" if party else "solo"]
        updates, retractions = history(tracker, c.id)
        summary = summarize(c, updates, retractions)
        new = cm.StatusUpdate(
            id="new",
            commitment_id=c.id,
            status=cm.Status(status),
            on=day,
            recorded_at=T0 + dt.timedelta(hours=hours),
            party=party or None,
        )
        if not comes_last(c, summary, new):
            return
        quick = check_appended(c, summary, new, tracker.workflow)
        full = knowledge_violation(
            c, [*updates, new], retractions, tracker.workflow, since=new.recorded_at
        )
        assert (None if quick is None else (quick, None)) == full
        if quick is None:
            assert appended(summary, new) == summarize(c, [*updates, new], retractions)


class TestStoreSummaries:
    @given(steps(), DAYS)
    def test_overdue_from_summaries_matches_tracker(self, attempted, day):
        """`overdue_assessments` equals assessing each of the tracker's overdue commitments."""
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        for step in attempted:
            apply(tracker, step)
        expected = [tracker.assess(c.id, as_of=day) for c in tracker.overdue(as_of=day)]
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            path = Path(folder) / "t.db"
            cm.create_store(path, tracker).close()
            with cm.open_store(path, lazy=True, details=False) as store:
                got = store.overdue_assessments(as_of=day)

        def key(a: cm.Assessment) -> tuple[object, ...]:
            last = None if a.last_update is None else a.last_update.id
            return (a.commitment, a.status, a.overdue, a.due, a.fulfilled_on, a.late_by, last)

        assert [key(a) for a in got] == [key(a) for a in expected]

    @given(steps(), steps())
    def test_quick_batch_matches_tracker(self, before, batch):
        """A prepared batch accepts and refuses as the tracker does; summaries stay exact."""
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        for step in before:
            apply(tracker, step)
        records = [s for s in batch if s[0] == "record"]
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            path = Path(folder) / "t.db"
            cm.create_store(path, tracker).close()
            with cm.open_store(path, lazy=True) as store, store.transaction():
                store.prepare(["solo", "pair", "late"])
                got = [apply(store, s) for s in records]
            expected = [apply(tracker, s) for s in records]
            assert got == expected
            conn = sqlite3.connect(path)
            stored = conn.execute("SELECT * FROM summaries ORDER BY commitment_id").fetchall()
            conn.execute("BEGIN")
            store_module._rebuild_summaries(conn)  # the reference rebuild
            rebuilt = conn.execute("SELECT * FROM summaries ORDER BY commitment_id").fetchall()
            conn.rollback()
            conn.close()
            assert stored == rebuilt
            with cm.open_store(path) as reopened:
                assert [e.id for e in reopened.events()] == [e.id for e in tracker.events()]

    def test_refused_batch_leaves_summaries(self, tmp_path):
        """A batch refused part-way stores neither its events nor its summaries."""
        path = tmp_path / "t.db"
        with cm.create_store(path) as store:
            for c in commitments_():
                store.add(c)
            store.record("solo", "in_progress", on=dt.date(2024, 1, 5), recorded_at=T1)
        conn = sqlite3.connect(path)
        before = conn.execute("SELECT * FROM summaries ORDER BY commitment_id").fetchall()
        conn.close()
        with cm.open_store(path, lazy=True) as store:
            try:
                with store.transaction():
                    store.prepare(["solo"])
                    store.record("solo", "fulfilled", on=dt.date(2024, 1, 9), recorded_at=T1)
                    store.record("solo", "broken", on=dt.date(2024, 1, 10), recorded_at=T1)
            except cm.TransitionError:
                pass
        conn = sqlite3.connect(path)
        after = conn.execute("SELECT * FROM summaries ORDER BY commitment_id").fetchall()
        events = conn.execute("SELECT count(*) FROM events WHERE type = 'update'").fetchone()[0]
        conn.close()
        assert after == before
        assert events == 1

    def test_rows_written_behind_the_store_are_counted(self, tmp_path):
        """An event inserted by another tool makes its summary stale, and answers exact."""
        path = tmp_path / "t.db"
        with cm.create_store(path) as store:
            for c in commitments_():
                store.add(c)
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc) "
            "VALUES ('x', 'solo', 'update', 'fulfilled', '2024-01-05', ?, ?)",
            (
                T1.isoformat(),
                json.dumps(
                    {
                        "type": "update",
                        "id": "x",
                        "commitment_id": "solo",
                        "status": "fulfilled",
                        "on": "2024-01-05",
                        "recorded_at": T1.isoformat(),
                    }
                ),
            ),
        )
        conn.commit()
        conn.close()
        with cm.open_store(path, lazy=True) as store:
            got = [a.commitment_id for a in store.overdue_assessments(as_of=dt.date(2024, 3, 1))]
        assert got == ["pair"]


class TestMigration:
    def test_schema_1_store_gains_summaries(self, tmp_path):
        """Opening a schema-1 store builds the summaries of its existing histories."""
        path = tmp_path / "old.db"
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        tracker.record("solo", "in_progress", on=dt.date(2024, 1, 5), recorded_at=T1)
        tracker.record("pair", "stalled", on=dt.date(2024, 1, 6), party="A", recorded_at=T1)
        write_store(path, tracker, version=1)
        with cm.open_store(path, lazy=True) as store:
            got = store.overdue_assessments(as_of=dt.date(2024, 3, 1))
        assert [a.commitment_id for a in got] == ["solo", "pair"]
        conn = sqlite3.connect(path)
        row = conn.execute("SELECT timeline FROM summaries WHERE commitment_id = 'solo'").fetchone()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        assert row[0].split("\n")[1] == "in_progress"
        assert version == store_module.SCHEMA_VERSION


def test_quick_append_takes_a_lone_sources_string_as_one(tmp_path):
    """On the quick path too, sources="url" is one source."""
    path = tmp_path / "t.db"
    with cm.create_store(path) as store:
        for c in commitments_():
            store.add(c)
    with cm.open_store(path, lazy=True) as store, store.transaction():
        store.prepare(["solo"])
        update = store.record(
            "solo",
            "in_progress",
            on=dt.date(2024, 1, 5),
            recorded_at=T1,
            sources="https://x.test/a",
        )
    assert update.sources == (cm.Source(url="https://x.test/a"),)
