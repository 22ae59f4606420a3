"""A durable SQLite store: the recorder for one machine (an adapter at the edge).

One file holds the workflow and policy, an append-only table of events (additions,
amendments, updates and retractions, in recording order, each row keeping the event's
catalog JSON document plus indexed columns), a table of commitment ids, and a derived
snapshot per commitment: the snapshot of its folded state (`commitments.snapshot`),
with indexed columns a query's prefilter reads. Snapshots are written in the same
transaction as the events they follow; nothing else is ever computed here.

Every change runs in its own `BEGIN IMMEDIATE` transaction: the tracker first forgets
what other processes changed, then validates against the latest log, then appends,
and the recorder refuses the batch if a commitment's event count moved meanwhile. WAL
journaling with `synchronous=FULL` makes an acknowledged change survive a crash; a
killed writer leaves no partial row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from commitments._atomic import plain_mode
from commitments._sql import (
    ROW_DAMAGE,
    VALUE_DAMAGE,
    Settings,
    SQLRecorder,
    _rebuild_snapshots,
    brief,
    chained,
    event_row,
    mark_snapshotted,
    newer_schema,
    settings,
)
from commitments.catalog import (
    commitment_from_document,
    policy_document,
    undated_addition,
    workflow_document,
)
from commitments.deadline_parser import check_fiscal_year_start
from commitments.exceptions import StoreError
from commitments.policy import DeadlinePolicy
from commitments.postgres import (
    create_postgres_store,
    holds_store,
    is_postgres_url,
    open_postgres_store,
)
from commitments.tracker import Clock, Tracker, utc_now
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

SCHEMA_VERSION = 5
APPLICATION_ID = 0x434D5453  # "CMTS": marks an SQLite file as a commitments store
_TIMEOUT = 60.0  # seconds a writer waits for another's transaction to end
# What a damaged file or row raises where the store runs a statement or decodes a value.
_DAMAGE = (sqlite3.Error, *VALUE_DAMAGE)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE commitments (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    made_on TEXT NOT NULL,
    deadline_earliest TEXT,
    deadline_latest TEXT,
    doc TEXT NOT NULL
) STRICT;
CREATE INDEX commitments_deadline ON commitments (deadline_latest);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    commitment_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('added', 'amendment', 'update', 'retraction')),
    status TEXT,
    on_date TEXT,
    recorded_at TEXT NOT NULL,
    party TEXT,
    update_id TEXT,
    doc TEXT NOT NULL,
    chain TEXT NOT NULL
) STRICT;
CREATE INDEX events_commitment ON events (commitment_id, seq);
CREATE TABLE snapshots (
    seq INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    known_from TEXT NOT NULL,
    made_on TEXT NOT NULL,
    deadline_earliest TEXT,
    deadline_latest TEXT,
    recurring INTEGER NOT NULL,
    amended INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    closed_from INTEGER,
    seen INTEGER NOT NULL,
    settled_from TEXT,
    settled_selects INTEGER,
    settled TEXT,
    settled_seq INTEGER,
    commitment TEXT NOT NULL,
    state TEXT NOT NULL
) STRICT;
CREATE INDEX snapshots_deadline ON snapshots (deadline_latest);
CREATE TRIGGER commitments_append_only_u BEFORE UPDATE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER commitments_append_only_d BEFORE DELETE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

# -- migrations: frozen text, each stating the schema it moves to ------------------------

_V2_SUMMARIES = """
CREATE TABLE summaries (
    seq INTEGER PRIMARY KEY,
    commitment_id TEXT NOT NULL UNIQUE,
    events INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    last_day INTEGER,
    last_status TEXT,
    recurring INTEGER NOT NULL,
    parties INTEGER NOT NULL,
    head TEXT NOT NULL,
    timeline TEXT NOT NULL
) STRICT;
CREATE INDEX summaries_recurring ON summaries (commitment_id) WHERE recurring;
"""

_V3_EVENTS = """
CREATE TABLE events_v3 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    commitment_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('added', 'amendment', 'update', 'retraction')),
    status TEXT,
    on_date TEXT,
    recorded_at TEXT NOT NULL,
    party TEXT,
    update_id TEXT,
    doc TEXT NOT NULL,
    chain TEXT NOT NULL
) STRICT;
"""

_V3_MOVE = """
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_commitment ON events (commitment_id, seq);
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
DROP TABLE summaries;
CREATE TABLE snapshots (
    seq INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    known_from TEXT NOT NULL,
    made_on TEXT NOT NULL,
    deadline_earliest TEXT,
    deadline_latest TEXT,
    recurring INTEGER NOT NULL,
    amended INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    closed_from INTEGER,
    seen INTEGER NOT NULL,
    commitment TEXT NOT NULL,
    state TEXT NOT NULL
) STRICT;
CREATE INDEX snapshots_deadline ON snapshots (deadline_latest);
"""


_V5_SNAPSHOTS = """
DROP TABLE snapshots;
CREATE TABLE snapshots (
    seq INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    known_from TEXT NOT NULL,
    made_on TEXT NOT NULL,
    deadline_earliest TEXT,
    deadline_latest TEXT,
    recurring INTEGER NOT NULL,
    amended INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    closed_from INTEGER,
    seen INTEGER NOT NULL,
    settled_from TEXT,
    settled_selects INTEGER,
    settled TEXT,
    settled_seq INTEGER,
    commitment TEXT NOT NULL,
    state TEXT NOT NULL
) STRICT;
CREATE INDEX snapshots_deadline ON snapshots (deadline_latest);
"""


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run `sql`'s statements one by one, inside the caller's transaction."""
    for statement in sql.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _add_summaries(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2: the summaries table (derived rows, rebuilt by later schemas)."""
    _script(conn, _V2_SUMMARIES)


def _log_additions(conn: sqlite3.Connection) -> None:
    """Schema 2 -> 3: every commitment's addition becomes an event, first in the log.

    Stores before schema 3 kept no time of addition: as in a version-1 catalog, each
    commitment is taken as recorded at 00:00 UTC on its `made_on`, or at its first
    event's `recorded_at` if that is earlier. Existing events follow, in their order.
    Summaries give way to snapshots, built from the log.
    """
    _script(conn, _V3_EVENTS)
    taken = {row[0] for row in conn.execute("SELECT id FROM events")}
    first = dict(
        conn.execute("SELECT commitment_id, min(recorded_at) FROM events GROUP BY commitment_id")
    )
    heads: dict[str, str] = {}
    rows = []
    for seq, cid, text in conn.execute("SELECT seq, id, doc FROM commitments ORDER BY seq"):
        commitment = commitment_from_document(json.loads(text), f"commitments row {seq}")
        earliest = first.get(cid)
        addition = undated_addition(
            commitment, None if earliest is None else dt.datetime.fromisoformat(earliest), taken
        )
        rows.append(chained(event_row(addition), heads))
    # Then every earlier event, in its order, each linked to its commitment's chain.
    rows.extend(
        chained(tuple(row), heads)
        for row in conn.execute(
            "SELECT id, commitment_id, type, status, on_date, recorded_at, party, update_id, "
            "doc FROM events ORDER BY seq"
        )
    )
    conn.executemany(
        "INSERT INTO events_v3 (id, commitment_id, type, status, on_date, recorded_at, party, "
        "update_id, doc, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    _script(conn, _V3_MOVE)  # its snapshots are written by the move to schema 5


def _progress_in_snapshots(conn: sqlite3.Connection) -> None:
    """Schema 3 -> 4: snapshots keep each update's progress (listings show it).

    Nothing to do here any more: the move to schema 5 writes every snapshot anew.
    """


def _settled_in_snapshots(conn: sqlite3.Connection) -> None:
    """Schema 4 -> 5: snapshots save the settled listing row (`commitments.settled`).

    Snapshots are derived from the log: the table is made anew and every one rebuilt.
    """
    _script(conn, _V5_SNAPSHOTS)
    _rebuild_snapshots(conn, "the store")


# Forward migrations: MIGRATIONS[n] upgrades a store from schema version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _add_summaries,
    2: _log_additions,
    3: _progress_in_snapshots,
    4: _settled_in_snapshots,
}


# -- opening and creating --------------------------------------------------------------


def _connect(path: Path, *, create: bool, read_only: bool = False) -> sqlite3.Connection:
    mode = "rwc" if create else ("ro" if read_only else "rw")
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode={mode}",
            uri=True,
            timeout=_TIMEOUT,
            isolation_level=None,
        )
        if read_only:
            # Without write access the WAL index may not be creatable: read the file
            # as it stands (it cannot change through this connection anyway).
            try:
                conn.execute("PRAGMA application_id").fetchone()
            except sqlite3.OperationalError:
                conn.close()
                conn = sqlite3.connect(
                    f"{path.absolute().as_uri()}?mode=ro&immutable=1",
                    uri=True,
                    timeout=_TIMEOUT,
                    isolation_level=None,
                )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {os.fspath(path)!r}: {exc}") from None
    return conn


def create_store(
    path: str | os.PathLike[str],
    tracker: Tracker | None = None,
    *,
    workflow: Workflow | None = None,
    policy: DeadlinePolicy | None = None,
    clock: Clock | None = None,
    fiscal_year_start: int | None = None,
) -> Tracker:
    """Create a new store at `path`, empty or holding `tracker`'s log; open it.

    `path` is a file (SQLite) or a `postgresql://` URL (the `postgres` extra; the store's
    tables go into that database). `clock` defaults to this machine's for a file and to
    the server's for PostgreSQL.

    An empty store takes `workflow`, `policy` and `fiscal_year_start` (defaults: the
    default workflow, `KeepOpen`, none); a store made from `tracker` takes the tracker's. Refuses
    (`StoreError`) when `path` already exists, so no file is ever overwritten. The store
    is built under a temporary name beside `path` and linked into place only when
    complete: a process killed meanwhile leaves `path` free.
    """
    if tracker is not None:
        workflow, policy = tracker.workflow, tracker.policy
        if fiscal_year_start is None:
            fiscal_year_start = tracker.fiscal_year_start
        elif tracker.fiscal_year_start not in (None, fiscal_year_start):
            raise StoreError(
                f"the tracker's fiscal years start in month {tracker.fiscal_year_start}, not "
                f"{fiscal_year_start}; give the tracker's, or none"
            )
    fiscal = check_fiscal_year_start(fiscal_year_start)
    if isinstance(path, str) and is_postgres_url(path):
        return create_postgres_store(
            path, tracker, workflow=workflow, policy=policy, clock=clock, fiscal_year_start=fiscal
        )
    target = Path(path)
    shown = os.fspath(path)
    taken = f"{shown!r} already exists; choose a new path for the store"
    if target.exists() or target.is_symlink():
        raise StoreError(taken)
    import tempfile  # noqa: PLC0415 - only creating a store needs it

    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".creating", dir=target.parent
        )
        os.fchmod(fd, plain_mode(target))
        os.close(fd)
    except OSError as exc:
        raise StoreError(f"cannot create store {shown!r}: {exc.strerror or exc}") from None
    building = Path(name)
    try:
        _build(building, shown, tracker, workflow, policy, fiscal_year_start=fiscal)
        try:
            os.link(building, target)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise StoreError(taken) from None
        except OSError as exc:
            raise StoreError(f"cannot create store {shown!r}: {exc.strerror or exc}") from None
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
    return open_store(target, clock=clock)


def _build(
    building: Path,
    shown: str,
    tracker: Tracker | None,
    workflow: Workflow | None,
    policy: DeadlinePolicy | None,
    *,
    fiscal_year_start: int | None = None,
) -> None:
    """Write a complete store into the empty file `building`."""
    conn = _connect(building, create=True)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        _script(conn, _SCHEMA)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        wf = workflow if workflow is not None else DEFAULT_WORKFLOW
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('workflow', ?)",
            (json.dumps(workflow_document(wf)),),
        )
        policy_doc = None if policy is None else policy_document(policy)
        if policy_doc is not None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('policy', ?)", (json.dumps(policy_doc),)
            )
        if fiscal_year_start is not None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('fiscal_year_start', ?)",
                (str(fiscal_year_start),),
            )
        mark_snapshotted(conn, 0)
        if tracker is not None:
            recorder = SQLiteRecorder(conn, shown, wf, policy)
            recorder._depth.depth = 1  # noqa: SLF001 - joins the transaction that creates the file
            recorder.adopt(tracker.events())
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create store {shown!r}: {exc}") from None
    finally:
        conn.close()


def open_store(
    path: str | os.PathLike[str],
    *,
    lazy: bool = True,  # noqa: ARG001 - kept for callers of earlier versions
    details: bool = True,  # noqa: ARG001 - kept for callers of earlier versions
    clock: Clock | None = None,
) -> Tracker:
    """Open an existing store as a tracker (use it as a context manager to close it).

    Opening reads nothing but the store's settings: each question reads what it needs
    (indexed prefilters, snapshots, the logs of the commitments it asks about), and
    every collection-wide answer is for the whole store. `lazy` and `details` are
    accepted for callers of earlier versions and change nothing. A file that is not a
    store, is corrupted or has a newer schema raises `StoreError` and is not modified.
    A `postgresql://` URL opens a PostgreSQL store (see `create_store`).
    """
    if isinstance(path, str) and is_postgres_url(path):
        return open_postgres_store(path, clock=clock)
    target = Path(path)
    shown = os.fspath(path)
    if not shown:
        raise StoreError("no store path given (an empty string)")
    if target.is_dir():
        raise StoreError(f"{shown!r} is a directory, not a store file")
    if not target.is_file():
        raise StoreError(
            f"no store at {shown!r}; create one with `commitments init --store {shown}`"
        )
    # A reporting account, a read-only mount or file: queries only, writes refused clearly.
    read_only = not os.access(target, os.W_OK) or not os.access(target.parent, os.W_OK)
    conn = _connect(target, create=False, read_only=read_only)
    try:
        workflow, policy, fiscal = _check_schema(conn, shown, read_only=read_only)
        if not read_only:
            conn.execute("PRAGMA synchronous=FULL")
        recorder = SQLiteRecorder(conn, shown, workflow, policy, read_only=read_only)
        recorder.fiscal_year_start = fiscal
        return Tracker(recorder=recorder, clock=utc_now if clock is None else clock)
    except _DAMAGE as exc:
        conn.close()
        raise StoreError(f"{shown!r} cannot be read ({brief(exc)})") from None
    except BaseException:
        conn.close()
        raise


def _is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    return "locked" in str(exc) or "busy" in str(exc)


def _check_schema(conn: sqlite3.Connection, shown: str, *, read_only: bool = False) -> Settings:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise StoreError(
                f"{shown!r} is busy: another process holds it locked ({exc}); try again later"
            ) from None
        raise StoreError(f"{shown!r} cannot be read ({brief(exc)})") from None
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT":  # an SQLite file, damaged
            raise StoreError(f"{shown!r} is corrupted ({brief(exc)})") from None
        raise StoreError(f"{shown!r} is not a commitments store ({brief(exc)})") from None
    if app_id != APPLICATION_ID:
        raise StoreError(
            f"{shown!r} is not a commitments store (no commitments application id); "
            "create one with `commitments init`"
        )
    if version > SCHEMA_VERSION:
        raise newer_schema(repr(shown), version, SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        if read_only:
            raise StoreError(
                f"{shown!r} has store schema version {version} and is read-only here, so it "
                f"cannot be upgraded to {SCHEMA_VERSION}; open it once with write access"
            )
        _migrate(conn, shown, version)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error as exc:
        raise StoreError(f"{shown!r} is corrupted: its settings (meta): {brief(exc)}") from None
    return settings(meta, repr(shown))


def _migrate(conn: sqlite3.Connection, shown: str, version: int) -> None:
    if version not in MIGRATIONS:
        raise StoreError(
            f"{shown!r} has store schema version {version}, which this library cannot "
            f"migrate; it reads version {SCHEMA_VERSION}"
        )
    current = version
    try:
        conn.execute("BEGIN IMMEDIATE")
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        while current < SCHEMA_VERSION:
            MIGRATIONS[current](conn)
            current += 1
            conn.execute(f"PRAGMA user_version={current}")
        conn.execute("COMMIT")
    except ROW_DAMAGE as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise StoreError(f"cannot migrate {shown!r}: {brief(exc)}") from None
    if current > SCHEMA_VERSION:  # a newer library moved it on meanwhile
        raise newer_schema(repr(shown), current, SCHEMA_VERSION)


class SQLiteRecorder(SQLRecorder):
    """A tracker's log in an SQLite file, with a snapshot per commitment."""

    error = sqlite3.Error
    integrity_error = sqlite3.IntegrityError
    damage = _DAMAGE
    parties_sql = (
        "SELECT DISTINCT p.value FROM snapshots AS s, json_each(s.commitment, '$.parties') AS p"
    )

    def _begin_write(self) -> None:
        if self.read_only:
            raise StoreError(
                f"store {self.path!r} is read-only here (no write access to the file or its "
                "folder); queries work, changes need write access"
            )
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise StoreError(
                    f"store {self.path!r} is busy: another process holds it locked; try again"
                ) from None
            raise StoreError(f"cannot write to store {self.path!r}: {exc}") from None


def backup_store(path: str | os.PathLike[str], target: str | os.PathLike[str]) -> str:
    """Write a consistent copy of the SQLite store at `path` to `target`; return its digest.

    SQLite's online backup reads one state of the store while other processes go on
    writing; copying the file itself can catch a write half done, or miss the changes
    still in its write-ahead log. The copy is written under a temporary name, synced,
    verified (its hash chains and snapshots) and only then renamed over `target`.
    A PostgreSQL store is backed up with `pg_dump` (see docs/teams.md).
    """
    shown = os.fspath(path)
    if isinstance(path, str) and is_postgres_url(path):
        raise StoreError(
            "a PostgreSQL store is backed up with pg_dump --schema=commitments (see "
            "docs/teams.md), or copied to a file with `commitments copy`"
        )
    import tempfile  # noqa: PLC0415 - only a backup needs it

    destination = Path(target)
    if destination.is_dir():
        raise StoreError(f"cannot back up to {os.fspath(target)!r}: it is a directory")
    with open_store(path) as source:
        recorder = source.recorder
        assert isinstance(recorder, SQLiteRecorder)  # noqa: S101 - open_store makes one
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{destination.name}.", suffix=".backup", dir=destination.parent
            )
            os.close(fd)
        except OSError as exc:
            raise StoreError(
                f"cannot back up to {os.fspath(target)!r}: {exc.strerror or exc}"
            ) from None
        building = Path(name)
        try:
            copy = sqlite3.connect(building)
            try:
                recorder._db.backup(copy)  # type: ignore[attr-defined]  # noqa: SLF001
            finally:
                copy.close()
            with building.open("rb") as handle:
                os.fsync(handle.fileno())
            with open_store(building) as copied:
                sealed = copied.recorder.verify()  # type: ignore[attr-defined]
            os.chmod(building, plain_mode(destination))  # noqa: PTH101
            building.replace(destination)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot back up {shown!r}: {brief(exc)}") from None
        except OSError as exc:
            raise StoreError(
                f"cannot back up to {os.fspath(target)!r}: {exc.strerror or exc}"
            ) from None
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
    return str(sealed)


