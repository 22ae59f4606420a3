"""Settled assessments: the listing row a store saves once a commitment stops changing."""

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
from commitments.policy import KEEP_OPEN
from commitments.records import LISTING_COLUMNS, listing_row, record_of
from commitments.seeds import seed_catalog
from commitments.settled import settled, settled_from
from commitments.snapshot import Snapshot, snapshot
from store_support import run
from test_snapshot import DAYS, SCRATCH, steps, tracker_after

D = dt.date
KINDS = ("overdue", "due", "fulfilled", "all")


def reference_rows(tracker: cm.Tracker, kind: str, day: dt.date) -> list[list[object]]:
    """The listing as assessed afresh, every commitment (an in-memory tracker saves nothing)."""
    return [listing_row(record_of(a)) for a in tracker.select(kind, as_of=day)]


@pytest.fixture(scope="module")
def seeds() -> cm.Tracker:
    return seed_catalog()


def seed_snapshot(tracker: cm.Tracker, cid: str) -> Snapshot:
    return snapshot(tracker._state(cid))


def test_a_pledge_met_on_time_settles_the_day_after_its_deadline(seeds):
    """Hydrogen dialogue: met 14 June 2024, due "in mid-June" (by 20 June): settled 21 June."""
    snap = seed_snapshot(seeds, "jp-kr-hydrogen-dialogue")
    assert settled_from(snap, KEEP_OPEN) == D(2024, 6, 21)
    # A policy breaking open pledges 30 days late could still act until 21 July.
    assert settled_from(snap, cm.BreakAfter(days=30)) == D(2024, 7, 21)
    row = settled(snap, KEEP_OPEN)
    assert row is not None
    assert row.row.startswith('["jp-kr-hydrogen-dialogue","Launch a Japan-ROK Hydrogen')
    assert row.selects == 4 | 8  # picked by "fulfilled" and "all"
    got = dict(zip(LISTING_COLUMNS, json.loads(row.row), strict=True))
    assert (got["status"], got["fulfilled_on"], got["late_by"]) == ("fulfilled", "2024-06-14", 0)


def test_a_pledge_met_late_settles_on_the_day_it_was_met(seeds):
    """Resources dialogue: due by 20 June 2024, met 27 February 2025, 252 days late."""
    snap = seed_snapshot(seeds, "jp-kr-resources-dialogue")
    assert settled_from(snap, KEEP_OPEN) == D(2025, 2, 27)
    row = settled(snap, KEEP_OPEN)
    assert row is not None
    assert '"fulfilled"' in row.row
    assert ",252," in row.row


def test_recurring_and_revised_pledges_never_settle(seeds):
    """A recurring pledge has a new period every year; a revised one is not in the snapshot."""
    recurring = [c.id for c in seeds.commitments if c.recurrence is not None]
    assert recurring == ["cjk-leaders-summit-annual", "jp-kr-shuttle-diplomacy"]
    for cid in recurring:
        assert settled(seed_snapshot(seeds, cid), KEEP_OPEN) is None
    t = cm.Tracker()
    t.add(
        cm.Commitment(
            id="x", title="x", made_on=D(2024, 1, 1), deadline=cm.Deadline.by(D(2024, 6, 30))
        )
    )
    t.record("x", "fulfilled", on=D(2024, 3, 1))
    assert settled(seed_snapshot(t, "x"), KEEP_OPEN) is not None
    t.amend("x", deadline=cm.Deadline.by(D(2024, 2, 1)), on=D(2024, 1, 15), reason="moved up")
    revised = seed_snapshot(t, "x")
    assert not revised.usable
    assert settled(revised, KEEP_OPEN) is None


def test_a_pledge_without_a_deadline_settles_after_its_last_update():
    t = cm.Tracker()
    t.add(cm.Commitment(id="x", title="x", made_on=D(2024, 1, 1)))
    assert settled_from(seed_snapshot(t, "x"), KEEP_OPEN) == D(2024, 1, 1)
    t.record("x", "in_progress", on=D(2024, 3, 5))
    assert settled_from(seed_snapshot(t, "x"), KEEP_OPEN) == D(2024, 3, 5)


def test_a_deadline_at_the_end_of_time_never_settles():
    t = cm.Tracker()
    t.add(cm.Commitment(id="x", title="x", made_on=D(2024, 1, 1), deadline=cm.Deadline.by(D.max)))
    assert settled_from(seed_snapshot(t, "x"), KEEP_OPEN) is None
    t2 = cm.Tracker(policy=cm.BreakAfter(days=10))
    late = D.max - dt.timedelta(days=3)
    t2.add(cm.Commitment(id="y", title="y", made_on=D(2024, 1, 1), deadline=cm.Deadline.by(late)))
    assert settled_from(seed_snapshot(t2, "y"), t2.policy) is None


def test_the_seed_catalog_lists_alike_from_a_store(seeds, tmp_path):
    """Every listing of the seed catalog, any day from 2010 on, as assessed afresh."""
    path = tmp_path / "seeds.db"
    cm.create_store(path, seeds).close()
    days = [D(2010, 6, 1), D(2024, 6, 20), D(2024, 6, 21), D(2025, 2, 27), D(2026, 12, 1)]
    with cm.open_store(path) as store:
        for kind in KINDS:
            for day in days:
                assert store.listing_rows(kind, as_of=day) == reference_rows(seeds, kind, day)
        listed = store.listing("overdue", as_of=D(2026, 12, 1))
        assert all(list(r) == list(LISTING_COLUMNS) for r in listed)


