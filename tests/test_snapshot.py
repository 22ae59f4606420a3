"""Snapshots: a saved state of the one fold, which must answer as the fold does."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments import store as store_module
from commitments.history import first_violation, knowledge_violation
from commitments.projection import fold
from commitments.snapshot import Snapshot, snapshot
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


def key(snap: Snapshot) -> tuple[object, ...]:
    """What a snapshot holds, with thin and full updates compared by what thin ones keep."""
    t = snap.timeline

    def thin(updates: object) -> list[tuple[object, ...]]:
        return [(u.id, u.on, u.recorded_at, u.party, u.status) for u in updates]  # type: ignore[attr-defined]

    return (
        snap.commitment,
        snap.version,
        snap.known_from,
        snap.newest,
        t.days,
        t.statuses,
        thin(t.updates),
        thin(t.markers),
        t.open_tracks,
        t.track_states,
        snap.tracks,
        snap.last,
        snap.amended,
        snap.retracted,
        snap.usable,
    )


def tracker_after(attempted: list[tuple[str, ...]]) -> cm.Tracker:
    tracker = cm.Tracker()
    for c in commitments_():
        tracker.add(c, recorded_at=T0)
    for step in attempted:
        apply(tracker, step)
    return tracker


class TestSnapshot:
    @given(steps())
    def test_text_round_trips(self, attempted):
        """A snapshot read back from its text holds what it held."""
        tracker = tracker_after(attempted)
        for c in tracker:
            snap = snapshot(fold(tracker.events(c.id)))
            assert key(Snapshot.from_text(snap.commitment, snap.to_text())) == key(snap)

    @given(steps())
    def test_party_statuses_from_the_timeline(self, attempted):
        """The timeline's party statuses are those the reference replay gives."""
        from commitments.testing import track_statuses  # noqa: PLC0415

        tracker = tracker_after(attempted)
        for c in tracker:
            state = fold(tracker.events(c.id))
            timeline = state.timeline_of(c, None)
            for day in (MADE, MADE + dt.timedelta(days=30), MADE + dt.timedelta(days=200)):
                tracks = track_statuses(c, state.updates_known(None), until=day)
                expected = {p: s for p, s in tracks.items() if p is not None}
                assert timeline.party_statuses_on(c, day) == expected

    @given(
        steps(),
        st.sampled_from(STATUSES),
        DAYS,
        st.sampled_from(["", "A", "B"]),
        st.integers(0, 3400),
    )
    def test_appended_matches_the_fold(self, attempted, status, day, party, hours):
        """An update that comes last is refused, or appended, exactly as the fold does it."""
        tracker = tracker_after(attempted)
        c = tracker["pair" if party else "solo"]
        state = fold(tracker.events(c.id))
        snap = snapshot(state)
        new = cm.StatusUpdate(
            id="new",
            commitment_id=c.id,
            status=cm.Status(status),
            on=day,
            recorded_at=T0 + dt.timedelta(hours=hours),
            party=party or None,
        )
        if not snap.comes_last(new):
            return
        quick = first_violation(c, (new,), tracker.workflow, start=dict(snap.tracks))
        full = knowledge_violation(
            c, [*state.updates, new], state.retractions, tracker.workflow, since=new.recorded_at
        )
        assert (None if quick is None else (quick, None)) == full
        if quick is None:
            assert key(snap.appended(new)) == key(snapshot(state.apply(new)))


