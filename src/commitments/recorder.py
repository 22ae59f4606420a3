"""The recorder port: where a tracker's event log lives, behind a small interface.

A `Tracker` composes one recorder. The recorder appends events (refusing a batch whose
commitments changed since the tracker read them), reads commitments' logs back, and
may keep snapshots and answer prefilters from indexed data; every rule stays in the
tracker and the projection. `MemoryRecorder` is the default; the SQLite store is
another (`commitments.store`), and a new backend is one more subclass.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

import attrs

from commitments.commitment import Commitment
from commitments.events import Addition, Event
from commitments.exceptions import ConflictError
from commitments.policy import DeadlinePolicy
from commitments.snapshot import Snapshot
from commitments.workflow import Workflow


@attrs.frozen
class Selection:
    """What a collection-wide question asks, for a recorder's prefilter.

    `kind` is "overdue", "due", "due_within", "fulfilled" or "all"; `day` the as-of date;
    `end` the last day of a `due_within` span; `cutoff` the known-on bound (None: now).
    """

    kind: str
    day: dt.date
    cutoff: dt.datetime | None = None
    end: dt.date | None = None


class Nesting:
    """How many scopes are open inside one transaction (0: no transaction); truthy if any."""

    __slots__ = ("depth",)

    def __init__(self) -> None:
        self.depth = 0

    def __bool__(self) -> bool:
        return self.depth > 0

    @contextlib.contextmanager
    def inner(self) -> Iterator[None]:
        """A scope inside the open transaction: it joins it."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


#: The settings a recorder carries for its tracker (a view carries its inner recorder's).
SETTINGS = ("workflow", "policy", "recorded_by", "fiscal_year_start")


class Recorder(abc.ABC):
    """Storage of one tracker's log. Subclass it for a new backend.

    Reads and writes happen inside `reading()` and `transaction()`; a recorder that is
    shared with other processes makes them consistent views and atomic writes.
    """

    workflow: Workflow
    policy: DeadlinePolicy | None
    #: Whether `append` keeps the snapshots it is given (the tracker computes them only then).
    keeps_snapshots: bool = False
    #: Who records an event that names nobody (a server store: the database role).
    recorded_by: str | None = None
    #: The month (1-12) fiscal years start in, for reading fiscal-year deadlines; None: unset.
    fiscal_year_start: int | None = None

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Scope of an atomic write: all appended, or nothing if it raises. Nests."""

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """Scope of several reads that must see one state of the log."""
        return contextlib.nullcontext()

    @abc.abstractmethod
    def ids(self) -> list[str]:
        """Every commitment id, in the order they were added."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many commitments are recorded."""

    @abc.abstractmethod
    def has(self, commitment_id: str) -> bool:
        """Whether a commitment with that id is recorded."""

    @abc.abstractmethod
    def logs(self, ids: Sequence[str], *, thin: bool = False) -> dict[str, list[Event]]:
        """The logs of those of `ids` that are recorded, each in recording order.

        With `thin`, updates and retractions may come without notes, sources, reasons
        and progress (what statuses need), if that reads faster.
        """

    @abc.abstractmethod
    def log(self) -> list[Event]:
        """Every event, in recording order."""

    @abc.abstractmethod
    def event(self, event_id: str) -> Event | None:
        """The event with that id, or None."""

    def event_count(self) -> int:
        """How many events are recorded."""
        return len(self.log())

    def taken(self, event_id: str) -> bool:
        """Whether an event with that id is recorded."""
        return self.event(event_id) is not None

    @abc.abstractmethod
    def append(
        self,
        events: Sequence[Event],
        expected: Mapping[str, int],
        snapshots: Mapping[str, Snapshot],
    ) -> None:
        """Append `events` in order, inside a transaction.

        `expected[cid]` is how many events the tracker read for each commitment they
        touch (0 for one they add); raise `ConflictError` when any differs, appending
        nothing. `snapshots` are the touched commitments' states afterwards, for a
        recorder that keeps them.
        """

    def changed(self) -> set[str] | None:
        """Ids of commitments others changed since the last call; None: forget everything."""
        return set()

    def snapshots(
        self,
        ids: Sequence[str],  # noqa: ARG002
        *,
        usable_only: bool = True,  # noqa: ARG002
    ) -> dict[str, Snapshot]:
        """Current snapshots of those of `ids` the recorder keeps (`usable` ones only)."""
        return {}

    def candidates(self, selection: Selection) -> list[str] | None:  # noqa: ARG002
        """A superset of the ids `selection` can select, in the order added; None: all."""
        return None

    def settled_rows(self, selection: Selection) -> list[tuple[str, str | None]] | None:  # noqa: ARG002
        """The candidates of `selection` (known now), each with its saved settled row.

        In the order added: (id, the JSON listing row of `commitments.settled`) for a
        commitment settled by the selection's day, which the selection picks; (id, None)
        for a candidate to assess. None: nothing saved (assess the candidates).
        """
        return None

    def standing(self, ids: Sequence[str]) -> dict[str, Commitment]:  # noqa: ARG002
        """Those of `ids` it keeps snapshots of, as they stand (for settled commitments).

        A recorder answering `settled_rows` answers this cheaply; one missing here is
        assessed from its log instead.
        """
        return {}

    def parties(self) -> set[str] | None:
        """Every party code of the commitments as they stand; None: ask the commitments.

        A recorder answers only where it can cheaply (an indexed store).
        """
        return None

    def recorded_between(
        self,
        start: dt.datetime,  # noqa: ARG002
        end: dt.datetime,  # noqa: ARG002
    ) -> list[Event] | None:
        """The events recorded in [start, end), in recording order; None: filter `log()`."""
        return None

    def close(self) -> None:  # noqa: B027 - most recorders hold nothing to close
        """Release what the recorder holds (a file, a connection)."""

    def describe(self) -> str:
        """A short name for `repr` and messages."""
        return type(self).__name__


