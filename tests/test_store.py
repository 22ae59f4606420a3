"""The SQLite store: round trips, refusals, concurrency, crash safety and bad files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments import store as store_module
from commitments.recorder import Selection
from commitments.testing import TickingClock, TrackerMachine
from old_stores import write_store
from store_support import CRASHER, RACER, python, sample_tracker, spawn

DAY = dt.date(2024, 6, 1)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestRoundTrip:
    def test_store_dumps_to_the_same_catalog(self, tmp_path):
        """A tracker written to a store and read back dumps to exactly the same JSON."""
        tracker = sample_tracker()
        path = tmp_path / "t.db"
        cm.create_store(path, tracker).close()
        with cm.open_store(path) as loaded:
            assert cm.dumps(loaded) == cm.dumps(tracker)

    def test_policy_round_trips(self, tmp_path):
        """A tracker's deadline policy is stored and read back with the store."""
        tracker = cm.from_document(
            {**cm.to_document(sample_tracker()), "policy": {"kind": "break_after", "days": 30}}
        )
        path = tmp_path / "p.db"
        cm.create_store(path, tracker).close()
        with cm.open_store(path) as loaded:
            assert cm.dumps(loaded) == cm.dumps(tracker)
            assert loaded.policy == tracker.policy

    def test_writes_round_trip(self, store_path):
        """Updates recorded through the store survive reopening and match a JSON reload."""
        with cm.open_store(store_path) as t:
            t.record("fund-2", "in_progress", on=DAY, note="started", party=None)
            t.retract("ndc:2", reason="misread")
            expected = cm.dumps(t)
        with cm.open_store(store_path) as again:
            assert cm.dumps(again) == expected
            assert cm.dumps(cm.loads(expected)) == expected

    def test_open_store_is_lazy_in_the_package(self):
        """`import commitments` does not import sqlite3; `cm.open_store` imports it on use."""
        code = (
            "import sys, commitments as cm; assert 'sqlite3' not in sys.modules; "
            "cm.open_store; assert 'sqlite3' in sys.modules; print('ok')"
        )
        assert python("-c", code)[1].strip() == "ok"

    def test_lazy_store_loads_on_demand(self, store_path):
        """A lazy store loads what is named, and answers as the full one does."""
        with cm.open_store(store_path, lazy=True) as t:
            assert t.status("ndc", as_of=DAY) == cm.open_store(store_path).status("ndc", as_of=DAY)
            assert t.event("fund:1").commitment_id == "fund"

    def test_lazy_store_answers_for_the_whole_store(self, store_path):
        """Collection-wide questions on a lazy store answer for every stored commitment."""
        with cm.open_store(store_path) as full:
            expected = (len(full), cm.dumps(full), [c.id for c in full.overdue(as_of=DAY)])
        for ask in ("len", "dumps", "overdue"):
            with cm.open_store(store_path, lazy=True) as t:
                t.status("fund", as_of=DAY)  # one commitment loaded
                if ask == "len":
                    assert len(t) == expected[0]
                elif ask == "dumps":
                    assert cm.dumps(t) == expected[1]
                else:
                    assert [c.id for c in t.overdue(as_of=DAY)] == expected[2]

    def test_prefilters_keep_every_selected_commitment(self, store_path):
        """A store's prefilter for each question keeps every commitment it selects."""
        with cm.open_store(store_path) as t:
            t.record("fund-2", "broken", on=dt.date(2024, 4, 1))
            recorder = t.recorder
            for offset in range(0, 400, 7):
                day = dt.date(2024, 1, 1) + dt.timedelta(days=offset)
                for kind, pick in (
                    ("overdue", t.overdue),
                    ("due", t.due),
                    ("fulfilled", t.fulfilled),
                ):
                    kept = recorder.candidates(Selection(kind, day))
                    assert kept is not None
                    assert {c.id for c in pick(as_of=day)} <= set(kept), (kind, day)
                # Never fulfilled, never a candidate for it.
                assert "ndc" not in (recorder.candidates(Selection("fulfilled", day)) or ())


def add_then_fail(t: cm.StoreTracker) -> None:
    with t.transaction():
        t.add(cm.Commitment(id="new", title="New", made_on=DAY))
        t.record("new", "in_progress", on=DAY)
        t.record("missing", "in_progress", on=DAY)