class TestStoreSnapshots:
    @given(steps(), DAYS)
    def test_store_selects_as_the_tracker_does(self, attempted, day):
        """A store's overdue, due and fulfilled (from snapshots) equal the tracker's."""
        tracker = tracker_after(attempted)
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            path = Path(folder) / "t.db"
            cm.create_store(path, tracker).close()
            with cm.open_store(path) as store:
                for kind in ("overdue", "due", "fulfilled", "all"):
                    got = store.select(kind, as_of=day)
                    expected = tracker.select(kind, as_of=day)
                    assert [assessment_key(a) for a in got] == [assessment_key(a) for a in expected]
                assert store.overdue(as_of=day) == tracker.overdue(as_of=day)

    @given(steps(), steps())
    def test_store_batch_matches_tracker(self, before, batch):
        """A batch in one store transaction accepts and refuses as the tracker does; the
        snapshots it leaves equal those rebuilt from the log."""
        tracker = tracker_after(before)
        records = [s for s in batch if s[0] == "record"]
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            path = Path(folder) / "t.db"
            cm.create_store(path, tracker).close()
            with cm.open_store(path) as store, store.transaction():
                got = [apply(store, s) for s in records]
            expected = [apply(tracker, s) for s in records]
            assert got == expected
            conn = sqlite3.connect(path)
            stored = conn.execute("SELECT * FROM snapshots ORDER BY seq").fetchall()
            conn.execute("BEGIN")
            store_module._rebuild_snapshots(conn, "t.db")  # the reference rebuild
            rebuilt = conn.execute("SELECT * FROM snapshots ORDER BY seq").fetchall()
            conn.rollback()
            conn.close()
            assert stored == rebuilt
            with cm.open_store(path) as reopened:
                assert cm.dumps(reopened) == cm.dumps(tracker)

    def test_refused_batch_leaves_snapshots(self, tmp_path):
        """A batch refused part-way stores neither its events nor its snapshots."""
        path = tmp_path / "t.db"
        with cm.create_store(path) as store:
            for c in commitments_():
                store.add(c, recorded_at=T0)
            store.record("solo", "in_progress", on=dt.date(2024, 1, 5), recorded_at=T1)
        conn = sqlite3.connect(path)
        before = conn.execute("SELECT * FROM snapshots ORDER BY seq").fetchall()
        conn.close()
        with cm.open_store(path) as store:
            try:
                with store.transaction():
                    store.record("solo", "fulfilled", on=dt.date(2024, 1, 9), recorded_at=T1)
                    store.record("solo", "broken", on=dt.date(2024, 1, 10), recorded_at=T1)
            except cm.TransitionError:
                pass
            assert store.status("solo", as_of=dt.date(2024, 1, 20)) is cm.Status.IN_PROGRESS
        conn = sqlite3.connect(path)
        after = conn.execute("SELECT * FROM snapshots ORDER BY seq").fetchall()
        events = conn.execute("SELECT count(*) FROM events WHERE type = 'update'").fetchone()[0]
        conn.close()
        assert after == before
        assert events == 1

    def test_rows_written_behind_the_store_are_counted(self, tmp_path):
        """An event inserted by another tool makes its snapshot stale, and answers exact."""
        path = tmp_path / "t.db"
        with cm.create_store(path) as store:
            for c in commitments_():
                store.add(c, recorded_at=T0)
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc, "
            "chain) VALUES ('x', 'solo', 'update', 'fulfilled', '2024-01-05', ?, ?, 'forged')",
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
        with cm.open_store(path) as store:
            assert [c.id for c in store.overdue(as_of=dt.date(2024, 3, 1))] == ["pair"]
            with pytest.raises(cm.StoreError, match="events row 4 .'x'.: its link breaks"):
                store.recorder.verify()  # type: ignore[attr-defined]
            store.recorder.rebuild_snapshots()  # type: ignore[attr-defined]
            assert [c.id for c in store.overdue(as_of=dt.date(2024, 3, 1))] == ["pair"]


def assessment_key(a: cm.Assessment) -> tuple[object, ...]:
    last = None if a.last_update is None else a.last_update.id
    return (
        a.commitment,
        a.status,
        a.overdue,
        a.due,
        a.fulfilled_on,
        a.late_by,
        last,
        dict(a.party_statuses),
        a.missed_periods,
    )


class TestMigration:
    def test_schema_1_store_gains_snapshots(self, tmp_path):
        """Opening a schema-1 store builds the snapshots of its existing histories."""
        path = tmp_path / "old.db"
        tracker = cm.Tracker()
        for c in commitments_():
            tracker.add(c)
        tracker.record("solo", "in_progress", on=dt.date(2024, 1, 5), recorded_at=T1)
        tracker.record("pair", "stalled", on=dt.date(2024, 1, 6), party="A", recorded_at=T1)
        write_store(path, tracker, version=1)
        with cm.open_store(path) as store:
            got = [c.id for c in store.overdue(as_of=dt.date(2024, 3, 1))]
        assert got == ["solo", "pair"]
        conn = sqlite3.connect(path)
        count = conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        assert count == 3
        assert version == store_module.SCHEMA_VERSION


def test_quick_append_takes_a_lone_sources_string_as_one(tmp_path):
    """On the snapshot path too, sources="url" is one source."""
    path = tmp_path / "t.db"
    with cm.create_store(path) as store:
        for c in commitments_():
            store.add(c, recorded_at=T0)
    with cm.open_store(path) as store:
        update = store.record(
            "solo",
            "in_progress",
            on=dt.date(2024, 1, 5),
            recorded_at=T1,
            sources="https://x.test/a",
        )
        assert update.sources == (cm.Source(url="https://x.test/a"),)
        assert store.history("solo")[0].sources == (cm.Source(url="https://x.test/a"),)