def copy_store(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> str:
    """Copy a store's whole history into another, exactly; return the digest both now have.

    `source` and `destination` are file paths or `postgresql://` URLs. The destination is
    a new file, or a PostgreSQL database with no store in it or an empty store with the
    same workflow and policy; one that holds anything is refused. The source is verified
    first and the copy after: both logs must give the same digest (`verify`), so `dumps`
    of the two is identical.
    """
    with open_store(source) as src:
        recorder = src.recorder
        if not isinstance(recorder, SQLRecorder):  # pragma: no cover - open_store makes one
            raise StoreError(f"{recorder.describe()} cannot be copied")
        sealed = recorder.verify()
        target = os.fspath(destination)
        if is_postgres_url(target) and holds_store(target):
            with open_store(target) as dst:
                _check_empty(dst, src)
                dst.extend(src.events())
                copied = dst.recorder
                assert isinstance(copied, SQLRecorder)  # noqa: S101 - open_store makes one
                found = copied.verify()
        else:
            with create_store(destination, src) as dst:
                copied = dst.recorder
                assert isinstance(copied, SQLRecorder)  # noqa: S101 - create_store makes one
                found = copied.verify()
    if found != sealed:  # pragma: no cover - a copy that changed the log in flight
        raise StoreError(
            f"the copy in {copied.describe()} does not match its source (digest {found}, "
            f"source {sealed})"
        )
    return sealed


def _check_empty(dst: Tracker, src: Tracker) -> None:
    """Refuse a destination store that holds anything, or reads pledges otherwise."""
    shown = dst.recorder.describe()
    held = dst.recorder.event_count()
    if held:
        raise StoreError(
            f"{shown} already holds {len(dst)} commitments and {held} events; copy needs a "
            "new file or an empty database"
        )
    if (dst.workflow, dst.policy, dst.fiscal_year_start) != (
        src.workflow,
        src.policy,
        src.fiscal_year_start,
    ):
        raise StoreError(
            f"{shown} is empty but has other settings (workflow {dst.workflow.name!r}, "
            f"policy {dst.policy!r}, fiscal_year_start {dst.fiscal_year_start}) than the source "
            f"({src.workflow.name!r}, {src.policy!r}, {src.fiscal_year_start}); copy into an "
            "uninitialised database instead"
        )


#: Earlier versions' name for a tracker over a store; every tracker is one class now.
StoreTracker = Tracker