class TestWrites:
    def test_refused_update_changes_nothing(self, store_path):
        """A refused record leaves both the file and the in-memory tracker as they were."""
        before = digest(store_path)
        with cm.open_store(store_path) as t:
            events = t.events()
            with pytest.raises(cm.UpdateError):
                t.record("ndc", "in_progress", on=dt.date(2020, 1, 1))
            assert t.events() == events
        assert digest(store_path) == before

    def test_transaction_is_all_or_nothing(self, store_path):
        """A failing transaction rolls back its earlier changes, in the file and in memory."""
        with cm.open_store(store_path) as t:
            before = cm.dumps(t)
            with pytest.raises(cm.UnknownCommitmentError):
                add_then_fail(t)
            assert cm.dumps(t) == before
            assert "new" not in t
        with cm.open_store(store_path) as again:
            assert cm.dumps(again) == before

    def test_conflicting_writers_second_refused(self, store_path):
        """Two updates valid alone but not together: the second writer gets a clear error."""
        with cm.open_store(store_path) as first, cm.open_store(store_path) as second:
            first.record("fund-2", "fulfilled", on=dt.date(2024, 5, 1))
            with pytest.raises(cm.TransitionError, match="fulfilled"):
                second.record("fund-2", "in_progress", on=dt.date(2024, 5, 2))
            statuses = [e.status for e in second.events("fund-2") if isinstance(e, cm.StatusUpdate)]
            assert statuses == [cm.Status.FULFILLED]

    def test_other_writers_are_seen(self, store_path):
        """A tracker answers from what other processes appended, without being told."""
        with cm.open_store(store_path) as first, cm.open_store(store_path) as second:
            assert second.status("fund-2", as_of=DAY) is cm.Status.PLEDGED
            first.add(cm.Commitment(id="late", title="Late", made_on=DAY))
            first.record("late", "in_progress", on=DAY)
            first.record("fund-2", "in_progress", on=DAY)
            assert second.status("late", as_of=DAY) is cm.Status.IN_PROGRESS
            assert second.status("fund-2", as_of=DAY) is cm.Status.IN_PROGRESS
            update = second.record("late", "stalled", on=DAY)
            assert update.id == "late:2"
            assert len(second) == len(first) == 4

    def test_duplicate_event_id_in_store(self, store_path):
        """An explicit update id already in the store is refused as a duplicate."""
        with cm.open_store(store_path, lazy=True) as t, pytest.raises(cm.DuplicateError):
            t.record("fund-2", "in_progress", on=DAY, update_id="ndc:1")

    def test_rows_are_append_only(self, store_path):
        """The schema itself refuses to update or delete events."""
        conn = sqlite3.connect(store_path)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM events")
        conn.close()

    def test_create_refuses_existing_file(self, store_path):
        """Creating a store over an existing file is refused and the file kept."""
        before = digest(store_path)
        with pytest.raises(cm.StoreError, match="already exists"):
            cm.create_store(store_path)
        assert digest(store_path) == before

    def test_closed_store_refuses_writes(self, store_path):
        """Writing to a closed store raises StoreError."""
        t = cm.open_store(store_path)
        t.close()
        with pytest.raises(cm.StoreError, match="closed"):
            t.record("ndc", "in_progress", on=DAY)


