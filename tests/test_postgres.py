"""The PostgreSQL store: concurrency, crash safety and the state machine, on a real server.

The same kinds of checks `test_store.py` makes of the SQLite store, against a fresh
database per test on the server `$COMMITMENTS_TEST_POSTGRES` names (skipped without one).
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import precondition, rule, run_state_machine_as_test

import commitments as cm
from commitments.postgres import WRITER_LOCK
from commitments.projection import fold
from commitments.snapshot import snapshot
from commitments.testing import TickingClock, TrackerMachine
from postgres_support import Databases
from store_support import CRASHER, RACER, sample_tracker, spawn

DAY = dt.date(2024, 6, 1)
TABLES = ("meta", "commitments", "events", "snapshots")


def rows_of(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the store's tables, read straight from the server, in a stable order."""
    import psycopg  # noqa: PLC0415 - present whenever the fixtures did not skip

    with psycopg.connect(url, autocommit=True) as conn:
        return {
            # The table names are the constants above.
            table: conn.execute(f"SELECT * FROM commitments.{table} ORDER BY 1").fetchall()  # noqa: S608
            for table in TABLES
        }


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def event_seqs(url: str) -> list[int]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(url, autocommit=True) as conn:
        return [row[0] for row in conn.execute("SELECT seq FROM commitments.events ORDER BY seq")]


def shared_store(url: str, ids: list[str]) -> None:
    """An empty store at `url` holding commitments `ids`, made on 1 January 2024."""
    with cm.create_store(url) as t:
        for cid in ids:
            t.add(cm.Commitment(id=cid, title=cid, made_on=dt.date(2024, 1, 1)))


def statuses(t: cm.Tracker, cid: str) -> list[cm.Status]:
    return [e.status for e in t.events(cid) if isinstance(e, cm.StatusUpdate)]


@pytest.fixture
def sample_url(pg_url: str) -> str:
    """A PostgreSQL store holding the sample tracker of the store tests."""
    cm.create_store(pg_url, sample_tracker()).close()
    return pg_url


# -- two trackers on one store ------------------------------------------------------------


class TestTwoTrackers:
    def test_conflicting_writers_second_refused(self, sample_url):
        """Two updates valid alone but not together: the second writer's is refused, and
        the store holds the first alone."""
        with cm.open_store(sample_url) as first, cm.open_store(sample_url) as second:
            assert second.status("fund-2", as_of=DAY) is cm.Status.PLEDGED  # read before
            first.record("fund-2", "fulfilled", on=dt.date(2024, 5, 1))
            after_first = rows_of(sample_url)
            with pytest.raises(cm.TransitionError, match="fulfilled"):
                second.record("fund-2", "in_progress", on=dt.date(2024, 5, 2))
            assert rows_of(sample_url) == after_first
            assert statuses(second, "fund-2") == [cm.Status.FULFILLED]
            assert statuses(first, "fund-2") == [cm.Status.FULFILLED]
            second.recorder.verify()

    def test_waiting_writer_decides_on_what_the_first_committed(self, sample_url):
        """A writer blocked behind another's open transaction waits for it, then judges its
        update against what that transaction committed, and is refused."""
        outcome: dict[str, object] = {}
        with cm.open_store(sample_url) as first, cm.open_store(sample_url) as second:
            second.status("fund-2", as_of=DAY)  # its cache holds fund-2 as pledged

            def late_writer() -> None:
                try:
                    outcome["update"] = second.record("fund-2", "in_progress", on=DAY)
                except cm.CommitmentsError as exc:
                    outcome["error"] = exc

            with first.transaction():
                first.record("fund-2", "fulfilled", on=dt.date(2024, 5, 1))
                writer = threading.Thread(target=late_writer)
                writer.start()
                writer.join(0.5)
                assert writer.is_alive(), "the second writer did not wait for the first"
            writer.join(30)
            assert not writer.is_alive()
            assert isinstance(outcome.get("error"), cm.TransitionError), outcome
            assert statuses(first, "fund-2") == [cm.Status.FULFILLED]
            assert statuses(second, "fund-2") == [cm.Status.FULFILLED]
            second.recorder.verify()

    def test_append_built_on_a_stale_read_is_a_conflict(self, sample_url):
        """An append whose expected version predates another writer's commit raises
        ConflictError, and writes nothing."""
        with cm.open_store(sample_url) as first, cm.open_store(sample_url) as second:
            stale = list(first.events("fund-2"))
            second.record("fund-2", "in_progress", on=DAY)
            before = rows_of(sample_url)
            update = cm.StatusUpdate(
                "fund-2:stale", "fund-2", cm.Status.FULFILLED, DAY, dt.datetime.now(dt.UTC)
            )
            with pytest.raises(cm.ConflictError, match="fund-2"):
                first.recorder.append(
                    [update], {"fund-2": len(stale)}, {"fund-2": snapshot(fold([*stale, update]))}
                )
            assert rows_of(sample_url) == before
            with pytest.raises(cm.UnknownEventError):
                first.event("fund-2:stale")
            assert statuses(first, "fund-2") == [cm.Status.IN_PROGRESS]
            first.recorder.verify()

    def test_other_writers_are_seen(self, sample_url):
        """A tracker answers from what another connection appended, without being told."""
        with cm.open_store(sample_url) as first, cm.open_store(sample_url) as second:
            assert second.status("fund-2", as_of=DAY) is cm.Status.PLEDGED
            first.add(cm.Commitment(id="late", title="Late", made_on=DAY))
            first.record("late", "in_progress", on=DAY)
            first.record("fund-2", "in_progress", on=DAY)
            assert second.status("late", as_of=DAY) is cm.Status.IN_PROGRESS
            assert second.status("fund-2", as_of=DAY) is cm.Status.IN_PROGRESS
            assert second.record("late", "stalled", on=DAY).id == "late:2"
            assert len(second) == len(first) == 4
            assert first.recorder.verify() == second.recorder.verify()