def test_a_slice_of_a_store_lists_as_the_same_slice_in_memory(seeds, tmp_path):
    """`where(...)` over a store keeps the saved rows of the commitments that match only."""
    path = tmp_path / "seeds.db"
    cm.create_store(path, seeds).close()
    day = D(2026, 12, 1)
    with cm.open_store(path) as store:
        for sliced, reference in (
            (store.where(party="JP"), seeds.where(party="JP")),
            (store.where(area="trade"), seeds.where(area="trade")),
        ):
            for kind in KINDS:
                rows = sliced.listing_rows(kind, as_of=day)
                assert rows == reference_rows(reference, kind, day)
        assert {r[0] for r in store.where(party="JP").listing_rows("all", as_of=day)} < {
            r[0] for r in store.listing_rows("all", as_of=day)
        }


@given(steps(), DAYS, st.sampled_from([None, 0, 20]))
def test_a_store_lists_as_assessed_afresh(attempted, day, grace):
    """Saved settled rows give the listing an in-memory tracker computes, any day, any policy."""
    policy = None if grace is None else cm.BreakAfter(days=grace)
    tracker = cm.Tracker(policy=policy)
    tracker.extend(tracker_after(attempted).events())
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        path = Path(folder) / "t.db"
        cm.create_store(path, tracker).close()
        with cm.open_store(path) as store:
            for kind in KINDS:
                assert store.listing_rows(kind, as_of=day) == reference_rows(tracker, kind, day)
            later = day + dt.timedelta(days=400)
            assert store.listing_rows("all", as_of=later) == reference_rows(tracker, "all", later)


def hydrogen_row_set_to(path: Path, seeds: cm.Tracker, value: str) -> None:
    """A seed store at `path` whose hydrogen dialogue's settled row is `value` (SQL)."""
    cm.create_store(path, seeds).close()
    conn = sqlite3.connect(path)
    conn.execute(
        f"UPDATE snapshots SET settled = {value} "  # noqa: S608 - the test's own text
        "WHERE seq = (SELECT seq FROM commitments WHERE id = 'jp-kr-hydrogen-dialogue')"
    )
    conn.commit()
    conn.close()


def test_verify_finds_a_settled_row_changed_behind_the_store(tmp_path, seeds):
    path = tmp_path / "s.db"
    hydrogen_row_set_to(path, seeds, "replace(settled, '\"fulfilled\"', '\"broken\"')")
    with cm.open_store(path) as store, pytest.raises(cm.StoreError, match="hydrogen"):
        store.recorder.verify()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("'[1, 2'", "not a list of 23 values"),  # not JSON
        # JSON of the right length, a wrong value: refused before it is printed.
        ("replace(settled, '[\"JP\",\"KR\"]', '[1,2]')", r"its parties is \[1, 2\]"),
    ],
)
def test_a_damaged_settled_row_names_the_store_and_commitment(tmp_path, seeds, value, problem):
    path = tmp_path / "s.db"
    hydrogen_row_set_to(path, seeds, value)
    with (
        cm.open_store(path) as store,
        pytest.raises(cm.StoreError, match=rf"corrupted.*jp-kr-hydrogen-dialogue.*{problem}"),
    ):
        store.listing_rows("fulfilled", as_of=D(2026, 1, 1))
    code, out, err = run("status", "--format", "csv", "--store", str(path))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "corrupted" in err


def test_a_row_left_behind_by_an_older_writer_is_not_used(tmp_path):
    """A writer of schema 4 moves `last_seq` on and leaves the settled row: it is assessed."""
    path = tmp_path / "s.db"
    pledge = cm.Commitment(
        id="x",
        title="Hold the dialogue",
        made_on=D(2024, 1, 1),
        deadline=cm.Deadline.by(D(2024, 1, 31)),
    )
    with cm.create_store(path) as store:
        store.add(pledge)
        store.record("x", "in_progress", on=D(2024, 2, 1))
        store.record("x", "fulfilled", on=D(2024, 3, 1))
        expected = reference_rows(store, "all", D(2026, 1, 1))
    conn = sqlite3.connect(path)
    # What the older writer's statement leaves: the row of the snapshot before its update.
    conn.execute(
        "UPDATE snapshots SET settled_seq = settled_seq - 1, "
        "settled = replace(settled, '\"fulfilled\"', '\"in_progress\"')"
    )
    conn.commit()
    conn.close()
    with cm.open_store(path) as store:
        got = store.listing_rows("all", as_of=D(2026, 1, 1))
        assert got[0][2] == "fulfilled"
        assert got == expected
        with pytest.raises(cm.StoreError, match="differs from its log"):
            store.recorder.verify()  # type: ignore[attr-defined]


def test_a_store_a_newer_library_migrated_meanwhile_is_refused(tmp_path, seeds):
    """Found newer once the writer lock is held: refused, not opened as if current."""
    path = tmp_path / "s.db"
    cm.create_store(path, seeds).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    with pytest.raises(cm.StoreError, match="newer than this library's"):
        store_module._migrate(conn, str(path), store_module.SCHEMA_VERSION - 1)
    conn.close()


def test_a_schema_4_store_gains_settled_rows(tmp_path, seeds):
    """Opening a store of schema 4 (no settled rows) makes its snapshots anew."""
    path = tmp_path / "s.db"
    cm.create_store(path, seeds).close()
    conn = sqlite3.connect(path)
    for column in ("settled", "settled_selects", "settled_from", "settled_seq"):
        conn.execute(f"ALTER TABLE snapshots DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with cm.open_store(path) as store:
        store.recorder.verify()  # type: ignore[attr-defined]
        day = D(2026, 12, 1)
        assert store.listing_rows("all", as_of=day) == reference_rows(seeds, "all", day)
    conn = sqlite3.connect(path)
    saved = conn.execute("SELECT count(settled) FROM snapshots").fetchone()[0]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.close()
    assert saved > 0
