"""A durable SQLite store behind the `Tracker` API (an adapter at the edge).

One file holds the workflow and an append-only table of events (additions,
amendments, updates and retractions), in recording order, plus a table of the
commitments as added for indexed look-ups. Each event row keeps the event's catalog
JSON document (so a store dumps to exactly the catalog format) plus indexed columns.

Every change runs in its own `BEGIN IMMEDIATE` transaction: the tracker first catches up
on rows other processes appended, then validates against that latest history, then
inserts and commits. A refused or failed change rolls back both the file and the
in-memory state. WAL journaling with `synchronous=FULL` makes an acknowledged change
survive a crash; a killed writer leaves no partial row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self, overload

import attrs

from commitments._bulk import BULK_OBJECTS, paused_gc
from commitments.assessment import Assessment, assess_timeline
from commitments.catalog import (
    commitment_document,
    commitment_from_document,
    event_document,
    event_from_document,
    policy_document,
    policy_from_document,
    workflow_document,
    workflow_from_document,
)
from commitments.commitment import Commitment
from commitments.events import Addition, Amendment, Event, Progress, Retraction, StatusUpdate
from commitments.exceptions import (
    CatalogError,
    CommitmentsError,
    DuplicateError,
    StoreError,
    UnknownCommitmentError,
    UnknownEventError,
)
from commitments.history import Timeline
from commitments.policy import DeadlinePolicy, KeepOpen
from commitments.source import Source
from commitments.status import Status
from commitments.summary import (
    Head,
    Ref,
    Summary,
    check_appended,
    comes_last,
    step,
    stored_timeline,
    summarize,
)
from commitments.tracker import Clock, Tracker, utc_now
from commitments.workflow import Workflow

SCHEMA_VERSION = 3
APPLICATION_ID = 0x434D5453  # "CMTS": marks an SQLite file as a commitments store
_CHUNK = 500  # ids per `IN (...)` query, below SQLite's variable limit
_CACHE_KIB = 65536  # SQLite page cache per connection (64 MiB, used only as needed)
_TIMEOUT = 60.0  # seconds a writer waits for another's transaction to end

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
    doc TEXT NOT NULL
) STRICT;
CREATE INDEX events_commitment ON events (commitment_id, seq);
CREATE INDEX events_amended ON events (commitment_id) WHERE type = 'amendment';
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
CREATE TRIGGER commitments_append_only_u BEFORE UPDATE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER commitments_append_only_d BEFORE DELETE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

# Migrations are frozen text: each states the schema it moves to, whatever _SCHEMA says now.
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
    doc TEXT NOT NULL
) STRICT;
"""

_V3_MOVE_EVENTS = """
INSERT INTO events_v3 (id, commitment_id, type, status, on_date, recorded_at, party,
    update_id, doc)
SELECT id, commitment_id, type, status, on_date, recorded_at, party, update_id, doc
FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_commitment ON events (commitment_id, seq);
CREATE INDEX events_amended ON events (commitment_id) WHERE type = 'amendment';
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
DELETE FROM summaries;
DELETE FROM meta WHERE key = 'summarized';
"""


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run `sql`'s statements one by one, inside the caller's transaction."""
    for statement in sql.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _add_summaries(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2: add the derived summaries table and build it from the events."""
    _script(conn, _V2_SUMMARIES)
    _rebuild_summaries(conn)


def _log_additions(conn: sqlite3.Connection) -> None:
    """Schema 2 -> 3: every commitment's addition becomes an event, first in the log.

    Stores before schema 3 kept no time of addition: as in a version-1 catalog, each
    commitment is taken as recorded at 00:00 UTC on its `made_on`, or at its first
    event's `recorded_at` if that is earlier. Existing events follow, in their order.
    """
    _script(conn, _V3_EVENTS)
    taken = {row[0] for row in conn.execute("SELECT id FROM events")}
    first = dict(
        conn.execute("SELECT commitment_id, min(recorded_at) FROM events GROUP BY commitment_id")
    )
    rows = []
    for cid, made_on, doc in conn.execute(
        "SELECT id, made_on, doc FROM commitments ORDER BY seq"
    ).fetchall():
        made = dt.datetime.combine(dt.date.fromisoformat(made_on), dt.time(0), tzinfo=dt.UTC)
        earliest = first.get(cid)
        if earliest is not None:
            made = min(made, dt.datetime.fromisoformat(earliest))
        ident = f"{cid}:0"
        n = 0
        while ident in taken:
            n += 1
            ident = f"{cid}:0-{n}"
        taken.add(ident)
        recorded = made.astimezone(dt.UTC).isoformat()
        addition = {"type": "added", "id": ident, "recorded_at": recorded}
        addition["commitment"] = json.loads(doc)
        rows.append((ident, cid, recorded, json.dumps(addition, ensure_ascii=False)))
    conn.executemany(
        "INSERT INTO events_v3 (id, commitment_id, type, recorded_at, doc) "
        "VALUES (?, ?, 'added', ?, ?)",
        rows,
    )
    _script(conn, _V3_MOVE_EVENTS)
    _rebuild_summaries(conn)


# Forward migrations: MIGRATIONS[n] upgrades a store from schema version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _add_summaries,
    2: _log_additions,
}

_UndoStep = tuple[str, Any]  # ("commitment", id) or ("event", event)
_NO_DETAILS = "(not loaded: the store was opened with details=False)"


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode={mode}",
            uri=True,
            timeout=_TIMEOUT,
            isolation_level=None,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {os.fspath(path)!r}: {exc}") from None
    return conn


