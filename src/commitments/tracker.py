"""The tracker: commitments and their append-only, validated event log.

Every accepted change is an appended event (a commitment added or amended, a status
update, a retraction); a refused one raises and leaves the tracker exactly as it was.
The log lives in a recorder (`commitments.recorder`: in memory by default, or a store);
the tracker folds each commitment's log into its state (`commitments.projection`) and
answers every question from that one fold: the commitment as it stood and its status
on any date, as known on any moment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

from commitments._dates import query_day, query_known_on
from commitments.assessment import (
    Assessment,
    assess_timeline,
    check_made,
    deadline_flags,
    due_by,
    policy_status,
    recurring_flags,
)
from commitments.commitment import Commitment, party_code
from commitments.compliance import ComplianceReport, Scoring, score_assessments
from commitments.deadline import Deadline
from commitments.deadline_parser import check_fiscal_year_start
from commitments.events import (
    Addition,
    Amendment,
    Event,
    Progress,
    Retraction,
    StatusUpdate,
    check_event_id,
)
from commitments.exceptions import (
    CommitmentsError,
    DuplicateError,
    MissingExtraError,
    NotYetKnownError,
    StoreError,
    UnknownCommitmentError,
    UnknownEventError,
    UpdateError,
    ValidationError,
)
from commitments.history import (
    Timeline,
    first_violation,
    knowledge_cutoff,
    occurrences,
)
from commitments.policy import KEEP_OPEN, DeadlinePolicy, KeepOpen
from commitments.projection import (
    State,
    check_amendment,
    check_amendment_fields,
    check_retraction,
    check_retraction_fields,
    check_update,
    check_update_fields,
    fold,
    log_problem,
    raise_problem,
    start,
)
from commitments.recorder import MemoryRecorder, Nesting, Recorder, Selection
from commitments.records import (
    COLUMNS,
    LISTING_COLUMNS,
    PARTY_COLUMNS,
    listing_row,
    listing_row_problem,
    record_of,
)
from commitments.recurrence import Occurrence, Recurrence
from commitments.snapshot import Snapshot, saying, snapshot
from commitments.source import Source
from commitments.status import Status
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

if TYPE_CHECKING:
    from commitments.changes import Change
    from commitments.series import StatusCounts

_CHUNK = 1000  # commitments a collection-wide question reads at a time
_T = TypeVar("_T")

DUE_DAYS = 90
"""The horizon of "due" in the command line and the reports: deadlines ending within this
many days of the as-of date (a "by 2030" pledge is not due in 2025)."""

Clock = Callable[[], dt.datetime]
KnownOn = dt.date | dt.datetime | None
View = State | Snapshot


class Unchanged(enum.Enum):
    """The default of `Tracker.amend`'s fields: leave this field as it is."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _source_list(sources: Source | str | Iterable[Source | str]) -> tuple[Source | str, ...]:
    # A lone URL or Source is one source, not an iterable of characters or fields.
    if isinstance(sources, (str, Source)):
        return (sources,)
    return tuple(sources)


def _sources(
    source: Source | str | None, sources: Source | str | Iterable[Source | str] = ()
) -> tuple[Source, ...]:
    return tuple(
        Source.coerce(s)
        for s in (*((source,) if source is not None else ()), *_source_list(sources))
    )


def _progress(value: object) -> Progress:
    if (
        isinstance(value, tuple)
        and len(value) in {2, 3}
        and all(isinstance(v, (int, float)) for v in value[:2])
    ):
        return Progress(*value)
    raise ValidationError(
        f"progress must be a Progress or a (done, total) tuple such as (15, 52), got {value!r}"
    )


def utc_now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


RECORDED_AT_SKEW = dt.timedelta(minutes=5)
"""How far past the tracker's clock a `recorded_at` may lie: clocks of the machines
that write to one store disagree by seconds or minutes, never by years."""


