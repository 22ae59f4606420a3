"""The recorder over an SQL database: the tables and rows SQLite and PostgreSQL share.

A store keeps an append-only table of events (additions, amendments, updates and
retractions, in recording order, each row keeping the event's catalog JSON document
plus indexed columns and its link in its commitment's hash chain), a table of
commitment ids, and a derived snapshot per commitment (`commitments.snapshot`) with
indexed columns a query's prefilter reads. Snapshots are written in the same
transaction as the events they follow; nothing else is ever computed here.

`SQLRecorder` holds everything the two databases do alike, written once in SQL both
accept (`?` and `:name` parameters; a PostgreSQL connection translates them). Each
backend subclasses it with how it opens transactions and which errors its driver raises.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from commitments._bulk import BULK_OBJECTS, paused_gc
from commitments.catalog import (
    commitment_document,
    commitment_from_document,
    event_document,
    event_from_document,
)
from commitments.commitment import Commitment
from commitments.events import Addition, Amendment, Event, Retraction, StatusUpdate
from commitments.exceptions import (
    CommitmentsError,
    ConflictError,
    DuplicateError,
    StoreError,
    ValidationError,
)
from commitments.integrity import digest, event_text, link
from commitments.policy import KEEP_OPEN, DeadlinePolicy
from commitments.projection import fold
from commitments.recorder import Nesting, Recorder, Selection
from commitments.settled import SELECTED_BY, settled
from commitments.snapshot import Snapshot, snapshot
from commitments.status import Status
from commitments.workflow import Workflow


class Cursor(Protocol):
    def __iter__(self) -> Iterator[Any]: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...  # noqa: ANN401 - a row, or None


class Connection(Protocol):
    """What the recorder needs of a DB-API connection in autocommit mode."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...  # noqa: ANN401
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...  # noqa: ANN401
    def close(self) -> None: ...


_CHUNK = 500  # ids per `IN (...)` query, below SQLite's variable limit
_BITS = {status: 1 << i for i, status in enumerate(Status)}
# What a damaged row raises where the store decodes a value (beside the driver's errors):
# whatever Python raises on a value of the wrong type, shape or size.
VALUE_DAMAGE = (
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)
# Decoding a row: what it decodes to being refused by the model is damage too.
ROW_DAMAGE = (CommitmentsError, *VALUE_DAMAGE)
_BRIEF = 200  # characters of a low-level message quoted in a StoreError

# -- rows -----------------------------------------------------------------------------