def _commitment_row(c: Commitment) -> tuple[str, str, str | None, str | None, str]:
    d = c.deadline
    return (
        c.id,
        c.made_on.isoformat(),
        None if d is None or d.earliest is None else d.earliest.isoformat(),
        None if d is None or d.latest is None else d.latest.isoformat(),
        json.dumps(commitment_document(c), ensure_ascii=False),
    )


def _event_row(e: Event) -> tuple[Any, ...]:
    recorded = e.recorded_at.astimezone(dt.UTC).isoformat()
    doc = json.dumps(event_document(e), ensure_ascii=False)
    if isinstance(e, StatusUpdate):
        return (e.id, e.commitment_id, "update", e.status.value, e.on.isoformat(), recorded,
                e.party, None, doc)  # fmt: skip
    if isinstance(e, Retraction):
        return (e.id, e.commitment_id, "retraction", None, None, recorded, None, e.update_id,
                doc)  # fmt: skip
    if isinstance(e, Amendment):
        on = None if e.on is None else e.on.isoformat()
        return (e.id, e.commitment_id, "amendment", None, on, recorded, None, None, doc)
    return (e.id, e.commitment_id, "added", None, None, recorded, None, None, doc)


_STATUSES = {s.value: s for s in Status}


def _ref_line(ref: Ref) -> str:
    """One entry's update as a text line (ids, ISO times and JSON never hold a tab)."""
    eid, recorded, party, own = ref
    shown = "null" if party is None else json.dumps(party)
    return f"{eid}\t{recorded}\t{shown}\t{own.value}"


def _timeline_text(days: Iterable[int], statuses: Iterable[Status], refs: Iterable[Ref]) -> str:
    """Days, then statuses (comma-separated), then one `_ref_line` per entry."""
    return "\n".join(
        [",".join(map(str, days)), ",".join(s.value for s in statuses), *map(_ref_line, refs)]
    )


class _Refs(Sequence[Ref]):
    """A summary's refs, parsed from their text lines when read."""

    __slots__ = ("_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def _all(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.split("\n") if self._text else []
        return self._lines

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> Ref: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Ref]: ...
    def __getitem__(self, index: int | slice) -> Ref | Sequence[Ref]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        eid, recorded, party, own = self._all()[index].split("\t")
        return (eid, recorded, None if party == "null" else json.loads(party), _STATUSES[own])