class Tracker:
    """Commitments and their event logs; validates every change against its workflow.

    `policy` (default `KeepOpen`) decides what a passed deadline means; every question
    (`status`, `assess`, `overdue`, `due`, `fulfilled`) applies it, and it never records
    anything. `recorder` is where the log lives (default: in memory); a recorder brings
    its own workflow and policy (see `commitments.open_store`).
    """

    __slots__ = (
        "_clock",
        "_depth",
        "_recorder",
        "_snaps",
        "_states",
        "_touched",
        "policy",
        "workflow",
    )

    def __init__(
        self,
        workflow: Workflow | None = None,
        *,
        policy: DeadlinePolicy | None = None,
        clock: Clock = utc_now,
        recorder: Recorder | None = None,
        fiscal_year_start: int | None = None,
    ) -> None:
        if workflow is not None and not isinstance(workflow, Workflow):
            raise ValidationError(
                f"workflow must be a Workflow such as Workflow.default(), "
                f"not {type(workflow).__name__}"
            )
        if policy is not None and not isinstance(policy, DeadlinePolicy):
            raise ValidationError(
                f"policy must be a DeadlinePolicy such as KeepOpen() or BreakAfter(days=100), "
                f"not {type(policy).__name__}"
            )
        fiscal = check_fiscal_year_start(fiscal_year_start)
        if recorder is None:
            recorder = MemoryRecorder(
                workflow if workflow is not None else DEFAULT_WORKFLOW, policy, fiscal
            )
        elif (
            (workflow is not None and workflow != recorder.workflow)
            or (policy is not None and policy != recorder.policy)
            or (fiscal is not None and fiscal != recorder.fiscal_year_start)
        ):
            raise ValidationError(
                f"{recorder.describe()} has its own workflow, policy and fiscal-year start; give "
                "none of them, or the same"
            )
        self._recorder = recorder
        self.workflow: Workflow = recorder.workflow
        self.policy: DeadlinePolicy = KEEP_OPEN if recorder.policy is None else recorder.policy
        self._clock = clock
        # Folded states: every commitment for a memory recorder, else those in use.
        self._states: dict[str, State] = {}
        self._depth = Nesting()
        self._touched: set[str] = set()
        # Snapshots read or written by this write transaction (a store's quick path).
        self._snaps: dict[str, Snapshot] = {}

    @property
    def recorder(self) -> Recorder:
        """Where the log lives."""
        return self._recorder

    @property
    def fiscal_year_start(self) -> int | None:
        """The month (1-12) this tracker's fiscal years start in; None: not set."""
        return self._recorder.fiscal_year_start

    def deadline(
        self, text: str, made_on: dt.date | None = None, *, fiscal_year_start: int | None = None
    ) -> Deadline:
        """`Deadline.parse` with this tracker's fiscal-year start ("FY2024-25" reads).

        A `fiscal_year_start` given here reads this one text with another start.
        """
        start = self.fiscal_year_start if fiscal_year_start is None else fiscal_year_start
        return Deadline.parse(text, made_on, fiscal_year_start=start)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the recorder (a store's file); in memory, nothing to do."""
        self._recorder.close()

    # -- reading states --------------------------------------------------------------

    def _sync(self) -> None:
        """Forget states that other writers changed since this tracker last looked."""
        changed = self._recorder.changed()
        if changed is None:
            self._states.clear()
        else:
            for cid in changed:
                self._states.pop(cid, None)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        with self._recorder.reading():
            self._sync()
            yield

    def _unknown(self, cid: str) -> CommitmentsError:
        """The error for an id the recorder cannot read back.

        Unknown, or a damaged store whose list of ids names it all the same.
        """
        ids = self._recorder.ids()
        if cid in ids:
            return StoreError(
                f"{self._recorder.describe()} is corrupted: it lists {cid!r} but cannot read "
                "it back"
            )
        return UnknownCommitmentError(cid, ids)

    def _fold(self, cid: str, events: Sequence[Event]) -> State:
        try:
            return fold(events)
        except ValidationError as exc:
            raise StoreError(
                f"{self._recorder.describe()}: the log of {cid!r} is damaged: {exc}"
            ) from None

    def _state(self, commitment_id: str) -> State:
        """The folded state of one commitment; `UnknownCommitmentError` if there is none."""
        if not isinstance(commitment_id, str):
            raise ValidationError(f"a commitment id is a string, not {commitment_id!r}")
        state = self._states.get(commitment_id)
        if state is None:
            logs = self._recorder.logs([commitment_id])
            if commitment_id not in logs:
                raise self._unknown(commitment_id)
            state = self._fold(commitment_id, logs[commitment_id])
            self._states[commitment_id] = state
        return state

    def _views(self, ids: Sequence[str], cutoff: dt.datetime | None) -> Iterator[View]:
        """Each commitment of `ids` as a state, or a snapshot where one answers.

        Read a chunk at a time and not kept, so a question over a large store holds
        little at once; selections need statuses, not notes, so logs come thin.
        """
        states = self._states
        for start_at in range(0, len(ids), _CHUNK):
            chunk = ids[start_at : start_at + _CHUNK]
            missing = [cid for cid in chunk if cid not in states]
            snaps = self._recorder.snapshots(missing) if missing else {}
            if cutoff is not None:
                # Everything in it recorded before the cutoff: it answers as known then.
                snaps = {cid: snap for cid, snap in snaps.items() if snap.newest < cutoff}
            unread = [cid for cid in missing if cid not in snaps]
            logs = self._recorder.logs(unread, thin=True) if unread else {}
            for cid in chunk:
                view = states.get(cid) or snaps.get(cid)
                if view is None and cid in logs:
                    view = self._fold(cid, logs[cid])
                if view is None:  # listed, yet neither snapshot nor log reads back
                    raise self._unknown(cid)
                yield view

    # -- the collection -----------------------------------------------------------

    def __getitem__(self, commitment_id: str) -> Commitment:
        """The commitment as it stands, every recorded amendment applied."""
        with self._reading():
            return self._state(commitment_id).current

    def __contains__(self, commitment_id: object) -> bool:
        if not isinstance(commitment_id, str):
            return False
        with self._reading():
            return commitment_id in self._states or self._recorder.has(commitment_id)

    def __len__(self) -> int:
        with self._reading():
            return self._recorder.count()

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self.commitments)

    def _repr_html_(self) -> str:
        """A notebook's view: the first commitments, assessed today, as a table."""
        from commitments._notebook import tracker_html  # noqa: PLC0415 - only notebooks

        return tracker_html(self)

    def __repr__(self) -> str:
        where = "" if isinstance(self._recorder, MemoryRecorder) else self._recorder.describe()
        with self._reading():
            return (
                f"<Tracker {self._recorder.count()} commitments, "
                f"{self._recorder.event_count()} events, workflow {self.workflow.name!r}"
                f"{', ' + where if where else ''}>"
            )

    def where(
        self,
        *,
        party: str | Iterable[str] | None = None,
        area: str | Iterable[str] | None = None,
        occasion: str | Iterable[str] | None = None,
        text: str | Iterable[str] | None = None,
    ) -> Tracker:
        """A read-only view of the commitments that match, with the whole query API.

        `party` and `area` match one of a commitment's (case-insensitively); `occasion`
        and `text` (title and description) match case-insensitive substrings. Several
        values of one filter mean any of them; several filters must all match. The
        commitment as it stands is matched, and the view follows later changes.
        """
        from commitments.views import Filter, ViewRecorder  # noqa: PLC0415 - only views

        where = Filter.of(party=party, area=area, occasion=occasion, text=text)
        if not where:
            raise ValidationError("where() needs a filter: party, area, occasion or text")
        return Tracker(recorder=ViewRecorder(self, where), clock=self._clock)

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        """Every commitment as it stands, in the order they were added."""
        with self._reading():
            ids = self._recorder.ids()
            missing = [cid for cid in ids if cid not in self._states]
            snaps = self._recorder.snapshots(missing, usable_only=False) if missing else {}
            unread = [cid for cid in missing if cid not in snaps]
            current = {view.commitment_id: view.commitment for view in snaps.values()}
            for view in self._views(unread, None):
                current[view.commitment_id] = view.current  # type: ignore[union-attr]
            return tuple(
                self._states[cid].current if cid in self._states else current[cid] for cid in ids
            )

    def events(
        self, commitment_id: str | None = None, *, known_on: KnownOn | str = None
    ) -> tuple[Event, ...]:
        """Every recorded event (additions, amendments, updates, retractions), recording order.

        With `known_on`, only those recorded by then.
        """
        known_on = query_known_on(known_on)
        cutoff = knowledge_cutoff(known_on)
        with self._reading():
            if commitment_id is None:
                found: Sequence[Event] = self._recorder.log()
            else:
                found = self._state(commitment_id).log
        if cutoff is None:
            return tuple(found)
        return tuple(e for e in found if e.recorded_at < cutoff)

    def changes(
        self,
        since: dt.date | str,
        until: dt.date | str | None = None,
        *,
        as_of: dt.date | str | None = None,
    ) -> list[Change]:
        """What changed: the events recorded from `since` to `until`, with their statuses.

        `since` and `until` are UTC days, both inclusive (`until` defaults to today). Each
        change gives the status on `as_of` (default: `until`) it moved from and to; see
        `commitments.changes`.
        """
        from commitments.changes import changes_of, window  # noqa: PLC0415 - only here

        first = query_day(since, "since")
        last = self._today() if until is None else query_day(until, "until")
        start, end = window(first, last)
        day = last if as_of is None else query_day(as_of)
        with self._reading():
            found = self._recorder.recorded_between(start, end)
            if found is None:
                found = [e for e in self._recorder.log() if start <= e.recorded_at < end]
            return changes_of(self, found, day)

    def event(self, event_id: str) -> Event:
        """The event with that id."""
        with self._reading():
            found = self._recorder.event(event_id) if isinstance(event_id, str) else None
        if found is None:
            raise UnknownEventError(event_id)
        return found

    def commitment(
        self,
        commitment_id: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
    ) -> Commitment:
        """The commitment as it stood on `as_of`, as known on `known_on`.

        Without `as_of`: with every revision. Raises `NotYetKnownError` when it was first
        recorded after `known_on`.
        """
        known_on = query_known_on(known_on)
        as_of = None if as_of is None else query_day(as_of)
        cutoff = knowledge_cutoff(known_on)
        with self._reading():
            state = self._state(commitment_id)
        self._check_known(state, cutoff, known_on)
        versions = state.versions_known(cutoff)
        return versions.current if as_of is None else versions.at(as_of)

    def known_from(self, commitment_id: str) -> dt.datetime:
        """When the commitment was first recorded: its addition or an earlier back-filled event."""
        with self._reading():
            return self._state(commitment_id).known_from

    # -- changes ------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group several changes: all are recorded, or none if any raises."""
        return self._writing()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        if self._depth:
            with self._depth.inner():
                yield
            return
        self._touched = set()
        try:
            with self._recorder.transaction():
                self._depth.depth = 1
                self._sync()
                yield
        except BaseException:
            # The recorder rolled back: throw away what this tracker folded meanwhile.
            for cid in self._touched:
                self._states.pop(cid, None)
            raise
        finally:
            self._depth.depth = 0
            self._touched = set()
            self._snaps = {}

    def _who(self, recorded_by: str | None) -> str | None:
        """Who records an event: as given, else the recorder's default (a server's role)."""
        return self._recorder.recorded_by if recorded_by is None else recorded_by

    def _check_not_future(self, events: Sequence[Event]) -> None:
        """Refuse an event recorded later than now (up to `RECORDED_AT_SKEW`).

        It would count at once, as known on any later day, and block what follows until
        that moment: a typed 2205 for 2025.
        """
        now = self._clock()
        for index, event in enumerate(events):
            # A difference, not `now + skew`: that overflows for a clock in 9999.
            if event.recorded_at - now > RECORDED_AT_SKEW:
                exc = UpdateError(
                    f"{event.id}: recorded_at {event.recorded_at.isoformat()} is in the "
                    f"future (now {now.isoformat()}); an event is recorded at a moment that "
                    f"has passed, up to {RECORDED_AT_SKEW.seconds // 60} minutes of clock skew"
                ).at("recorded_at")
                exc.index = index
                raise exc

    def _commit(
        self, events: Sequence[Event], expected: Mapping[str, int], after: Mapping[str, View]
    ) -> None:
        """Append `events`, then keep the states (or snapshots) they lead to."""
        self._check_not_future(events)
        snaps = (
            {
                cid: view if isinstance(view, Snapshot) else snapshot(view)
                for cid, view in after.items()
            }
            if self._recorder.keeps_snapshots
            else {}
        )
        self._touched.update(after)
        self._recorder.append(events, expected, snaps)
        for cid, view in after.items():
            if isinstance(view, State):
                self._states[cid] = view
                self._snaps.pop(cid, None)
            else:
                self._states.pop(cid, None)
                self._snaps[cid] = view

    def add(
        self,
        commitment: Commitment,
        recorded_at: dt.datetime | None = None,
        recorded_by: str | None = None,
        *,
        addition_id: str | None = None,
    ) -> Commitment:
        """Track a new commitment (an addition event); its links must name tracked ones."""
        if not isinstance(commitment, Commitment):
            raise ValidationError(f"add() takes a Commitment, not {type(commitment).__name__}")
        with self._writing():
            cid = commitment.id
            if self._recorder.has(cid):
                raise DuplicateError(f"a commitment with id {cid!r} is already tracked")
            for other in commitment.links:
                if not self._recorder.has(other):
                    raise self._unknown(other)
            try:
                addition = Addition(
                    id=self._new_id(cid, addition_id, first=0),
                    commitment=commitment,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    recorded_by=self._who(recorded_by),
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(f"cannot add {cid}: {exc}") from None
            self._commit([addition], {cid: 0}, {cid: start(addition)})
        return commitment

    def amend(
        self,
        commitment_id: str,
        *,
        reason: str,
        on: dt.date | None = None,
        source: Source | str | Iterable[Source | str] | None = None,
        recorded_at: dt.datetime | None = None,
        recorded_by: str | None = None,
        amendment_id: str | None = None,
        title: str | Unchanged = UNCHANGED,
        description: str | Unchanged = UNCHANGED,
        parties: Iterable[str] | Unchanged = UNCHANGED,
        areas: Iterable[str] | Unchanged = UNCHANGED,
        occasion: str | Unchanged = UNCHANGED,
        deadline: Deadline | Unchanged | None = UNCHANGED,
        recurrence: Recurrence | Unchanged | None = UNCHANGED,
        restates: Iterable[str] | Unchanged = UNCHANGED,
        superseded_by: str | Unchanged | None = UNCHANGED,
        sources: Iterable[Source | str] | Unchanged = UNCHANGED,
        made_on: dt.date | Unchanged = UNCHANGED,
    ) -> Amendment:
        """Validate and append an amendment of what a commitment says; return it.

        `on=None` records a correction (it always read so); `on=D` a revision (the
        pledge changed on D). `source` is the evidence. Refused, with nothing changed,
        when the new version is not a valid commitment, names an unknown commitment,
        or would leave any update invalid in any state of knowledge.
        """
        fields = {
            "title": title,
            "description": description,
            "parties": parties,
            "areas": areas,
            "occasion": occasion,
            "deadline": deadline,
            "recurrence": recurrence,
            "restates": restates,
            "superseded_by": superseded_by,
            "sources": sources,
            "made_on": made_on,
        }
        changes = {k: v for k, v in fields.items() if v is not UNCHANGED}
        with self._writing():
            state = self._state(commitment_id)
            try:
                amendment = Amendment(
                    id=self._new_id(commitment_id, amendment_id, first=state.version),
                    commitment_id=commitment_id,
                    changes=changes,
                    reason=reason,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    on=on,
                    sources=_sources(None, () if source is None else source),
                    recorded_by=self._who(recorded_by),
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(f"cannot amend {commitment_id}: {exc}") from None
            check_amendment(state, amendment, self.workflow, self._recorder.has)
            self._commit(
                [amendment], {commitment_id: state.version}, {commitment_id: state.apply(amendment)}
            )
        return amendment

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
        """Validate and append a status update; return it.

        Refused (with nothing changed) when the commitment is unknown, `on` is before
        it was made or more than a day after `recorded_at`, the party is not one of
        its parties, or the workflow forbids the transition on that date or would make
        any later update invalid.
        """
        with self._writing():
            view = self._write_view(commitment_id)
            try:
                parsed = self.workflow.parse_status(status)
                if progress is not None and not isinstance(progress, Progress):
                    progress = _progress(progress)
                update = StatusUpdate(
                    id=self._new_id(commitment_id, update_id, first=view.version),
                    commitment_id=commitment_id,
                    status=parsed,
                    on=on,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    party=party,
                    note=note,
                    sources=_sources(source, sources),
                    reason=reason,
                    progress=progress,
                    recorded_by=self._who(recorded_by),
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(
                    f"cannot record {status} for {commitment_id} on {on}: {exc}"
                ) from None
            if isinstance(view, Snapshot) and view.comes_last(update):
                # Every later state of knowledge is the latest history plus this update.
                commitment = view.commitment
                check_update_fields(commitment, update, self.workflow)
                found = first_violation(
                    commitment, (update,), self.workflow, start=dict(view.tracks)
                )
                raise_problem(commitment, None if found is None else (found, None), update)
                self._commit(
                    [update], {commitment_id: view.version}, {commitment_id: view.appended(update)}
                )
                return update
            state = view if isinstance(view, State) else self._state(commitment_id)
            check_update(state, update, self.workflow)
            self._commit(
                [update], {commitment_id: state.version}, {commitment_id: state.apply(update)}
            )
        return update

    def _write_view(self, commitment_id: str) -> View:
        """What checking a new update needs: the state, or a store's snapshot of it."""
        state = self._states.get(commitment_id)
        if state is not None or not self._recorder.keeps_snapshots:
            return self._state(commitment_id)
        snap = self._snaps.get(commitment_id)
        if snap is None:
            snap = self._recorder.snapshots([commitment_id]).get(commitment_id)
        return snap if snap is not None else self._state(commitment_id)

    def in_force(
        self,
        commitment_id: str,
        status: Status | str,
        on: dt.date | str,
        party: str | None = None,
    ) -> StatusUpdate | None:
        """The update in force that says the same (status, day and party), if any.

        Recording it again would repeat it: a batch refuses such a line as a duplicate.
        Read from a store's snapshot where one serves (no note or sources needed).
        """
        wanted = self.workflow.parse_status(status)
        day = query_day(on, "on")
        who = None if party is None else str(party_code(party))
        with self._reading():
            view = self._write_view(commitment_id)
            timeline = (
                view.timeline
                if isinstance(view, Snapshot)
                else view.timeline_of(view.current, None)
            )
        return saying(timeline.updates, wanted, day, who)

    def prefetch(self, ids: Iterable[str]) -> None:
        """Inside `transaction()`: read at once what recording updates for `ids` needs.

        A store then checks and writes each update from its saved snapshot, without a
        query per commitment; elsewhere (or outside a transaction) it changes nothing.
        """
        if not self._depth or not self._recorder.keeps_snapshots:
            return
        missing = [cid for cid in dict.fromkeys(ids) if cid not in self._states]
        missing = [cid for cid in missing if cid not in self._snaps]
        self._snaps.update(self._recorder.snapshots(missing))

    def retract(
        self,
        update_id: str,
        *,
        reason: str,
        recorded_at: dt.datetime | None = None,
        retraction_id: str | None = None,
        recorded_by: str | None = None,
    ) -> Retraction:
        """Append a retraction of an update or amendment; it stops counting from `recorded_at` on.

        Refused when the event is unknown or already retracted, when `recorded_at`
        precedes the event's own, or when the log without it would leave an update
        invalid (retract the later updates first).
        """
        with self._writing():
            target = self.event(update_id)
            cid = target.commitment_id
            state = self._state(cid)
            try:
                retraction = Retraction(
                    id=self._new_id(cid, retraction_id, first=state.version),
                    commitment_id=cid,
                    update_id=target.id,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    reason=reason,
                    recorded_by=self._who(recorded_by),
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(f"cannot retract {target.id}: {exc}") from None
            check_retraction(state, target, retraction, self.workflow)
            self._commit([retraction], {cid: state.version}, {cid: state.apply(retraction)})
        return retraction

    def _new_id(self, commitment_id: str, requested: str | None, *, first: int) -> str:
        """`requested`, checked; else `ID:n` from the event count, skipping ids taken."""
        if requested is not None:
            check_event_id(requested)
            if self._recorder.taken(requested):
                raise DuplicateError(f"event id {requested!r} is already recorded")
            return requested
        n = first
        candidate = f"{commitment_id}:{n}"
        while self._recorder.taken(candidate):
            n += 1
            candidate = f"{commitment_id}:{n}" if first else f"{commitment_id}:0-{n}"
        return candidate

    def merge(self, events: Iterable[Event]) -> tuple[int, int]:
        """Add the events this tracker lacks from another log; return (added, present).

        For two analysts who started from the same base: an event whose id is recorded
        here already must be the same event (it is skipped); one that differs under the
        same id is refused (`DuplicateError` showing both), and so is anything `extend`
        refuses. All or nothing, like `extend`.
        """
        batch = list(events)
        with self._writing():
            fresh = []
            for index, event in enumerate(batch):
                if not isinstance(event, Event):
                    raise ValidationError(f"merge() takes events, got {type(event).__name__}")
                held = self._recorder.event(event.id)
                if held is None:
                    fresh.append(event)
                elif held != event:
                    exc = DuplicateError(
                        f"{event.id} clashes: recorded here as {held!r}; the other log has "
                        f"{event!r}"
                    ).at("id")
                    exc.index = index
                    raise exc
            self.extend(fresh)
        return len(fresh), len(batch) - len(fresh)

    def extend(self, events: Iterable[Event]) -> None:
        """Append recorded events (a catalog, another tracker's log) in order, all or none.

        Each is checked as `add`, `amend`, `record` and `retract` check it; then every
        touched commitment's whole log, once, in every state of knowledge. A refusal
        raises the usual error with `index` set to the offending event's position (and
        `field` to the field at fault, where one is), and records nothing.
        """
        batch = list(events)
        with self._writing():
            index = 0
            try:
                logs, expected = self._check_batch(batch)
                folded: dict[str, State] = {}
                for cid, log in logs.items():
                    state = self._fold(cid, log)
                    found = log_problem(state, self.workflow)
                    if found is not None:
                        bad = found[0].update
                        index = next((i for i, e in enumerate(batch) if e is bad), len(batch) - 1)
                        raise_problem(state.current, found, None)
                    folded[cid] = state
                index = len(batch) - 1
                self._commit(batch, expected, folded)
            except CommitmentsError as exc:
                if exc.index is None:
                    exc.index = index
                raise

    def _check_batch(self, batch: Sequence[Event]) -> tuple[dict[str, list[Event]], dict[str, int]]:
        """Check each event of `batch` on its own; each touched commitment's log after it."""
        logs: dict[str, list[Event]] = {}
        expected: dict[str, int] = {}
        states: dict[str, State] = {}
        seen: dict[str, Event] = {}
        has = self._recorder.has

        def tracked(cid: str) -> bool:
            return cid in logs or has(cid)

        taken = self._recorder.taken
        workflow = self.workflow
        # Each commitment's version while it has no amendment: its addition's commitment.
        plain: dict[str, Commitment] = {}
        index = 0
        try:
            for index, event in enumerate(batch):  # noqa: B007 - reported on error
                eid = event.id
                if eid in seen or taken(eid):
                    raise DuplicateError(f"event id {eid!r} is already recorded").at("id")
                seen[eid] = event
                cid = event.commitment_id
                if isinstance(event, StatusUpdate):
                    version = plain.get(cid)
                    if version is None:
                        log = self._batch_log(cid, logs, expected, states, plain)
                        version = plain.get(cid) or self._running(cid, log, states).versions.at(
                            event.on
                        )
                    check_update_fields(version, event, workflow)
                    logs[cid].append(event)
                    continue
                if isinstance(event, Addition):
                    self._check_addition(event, tracked)
                    logs[cid] = [event]
                    expected[cid] = 0
                    plain[cid] = event.commitment
                    continue
                log = self._batch_log(cid, logs, expected, states, plain)
                if isinstance(event, Amendment):
                    check_amendment_fields(self._running(cid, log, states), event, tracked)
                else:
                    target = seen.get(event.update_id) or self._recorder.event(event.update_id)
                    if target is None:
                        raise UpdateError(
                            f"{eid}: {event.update_id!r} is not an earlier event of {cid}"
                        ).at("update_id")
                    check_retraction_fields(self._running(cid, log, states), target, event)
                log.append(event)
                if isinstance(event, Amendment) or isinstance(
                    seen.get(getattr(event, "update_id", "")), Amendment
                ):
                    plain.pop(cid, None)  # its versions may change: fold from here on
        except CommitmentsError as exc:
            exc.index = index
            raise
        return logs, expected

    def _batch_log(
        self,
        cid: str,
        logs: dict[str, list[Event]],
        expected: dict[str, int],
        states: dict[str, State],
        plain: dict[str, Commitment],
    ) -> list[Event]:
        """The log of `cid` so far in a batch, starting from the recorded one."""
        log = logs.get(cid)
        if log is not None:
            return log
        if not self._recorder.has(cid):
            raise self._unknown(cid).at("commitment_id")
        state = self._state(cid)
        log = logs[cid] = list(state.log)
        expected[cid] = state.version
        if state.amendments or state.retractions:
            states[cid] = state
        else:
            plain[cid] = state.current
        return log

    def _running(self, cid: str, log: list[Event], states: dict[str, State]) -> State:
        # `states[cid]` folds a prefix of `log`: apply what came after it, not a refold.
        state = states.get(cid)
        if state is None:
            state = self._fold(cid, log)
        else:
            for event in log[state.version :]:
                state = state.apply(event)
        states[cid] = state
        return state

    def _check_addition(self, addition: Addition, tracked: Callable[[str], bool]) -> None:
        commitment = addition.commitment
        if tracked(commitment.id):
            raise DuplicateError(f"a commitment with id {commitment.id!r} is already tracked").at(
                "commitment.id"
            )
        for j, other in enumerate(commitment.restates):
            if not tracked(other):
                raise UpdateError(
                    f"{commitment.id}: restates names {other!r}, which is not an earlier commitment"
                ).at(f"commitment.restates[{j}]")
        if commitment.superseded_by is not None and not tracked(commitment.superseded_by):
            raise UpdateError(
                f"{commitment.id}: superseded_by names {commitment.superseded_by!r}, which "
                "is not an earlier commitment; record a 'superseded' update instead"
            ).at("commitment.superseded_by")

    # -- questions about one commitment ---------------------------------------------

    @staticmethod
    def _check_known(state: View, cutoff: dt.datetime | None, known_on: KnownOn) -> None:
        if not state.known(cutoff):
            raise NotYetKnownError(state.commitment_id, state.known_from.isoformat(), str(known_on))

    def _asked(
        self, commitment_id: str, day: dt.date, known_on: KnownOn
    ) -> tuple[State, Commitment, dt.datetime | None]:
        """(the state, the commitment as it stood on `day`, the cutoff) for one question."""
        cutoff = knowledge_cutoff(known_on)
        with self._reading():
            state = self._state(commitment_id)
        self._check_known(state, cutoff, known_on)
        commitment = state.version_on(day, cutoff)
        check_made(commitment, day)
        return state, commitment, cutoff

    def history(
        self, commitment_id: str, *, known_on: KnownOn | str = None
    ) -> tuple[StatusUpdate, ...]:
        """The updates that count, in effect order (retracted ones left out)."""
        known_on = query_known_on(known_on)
        cutoff = knowledge_cutoff(known_on)
        with self._reading():
            return tuple(self._state(commitment_id).updates_known(cutoff))

    def amendments(
        self, commitment_id: str, *, known_on: KnownOn | str = None
    ) -> tuple[Amendment, ...]:
        """The amendments that count, in recording order (retracted ones left out)."""
        known_on = query_known_on(known_on)
        cutoff = knowledge_cutoff(known_on)
        with self._reading():
            return tuple(self._state(commitment_id).amendments_known(cutoff))

    def status(
        self,
        commitment_id: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        party: str | None = None,
    ) -> Status:
        """The status on `as_of` (default today, UTC), overall or of one party.

        The overall status is after the tracker's policy; a party's is as recorded.
        """
        known_on = query_known_on(known_on)
        day = self._day(as_of)
        state, commitment, cutoff = self._asked(commitment_id, day, known_on)
        timeline = state.timeline_of(commitment, cutoff)
        if party is not None:
            if party not in commitment.parties:
                raise ValidationError(
                    f"{commitment_id}: unknown party {party!r}; the parties are "
                    f"{', '.join(commitment.parties) or 'none'}"
                )
            return timeline.party_statuses_on(commitment, day)[party]
        return self._status(commitment, timeline, day)

    def _status(self, commitment: Commitment, timeline: Timeline, day: dt.date) -> Status:
        """The overall status on `day` after the policy."""
        if commitment.recurrence is None:
            if isinstance(self.policy, KeepOpen):
                return timeline.status_on(day)
            periods: tuple[Occurrence, ...] = ()
        else:
            periods = occurrences(commitment, timeline, day)
        return policy_status(timeline, day, due_by(commitment, periods), self.policy)[0]

    def occurrences(
        self,
        commitment_id: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
    ) -> tuple[Occurrence, ...]:
        """A recurring commitment's periods up to the one containing `as_of` (default today).

        Empty for a commitment without a recurrence; see `commitments.history.occurrences`.
        """
        known_on = query_known_on(known_on)
        day = self._day(as_of)
        state, commitment, cutoff = self._asked(commitment_id, day, known_on)
        return occurrences(commitment, state.timeline_of(commitment, cutoff), day)

    def assess(
        self,
        commitment_id: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
    ) -> Assessment:
        """The full assessment of one commitment on `as_of` (default today, UTC)."""
        known_on = query_known_on(known_on)
        day = self._day(as_of)
        state, commitment, cutoff = self._asked(commitment_id, day, known_on)
        return self._assessment(state, commitment, day, known_on, cutoff)

    def _assessment(
        self,
        view: View,
        commitment: Commitment,
        day: dt.date,
        known_on: KnownOn,
        cutoff: dt.datetime | None,
        *,
        timeline: Timeline | None = None,
    ) -> Assessment:
        if timeline is None:
            timeline = view.timeline_of(commitment, cutoff)
        versions = (
            view.versions_known(cutoff) if isinstance(view, State) and view.amendments else None
        )
        return assess_timeline(
            commitment,
            timeline,
            day,
            known_on,
            timeline.party_statuses_on(commitment, day),
            policy=self.policy,
            versions=versions,
        )

    # -- questions about the collection --------------------------------------------

    def _selected(
        self, selection: Selection, ids: Sequence[str] | None = None
    ) -> Iterator[tuple[View, Commitment, Timeline]]:
        """Each commitment `selection` selects: its view, its version then, its timeline.

        Among `ids` when given, else among the recorder's candidates.
        """
        day, cutoff, kind = selection.day, selection.cutoff, selection.kind
        if ids is None:
            ids = self._recorder.candidates(selection)
        if ids is None:
            ids = self._recorder.ids()
        for view in self._views(ids, cutoff):
            if not view.known(cutoff):
                continue
            commitment = view.version_on(day, cutoff)
            if commitment.made_on > day:
                continue
            if kind == "all":
                yield view, commitment, view.timeline_of(commitment, cutoff)
                continue
            if commitment.recurrence is not None:
                timeline = view.timeline_of(commitment, cutoff)
                if self._recurring_selected(commitment, timeline, selection):
                    yield view, commitment, timeline
                continue
            if kind == "fulfilled":
                timeline = view.timeline_of(commitment, cutoff)
                # The policy only ever turns open into broken: check it for the fulfilled.
                if timeline.status_on(day) is Status.FULFILLED and (
                    self._status(commitment, timeline, day) is Status.FULFILLED
                ):
                    yield view, commitment, timeline
                continue
            deadline = commitment.deadline
            if deadline is None or deadline.latest is None:
                continue
            # Cheap date checks first: most commitments are ruled out without a timeline.
            if kind == "overdue":
                if day <= deadline.latest:
                    continue
            elif kind == "due":
                if day > deadline.latest or (
                    deadline.earliest is not None and day < deadline.earliest
                ):
                    continue
            elif not day <= deadline.latest <= (selection.end or day):
                continue
            timeline = view.timeline_of(commitment, cutoff)
            if kind == "due_within":
                if timeline.status_on(day).is_open:
                    yield view, commitment, timeline
                continue
            overdue, due = deadline_flags(commitment, self._status(commitment, timeline, day), day)
            if overdue if kind == "overdue" else due:
                yield view, commitment, timeline

    def _recurring_selected(
        self, commitment: Commitment, timeline: Timeline, selection: Selection
    ) -> bool:
        day = selection.day
        periods = occurrences(commitment, timeline, day)
        status, _ = policy_status(timeline, day, due_by(commitment, periods), self.policy)
        if selection.kind == "fulfilled":
            return False  # its fulfilled updates mark occurrences
        overdue, due = recurring_flags(periods, status, day)
        if selection.kind == "overdue":
            return overdue
        if selection.kind == "due":
            return due
        # Its current period is its deadline: due if not yet met and ending soon.
        return due and bool(periods) and periods[-1].end <= (selection.end or day)

    def _select(self, selection: Selection) -> list[Commitment]:
        with self._reading():
            saved = self._recorder.settled_rows(selection)
            if saved is None:
                return [commitment for _, commitment, _ in self._selected(selection)]
            # A settled commitment the query picks is picked: only its commitment is read.
            standing = self._recorder.standing([cid for cid, row in saved if row is not None])
            return self._in_order(
                selection, saved, lambda cid, _: standing.get(cid), lambda _, c, __: c
            )

    def select(
        self,
        kind: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        within: dt.timedelta | None = None,
    ) -> list[Assessment]:
        """Assessments of the commitments `overdue`, `due` or `fulfilled` select ("all": every one).

        The same commitments as those methods, in the order added. Answered from a
        store's snapshots where they serve, so `last_update` may come without its note,
        sources and reason; `assess` reads one commitment whole.
        """
        known_on = query_known_on(known_on)
        selection = self._selection(kind, as_of, known_on, within)
        with self._reading():
            return [
                self._assessment(
                    view, commitment, selection.day, known_on, selection.cutoff, timeline=timeline
                )
                for view, commitment, timeline in self._selected(selection)
            ]

    def listing(
        self,
        kind: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        within: dt.timedelta | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of `select(kind, ...)` as the command line lists them.

        One dict per commitment, keyed by `commitments.records.LISTING_COLUMNS`, its
        values JSON's (dates as ISO text, lists): ready for `json.dumps` or a CSV. A
        store answers a commitment settled by `as_of` (see `commitments.settled`) from
        the row it saved, without assessing it again.
        """
        rows = self.listing_rows(kind, as_of=as_of, known_on=known_on, within=within)
        return [dict(zip(LISTING_COLUMNS, row, strict=True)) for row in rows]

    def listing_rows(
        self,
        kind: str,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        within: dt.timedelta | None = None,
    ) -> list[list[Any]]:
        """`listing`'s rows as lists of values in `LISTING_COLUMNS` order (faster)."""
        known_on = query_known_on(known_on)
        selection = self._selection(kind, as_of, known_on, within)

        def assessed(view: View, commitment: Commitment, timeline: Timeline) -> list[Any]:
            a = self._assessment(
                view, commitment, selection.day, known_on, selection.cutoff, timeline=timeline
            )
            return listing_row(record_of(a))

        with self._reading():
            saved = self._recorder.settled_rows(selection)
            if saved is None:
                return [assessed(*found) for found in self._selected(selection)]
            return self._in_order(selection, saved, self._saved_row, assessed)

    def _in_order(
        self,
        selection: Selection,
        saved: list[tuple[str, str | None]],
        from_saved: Callable[[str, str], _T | None],
        from_view: Callable[[View, Commitment, Timeline], _T],
    ) -> list[_T]:
        """An answer per candidate of `settled_rows`, in their order.

        From its saved row where `from_saved` gives one; the others are selected and
        assessed as usual (`from_view`), and dropped when not selected.
        """
        answers = {
            cid: found
            for cid, row in saved
            if row is not None and (found := from_saved(cid, row)) is not None
        }
        rest = [cid for cid, _ in saved if cid not in answers]
        answers.update((v[1].id, from_view(*v)) for v in self._selected(selection, rest))
        return [answers[cid] for cid, _ in saved if cid in answers]

    def _saved_row(self, cid: str, text: str) -> list[Any]:
        """A settled row as saved; a damaged one names the store and the commitment."""
        try:
            row = json.loads(text)
        except (ValueError, RecursionError):
            row = None
        problem = listing_row_problem(row)
        if problem is None and row[0] != cid:
            problem = f"it names {row[0]!r}"
        if problem is not None:
            raise StoreError(
                f"{self._recorder.describe()} is corrupted: the settled row of {cid!r}: {problem}"
            )
        return row  # type: ignore[no-any-return]

    def _selection(
        self,
        kind: str,
        as_of: dt.date | str | None,
        known_on: KnownOn,
        within: dt.timedelta | None = None,
    ) -> Selection:
        if kind not in {"overdue", "due", "fulfilled", "all"}:
            raise ValidationError(f"kind must be overdue, due, fulfilled or all, got {kind!r}")
        day = self._day(as_of)
        cutoff = knowledge_cutoff(known_on)
        if within is None:
            return Selection(kind, day, cutoff)
        if not isinstance(within, dt.timedelta) or within < dt.timedelta(0):
            raise ValidationError(f"within must be a timedelta of zero or more, got {within!r}")
        # A window reaching past 9999-12-31 ends there: no deadline can fall later.
        end = dt.date.max if within.days > (dt.date.max - day).days else day + within
        return Selection("due_within", day, cutoff, end)

    def assess_all(
        self, *, as_of: dt.date | str | None = None, known_on: KnownOn | str = None
    ) -> list[Assessment]:
        """Assessments of every commitment made on or before `as_of`, as known on `known_on`."""
        known_on = query_known_on(known_on)
        selection = self._selection("all", as_of, known_on)
        with self._reading():
            ids = self._recorder.ids()
            return [
                self._assessment(
                    view, commitment, selection.day, known_on, selection.cutoff, timeline=timeline
                )
                for view, commitment, timeline in self._selected_full(ids, selection)
            ]

    def status_counts(
        self,
        start: dt.date | str,
        end: dt.date | str,
        every: str = "month",
        known_on: KnownOn | str = None,
    ) -> StatusCounts:
        """How many commitments stood at each status at each period end, as known on `known_on`.

        One row `(day, {Status: count})` per period end from `start` to `end` (both
        inclusive; periods and rules in `commitments.series`), every status present.
        """
        from commitments.series import empty_counts, period_ends  # noqa: PLC0415

        known_on = query_known_on(known_on)
        days = period_ends(query_day(start, "start"), query_day(end, "end"), every)
        cutoff = knowledge_cutoff(known_on)
        counts = [empty_counts() for _ in days]
        with self._reading():
            for view in self._views(self._recorder.ids(), cutoff):
                if not view.known(cutoff):
                    continue
                for row, day in zip(counts, days, strict=True):
                    commitment = view.version_on(day, cutoff)
                    if commitment.made_on <= day:
                        timeline = view.timeline_of(commitment, cutoff)
                        row[self._status(commitment, timeline, day)] += 1
        return list(zip(days, counts, strict=True))

    def to_records(
        self,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        per_party: bool = False,
    ) -> list[dict[str, Any]]:
        """`assess_all` as plain dicts keyed by `records.COLUMNS`, for notebooks and pivots.

        With `per_party`, one row per commitment and party (a commitment without parties
        gives one, with party None), adding `party` and that party's `party_status`.
        """
        assessments = self.assess_all(as_of=as_of, known_on=known_on)
        rows = [record_of(a) for a in assessments]
        if not per_party:
            return rows
        split = []
        for a, row in zip(assessments, rows, strict=True):
            for party in a.commitment.parties or (None,):
                status = a.status if party is None else a.party_statuses[party]
                split.append({**row, "party": party, "party_status": status.value})
        return split

    def to_dataframe(
        self,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        per_party: bool = False,
    ) -> Any:  # noqa: ANN401 - a pandas DataFrame; pandas is an optional extra
        """`to_records` as a pandas DataFrame, one column per key (the `pandas` extra)."""
        try:
            import pandas as pd  # noqa: PLC0415 - optional extra, imported on use only
        except ImportError:
            raise MissingExtraError(
                "to_dataframe needs the optional 'pandas' package; install it with "
                "pip install 'commitments[pandas]'"
            ) from None
        rows = self.to_records(as_of=as_of, known_on=known_on, per_party=per_party)
        return pd.DataFrame.from_records(
            rows, columns=list(PARTY_COLUMNS if per_party else COLUMNS)
        )

    def _selected_full(
        self, ids: Sequence[str], selection: Selection
    ) -> Iterator[tuple[State, Commitment, Timeline]]:
        """Every commitment known and made by then, each read whole (notes, sources)."""
        day, cutoff = selection.day, selection.cutoff
        for start_at in range(0, len(ids), _CHUNK):
            chunk = ids[start_at : start_at + _CHUNK]
            missing = [cid for cid in chunk if cid not in self._states]
            logs = self._recorder.logs(missing) if missing else {}
            for cid in chunk:
                state = self._states.get(cid)
                if state is None:
                    if cid not in logs:
                        continue
                    state = self._fold(cid, logs[cid])
                if not state.known(cutoff):
                    continue
                commitment = state.version_on(day, cutoff)
                if commitment.made_on <= day:
                    yield state, commitment, state.timeline_of(commitment, cutoff)

    def compliance(
        self,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        scoring: Scoring | None = None,
    ) -> ComplianceReport:
        """Compliance scores on `as_of` (default today, UTC); see `commitments.compliance`."""
        known_on = query_known_on(known_on)
        day = self._day(as_of)
        return score_assessments(
            self.assess_all(as_of=day, known_on=known_on),
            as_of=day,
            known_on=known_on,
            scoring=scoring,
        )

    def overdue(
        self, *, as_of: dt.date | str | None = None, known_on: KnownOn | str = None
    ) -> list[Commitment]:
        """Commitments open on `as_of` whose latest deadline date has passed.

        Each as it stood on `as_of`, as known on `known_on`, in the order added.
        """
        known_on = query_known_on(known_on)
        return self._select(self._selection("overdue", as_of, known_on))

    def due(
        self,
        *,
        as_of: dt.date | str | None = None,
        known_on: KnownOn | str = None,
        within: dt.timedelta | None = None,
    ) -> list[Commitment]:
        """Commitments open on `as_of` that are due.

        Without `within`: those inside their deadline window on `as_of`. With it: those
        whose latest deadline date falls in `[as_of, as_of + within]`, both inclusive;
        for a recurring commitment, the end of its current period, not yet met.
        """
        known_on = query_known_on(known_on)
        return self._select(self._selection("due", as_of, known_on, within))

    def fulfilled(
        self, *, as_of: dt.date | str | None = None, known_on: KnownOn | str = None
    ) -> list[Commitment]:
        """Commitments whose status on `as_of` is `fulfilled` (on time or late).

        A recurring commitment never is: its `fulfilled` updates mark occurrences.
        """
        known_on = query_known_on(known_on)
        return self._select(self._selection("fulfilled", as_of, known_on))

    def _today(self) -> dt.date:
        return self._clock().astimezone(dt.UTC).date()

    def _day(self, as_of: dt.date | str | None) -> dt.date:
        """The day a question is asked about: `as_of`, or today (UTC) when None."""
        return self._today() if as_of is None else query_day(as_of)