# -- several processes --------------------------------------------------------------------

WRITER = """
import datetime as dt, sys
import commitments as cm
url, worker, count, spread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with cm.open_store(url, lazy=True) as t:
    for i in range(count):
        cid = f"c{i % 4}" if spread == "shared" else f"c{worker}"
        u = t.record(cid, ("in_progress", "stalled")[i % 2], on=dt.date(2024, 6, 1),
                     update_id=f"w{worker}-{i}")
        print(u.id, flush=True)
"""

WRITERS, UPDATES = 4, 50


class TestProcesses:
    @pytest.mark.parametrize("spread", ["own", "shared"])
    def test_four_writers_lose_nothing(self, pg_url, spread):
        """4 processes x 50 updates, each to its own commitment or all to the same four:
        every acknowledged update lands exactly once, numbered without gaps."""
        shared_store(pg_url, [f"c{i}" for i in range(4)])
        procs = [spawn("-c", WRITER, pg_url, str(w), str(UPDATES), spread) for w in range(WRITERS)]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0] * WRITERS, [err for _, err in outputs]
        acknowledged = {line for out, _ in outputs for line in out.split()}
        expected = {f"w{w}-{i}" for w in range(WRITERS) for i in range(UPDATES)}
        assert acknowledged == expected
        total = 4 + WRITERS * UPDATES
        assert event_seqs(pg_url) == list(range(1, total + 1))
        with cm.open_store(pg_url) as t:
            t.recorder.verify()
            assert t.recorder.event_count() == total
            ids = [e.id for e in t.events() if isinstance(e, cm.StatusUpdate)]
            assert sorted(ids) == sorted(expected)
            sent = Counter(
                f"c{i % 4}" if spread == "shared" else f"c{w}"
                for w in range(WRITERS)
                for i in range(UPDATES)
            )
            for cid, count in sent.items():  # its addition, then every update sent to it
                assert len(t.events(cid)) == 1 + count
            if spread == "own":  # one writer each: its updates in the order it sent them
                for w in range(WRITERS):
                    mine = [e.id for e in t.events(f"c{w}")[1:]]
                    assert mine == [f"w{w}-{i}" for i in range(UPDATES)]

    def test_racing_terminal_updates_one_wins(self, pg_url):
        """Four processes race to mark one commitment fulfilled: exactly one succeeds."""
        shared_store(pg_url, ["race"])
        procs = [spawn("-c", RACER, pg_url, str(day)) for day in (2, 3, 4, 5)]
        outcomes = [p.communicate(timeout=60) for p in procs]
        assert sorted(out.split()[0] for out, _ in outcomes if out) == [
            "recorded",
            "refused",
            "refused",
            "refused",
        ], outcomes
        with cm.open_store(pg_url) as t:
            assert statuses(t, "race") == [cm.Status.FULFILLED]
            assert t.recorder.event_count() == 2
            t.recorder.verify()


# -- crash safety ---------------------------------------------------------------------------

HOLDER = """
import datetime as dt, sys, time
import commitments as cm
with cm.open_store(sys.argv[1], lazy=True) as t:
    with t.transaction():
        for i in range(3):
            t.record("c0", ("in_progress", "stalled")[i % 2], on=dt.date(2024, 6, 1),
                     update_id=f"held-{i}")
        t.events("c0")  # the rows held back are written to the server first
        print("inside", flush=True)
        time.sleep(120)
"""