_INSERT_COMMITMENT = (
    "INSERT INTO commitments (id, made_on, deadline_earliest, deadline_latest, doc) "
    "VALUES (?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    "INSERT INTO events (seq, id, commitment_id, type, status, on_date, recorded_at, party, "
    "update_id, doc, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SNAPSHOT_COLUMNS = (
    "version", "last_seq", "known_from", "made_on", "deadline_earliest", "deadline_latest",
    "recurring", "amended", "revised", "closed_from", "seen", "settled_from",
    "settled_selects", "settled", "settled_seq", "commitment", "state",
)  # fmt: skip
_UPSERT_SNAPSHOT = (
    f"INSERT INTO snapshots (seq, {', '.join(_SNAPSHOT_COLUMNS)}) VALUES "  # noqa: S608
    f"((SELECT seq FROM commitments WHERE id = ?), {', '.join('?' * len(_SNAPSHOT_COLUMNS))}) "
    "ON CONFLICT (seq) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _SNAPSHOT_COLUMNS)
)
# A snapshot row the transaction read: its seq is known, so it is updated in place.
_UPDATE_SNAPSHOT = (
    "UPDATE snapshots SET "  # noqa: S608
    + ", ".join(f"{c} = ?" for c in _SNAPSHOT_COLUMNS)
    + " WHERE seq = ?"
)
_EVENT_COLUMNS = "seq, id, commitment_id, doc"
# Updates and retractions read from their indexed columns alone; the rest whole.
# Updates with progress are read whole too (listings show progress); they are few.
_THIN_COLUMNS = (
    "seq, id, commitment_id, type, status, on_date, recorded_at, party, update_id, "
    "CASE WHEN type IN ('added', 'amendment') OR doc LIKE '%\"progress\":%' THEN doc END"
)
_NOT_READ = "(not read: answered from the indexed columns)"
_STATUSES = {s.value: s for s in Status}


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def newer_schema(shown: str, version: int, ours: int) -> StoreError:
    """The refusal of a store written by a newer library (schema `version` > `ours`)."""
    return StoreError(
        f"{shown} has store schema version {version}, newer than this library's {ours}; "
        "upgrade commitments to open it"
    )


def brief(exc: BaseException) -> str:
    """A low-level message on one line, cut short (SQLite quotes whole damaged values)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= _BRIEF else f"{text[:_BRIEF]}..."


def commitment_row(c: Commitment) -> tuple[str, str, str | None, str | None, str]:
    d = c.deadline
    return (
        c.id,
        c.made_on.isoformat(),
        None if d is None else _iso(d.earliest),
        None if d is None else _iso(d.latest),
        json.dumps(commitment_document(c), ensure_ascii=False),
    )


def chained(row: tuple[Any, ...], heads: dict[str, str]) -> tuple[Any, ...]:
    """`row` (an `event_row`) with its link, the chain of its commitment moved on."""
    cid, doc = row[1], row[8]
    heads[cid] = link(heads.get(cid, ""), doc)
    return (*row, heads[cid])


def event_row(e: Event) -> tuple[Any, ...]:
    """The events row of `e`, but its link (see `chained`)."""
    recorded = e.recorded_at.astimezone(dt.UTC).isoformat()
    doc = event_text(event_document(e))
    if isinstance(e, StatusUpdate):
        return (e.id, e.commitment_id, "update", e.status.value, e.on.isoformat(), recorded,
                e.party, None, doc)  # fmt: skip
    if isinstance(e, Retraction):
        return (e.id, e.commitment_id, "retraction", None, None, recorded, None, e.update_id,
                doc)  # fmt: skip
    if isinstance(e, Amendment):
        return (e.id, e.commitment_id, "amendment", None, _iso(e.on), recorded, None, None, doc)
    return (e.id, e.commitment_id, "added", None, None, recorded, None, None, doc)


def snapshot_row(
    cid: str, snap: Snapshot, last_seq: int, policy: DeadlinePolicy | None, doc: str | None = None
) -> tuple[Any, ...]:
    """The snapshots row, its settled listing row under `policy` included.

    `doc` is the commitment's JSON when already at hand.
    """
    c = snap.commitment
    d = c.deadline
    seen = 0
    for status in set(snap.timeline.statuses):
        seen |= _BITS[status]
    rest = settled(snap, KEEP_OPEN if policy is None else policy)
    return (
        cid,
        snap.version,
        last_seq,
        snap.known_from.astimezone(dt.UTC).isoformat(),
        c.made_on.isoformat(),
        None if d is None else _iso(d.earliest),
        None if d is None else _iso(d.latest),
        int(c.recurrence is not None),
        int(snap.amended),
        int(not snap.usable),
        snap.closed_from,
        seen,
        None if rest is None else rest.day.isoformat(),
        None if rest is None else rest.selects,
        None if rest is None else rest.row,
        None if rest is None else last_seq,
        json.dumps(commitment_document(c), ensure_ascii=False) if doc is None else doc,
        snap.to_text(),
    )


def _rebuild_snapshots(conn: Connection, shown: str) -> None:
    """Write every commitment's snapshot from its log.

    Inside the caller's transaction; the store's policy is read from its meta rows.
    """
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    policy = settings(meta, shown)[1]
    logs: dict[str, list[Event]] = {}
    last: dict[str, int] = {}
    for seq, _, cid, doc in conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY seq"):  # noqa: S608
        try:
            event = event_from_document(json.loads(doc), f"events row {seq}")
        except ROW_DAMAGE as exc:
            raise StoreError(f"{shown} is corrupted: events row {seq}: {brief(exc)}") from None
        logs.setdefault(cid, []).append(event)
        last[cid] = seq
    rows = []
    for cid, log in logs.items():
        try:
            rows.append(snapshot_row(cid, snapshot(fold(log)), last[cid], policy))
        except ValidationError as exc:
            raise StoreError(f"{shown} is corrupted: the log of {cid!r}: {exc}") from None
    conn.executemany(_UPSERT_SNAPSHOT, rows)
    mark_snapshotted(conn, max(last.values(), default=0))


Settings = tuple[Workflow, DeadlinePolicy | None, int | None]


def settings(meta: Mapping[str, str], shown: str) -> Settings:
    """The workflow, policy and fiscal-year start a store's meta rows hold.

    Or `StoreError` naming `shown`.
    """
    from commitments.catalog import policy_from_document, workflow_from_document  # noqa: PLC0415

    if "workflow" not in meta:
        raise StoreError(f"{shown} is corrupted: its workflow is missing")
    try:
        workflow = workflow_from_document(json.loads(meta["workflow"]))
        policy = policy_from_document(json.loads(meta["policy"])) if "policy" in meta else None
    except ROW_DAMAGE as exc:
        raise StoreError(f"{shown} is corrupted: its settings (meta): {brief(exc)}") from None
    fiscal = meta.get("fiscal_year_start")
    if fiscal is not None and fiscal not in {str(m) for m in range(1, 13)}:
        raise StoreError(f"{shown} is corrupted: its fiscal_year_start {fiscal!r} is no month")
    return workflow, policy, None if fiscal is None else int(fiscal)


def mark_snapshotted(conn: Connection, seq: int) -> None:
    """Record that the snapshots cover every event up to `seq`."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('snapshots', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(seq),),
    )