class TestBadFiles:
    def test_not_a_database(self, tmp_path):
        """A text file is refused as not a store and left unchanged."""
        path = tmp_path / "notes.db"
        path.write_text("hello")
        with pytest.raises(cm.StoreError, match="not a commitments store"):
            cm.open_store(path)
        assert path.read_text() == "hello"

    def test_foreign_sqlite_database(self, tmp_path):
        """An SQLite file of another application is refused and left unchanged."""
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE x (y)")
        conn.commit()
        conn.close()
        before = digest(path)
        with pytest.raises(cm.StoreError, match="not a commitments store"):
            cm.open_store(path)
        assert digest(path) == before

    def test_newer_schema(self, store_path):
        """A store with a newer schema version is refused and left unchanged."""
        conn = sqlite3.connect(store_path)
        conn.execute(f"PRAGMA user_version={store_module.SCHEMA_VERSION + 1}")
        conn.close()
        before = digest(store_path)
        with pytest.raises(cm.StoreError, match="newer"):
            cm.open_store(store_path)
        assert digest(store_path) == before

    def test_missing_file(self, tmp_path):
        """A missing store is refused with a hint to create one, and not created."""
        with pytest.raises(cm.StoreError, match="init"):
            cm.open_store(tmp_path / "nope.db")
        assert not (tmp_path / "nope.db").exists()

    def test_corrupted_row(self, store_path):
        """A row whose JSON document is broken gives a StoreError naming the row."""
        conn = sqlite3.connect(store_path)
        conn.execute("DROP TRIGGER events_append_only_u")
        conn.execute("UPDATE events SET doc = '{' WHERE seq = 1")
        conn.commit()
        conn.close()
        with cm.open_store(store_path) as t, pytest.raises(cm.StoreError, match="corrupted"):
            t.events()

    def test_forward_migration(self, store_path, monkeypatch):
        """An older store is migrated forward in one transaction when opened."""
        current = store_module.SCHEMA_VERSION
        monkeypatch.setattr(store_module, "SCHEMA_VERSION", current + 1)
        monkeypatch.setattr(
            store_module,
            "MIGRATIONS",
            {current: lambda conn: conn.execute("CREATE TABLE notes (x TEXT) STRICT")},
        )
        cm.open_store(store_path).close()
        conn = sqlite3.connect(store_path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
        conn.close()


WRITER = """
import datetime as dt, sys
import commitments as cm
path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with cm.open_store(path, lazy=True) as t:
    for i in range(count):
        t.record(f"c{i % 4}", ("in_progress", "stalled")[i % 2], on=dt.date(2024, 6, 1),
                 update_id=f"w{worker}-{i}")
print("done")
"""


def empty_store(directory: Path, ids: list[str]) -> Path:
    path = directory / "shared.db"
    with cm.create_store(path) as t:
        for cid in ids:
            t.add(cm.Commitment(id=cid, title=cid, made_on=dt.date(2024, 1, 1)))
    return path


class TestConcurrency:
    def test_four_writers_lose_nothing(self, tmp_path):
        """4 processes x 500 updates into one store: every update lands exactly once."""
        path = empty_store(tmp_path, ["c0", "c1", "c2", "c3"])
        procs = [spawn("-c", WRITER, str(path), str(w), "500") for w in range(4)]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
        with cm.open_store(path) as t:
            ids = {e.id for e in t.events() if isinstance(e, cm.StatusUpdate)}
        assert ids == {f"w{w}-{i}" for w in range(4) for i in range(500)}

    def test_racing_terminal_updates_one_wins(self, tmp_path):
        """Four processes race to mark one commitment fulfilled: exactly one succeeds."""
        path = empty_store(tmp_path, ["race"])
        procs = [spawn("-c", RACER, str(path), str(day)) for day in (2, 3, 4, 5)]
        outcomes = [p.communicate(timeout=60)[0].split()[0] for p in procs]
        assert sorted(outcomes) == ["recorded", "refused", "refused", "refused"]
        with cm.open_store(path) as t:
            assert len(t.history("race")) == 1


class TestCrashSafety:
    def test_sigkill_mid_write_keeps_acknowledged_updates(self, tmp_path):
        """A writer killed mid-stream leaves a store holding every acknowledged update."""
        path = empty_store(tmp_path, ["c0"])
        proc = spawn("-c", CRASHER, str(path))
        assert proc.stdout is not None
        acknowledged = [proc.stdout.readline().strip() for _ in range(150)]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        acknowledged += [line.strip() for line in proc.stdout if line.strip()]
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        with cm.open_store(path) as t:
            updates = [e for e in t.events() if isinstance(e, cm.StatusUpdate)]
            stored = [e.id for e in updates]
            assert all(e.note == "x" * 2000 for e in updates)
        assert stored[: len(acknowledged)] == acknowledged
        assert len(stored) <= len(acknowledged) + 1


def mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buffer = bytearray(data if cut is None else data[: cut % (len(data) + 1)])
    for position, value in edits:
        if buffer:
            buffer[position % len(buffer)] = value
    return bytes(buffer)


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("fuzz") / "seed.db"
    cm.create_store(path, sample_tracker()).close()
    return path.read_bytes()


class TestStoreFuzz:
    @given(
        edits=st.lists(
            st.tuples(st.one_of(st.integers(0, 99), st.integers(0, 1 << 16)), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        ),
        cut=st.none() | st.integers(0, 1 << 16),
    )
    def test_mutated_store_files(self, store_bytes, edits, cut):
        """A mutated store opens or raises StoreError, and the file is never modified."""
        data = mutate(store_bytes, edits, cut)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "m.db"
            path.write_bytes(data)
            try:
                with cm.open_store(path) as t:
                    cm.to_document(t)
            except cm.StoreError:
                pass
            assert path.read_bytes() == data


class TestCatalogFuzz:
    @given(
        edits=st.lists(st.tuples(st.integers(0, 1 << 12), st.integers(32, 126)), max_size=6),
        cut=st.none() | st.integers(0, 1 << 12),
    )
    def test_mutated_catalogs(self, edits, cut):
        """A mutated catalog loads or raises a CommitmentsError, never anything else."""
        text = cm.dumps(sample_tracker()).encode()
        data = mutate(text, edits, cut)
        try:
            loaded = cm.loads(data)
        except cm.CommitmentsError:
            return
        assert json.loads(cm.dumps(loaded))["schema_version"] == 2


def v1_document(tracker: cm.Tracker) -> dict:
    """`tracker` as a version-1 catalog: commitments apart, events without additions."""
    doc = cm.to_document(tracker)
    doc.pop("digest")
    events = doc.pop("events")
    doc["schema_version"] = 1
    doc["commitments"] = [e["commitment"] for e in events if e["type"] == "added"]
    doc["events"] = [e for e in events if e["type"] != "added"]
    return doc


class TestMigrations:
    @pytest.mark.parametrize("version", [1, 2])
    def test_old_store_reads_as_its_catalog(self, tmp_path, version):
        """A schema-1 or -2 store migrates to the log of additions and events that the
        same history gives as a version-1 catalog: additions dated by the same rule."""
        path = tmp_path / "old.db"
        write_store(path, sample_tracker(), version=version)
        expected = cm.from_document(v1_document(sample_tracker()))
        with cm.open_store(path) as store:
            assert cm.dumps(store) == cm.dumps(expected)
            ndc = store.events("ndc")[0]
            assert isinstance(ndc, cm.Addition)
            # Made on 10 January 2024, before its first update was recorded (T0).
            assert ndc.recorded_at == dt.datetime(2024, 1, 10, tzinfo=dt.UTC)
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        kinds = [row[0] for row in conn.execute("SELECT type FROM events ORDER BY seq")]
        conn.close()
        assert kinds[:3] == ["added", "added", "added"]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), sqlite3.connect(path) as c:
            c.execute("UPDATE events SET doc = '{}' WHERE seq = 1")

    def test_migrated_store_takes_amendments(self, tmp_path):
        """After the migration the store records amendments like a new one."""
        path = tmp_path / "old.db"
        write_store(path, sample_tracker(), version=2)
        with cm.open_store(path) as store:
            store.amend("fund", title="Fund the facility in full", reason="typo")
        with cm.open_store(path) as store:
            assert store["fund"].title == "Fund the facility in full"


# Machine stores live in memory-backed /dev/shm where there is one: fsync on a busy disk
# would make each example slow.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 - a private temp dir inside


class StoreMachine(TrackerMachine):
    """The state machine over a tracker whose log lives in an SQLite store."""

    parties = ("CN", "KR")

    def make_tracker(self) -> cm.Tracker:
        self.folder = tempfile.TemporaryDirectory(dir=SCRATCH)
        self.path = Path(self.folder.name) / "machine.db"
        return cm.create_store(self.path, workflow=self.workflow, clock=TickingClock())

    def reopen(self) -> None:
        self.tracker.close()
        self.tracker = cm.open_store(self.path, clock=TickingClock())

    def teardown(self) -> None:
        self.tracker.close()
        self.folder.cleanup()


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)


def test_rollback_after_a_quick_write_and_a_read(store_path):
    """Record through a snapshot, read it back, raise: memory and file agree again (item 4)."""
    before = digest(store_path)
    with cm.open_store(store_path) as t:
        assert t.status("fund-2", as_of=DAY) is cm.Status.PLEDGED

        def write_read_raise() -> None:
            with t.transaction():
                t.prefetch(["fund-2"])
                t.record("fund-2", "in_progress", on=DAY)
                assert t.status("fund-2", as_of=DAY) is cm.Status.IN_PROGRESS
                raise RuntimeError

        with pytest.raises(RuntimeError):
            write_read_raise()
        assert t.status("fund-2", as_of=DAY) is cm.Status.PLEDGED
        assert t.history("fund-2") == ()
    assert digest(store_path) == before