def backends_in_transaction(admin: Databases, url: str) -> int:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin.admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND state LIKE 'idle in transaction%%'",
            (database_name(url),),
        ).fetchone()
    return 0 if row is None else int(row[0])


class TestCrashSafety:
    def test_sigkill_mid_write_keeps_acknowledged_updates(self, pg_url):
        """A writer killed mid-stream leaves a store holding every acknowledged update, and
        nothing partial: it verifies, and every stored update is whole."""
        shared_store(pg_url, ["c0"])
        proc = spawn("-c", CRASHER, pg_url)
        assert proc.stdout is not None
        acknowledged = [proc.stdout.readline().strip() for _ in range(150)]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        acknowledged += [line.strip() for line in proc.stdout if line.strip()]
        assert len(acknowledged) >= 150
        assert all(acknowledged), "the writer stopped before the kill"
        with cm.open_store(pg_url) as t:
            t.recorder.verify()
            updates = [e for e in t.events() if isinstance(e, cm.StatusUpdate)]
            stored = [e.id for e in updates]
            assert all(e.note == "x" * 2000 for e in updates)
            assert t.recorder.event_count() == 1 + len(stored)
        assert stored[: len(acknowledged)] == acknowledged
        assert len(stored) <= len(acknowledged) + 1
        assert event_seqs(pg_url) == list(range(1, len(stored) + 2))

    def test_sigkill_inside_a_transaction_rolls_it_back(self, databases, pg_url):
        """A writer killed while its transaction is open (its rows sent, the writers' lock
        held) leaves none of them, and the next writer goes ahead at once."""
        shared_store(pg_url, ["c0"])
        before = rows_of(pg_url)
        proc = spawn("-c", HOLDER, pg_url)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "inside", proc.stderr
        assert backends_in_transaction(databases, pg_url) == 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while backends_in_transaction(databases, pg_url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rows_of(pg_url) == before
        with cm.open_store(pg_url) as t:
            start = time.monotonic()
            update = t.record("c0", "in_progress", on=DAY, update_id="held-0")
            assert time.monotonic() - start < 5, "the killed writer's lock was still held"
            assert update.id == "held-0"
            assert [e.id for e in t.events("c0")][1:] == ["held-0"]
            t.recorder.verify()

    def test_lock_is_free_after_a_kill(self, databases, pg_url):
        """After a writer holding the lock is killed, the writers' advisory lock is free."""
        import psycopg  # noqa: PLC0415

        shared_store(pg_url, ["c0"])
        proc = spawn("-c", HOLDER, pg_url)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "inside"
        with psycopg.connect(pg_url, autocommit=True) as conn:
            taken = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()
            assert taken == (False,)  # held by the writer inside its transaction
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            deadline = time.monotonic() + 10
            while backends_in_transaction(databases, pg_url) and time.monotonic() < deadline:
                time.sleep(0.05)
            taken = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()
            assert taken == (True,)
            conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))


# -- the state machine ----------------------------------------------------------------------


class PostgresStoreMachine(TrackerMachine):
    """The state machine over a tracker whose log lives in a PostgreSQL database."""

    parties = ("CN", "KR")
    databases: Databases | None = None  # set by the test that runs the machine

    def make_tracker(self) -> cm.Tracker:
        assert self.databases is not None
        self.url = self.databases.new()
        self.other: cm.Tracker | None = None  # a second connection, left behind by a swap
        return cm.create_store(self.url, workflow=self.workflow, clock=TickingClock())

    def reopen(self) -> None:
        self.tracker.close()
        self.tracker = cm.open_store(self.url, clock=TickingClock())

    @rule()
    def swap_connections(self) -> None:
        """Go on writing through a second connection; the first stays open, its reads cached."""
        fresh = cm.open_store(self.url, clock=TickingClock())
        assert cm.dumps(fresh) == cm.dumps(self.tracker)
        if self.other is not None:
            self.other.close()
        self.other, self.tracker = self.tracker, fresh

    @precondition(lambda self: self.other is not None)
    @rule()
    def other_connection_agrees(self) -> None:
        """The connection left behind sees every change the current one made since."""
        assert self.other is not None
        assert [e.id for e in self.other.events()] == self.event_ids
        assert cm.dumps(self.other) == cm.dumps(self.tracker)

    def teardown(self) -> None:
        try:
            self.tracker.recorder.verify()  # whatever the steps did, the store checks out
        finally:
            self.tracker.close()
            if self.other is not None:
                self.other.close()
            assert self.databases is not None
            name = database_name(self.url)
            self.databases.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_state_machine_over_postgres(databases, monkeypatch):
    """Hypothesis drives a tracker over PostgreSQL and checks it against the reference."""
    monkeypatch.setattr(PostgresStoreMachine, "databases", databases)
    run_state_machine_as_test(
        PostgresStoreMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