# -- the recorder ------------------------------------------------------------------------

_R = TypeVar("_R", bound="SQLRecorder")
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _guarded(method: Callable[Concatenate[_R, _P], _T]) -> Callable[Concatenate[_R, _P], _T]:
    """A way into the recorder: on a damaged store, whatever fails raises `StoreError`.

    Every method the tracker calls is one, so nothing a damaged file or row gives (an
    SQLite error, a value of the wrong type, shape or size met while decoding) leaves
    the recorder as anything else. Errors of the library itself (a conflict, a duplicate
    id, a `StoreError` naming the row at fault) pass as raised.
    """

    @functools.wraps(method)
    def guarded(self: _R, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return method(self, *args, **kwargs)
        except CommitmentsError:
            raise
        except self.damage as exc:
            raise self._damaged(exc) from None

    return guarded


class SQLRecorder(Recorder):
    """A tracker's log in an SQL database, with a snapshot per commitment.

    A backend sets `error` (its driver's base exception) and `integrity_error`, and
    says how a write and a consistent read begin (`_begin_write`, `_begin_read`).
    """

    error: type[Exception]
    integrity_error: type[Exception]
    #: What a damaged database or row raises: the driver's errors, then bad values.
    damage: tuple[type[BaseException], ...]

    keeps_snapshots = True

    def __init__(
        self,
        conn: Connection,
        path: str,
        workflow: Workflow,
        policy: DeadlinePolicy | None,
        *,
        read_only: bool = False,
    ) -> None:
        self._conn: Connection | None = conn
        self.path = path
        self.read_only = read_only
        self.workflow = workflow
        self.policy = policy
        self._depth = Nesting()
        self._reads = 0
        self._newest_known: int | None = None
        # Commitment documents read with snapshots in this transaction, reused unchanged.
        self._docs: dict[str, tuple[Commitment, str, int]] = {}
        # Each commitment written in this transaction: the event count it must end with.
        self._counts: dict[str, int] = {}
        # Rows appended but not yet written: written together before any read or commit.
        self._pending_events: list[tuple[Any, ...]] = []
        self._pending_ids: set[str] = set()
        # Each commitment's last link in this transaction (its chain goes on from there).
        self._heads: dict[str, str] = {}
        # Each touched commitment's latest snapshot (with its last event's seq, its
        # document if at hand and its row's seq if read): made into a row when written,
        # so a commitment updated many times in a batch is encoded once.
        self._pending_snapshots: dict[str, tuple[Snapshot, int, str | None, int | None]] = {}
        self._mark: int | None = None
        self._seen = self._newest()
        self._fresh: bool | None = None  # whether snapshots cover every event, per read

    def describe(self) -> str:
        return f"store {self.path!r}"

    def _damaged(self, exc: BaseException, where: str = "") -> StoreError:
        """The one error of a damaged store; `where` names the table or row, when known."""
        if isinstance(exc, self.error) and not where:
            return StoreError(f"cannot read store {self.path!r}: {brief(exc)}")
        at = f"{where}: " if where else ""
        return StoreError(f"store {self.path!r} is corrupted: {at}{brief(exc)}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def _db(self) -> Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path!r} is closed")
        return self._conn

    def _rows(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> list[Any]:
        """The rows of a query, after writing what this transaction holds back."""
        if self._pending_events or self._pending_snapshots:
            self._flush()
        try:
            named = isinstance(params, Mapping)
            return self._db.execute(sql, params if named else tuple(params)).fetchall()
        except self.error as exc:
            raise self._damaged(exc) from None

    @_guarded
    def _newest(self) -> int:
        if self._depth and self._newest_known is not None:
            return self._newest_known  # this transaction's writer is the only one
        return int(self._rows("SELECT coalesce(max(seq), 0) FROM events")[0][0])

    # -- scopes ----------------------------------------------------------------------

    def _begin_write(self) -> None:
        """Begin a write transaction that excludes every other writer, or raise StoreError."""
        raise NotImplementedError

    def _begin_read(self) -> None:
        """Begin a transaction whose reads all see one state of the log."""
        self._rows("BEGIN")

    def _write_error(self, exc: Exception) -> StoreError:
        """The one-line error of a write the database refused."""
        return StoreError(f"cannot write to store {self.path!r}: {brief(exc)}")

    def _is_duplicate_event(self, exc: Exception) -> bool:
        """Whether an integrity error is an event id already taken."""
        return "events.id" in str(exc) or "events_id_key" in str(exc)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._depth or self._reads:
            self._reads += 1
            try:
                yield
            finally:
                self._reads -= 1
            return
        self._begin_read()
        self._reads = 1
        self._fresh = None
        try:
            yield
        finally:
            self._reads = 0
            with contextlib.suppress(self.error):
                self._db.execute("COMMIT")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            with self._depth.inner():
                yield
            return
        db = self._db
        self._begin_write()
        self._depth.depth = 1
        self._fresh = None
        self._docs = {}
        self._newest_known = None
        self._counts = {}
        seen = self._seen
        try:
            yield
            self._check_counts()
            self._flush()
            db.execute("COMMIT")
        except self.error as exc:
            with contextlib.suppress(self.error):
                db.execute("ROLLBACK")
            self._seen = seen
            raise self._write_error(exc) from None
        except BaseException:
            with contextlib.suppress(self.error):
                db.execute("ROLLBACK")
            self._seen = seen
            raise
        finally:
            self._depth.depth = 0
            self._fresh = None
            self._docs = {}
            self._newest_known = None
            self._counts = {}
            self._pending_events = []
            self._pending_ids = set()
            self._pending_snapshots = {}
            self._mark = None
            self._heads = {}

    @_guarded
    def _flush(self) -> None:
        """Write the appended rows held back, in as few statements as possible."""
        events, snapshots = self._pending_events, self._pending_snapshots
        self._pending_events, self._pending_snapshots = [], {}
        self._pending_ids = set()
        db = self._db
        inserted, updated = [], []
        for cid, (snap, last_seq, doc, seq) in snapshots.items():
            row = snapshot_row(cid, snap, last_seq, self.policy, doc)
            # A row read in this transaction is updated in place, by its seq.
            if seq is None:
                inserted.append(row)
            else:
                updated.append((*row[1:], seq))
        try:
            db.executemany(_INSERT_EVENT, events)
            db.executemany(_UPSERT_SNAPSHOT, inserted)
            db.executemany(_UPDATE_SNAPSHOT, updated)
            if self._mark is not None:
                mark_snapshotted(db, self._mark)
                self._mark = None
        except self.integrity_error as exc:
            if self._is_duplicate_event(exc):
                raise DuplicateError(f"an event id of this change is already recorded: {exc}").at(
                    "id"
                ) from None
            raise StoreError(f"store {self.path!r} refused a row: {exc}") from None
        except self.error as exc:
            raise self._write_error(exc) from None

    @_guarded
    def _check_counts(self) -> None:
        """Refuse the transaction if any commitment it wrote to was changed by another.

        Each commitment's event count must be what the tracker read plus what this
        transaction appended (one grouped query for the whole transaction).
        """
        wanted = list(self._counts)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            have = dict(
                self._rows(
                    "SELECT commitment_id, count(*) FROM events "  # noqa: S608
                    f"WHERE commitment_id IN ({','.join('?' * len(chunk))}) "
                    "GROUP BY commitment_id",
                    chunk,
                )
            )
            for cid in chunk:
                if have.get(cid, 0) != self._counts[cid]:
                    raise ConflictError(
                        f"{cid} changed in store {self.path!r} since it was read; try again"
                    )

    @_guarded
    def changed(self) -> set[str] | None:
        newest = self._newest()
        if newest == self._seen:
            return set()
        if newest < self._seen:
            self._seen = newest
            return None  # rolled back under us: forget everything
        rows = self._rows("SELECT DISTINCT commitment_id FROM events WHERE seq > ?", (self._seen,))
        self._seen = newest
        return {row[0] for row in rows}

    @_guarded
    def _snapshots_fresh(self) -> bool:
        if self._fresh is None:
            mark, newest = self._rows(
                "SELECT (SELECT value FROM meta WHERE key = 'snapshots'), "
                "(SELECT coalesce(max(seq), 0) FROM events)"
            )[0]
            try:
                self._fresh = mark is not None and int(mark) == int(newest)
            except VALUE_DAMAGE as exc:
                raise self._damaged(exc, "the meta row 'snapshots'") from None
        return self._fresh

    # -- reading -----------------------------------------------------------------------

    def _ids(self, rows: list[Any]) -> list[str]:
        """The ids in the first column of commitments rows: text, or the table is damaged."""
        ids = [row[0] for row in rows]
        for cid in ids:
            if type(cid) is not str:
                raise StoreError(
                    f"store {self.path!r} is corrupted: the commitments table holds an id "
                    f"{brief(ValueError(repr(cid)))} that is not text"
                )
        return ids

    @_guarded
    def ids(self) -> list[str]:
        return self._ids(self._rows("SELECT id FROM commitments ORDER BY seq"))

    @_guarded
    def count(self) -> int:
        return int(self._rows("SELECT count(*) FROM commitments")[0][0])

    @_guarded
    def has(self, commitment_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM commitments WHERE id = ?", (commitment_id,)))

    def _parse(self, seq: int, eid: str, cid: str, doc: str) -> Event:
        try:
            event = event_from_document(json.loads(doc), f"events row {seq}")
        except ROW_DAMAGE as exc:
            raise self._damaged(exc, f"events row {seq}") from None
        if event.id != eid or event.commitment_id != cid:
            raise StoreError(f"store {self.path!r} is corrupted: events row {seq} is inconsistent")
        return event

    @_guarded
    def logs(self, ids: Sequence[str], *, thin: bool = False) -> dict[str, list[Event]]:
        found: dict[str, list[Event]] = {}
        wanted = list(dict.fromkeys(ids))
        columns = _THIN_COLUMNS if thin else _EVENT_COLUMNS
        parse = self._parse_thin if thin else self._parse
        with paused_gc(bulk=len(wanted) * 10 >= BULK_OBJECTS):
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows = self._rows(
                    f"SELECT {columns} FROM events "  # noqa: S608
                    f"WHERE commitment_id IN ({','.join('?' * len(chunk))}) ORDER BY seq",
                    chunk,
                )
                for row in rows:
                    found.setdefault(row[2], []).append(parse(*row))
        self._check_listed([cid for cid in wanted if cid not in found])
        if self._depth:  # only a write's checks look parties up; reads need no walk
            for log in found.values():
                self._check_parties(log)
        return {cid: found[cid] for cid in wanted if cid in found}

    def _check_parties(self, log: Sequence[Event]) -> None:
        """Refuse an update naming a party its commitment never had (checks assume none).

        Each event decodes on its own, so this is the one fact across a log that a
        damaged row can break and the tracker's checks rely on (a log that does not
        fold is refused by the fold).
        """
        first = log[0]
        if not isinstance(first, Addition):
            return
        parties = set(first.commitment.parties)
        for event in log:
            if isinstance(event, Amendment):
                parties.update(event.changes.get("parties", ()))
        for event in log:
            party = event.party if isinstance(event, StatusUpdate) else None
            if party is not None and party not in parties:
                raise StoreError(
                    f"store {self.path!r} is corrupted: update {event.id!r} names party "
                    f"{brief(ValueError(repr(party)))}, which {event.commitment_id!r} never had"
                )

    def _check_listed(self, missing: Sequence[str]) -> None:
        """Refuse ids without events that the commitments table lists (their rows are lost)."""
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            listed = self._rows(
                f"SELECT id FROM commitments WHERE id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk,
            )
            if listed:
                raise StoreError(
                    f"store {self.path!r} is corrupted: the commitments table lists "
                    f"{listed[0][0]!r}, but the events table holds none of its events"
                )

    def _parse_thin(self, *row: Any) -> Event:  # noqa: ANN401 - one value per column
        """An update or retraction from its indexed columns (`_THIN_COLUMNS`); others whole."""
        seq, eid, cid, kind, status, on, recorded, party, update_id, doc = row
        if doc is not None:
            return self._parse(seq, eid, cid, doc)
        try:
            moment = dt.datetime.fromisoformat(recorded)
            if kind == "update" and status is not None and on is not None:
                return StatusUpdate(
                    eid, cid, _STATUSES[status], dt.date.fromisoformat(on), moment, party
                )
            if kind == "retraction" and update_id is not None:
                return Retraction(eid, cid, update_id, moment, _NOT_READ)
        except ROW_DAMAGE as exc:
            raise self._damaged(exc, f"events row {seq}") from None
        raise StoreError(f"store {self.path!r} is corrupted: events row {seq} is inconsistent")

    @_guarded
    def log(self) -> list[Event]:
        rows = self._rows(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY seq")  # noqa: S608
        with paused_gc(bulk=len(rows) >= BULK_OBJECTS):
            return [self._parse(*row) for row in rows]

    #: The distinct party codes of the snapshots' commitments (dialects write JSON apart).
    parties_sql: str = ""

    @_guarded
    def parties(self) -> set[str] | None:
        if not self.parties_sql or not self._snapshots_fresh():
            return None
        return {str(row[0]) for row in self._rows(self.parties_sql)}

    @_guarded
    def recorded_between(self, start: dt.datetime, end: dt.datetime) -> list[Event]:
        # recorded_at is kept as ISO text in UTC, which sorts as the moments do.
        rows = self._rows(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE recorded_at >= ? AND recorded_at < ? "  # noqa: S608
            "ORDER BY seq",
            (start.astimezone(dt.UTC).isoformat(), end.astimezone(dt.UTC).isoformat()),
        )
        return [self._parse(*row) for row in rows]

    @_guarded
    def event_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM events")[0][0])

    @_guarded
    def event(self, event_id: str) -> Event | None:
        rows = self._rows(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,))  # noqa: S608
        return self._parse(*rows[0]) if rows else None

    @_guarded
    def _last_link(self, cid: str) -> str:
        """The link of the commitment's newest written event."""
        try:
            row = self._db.execute(
                "SELECT chain FROM events WHERE commitment_id = ? ORDER BY seq DESC LIMIT 1",
                (cid,),
            ).fetchone()
        except self.error as exc:
            raise self._damaged(exc) from None
        return "" if row is None else str(row[0])

    @_guarded
    def taken(self, event_id: str) -> bool:
        # Rows held back for the commit count too; asked without writing them first.
        if event_id in self._pending_ids:
            return True
        try:
            found = self._db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
        except self.error as exc:
            raise self._damaged(exc) from None
        return found is not None

    @_guarded
    def snapshots(self, ids: Sequence[str], *, usable_only: bool = True) -> dict[str, Snapshot]:
        fresh = self._snapshots_fresh()
        found: dict[str, Snapshot] = {}
        wanted = list(dict.fromkeys(ids))
        stale = (
            "0"
            if fresh
            else "s.last_seq < (SELECT max(e.seq) FROM events AS e WHERE e.commitment_id = c.id)"
        )
        usable = "AND s.revised = 0" if usable_only else ""
        # Writing: read each chain's last link with it, for the appends to follow, and its
        # event count, which the snapshot's version must be (the appends are checked by it).
        head = (
            "(SELECT e.chain FROM events AS e WHERE e.commitment_id = c.id "
            "ORDER BY e.seq DESC LIMIT 1)"
            if self._depth
            else "NULL"
        )
        count = (
            "(SELECT count(*) FROM events AS e WHERE e.commitment_id = c.id)"
            if self._depth
            else "NULL"
        )
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self._rows(
                f"SELECT c.id, s.commitment, s.state, {stale}, c.seq, {head}, {count} "  # noqa: S608
                "FROM commitments AS c JOIN snapshots AS s ON s.seq = c.seq "
                f"WHERE c.id IN ({','.join('?' * len(chunk))}) {usable}",
                chunk,
            )
            for cid, doc, text, is_stale, seq, last_link, events in rows:
                if not is_stale:
                    snap = found[cid] = self._snapshot(cid, doc, text)
                    if self._depth:
                        if snap.version != events:
                            raise StoreError(
                                f"store {self.path!r} is corrupted: the snapshot of {cid!r} "
                                f"counts {snap.version} events, its log {events}"
                            )
                        self._docs[cid] = (snap.commitment, doc, seq)
                        if last_link is not None:
                            self._heads.setdefault(cid, last_link)
        return found

    @_guarded
    def standing(self, ids: Sequence[str]) -> dict[str, Commitment]:
        found: dict[str, Commitment] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self._rows(
                "SELECT c.id, s.commitment FROM commitments AS c "  # noqa: S608
                "JOIN snapshots AS s ON s.seq = c.seq "
                f"WHERE c.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for cid, doc in rows:
                found[cid] = self._commitment(cid, doc)
        return found

    def _commitment(self, cid: str, doc: str) -> Commitment:
        """The commitment document saved with `cid`'s snapshot, read and checked."""
        where = f"the snapshot of {cid!r}"
        try:
            commitment = commitment_from_document(json.loads(doc), where)
        except ROW_DAMAGE as exc:
            raise self._damaged(exc, where) from None
        if commitment.id != cid:
            raise StoreError(
                f"store {self.path!r} is corrupted: {where}: it names {commitment.id!r}"
            )
        return commitment

    def _snapshot(self, cid: str, doc: str, text: str) -> Snapshot:
        commitment = self._commitment(cid, doc)
        try:
            # Its update references are read when first needed: a damaged one names the store.
            return Snapshot.from_text(
                commitment, text, damaged=lambda problem: self._damaged(ValueError(problem))
            )
        except StoreError:
            raise
        except ROW_DAMAGE as exc:
            raise self._damaged(exc, f"the snapshot of {cid!r}") from None

    @_guarded
    def candidates(self, selection: Selection) -> list[str] | None:
        if selection.kind == "all" or not self._snapshots_fresh():
            return None
        where, params = self._candidate_filter(selection)
        rows = self._rows(
            "SELECT c.id FROM commitments AS c LEFT JOIN snapshots AS s ON s.seq = c.seq "  # noqa: S608
            f"WHERE {where} ORDER BY c.seq",
            params,
        )
        return self._ids(rows)

    @staticmethod
    def _candidate_filter(selection: Selection) -> tuple[str, dict[str, object]]:
        """The WHERE clause (over `c` and its snapshot `s`) of `selection`'s candidates."""
        day = selection.day.isoformat()
        ordinal = selection.day.toordinal()
        if selection.kind == "all":
            return "1 = 1", {}
        # Known on a past moment, what was closed later may have been open then, and an
        # amended commitment may have read otherwise: only unamended dates filter.
        known = selection.cutoff is not None
        open_then = "1 = 1" if known else "(s.closed_from IS NULL OR s.closed_from > :ord)"
        changed = "s.amended <> 0" if known else "s.revised <> 0"
        since = "AND s.known_from < :cutoff" if known else ""
        if selection.kind == "overdue":
            test = f"s.deadline_latest < :day AND {open_then}"
        elif selection.kind == "due":
            test = (
                "s.deadline_latest >= :day AND (s.deadline_earliest IS NULL OR "
                f"s.deadline_earliest <= :day) AND {open_then}"
            )
        elif selection.kind == "due_within":
            test = f"s.deadline_latest >= :day AND s.deadline_latest <= :end AND {open_then}"
        elif known:  # a retraction recorded later may have withdrawn the fulfilment
            test = "s.recurring = 0"
        else:  # fulfilled: a status its timeline reaches
            test = f"(s.seen & {_BITS[Status.FULFILLED]}) <> 0 AND s.recurring = 0"
        cutoff = None if selection.cutoff is None else selection.cutoff.astimezone(dt.UTC)
        where = (
            f"(s.seq IS NULL OR (({changed} OR (s.made_on <= :day AND "
            f"(s.recurring <> 0 OR ({test})))) {since}))"
        )
        return where, {
            "day": day,
            "ord": ordinal,
            "end": _iso(selection.end),
            "cutoff": None if cutoff is None else cutoff.isoformat(),
        }

    @_guarded
    def settled_rows(self, selection: Selection) -> list[tuple[str, str | None]] | None:
        if selection.cutoff is not None or not self._snapshots_fresh():
            return None
        where, params = self._candidate_filter(selection)
        # A saved row serves from its day, if written with the snapshot's last event (a
        # writer of an older schema moves `last_seq` on and leaves the row behind); a
        # commitment it serves for is kept only if the selection picks it.
        serves = "(s.settled_from <= :day AND s.settled_seq = s.last_seq)"
        params = {**params, "day": selection.day.isoformat(), "bit": SELECTED_BY[selection.kind]}
        rows = self._rows(
            f"SELECT c.id, CASE WHEN {serves} THEN s.settled END "  # noqa: S608
            "FROM commitments AS c LEFT JOIN snapshots AS s ON s.seq = c.seq "
            f"WHERE {where} AND (NOT coalesce({serves}, false) OR "
            "(s.settled_selects & :bit) <> 0) ORDER BY c.seq",
            params,
        )
        if any(type(cid) is not str or (row is not None and type(row) is not str)
               for cid, row in rows):  # fmt: skip
            raise self._damaged(ValueError("a commitment id or settled row that is not text"))
        return rows

    # -- writing -----------------------------------------------------------------------

    @_guarded
    def append(
        self,
        events: Sequence[Event],
        expected: Mapping[str, int],
        snapshots: Mapping[str, Snapshot],
    ) -> None:
        with self.transaction():
            db = self._db
            counts = self._counts
            for cid, version in expected.items():
                if counts.setdefault(cid, version) != version:
                    raise ConflictError(
                        f"{cid}: the tracker read {version} events, this transaction has "
                        f"{counts[cid]}; try again"
                    )
            for event in events:
                counts[event.commitment_id] = counts.get(event.commitment_id, 0) + 1
            fresh = self._snapshots_fresh()
            base = self._newest()
            additions = [e.commitment for e in events if isinstance(e, Addition)]
            if additions:
                # The ids' table is written at once: its unique id refuses a second add.
                self._flush()
                try:
                    db.executemany(_INSERT_COMMITMENT, [commitment_row(c) for c in additions])
                except self.integrity_error as exc:
                    raise DuplicateError(
                        f"a commitment of this change is already stored: {exc}"
                    ) from None
                except self.error as exc:
                    raise StoreError(f"cannot write to store {self.path!r}: {exc}") from None
            # Each commitment's chain moves on from its last link (empty for a new one).
            heads = self._heads
            for cid, version in expected.items():
                if cid not in heads:
                    heads[cid] = "" if version == 0 else self._last_link(cid)
            # Held back and written together: a batch of updates costs a few statements.
            # Numbered here, not by the database: a sequence would leave gaps after a
            # rollback, and a snapshot's `last_seq` must name its event's row.
            self._pending_events.extend(
                (base + i + 1, *chained(event_row(e), heads)) for i, e in enumerate(events)
            )
            self._pending_ids.update(e.id for e in events)
            last = {e.commitment_id: base + i + 1 for i, e in enumerate(events)}
            for cid, snap in snapshots.items():
                read = self._docs.get(cid)
                doc = read[1] if read is not None and read[0] is snap.commitment else None
                seq = None if read is None else read[2]
                self._pending_snapshots[cid] = (snap, last[cid], doc, seq)
            newest = base + len(events)
            if fresh and snapshots.keys() >= last.keys():
                self._mark = newest
            self._fresh = fresh and snapshots.keys() >= last.keys()
            if self._seen == base:
                self._seen = newest
            self._newest_known = newest

    def adopt(self, events: Sequence[Event]) -> None:
        """Append a whole log checked elsewhere (a new store made from a tracker)."""
        logs: dict[str, list[Event]] = {}
        for event in events:
            logs.setdefault(event.commitment_id, []).append(event)
        snaps = {cid: snapshot(fold(log)) for cid, log in logs.items()}
        self.append(events, {}, snaps)
        self._flush()

    @_guarded
    def verify(self) -> str:
        """Check the whole store; return its digest, or raise `StoreError` at the first fault.

        Each event's document must read back, its indexed columns must be those its
        document gives, and its link must follow its commitment's chain; the commitments
        table must list the additions; every snapshot must equal the fold of its log.
        """
        shown = f"store {self.path!r} fails verification"
        heads: dict[str, str] = {}
        logs: dict[str, list[Event]] = {}
        last: dict[str, int] = {}
        with self.reading():
            rows = self._rows(
                "SELECT seq, id, commitment_id, type, status, on_date, recorded_at, party, "
                "update_id, doc, chain FROM events ORDER BY seq"
            )
            for seq, *columns in rows:
                where = f"events row {seq} ({columns[0]!r})"
                try:
                    event = event_from_document(json.loads(columns[8]), f"events row {seq}")
                    expected = event_row(event)
                except ROW_DAMAGE as exc:
                    raise StoreError(
                        f"{shown}: {where}: its document is damaged: {brief(exc)}"
                    ) from None
                if tuple(columns[:9]) != expected:
                    raise StoreError(f"{shown}: {where}: its columns differ from its document")
                cid = event.commitment_id
                if columns[9] != link(heads.get(cid, ""), columns[8]):
                    raise StoreError(
                        f"{shown}: {where}: its link breaks {cid}'s chain (this event, or one "
                        "before it, was changed, removed or moved)"
                    )
                heads[cid] = columns[9]
                logs.setdefault(cid, []).append(event)
                last[cid] = seq
            listed = [row[0] for row in self._rows("SELECT id FROM commitments ORDER BY seq")]
            if listed != list(logs):
                raise StoreError(f"{shown}: the commitments table does not list the additions")
            self._verify_snapshots(logs, last, shown)
        return digest(heads.items())

    def _verify_snapshots(
        self, logs: dict[str, list[Event]], last: dict[str, int], shown: str
    ) -> None:
        stored = {
            row[0]: tuple(row[1:])
            for row in self._rows(
                "SELECT c.id, "  # noqa: S608
                + ", ".join(f"s.{c}" for c in _SNAPSHOT_COLUMNS)
                + " FROM commitments AS c LEFT JOIN snapshots AS s ON s.seq = c.seq"
            )
        }
        for cid, log in logs.items():
            try:
                expected = snapshot_row(cid, snapshot(fold(log)), last[cid], self.policy)[1:]
            except ValidationError as exc:
                raise StoreError(f"{shown}: the log of {cid!r} does not fold: {exc}") from None
            if stored.get(cid) != expected:
                raise StoreError(
                    f"{shown}: the snapshot of {cid!r} differs from its log (rebuild it with "
                    "`recorder.rebuild_snapshots()` once the log checks out)"
                )

    @_guarded
    def rebuild_snapshots(self) -> None:
        """Rewrite every snapshot from the log (after rows were written by other tools)."""
        with self.transaction():
            _rebuild_snapshots(self._db, f"store {self.path!r}")
            self._fresh = None