class MemoryRecorder(Recorder):
    """The log in memory: the default recorder of `Tracker()`."""

    def __init__(
        self,
        workflow: Workflow,
        policy: DeadlinePolicy | None = None,
        fiscal_year_start: int | None = None,
    ) -> None:
        self.workflow = workflow
        self.policy = policy
        self.fiscal_year_start = fiscal_year_start
        self._log: list[Event] = []
        self._logs: dict[str, list[Event]] = {}
        self._by_id: dict[str, Event] = {}
        self._depth = Nesting()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            with self._depth.inner():
                yield
            return
        mark = len(self._log)
        self._depth.depth = 1
        try:
            yield
        except BaseException:
            self._undo(mark)
            raise
        finally:
            self._depth.depth = 0

    def _undo(self, mark: int) -> None:
        for event in reversed(self._log[mark:]):
            del self._by_id[event.id]
            if isinstance(event, Addition):
                del self._logs[event.commitment_id]
            else:
                self._logs[event.commitment_id].pop()
        del self._log[mark:]

    def ids(self) -> list[str]:
        return list(self._logs)

    def count(self) -> int:
        return len(self._logs)

    def has(self, commitment_id: str) -> bool:
        return commitment_id in self._logs

    def logs(self, ids: Sequence[str], *, thin: bool = False) -> dict[str, list[Event]]:  # noqa: ARG002
        return {cid: list(self._logs[cid]) for cid in ids if cid in self._logs}

    def log(self) -> list[Event]:
        return list(self._log)

    def event_count(self) -> int:
        return len(self._log)

    def event(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def append(
        self,
        events: Sequence[Event],
        expected: Mapping[str, int],
        snapshots: Mapping[str, Snapshot],  # noqa: ARG002 - states live in the tracker
    ) -> None:
        for cid, version in expected.items():
            if len(self._logs.get(cid, ())) != version:
                raise ConflictError(f"{cid} changed since it was read; try again")
        with self.transaction():
            for event in events:
                self._log.append(event)
                self._by_id[event.id] = event
                if isinstance(event, Addition):
                    self._logs[event.commitment_id] = [event]
                else:
                    self._logs[event.commitment_id].append(event)