def _head_doc(head: Head) -> str:
    """[last on, last recorded_at, newest recorded_at, [[track, status], ...]] as JSON."""
    last = head.last
    return json.dumps(
        [
            None if last is None else last[0].isoformat(),
            None if last is None else last[1].isoformat(),
            None if head.newest is None else head.newest.isoformat(),
            [[track, status.value] for track, status in head.tracks],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _head_from(events: int, doc: str) -> Head:
    on, recorded, newest, tracks = json.loads(doc)
    return Head(
        events=events,
        tracks=tuple((track, _STATUSES[value]) for track, value in tracks),
        last=None
        if on is None
        else (dt.date.fromisoformat(on), dt.datetime.fromisoformat(recorded)),
        newest=None if newest is None else dt.datetime.fromisoformat(newest),
    )


def _timeline_from(cid: str, text: str) -> Timeline:
    """The timeline part of a summary, without its head (enough for questions)."""
    days, statuses, refs = [*text.split("\n", 2), ""][:3]
    return stored_timeline(
        cid,
        tuple(map(int, days.split(","))) if days else (),
        tuple(map(_STATUSES.__getitem__, statuses.split(","))) if statuses else (),
        _Refs(refs),
    )


def _summary_row(commitment: Commitment, summary: Summary, last_seq: int) -> tuple[Any, ...]:
    text = _timeline_text(summary.days, summary.statuses, summary.refs)
    last_status = summary.statuses[-1] if summary.statuses else None
    return _row_of(commitment, summary, last_seq, last_status, text)


def _row_of(
    commitment: Commitment, head: Head, last_seq: int, last_status: Status | None, text: str
) -> tuple[Any, ...]:
    return (
        commitment.id,
        commitment.id,
        head.events,
        last_seq,
        None if head.last is None else head.last[0].toordinal(),
        None if last_status is None else last_status.value,
        int(commitment.recurrence is not None),
        len(commitment.parties),
        _head_doc(head),
        text,
    )


@attrs.frozen
class _Quick:
    """An unloaded commitment written through its summary in this transaction."""

    commitment: Commitment
    head: Head
    last_status: Status | None
    timeline: str  # the summary's timeline text (see `_timeline_text`)
    seq: int  # of the commitment's newest event
    changed: bool = False

    def appended(self, update: StatusUpdate, seq: int) -> _Quick:
        """After `update`, which `comes_last`: one line added (or the day's last replaced)."""
        head, overall = step(self.head, update)
        days, statuses, refs = [*self.timeline.split("\n", 2), ""][:3]
        if self.head.last is not None and self.head.last[0] == update.on:
            # Same-day updates collapse into the last of the day, as in `build_timeline`.
            days, statuses = (
                days[: max(0, days.rfind(","))],
                statuses[: max(0, statuses.rfind(","))],
            )
            refs = refs[: max(0, refs.rfind("\n"))]
        ref: Ref = (update.id, update.recorded_at.isoformat(), update.party, update.status)
        text = "\n".join(
            [
                f"{days},{update.on.toordinal()}" if days else str(update.on.toordinal()),
                f"{statuses},{overall.value}" if statuses else overall.value,
                f"{refs}\n{_ref_line(ref)}" if refs else _ref_line(ref),
            ]
        )
        return _Quick(self.commitment, head, overall, text, seq, changed=True)

    def row(self) -> tuple[Any, ...]:
        """The parameters of `_UPDATE_SUMMARY` (the row exists: it was read)."""
        cid, _, *values = _row_of(
            self.commitment, self.head, self.seq, self.last_status, self.timeline
        )
        return (*values[:4], *values[6:], cid)


_UPSERT_SUMMARY = (
    "INSERT OR REPLACE INTO summaries (seq, commitment_id, events, last_seq, last_day, "
    "last_status, recurring, parties, head, timeline) VALUES "
    "((SELECT seq FROM commitments WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_SUMMARY = (
    "UPDATE summaries SET events = ?, last_seq = ?, last_day = ?, last_status = ?, "
    "head = ?, timeline = ? WHERE commitment_id = ?"
)
# Whether commitment `c` was amended (then its summary is not used).
_AMENDED = (
    "EXISTS (SELECT 1 FROM events AS a WHERE a.commitment_id = c.id AND a.type = 'amendment')"
)
# Whether a summary row misses events recorded after it (then it is not used).
_STALE = (
    "EXISTS (SELECT 1 FROM events AS e WHERE e.commitment_id = s.commitment_id "
    "AND e.seq > s.last_seq)"
)


def _event_from_columns(columns: tuple[Any, ...]) -> StatusUpdate | Retraction:
    """An event rebuilt from its indexed columns (no notes, sources or reasons)."""
    eid, cid, kind, status, on, recorded, party, update_id = columns
    moment = dt.datetime.fromisoformat(recorded)
    if kind == "update":
        return StatusUpdate(
            id=eid,
            commitment_id=cid,
            status=Status(status),
            on=dt.date.fromisoformat(on),
            recorded_at=moment,
            party=party,
        )
    return Retraction(eid, cid, update_id, moment, _NO_DETAILS)


def _rebuild_summaries(conn: sqlite3.Connection) -> None:
    """Rewrite every commitment's summary from its events (inside the caller's transaction)."""
    try:
        commitments = {
            cid: commitment_from_document(json.loads(doc), f"commitments row {seq}")
            for seq, cid, doc in conn.execute("SELECT seq, id, doc FROM commitments ORDER BY seq")
        }
    except (CommitmentsError, ValueError, RecursionError) as exc:
        raise StoreError(f"cannot summarize a corrupted store: {exc}") from None
    except sqlite3.Error as exc:
        raise StoreError(f"cannot summarize the store: {exc}") from None
    updates: dict[str, list[StatusUpdate]] = {cid: [] for cid in commitments}
    retractions: dict[str, list[Retraction]] = {cid: [] for cid in commitments}
    last_seq = dict.fromkeys(commitments, 0)
    rows = conn.execute(
        "SELECT seq, id, commitment_id, type, status, on_date, recorded_at, party, update_id "
        "FROM events ORDER BY seq"
    )
    for seq, *columns in rows:
        cid, kind = columns[1], columns[2]
        if cid not in commitments:
            raise StoreError(f"events row {seq} names unknown commitment {cid!r}")
        last_seq[cid] = seq
        if kind not in ("update", "retraction"):
            continue  # additions and amendments: amended commitments are never summarized
        event = _event_from_columns(tuple(columns))
        if isinstance(event, StatusUpdate):
            updates[cid].append(event)
        else:
            retractions[cid].append(event)
    conn.executemany(
        _UPSERT_SUMMARY,
        (
            _summary_row(c, summarize(c, updates[cid], retractions[cid]), last_seq[cid])
            for cid, c in commitments.items()
        ),
    )
    _mark_summarized(conn, max(last_seq.values(), default=0))


def _summarized(conn: sqlite3.Connection) -> tuple[int | None, int]:
    """(the event seq every summary covers, when known; the newest event seq)."""
    row = conn.execute(
        "SELECT (SELECT value FROM meta WHERE key = 'summarized'), "
        "(SELECT coalesce(max(seq), 0) FROM events)"
    ).fetchone()
    return (None if row[0] is None else int(row[0])), int(row[1])


def _mark_summarized(conn: sqlite3.Connection, seq: int) -> None:
    """Record that every summary covers every event up to `seq`."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('summarized', ?)", (str(seq),))


_INSERT_COMMITMENT = (
    "INSERT INTO commitments (id, made_on, deadline_earliest, deadline_latest, doc) "
    "VALUES (?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, party, "
    "update_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def create_store(
    path: str | os.PathLike[str],
    tracker: Tracker | None = None,
    *,
    workflow: Workflow | None = None,
    policy: DeadlinePolicy | None = None,
    clock: Clock = utc_now,
) -> StoreTracker:
    """Create a new store at `path`, empty or holding `tracker`'s contents; open it.

    An empty store takes `workflow` and `policy` (defaults: the default workflow,
    `KeepOpen`); a store made from `tracker` takes the tracker's. Refuses
    (`StoreError`) when `path` already exists, so no file is ever overwritten.
    """
    target = Path(path)
    if tracker is not None:
        workflow = tracker.workflow
    try:
        target.touch(exist_ok=False)
    except FileExistsError:
        raise StoreError(
            f"{os.fspath(path)!r} already exists; choose a new path for the store"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot create store {os.fspath(path)!r}: {exc.strerror}") from None
    conn = _connect(target, create=True)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        wf = workflow if workflow is not None else Tracker().workflow
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('workflow', ?)",
            (json.dumps(workflow_document(wf)),),
        )
        chosen = tracker.policy if tracker is not None else policy
        policy_doc = None if chosen is None else policy_document(chosen)
        if policy_doc is not None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('policy', ?)", (json.dumps(policy_doc),)
            )
        if tracker is not None:
            events = tracker.events()
            conn.executemany(
                _INSERT_COMMITMENT,
                (_commitment_row(e.commitment) for e in events if isinstance(e, Addition)),
            )
            conn.executemany(_INSERT_EVENT, (_event_row(e) for e in events))
        _rebuild_summaries(conn)
        conn.execute("COMMIT")
    except BaseException as exc:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"cannot create store {os.fspath(path)!r}: {exc}") from None
        raise
    conn.close()
    return open_store(target, clock=clock)


def open_store(
    path: str | os.PathLike[str],
    *,
    lazy: bool = False,
    details: bool = True,
    clock: Clock = utc_now,
) -> StoreTracker:
    """Open an existing store as a tracker (use it as a context manager to close it).

    `lazy=False` loads every commitment and event. `lazy=True` loads a commitment (with
    its events) the first time it is named, which keeps one-off writes fast on large
    stores; collection-wide queries then see only what is loaded (see `load`).
    `details=False` loads stored events without notes, sources, reasons and progress
    (enough for statuses, deadlines and validating new changes, and much faster); the
    changes it records are stored in full.
    A file that is not a store, is corrupted or has a newer schema raises `StoreError`
    and is not modified.
    """
    target = Path(path)
    shown = os.fspath(path)
    if target.is_dir():
        raise StoreError(f"{shown!r} is a directory, not a store file")
    if not target.is_file():
        raise StoreError(
            f"no store at {shown!r}; create one with `commitments init --store {shown}`"
        )
    conn = _connect(target, create=False)
    try:
        workflow, policy = _check_schema(conn, shown)
        conn.execute("PRAGMA synchronous=FULL")
        store = StoreTracker(
            conn, shown, workflow, policy=policy, lazy=lazy, details=details, clock=clock
        )
        if lazy:
            # Nothing is loaded yet: later loads read each commitment's events up to here.
            store._last_event = store._event_seq_bound()  # noqa: SLF001
        else:
            store.load()
    except BaseException:
        conn.close()
        raise
    return store


def _check_schema(conn: sqlite3.Connection, shown: str) -> tuple[Workflow, DeadlinePolicy | None]:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{shown!r} is not a commitments store ({exc})") from None
    if app_id != APPLICATION_ID:
        raise StoreError(
            f"{shown!r} is not a commitments store (no commitments application id); "
            "create one with `commitments init`"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{shown!r} has store schema version {version}, newer than this library's "
            f"{SCHEMA_VERSION}; upgrade commitments to open it"
        )
    if version < SCHEMA_VERSION:
        _migrate(conn, shown, version)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if "workflow" not in meta:
            raise StoreError(f"{shown!r} is corrupted: its workflow is missing")
        workflow = workflow_from_document(json.loads(meta["workflow"]))
        policy = policy_from_document(json.loads(meta["policy"])) if "policy" in meta else None
    except (sqlite3.Error, ValueError, TypeError, RecursionError) as exc:
        raise StoreError(f"{shown!r} is corrupted: {exc}") from None
    return workflow, policy


def _migrate(conn: sqlite3.Connection, shown: str, version: int) -> None:
    if version not in MIGRATIONS:
        raise StoreError(
            f"{shown!r} has store schema version {version}, which this library cannot "
            f"migrate; it reads version {SCHEMA_VERSION}"
        )
    try:
        conn.execute("BEGIN IMMEDIATE")
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        while current < SCHEMA_VERSION:
            MIGRATIONS[current](conn)
            current += 1
            conn.execute(f"PRAGMA user_version={current}")
        conn.execute("COMMIT")
    except (sqlite3.Error, KeyError, CommitmentsError, ValueError, TypeError) as exc:
        conn.execute("ROLLBACK")
        raise StoreError(f"cannot migrate {shown!r}: {exc}") from None


class StoreTracker(Tracker):
    """A `Tracker` whose every accepted change is committed to an SQLite store."""

    __slots__ = (
        "_conn",
        "_depth",
        "_details",
        "_dirty",
        "_fresh",
        "_last_event",
        "_lazy",
        "_quick",
        "_scoped",
        "_undo",
        "path",
    )

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: str,
        workflow: Workflow,
        *,
        policy: DeadlinePolicy | None = None,
        lazy: bool,
        details: bool = True,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(workflow, policy=policy, clock=clock)
        self._details = details
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._lazy = lazy
        self._scoped = False
        self._depth = 0
        self._undo: list[_UndoStep] = []
        self._last_event = 0
        # Commitments whose summary this transaction must rewrite from memory.
        self._dirty: set[str] = set()
        # Unloaded commitments written through their summaries in this transaction:
        # id -> (commitment, summary, seq of its newest event, summary changed).
        self._quick: dict[str, _Quick] = {}
        # Whether every summary was current when this transaction began.
        self._fresh = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StoreTracker {self.path!r}: {super().__repr__()[1:-1]}>"

    def close(self) -> None:
        """Close the file; the in-memory state stays readable."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path!r} is closed")
        return self._conn

    # -- reading ------------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read store {self.path!r}: {exc}") from None

    def _parse_commitment(self, seq: int, cid: str, doc: str) -> Commitment:
        try:
            commitment = commitment_from_document(json.loads(doc), f"commitments row {seq}")
        except (CatalogError, ValueError, RecursionError) as exc:
            raise StoreError(f"store {self.path!r} is corrupted: {exc}") from None
        if commitment.id != cid:
            raise StoreError(f"store {self.path!r} is corrupted: commitments row {seq}")
        return commitment

    @property
    def _event_columns(self) -> str:
        # Additions and amendments are always read whole: their columns do not hold them.
        doc = "doc" if self._details else "CASE WHEN type IN ('added', 'amendment') THEN doc END"
        return (
            f"seq, id, commitment_id, type, status, on_date, recorded_at, party, update_id, {doc}"
        )

    def _parse_event(self, row: tuple[Any, ...]) -> Event:
        seq, eid, cid, doc = row[0], row[1], row[2], row[-1]
        event: Event
        try:
            if doc is None:
                # Without details: rebuilt from the indexed columns, enough for status.
                event = _event_from_columns(row[1:-1])
            else:
                event = event_from_document(json.loads(doc), f"events row {seq}")
        except (CommitmentsError, ValueError, TypeError, RecursionError) as exc:
            raise StoreError(f"store {self.path!r} is corrupted: {exc}") from None
        known = isinstance(event, Addition) or cid in self._commitments
        if event.id != eid or event.commitment_id != cid or not known:
            raise StoreError(f"store {self.path!r} is corrupted: events row {seq} is inconsistent")
        return event

    def _event_seq_bound(self) -> int:
        return int(self._rows("SELECT coalesce(max(seq), 0) FROM events")[0][0])

    def load(self, ids: Iterable[str] | None = None) -> None:
        """Load every commitment (None) or those of `ids` that exist, with their events."""
        if ids is None:
            # Coming from lazy mode, read from the start: known events are skipped.
            start = 0 if self._lazy else self._last_event
            # One read of the log: every event follows its commitment's addition.
            events = self._rows(
                f"SELECT {self._event_columns} FROM events WHERE seq > ? ORDER BY seq",  # noqa: S608
                (start,),
            )
            with paused_gc(bulk=len(events) >= BULK_OBJECTS):
                if self._lazy:
                    self._clear()  # so the log in memory is in recording order
                self._lazy = False
                self._apply_rows(events)
            return
        self.refresh()
        wanted = sorted({i for i in ids if i not in self._commitments})
        bound = self._last_event
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            events = self._rows(
                f"SELECT {self._event_columns} FROM events "  # noqa: S608
                f"WHERE commitment_id IN ({marks}) AND seq <= ? ORDER BY seq",
                [*chunk, bound],
            )
            self._apply_rows(events, advance=False, adding=frozenset(chunk))

    def _apply_rows(
        self, rows: list[Any], *, advance: bool = True, adding: frozenset[str] = frozenset()
    ) -> None:
        """Apply event rows in log order; a lazy store adds only the commitments in `adding`."""
        for row in rows:
            seq, eid, cid, kind = row[0], row[1], row[2], row[3]
            if eid in self._events_by_id:
                pass
            elif kind == "added":
                if not self._lazy or cid in adding:
                    if cid in self._commitments:
                        raise StoreError(
                            f"store {self.path!r} is corrupted: events row {seq} adds "
                            f"{cid!r} a second time"
                        )
                    self._apply(self._parse_event(row))
            elif cid in self._commitments:
                self._apply(self._parse_event(row))
            elif not self._lazy:
                raise StoreError(
                    f"store {self.path!r} is corrupted: events row {seq} names unknown "
                    f"commitment {cid!r}"
                )
            if advance:
                self._last_event = max(self._last_event, seq)

    def refresh(self) -> None:
        """Catch up on what other processes appended since this tracker last looked."""
        if self._lazy:
            rows = self._rows(
                f"SELECT {self._event_columns} FROM events WHERE seq > ? ORDER BY seq",  # noqa: S608
                (self._last_event,),
            )
            self._apply_rows(rows)
        else:
            self.load()

    def scope_to_loaded(self) -> None:
        """Answer collection-wide questions from the commitments loaded so far, not the store.

        For a query whose candidates were picked with `select_ids` and `load(ids)`; by
        default a lazy store loads everything before any collection-wide answer.
        """
        self._scoped = True

    def _everything(self) -> None:
        if self._lazy and not self._scoped and self._conn is not None:
            self.load()

    def __contains__(self, commitment_id: object) -> bool:
        if commitment_id in self._commitments:
            return True
        if self._lazy and isinstance(commitment_id, str) and self._conn is not None:
            self.load([commitment_id])
            return commitment_id in self._commitments
        return False

    def __getitem__(self, commitment_id: str) -> Commitment:
        if commitment_id not in self:
            raise UnknownCommitmentError(commitment_id, self._known_ids())
        return self._commitments[commitment_id]

    def _known_ids(self) -> list[str]:
        if self._lazy and self._conn is not None:
            return [row[0] for row in self._rows("SELECT id FROM commitments", ())]
        return super()._known_ids()

    def event(self, event_id: str) -> Event:
        """The update or retraction with that id (loaded on demand in a lazy store)."""
        if event_id not in self._events_by_id and self._lazy and self._conn is not None:
            rows = self._rows("SELECT commitment_id FROM events WHERE id = ?", (event_id,))
            if rows:
                self.load([rows[0][0]])
                self.refresh()
        if event_id not in self._events_by_id:
            raise UnknownEventError(event_id)
        return self._events_by_id[event_id]

    def select_ids(
        self,
        *,
        made_by: dt.date | None = None,
        latest_before: dt.date | None = None,
        latest_from: dt.date | None = None,
        latest_to: dt.date | None = None,
        ever_status: str | None = None,
        maybe_open_on: dt.date | None = None,
    ) -> list[str]:
        """Ids of stored commitments matching indexed columns (bounds inclusive).

        `latest_before` is exclusive; recurring commitments pass the deadline filters
        (their periods are their deadlines). `ever_status` keeps commitments with any update
        to that status. `maybe_open_on` drops commitments certainly closed on that day
        (counting everything recorded): those without retractions or party updates whose
        last update on or before it has a closed status; the rest may be open. Load the
        result with `load(ids)` before asking questions.
        """
        where = ["1"]
        params: list[object] = []
        if made_by is not None:
            where.append("made_on <= ?")
            params.append(made_by.isoformat())
        deadline = ["1"]
        if latest_before is not None:
            deadline.append("deadline_latest < ?")
            params.append(latest_before.isoformat())
        if latest_from is not None:
            deadline.append("deadline_latest >= ?")
            params.append(latest_from.isoformat())
        if latest_to is not None:
            deadline.append("deadline_latest <= ?")
            params.append(latest_to.isoformat())
        if len(deadline) > 1:
            # A recurring commitment's periods are its deadlines: it always passes.
            where.append(
                f"(({' AND '.join(deadline)}) OR (deadline_latest IS NULL"
                " AND json_extract(doc, '$.recurrence') IS NOT NULL))"
            )
        if ever_status is not None:
            where.append(
                "id IN (SELECT commitment_id FROM events WHERE type = 'update' AND status = ?)"
            )
            params.append(ever_status)
        if maybe_open_on is not None:
            closed = sorted(s.value for s in Status if not s.is_open)
            marks = ",".join("?" * len(closed))
            where.append(  # the query text holds only '?' placeholders for values
                "(id IN (SELECT commitment_id FROM events WHERE type = 'retraction' "  # noqa: S608
                "OR party IS NOT NULL) OR coalesce((SELECT status FROM events AS e "
                "WHERE e.commitment_id = commitments.id AND e.type = 'update' "
                "AND e.on_date <= ? ORDER BY e.on_date DESC, e.recorded_at DESC, e.seq DESC "
                f"LIMIT 1), 'pledged') NOT IN ({marks}))"
            )
            params.extend([maybe_open_on.isoformat(), *closed])
        # An amended commitment's columns hold the commitment as added: it always passes.
        sql = (
            f"SELECT id FROM commitments WHERE ({' AND '.join(where)}) OR id IN "  # noqa: S608
            "(SELECT commitment_id FROM events WHERE type = 'amendment') ORDER BY seq"
        )
        return [row[0] for row in self._rows(sql, params)]

    # -- writing ------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group several changes: all are committed, or none if any raises."""
        return self._transaction()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to store {self.path!r}: {exc}") from None
        self._depth = 1
        self._undo = []
        self._dirty = set()
        self._quick = {}
        try:
            covered, newest = _summarized(db)
            self._fresh = covered == newest
            self.refresh()
            mark = self._last_event
            was_lazy = self._lazy
            try:
                yield
                self._write_summaries()
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                self._forget(was_lazy=was_lazy)
                self._last_event = mark
                raise
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise StoreError(f"cannot write to store {self.path!r}: {exc}") from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
            self._undo = []
            self._dirty = set()
            self._quick = {}

    def _write_summaries(self) -> None:
        """Rewrite the summaries of what this transaction changed (before it commits)."""
        rows = []
        quick_rows = []
        for cid, quick in self._quick.items():
            if cid in self._commitments:
                self._dirty.add(cid)  # loaded since: memory holds the whole history
            elif quick.changed:
                quick_rows.append(quick.row())
        self._db.executemany(_UPDATE_SUMMARY, quick_rows)
        dirty = sorted(self._dirty)
        newest: dict[str, int] = {}
        for start in range(0, len(dirty), _CHUNK):
            chunk = dirty[start : start + _CHUNK]
            newest.update(
                self._rows(
                    "SELECT commitment_id, max(seq) FROM events "  # noqa: S608
                    f"WHERE commitment_id IN ({','.join('?' * len(chunk))}) "
                    "GROUP BY commitment_id",
                    chunk,
                )
            )
        for cid in dirty:
            commitment = self._commitments[cid]
            summary = summarize(commitment, self._updates[cid], self._retractions[cid])
            rows.append(_summary_row(commitment, summary, newest.get(cid, 0)))
        self._db.executemany(_UPSERT_SUMMARY, rows)
        if self._fresh:
            # Every event before this transaction was summarized, and so is every
            # event it wrote: the whole store stays summarized.
            _mark_summarized(self._db, _summarized(self._db)[1])

    def _insert(self, sql: str, row: tuple[Any, ...], what: str) -> int:
        if not self._depth:
            raise StoreError("store writes must run inside a transaction")
        try:
            cursor = self._db.execute(sql, row)
        except sqlite3.IntegrityError:
            raise DuplicateError(f"{what} is already in store {self.path!r}") from None
        return int(cursor.lastrowid or 0)

    def _store_commitment(self, addition: Addition) -> None:
        commitment = addition.commitment
        self._insert(
            _INSERT_COMMITMENT, _commitment_row(commitment), f"commitment {commitment.id!r}"
        )
        seq = self._insert(_INSERT_EVENT, _event_row(addition), f"event id {addition.id!r}")
        super()._store_commitment(addition)
        self._undo.append(("event", addition))
        self._last_event = seq
        self._dirty.add(commitment.id)

    def _append(self, event: Event, *, checked: bool = True) -> None:  # noqa: ARG002
        seq = self._insert(_INSERT_EVENT, _event_row(event), f"event id {event.id!r}")
        self._apply(event)
        self._undo.append(("event", event))
        self._last_event = seq
        self._dirty.add(event.commitment_id)

    def _forget(self, *, was_lazy: bool) -> None:
        """Throw away what this transaction changed in memory (the file rolled back).

        A store that was lazy when the transaction began forgets everything it holds
        and reads again what it is next asked about: rows written through summaries
        and read back go too. A full store undoes its appends, newest first (it has no
        quick path, so they are the tail of its log).
        """
        if was_lazy:
            self._clear()
            self._lazy = True
        else:
            for _, event in reversed(self._undo):
                self._unapply(event)
        self._undo = []
        self._dirty = set()
        self._quick = {}

    def _drop(self, cid: str) -> None:
        """Forget a commitment and its events."""
        log = self._log.pop(cid, None)
        if log is None:
            return
        gone = {event.id for event in log}
        for event in log:
            self._events_by_id.pop(event.id, None)
            if isinstance(event, Retraction):
                self._retracted_by.pop(event.update_id, None)
        self._events[:] = [e for e in self._events if e.id not in gone]
        for table in (
            self._commitments,
            self._additions,
            self._updates,
            self._amendments,
            self._retractions,
            self._known_from,
            self._versions,
            self._timelines,
        ):
            table.pop(cid, None)

    def _unapply(self, event: Event) -> None:
        """Undo `_apply` of the newest event."""
        cid = event.commitment_id
        if isinstance(event, Addition):
            self._drop(cid)
            return
        self._events.pop()
        del self._events_by_id[event.id]
        self._log[cid].pop()
        if isinstance(event, Retraction):
            self._retractions[cid].pop()
            target = self._events_by_id.get(self._retracted_by.pop(event.update_id).update_id)
            if isinstance(target, Amendment):
                self._revise(cid)
        elif isinstance(event, Amendment):
            self._amendments[cid].pop()
            self._revise(cid)
        else:
            self._updates[cid].pop()
        self._known_from[cid] = min(e.recorded_at for e in self._log[cid])
        self._timelines.pop(cid, None)

    # -- writing through summaries ------------------------------------------------

    def prepare(self, ids: Iterable[str]) -> None:
        """Get ready to record updates for `ids` in this transaction, in few queries.

        Commitments loaded already, unknown or recurring, and those whose summary is
        missing or stale, are loaded with their events; the rest are read with their
        summaries only, so an update that comes last in effect order is validated and
        recorded without reading the history (see `record`).
        """
        if not self._depth:
            raise StoreError("prepare() must run inside store.transaction()")
        wanted = sorted({i for i in ids if i not in self._commitments and i not in self._quick})
        if not self._lazy:
            return
        # Room for the pages a large batch dirties, so they are not spilled mid-way.
        self._rows(f"PRAGMA cache_size=-{_CACHE_KIB}")
        full: list[str] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                f"SELECT c.seq, c.id, c.doc, s.events, s.head, s.timeline, s.last_status, "  # noqa: S608
                f"s.last_seq, {self._stale()}, {_AMENDED} "
                "FROM commitments AS c LEFT JOIN summaries AS s ON s.seq = c.seq "
                f"WHERE c.id IN ({marks})",
                chunk,
            )
            for seq, cid, doc, events, head, text, last_status, last_seq, stale, amended in rows:
                commitment = self._parse_commitment(seq, cid, doc)
                if head is None or stale or amended or commitment.recurrence is not None:
                    full.append(cid)
                    continue
                try:
                    parsed = _head_from(events, head)
                    status = None if last_status is None else _STATUSES[last_status]
                except (ValueError, TypeError, KeyError, RecursionError) as exc:
                    raise StoreError(
                        f"store {self.path!r} is corrupted: the summary of {cid!r}: {exc}"
                    ) from None
                self._quick[cid] = _Quick(commitment, parsed, status, text, last_seq)
        self.load(full)

    def _stale(self) -> str:
        """SQL for "summary `s` misses events": false when every summary is current."""
        covered, newest = _summarized(self._db)
        return "0" if covered == newest else _STALE

    def _parse_timeline(self, cid: str, text: str) -> Timeline:
        try:
            return _timeline_from(cid, text)
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            raise StoreError(
                f"store {self.path!r} is corrupted: the summary of {cid!r}: {exc}"
            ) from None

    def record(
        self,
        commitment_id: str,
        status: Status | str,
        *,
        on: dt.date,
        source: Source | str | None = None,
        sources: Iterable[Source | str] = (),
        note: str = "",
        party: str | None = None,
        recorded_at: dt.datetime | None = None,
        reason: str | None = None,
        progress: Progress | tuple[float, float] | None = None,
        update_id: str | None = None,
        recorded_by: str | None = None,
    ) -> StatusUpdate:
        """Validate and append a status update, as `Tracker.record`.

        For a commitment made ready by `prepare` (not loaded), an update that comes
        last in effect order is checked against the stored track statuses, which is
        what checking the whole history gives; any other is checked in full.
        """
        with self._transaction():
            quick = self._quick.get(commitment_id)
            if quick is None or commitment_id in self._commitments:
                return super().record(
                    commitment_id, status, on=on, source=source, sources=sources, note=note,
                    party=party, recorded_at=recorded_at, reason=reason, progress=progress,
                    update_id=update_id, recorded_by=recorded_by,
                )  # fmt: skip
            commitment = quick.commitment
            update = self._build_update(
                commitment,
                status,
                on=on,
                source=source,
                sources=sources,
                note=note,
                party=party,
                recorded_at=recorded_at,
                reason=reason,
                progress=progress,
                update_id=update_id,
                recorded_by=recorded_by,
            )
            if not comes_last(commitment, quick.head, update):
                # Loaded now, its summary is rewritten from memory on commit.
                self.load([commitment_id])
                self._check_update(commitment, update)
                self._append(update)
                return update
            self._check_update_fields(commitment, update)
            violation = check_appended(commitment, quick.head, update, self.workflow)
            self._raise_violation(
                commitment, None if violation is None else (violation, None), update
            )
            seq = self._insert(_INSERT_EVENT, _event_row(update), f"event id {update.id!r}")
            self._quick[commitment_id] = quick.appended(update, seq)
        return update

    def _new_id(self, commitment_id: str, requested: str | None) -> str:
        quick = self._quick.get(commitment_id)
        if requested is not None or quick is None or commitment_id in self._commitments:
            return super()._new_id(commitment_id, requested)
        # As Tracker does: after the commitment's event count, skipping ids taken.
        n = quick.head.events
        while True:
            n += 1
            candidate = f"{commitment_id}:{n}"
            if candidate not in self._events_by_id and not self._rows(
                "SELECT 1 FROM events WHERE id = ?", (candidate,)
            ):
                return candidate

    def rebuild_summaries(self) -> None:
        """Rewrite every commitment's summary from its events, in one transaction.

        Summaries are a cache the store keeps current with every change it makes;
        rows written by other tools are detected and answered from the events, and
        this brings their summaries back.
        """
        with self._transaction():
            _rebuild_summaries(self._db)

    # -- questions through summaries ----------------------------------------------

    def overdue_assessments(self, *, as_of: dt.date | None = None) -> list[Assessment]:
        """Assessments of every stored commitment overdue on `as_of` (all recorded counts).

        The same answer as `load()` then `assess` of each of `overdue(as_of=...)`, in the
        order commitments were added, except that `last_update` comes without notes
        and sources. Non-recurring commitments without parties are answered from
        their summaries (no events read) under the default `KeepOpen` policy; the
        rest are loaded and assessed from their events.
        """
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        with self._snapshot():
            return self._overdue_assessments(day)

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run the queries inside on one consistent state of the file."""
        if self._depth:
            yield
            return
        self._rows("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("COMMIT")

    def _overdue_assessments(self, day: dt.date) -> list[Assessment]:
        iso = day.isoformat()
        ordinal = day.toordinal()
        quick = isinstance(self.policy, KeepOpen)
        closed = sorted(s.value for s in Status if not s.is_open)
        # A fresh summary whose last entry is on or before the day and closed rules the
        # commitment out (a policy only ever turns open into broken).
        rows = self._rows(
            f"SELECT c.seq, c.id, c.doc, s.timeline, s.parties, {self._stale()} AS stale "  # noqa: S608
            "FROM commitments AS c LEFT JOIN summaries AS s ON s.seq = c.seq "
            "WHERE c.deadline_latest < ? AND c.made_on <= ? AND NOT coalesce(s.recurring, 0) "
            f"AND NOT {_AMENDED} "
            "AND NOT (s.last_day IS NOT NULL AND s.last_day <= ? "
            f"AND s.last_status IN ({','.join('?' * len(closed))}) AND NOT stale)",
            (iso, iso, ordinal, *closed),
        )
        # Recurring commitments have periods rather than a deadline, and amended ones
        # the deadlines of their versions: always in full.
        slow: dict[str, int] = dict(
            self._rows(
                "SELECT c.id, c.seq FROM summaries AS s JOIN commitments AS c "
                "ON c.seq = s.seq WHERE s.recurring AND c.made_on <= ?",
                (iso,),
            )
        )
        slow.update(
            self._rows(
                "SELECT c.id, c.seq FROM commitments AS c WHERE c.id IN "
                "(SELECT commitment_id FROM events WHERE type = 'amendment')"
            )
        )
        found: list[tuple[int, Assessment]] = []
        for seq, cid, doc, text, parties, stale in rows:
            if not quick or text is None or parties or stale:
                slow[cid] = seq
                continue
            timeline = self._parse_timeline(cid, text)
            if not timeline.status_on(day).is_open:
                continue
            commitment = self._parse_commitment(seq, cid, doc)
            assessment = assess_timeline(commitment, timeline, day, None, policy=self.policy)
            if assessment.overdue:
                found.append((seq, assessment))
        if slow:
            self.load(slow)
            wanted = set(slow)
            found.extend(
                (slow[c.id], self.assess(c.id, as_of=day))
                for c in Tracker.overdue(self, as_of=day)
                if c.id in wanted
            )
        found.sort(key=lambda pair: pair[0])
        return [assessment for _, assessment in found]

    def import_tracker(self, other: Tracker) -> None:
        """Add another tracker's commitments and events, re-validated, all or none."""
        if other.workflow != self.workflow:
            raise StoreError(
                f"cannot import: the catalog's workflow {other.workflow.name!r} differs "
                f"from the store's {self.workflow.name!r}"
            )
        if other.policy != self.policy:
            raise StoreError(
                f"cannot import: the catalog's deadline policy {other.policy!r} differs "
                f"from the store's {self.policy!r}"
            )
        self.extend(other.events())
