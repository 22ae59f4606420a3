"""The tracker: commitments plus their append-only, validated event history.

Every accepted change is an appended event; a refused one raises and leaves the
tracker exactly as it was. Status on any date, as known on any moment, is computed
from the history (see `commitments.history` and `commitments.assessment`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator

from commitments.assessment import (
    Assessment,
    assess_timeline,
    check_made,
    deadline_flags,
    due_by,
    policy_status,
    recurring_flags,
)
from commitments.commitment import Commitment
from commitments.compliance import ComplianceReport, Scoring, score_assessments
from commitments.events import Event, Progress, Retraction, StatusUpdate
from commitments.exceptions import (
    DuplicateError,
    TransitionError,
    UnknownCommitmentError,
    UnknownEventError,
    UpdateError,
    ValidationError,
)
from commitments.history import (
    Timeline,
    Violation,
    build_timeline,
    effective_updates,
    knowledge_cutoff,
    knowledge_violation,
    occurrences,
    party_statuses_on,
)
from commitments.policy import KEEP_OPEN, DeadlinePolicy, KeepOpen
from commitments.recurrence import Occurrence
from commitments.source import Source
from commitments.status import Status
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

_EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")

Clock = Callable[[], dt.datetime]
KnownOn = dt.date | dt.datetime | None


def _source_list(sources: Iterable[Source | str]) -> tuple[Source | str, ...]:
    # A lone URL or Source is one source, not an iterable of characters or fields.
    if isinstance(sources, (str, Source)):
        return (sources,)
    return tuple(sources)


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


class Tracker:
    """Commitments and their histories; validates every update against its workflow.

    `policy` (default `KeepOpen`) decides what a passed deadline means; every question
    (`status`, `assess`, `overdue`, `due`, `fulfilled`) applies it, and it never records
    anything.
    """

    __slots__ = (
        "_clock",
        "_commitments",
        "_events",
        "_events_by_id",
        "_log",
        "_retracted_by",
        "_retractions",
        "_timelines",
        "_updates",
        "policy",
        "workflow",
    )

    def __init__(
        self,
        workflow: Workflow | None = None,
        *,
        policy: DeadlinePolicy | None = None,
        clock: Clock = utc_now,
    ) -> None:
        if workflow is not None and not isinstance(workflow, Workflow):
            raise ValidationError(
                f"workflow must be a Workflow such as Workflow.default(), "
                f"not {type(workflow).__name__}"
            )
        self.workflow = workflow if workflow is not None else DEFAULT_WORKFLOW
        if policy is not None and not isinstance(policy, DeadlinePolicy):
            raise ValidationError(
                f"policy must be a DeadlinePolicy such as KeepOpen() or BreakAfter(days=100), "
                f"not {type(policy).__name__}"
            )
        self.policy: DeadlinePolicy = KEEP_OPEN if policy is None else policy
        self._clock = clock
        self._commitments: dict[str, Commitment] = {}
        self._events: list[Event] = []
        self._events_by_id: dict[str, Event] = {}
        self._log: dict[str, list[Event]] = {}  # each commitment's events, recording order
        self._updates: dict[str, list[StatusUpdate]] = {}
        self._retractions: dict[str, list[Retraction]] = {}
        self._retracted_by: dict[str, Retraction] = {}
        self._timelines: dict[str, Timeline] = {}

    # -- the collection -----------------------------------------------------------

    def __getitem__(self, commitment_id: str) -> Commitment:
        if not isinstance(commitment_id, str):
            raise ValidationError(f"a commitment id is a string, not {commitment_id!r}")
        try:
            return self._commitments[commitment_id]
        except KeyError:
            raise UnknownCommitmentError(commitment_id, self._known_ids()) from None

    def __contains__(self, commitment_id: object) -> bool:
        return isinstance(commitment_id, str) and commitment_id in self._commitments

    def __len__(self) -> int:
        return len(self._commitments)

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self._commitments.values())

    def __repr__(self) -> str:
        return (
            f"<Tracker {len(self._commitments)} commitments, {len(self._events)} events, "
            f"workflow {self.workflow.name!r}>"
        )

    def _known_ids(self) -> list[str]:
        """Every commitment id, for error hints (a lazy store reads its table)."""
        return list(self._commitments)

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        """Every commitment, in the order they were added."""
        return tuple(self._commitments.values())

    def events(self, commitment_id: str | None = None) -> tuple[Event, ...]:
        """Every recorded event (updates and retractions) in recording order."""
        if commitment_id is None:
            return tuple(self._events)
        self[commitment_id]
        return tuple(self._log.get(commitment_id, ()))

    def event(self, event_id: str) -> Event:
        """The update or retraction with that id."""
        try:
            return self._events_by_id[event_id]
        except KeyError:
            raise UnknownEventError(event_id) from None

    # -- changes ------------------------------------------------------------------

    def add(self, commitment: Commitment) -> Commitment:
        """Track a new commitment; its links must name tracked commitments."""
        if not isinstance(commitment, Commitment):
            raise ValidationError(f"add() takes a Commitment, not {type(commitment).__name__}")
        with self._transaction():
            if commitment.id in self:
                raise DuplicateError(f"a commitment with id {commitment.id!r} is already tracked")
            for other in commitment.links:
                if other not in self:
                    raise UnknownCommitmentError(other, self._known_ids())
            self._store_commitment(commitment)
        return commitment

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
    ) -> StatusUpdate:
        """Validate and append a status update; return it.

        Refused (with nothing changed) when the commitment is unknown, `on` is before
        it was made or more than a day after `recorded_at`, the party is not one of
        its parties, or the workflow forbids the transition on that date or would make
        any later update invalid.
        """
        with self._transaction():
            commitment = self[commitment_id]
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
            )
            self._check_update(commitment, update)
            self._append(update)
        return update

    def retract(
        self,
        update_id: str,
        *,
        reason: str,
        recorded_at: dt.datetime | None = None,
        retraction_id: str | None = None,
    ) -> Retraction:
        """Append a retraction of an update; it stops counting from `recorded_at` on.

        Refused when the update is unknown or already retracted, when `recorded_at`
        precedes the update's own, or when the history without it would break the
        workflow (retract the later updates first).
        """
        with self._transaction():
            target = self.event(update_id)
            if not isinstance(target, StatusUpdate):
                raise UpdateError(
                    f"{update_id} is a retraction; only status updates can be retracted"
                )
            retraction = self._build_retraction(target, reason, recorded_at, retraction_id)
            self._check_retraction(target, retraction)
            self._append(retraction)
        return retraction

    def _build_update(
        self,
        commitment: Commitment,
        status: Status | str,
        *,
        on: dt.date,
        source: Source | str | None,
        sources: Iterable[Source | str],
        note: str,
        party: str | None,
        recorded_at: dt.datetime | None,
        reason: str | None,
        progress: Progress | tuple[float, float] | None,
        update_id: str | None,
    ) -> StatusUpdate:
        cid = commitment.id
        try:
            parsed = self.workflow.parse_status(status)
            if progress is not None and not isinstance(progress, Progress):
                progress = _progress(progress)
            return StatusUpdate(
                id=self._new_id(cid, update_id),
                commitment_id=cid,
                status=parsed,
                on=on,
                recorded_at=self._clock() if recorded_at is None else recorded_at,
                party=party,
                note=note,
                sources=tuple(
                    Source.coerce(s)
                    for s in (*((source,) if source is not None else ()), *_source_list(sources))
                ),
                reason=reason,
                progress=progress,
            )
        except (ValidationError, TypeError) as exc:
            raise UpdateError(f"cannot record {status} for {cid} on {on}: {exc}") from None

    def _build_retraction(
        self,
        target: StatusUpdate,
        reason: str,
        recorded_at: dt.datetime | None,
        retraction_id: str | None,
    ) -> Retraction:
        cid = target.commitment_id
        try:
            return Retraction(
                id=self._new_id(cid, retraction_id),
                commitment_id=cid,
                update_id=target.id,
                recorded_at=self._clock() if recorded_at is None else recorded_at,
                reason=reason,
            )
        except (ValidationError, TypeError) as exc:
            raise UpdateError(f"cannot retract {target.id}: {exc}") from None

    def _new_id(self, commitment_id: str, requested: str | None) -> str:
        if requested is not None:
            if not isinstance(requested, str) or not _EVENT_ID.fullmatch(requested):
                raise ValidationError(
                    f"event id {requested!r} is not valid; use letters, digits, '.', "
                    "'_', '-' and ':'"
                )
            if requested in self._events_by_id:
                raise DuplicateError(f"event id {requested!r} is already recorded")
            return requested
        # Start after the commitment's own event count; skip any id already taken.
        n = len(self._updates[commitment_id]) + len(self._retractions[commitment_id])
        while True:
            n += 1
            candidate = f"{commitment_id}:{n}"
            if candidate not in self._events_by_id:
                return candidate

    def _check_update(self, commitment: Commitment, update: StatusUpdate) -> None:
        """Raise unless `update` may join the current history."""
        self._check_update_fields(commitment, update)
        cid = commitment.id
        found = knowledge_violation(
            commitment,
            [*self._updates.get(cid, ()), update],
            self._retractions.get(cid, []),
            self.workflow,
            since=update.recorded_at,
        )
        self._raise_violation(commitment, found, update)

    def _check_update_fields(self, commitment: Commitment, update: StatusUpdate) -> None:
        """Raise unless `update` fits its commitment, whatever the history holds."""
        cid = commitment.id
        if update.commitment_id != cid:
            raise UpdateError(f"update {update.id} belongs to {update.commitment_id}, not {cid}")
        if update.id in self._events_by_id:
            raise DuplicateError(f"event id {update.id!r} is already recorded")
        if update.on < commitment.made_on:
            raise UpdateError(
                f"{cid}: an update on {update.on} precedes the commitment, made on "
                f"{commitment.made_on}; updates must be on or after it"
            )
        recorded_day = update.recorded_at.astimezone(dt.UTC).date()
        if (update.on - recorded_day).days > 1:
            raise UpdateError(
                f"{cid}: an update cannot take effect on {update.on}, more than a day "
                f"after it is recorded ({update.recorded_at.isoformat()})"
            )
        if update.party is not None and update.party not in commitment.parties:
            allowed = ", ".join(commitment.parties) or "none (the commitment names no parties)"
            raise UpdateError(f"{cid}: unknown party {update.party!r}; the parties are {allowed}")

    def _check_retraction(self, target: StatusUpdate, retraction: Retraction) -> None:
        if retraction.id in self._events_by_id:
            raise DuplicateError(f"event id {retraction.id!r} is already recorded")
        if target.id in self._retracted_by:
            earlier = self._retracted_by[target.id]
            raise UpdateError(
                f"{target.id} was already retracted by {earlier.id} "
                f"at {earlier.recorded_at.isoformat()}"
            )
        if retraction.recorded_at < target.recorded_at:
            raise UpdateError(
                f"cannot retract {target.id} at {retraction.recorded_at.isoformat()}, "
                f"before it was recorded ({target.recorded_at.isoformat()})"
            )
        cid = target.commitment_id
        found = knowledge_violation(
            self[cid],
            self._updates.get(cid, []),
            [*self._retractions.get(cid, ()), retraction],
            self.workflow,
            since=retraction.recorded_at,
        )
        self._raise_violation(self[cid], found, None)

    def _raise_violation(
        self,
        commitment: Commitment,
        found: tuple[Violation, dt.datetime | None] | None,
        new: StatusUpdate | None,
    ) -> None:
        if found is None:
            return
        violation, moment = found
        bad = violation.update
        if new is not None and bad is new:
            detail = ""
        elif new is not None:
            detail = f"recording {new.status} on {new.on} would make the update {bad.id} invalid"
        else:
            detail = f"without the retracted update, update {bad.id} would be invalid"
        if moment is not None:
            when = f"as known at {moment.isoformat()}"
            detail = f"{detail}, {when}" if detail else when
        raise TransitionError(
            commitment_id=commitment.id,
            on=bad.on,
            from_status=violation.from_status,
            to_status=bad.status,
            allowed=[s.value for s in Status if s in violation.allowed],
            party=violation.party,
            detail=detail,
        )

    # -- the append-only core (a store overrides these to persist) -----------------

    def _transaction(self) -> contextlib.AbstractContextManager[None]:
        """Scope of one check-and-append; a store makes it an atomic write transaction."""
        return contextlib.nullcontext()

    def _store_commitment(self, commitment: Commitment) -> None:
        self._commitments[commitment.id] = commitment
        self._updates[commitment.id] = []
        self._retractions[commitment.id] = []
        self._log[commitment.id] = []

    def _append(self, event: Event) -> None:
        self._apply(event)

    def _apply(self, event: Event) -> None:
        cid = event.commitment_id
        self._events.append(event)
        self._events_by_id[event.id] = event
        self._log[cid].append(event)
        if isinstance(event, StatusUpdate):
            self._updates[cid].append(event)
        else:
            self._retractions[cid].append(event)
            self._retracted_by[event.update_id] = event
        self._timelines.pop(cid, None)

    # -- questions ----------------------------------------------------------------

    def history(self, commitment_id: str, *, known_on: KnownOn = None) -> tuple[StatusUpdate, ...]:
        """The updates that count, in effect order (retracted ones left out)."""
        self[commitment_id]
        return tuple(
            effective_updates(
                self._updates[commitment_id],
                self._retractions[commitment_id],
                knowledge_cutoff(known_on),
            )
        )

    def status(
        self,
        commitment_id: str,
        *,
        as_of: dt.date | None = None,
        known_on: KnownOn = None,
        party: str | None = None,
    ) -> Status:
        """The status on `as_of` (default today, UTC), overall or of one party.

        The overall status is after the tracker's policy; a party's is as recorded.
        """
        commitment = self[commitment_id]
        day = self._today() if as_of is None else as_of
        check_made(commitment, day)
        if party is not None:
            if party not in commitment.parties:
                raise ValidationError(
                    f"{commitment_id}: unknown party {party!r}; the parties are "
                    f"{', '.join(commitment.parties) or 'none'}"
                )
            updates = self.history(commitment_id, known_on=known_on)
            return party_statuses_on(commitment, updates, day)[party]
        return self._status(commitment, self._timeline(commitment, knowledge_cutoff(known_on)), day)

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
        self, commitment_id: str, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> tuple[Occurrence, ...]:
        """A recurring commitment's periods up to the one containing `as_of` (default today).

        Empty for a commitment without a recurrence; see `commitments.history.occurrences`.
        """
        commitment = self[commitment_id]
        day = self._today() if as_of is None else as_of
        check_made(commitment, day)
        return occurrences(commitment, self._timeline(commitment, knowledge_cutoff(known_on)), day)

    def assess(
        self, commitment_id: str, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> Assessment:
        """The full assessment of one commitment on `as_of` (default today, UTC)."""
        commitment = self[commitment_id]
        day = self._today() if as_of is None else as_of
        check_made(commitment, day)
        updates = self.history(commitment_id, known_on=known_on)
        return assess_timeline(
            commitment,
            build_timeline(commitment, updates),
            day,
            known_on,
            party_statuses_on(commitment, updates, day),
            policy=self.policy,
        )

    def assess_all(
        self, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> list[Assessment]:
        """Assessments of every commitment made on or before `as_of`."""
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        return [
            self.assess(c.id, as_of=day, known_on=known_on)
            for c in self._commitments.values()
            if c.made_on <= day
        ]

    def compliance(
        self,
        *,
        as_of: dt.date | None = None,
        known_on: KnownOn = None,
        scoring: Scoring | None = None,
    ) -> ComplianceReport:
        """Compliance scores on `as_of` (default today, UTC); see `commitments.compliance`."""
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        return score_assessments(
            self.assess_all(as_of=day, known_on=known_on),
            as_of=day,
            known_on=known_on,
            scoring=scoring,
        )

    def overdue(
        self, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> list[Commitment]:
        """Commitments open on `as_of` whose latest deadline date has passed."""
        return self._select(as_of, known_on, want_overdue=True)

    def due(
        self,
        *,
        as_of: dt.date | None = None,
        known_on: KnownOn = None,
        within: dt.timedelta | None = None,
    ) -> list[Commitment]:
        """Commitments open on `as_of` that are due.

        Without `within`: those inside their deadline window on `as_of`. With it: those
        whose latest deadline date falls in `[as_of, as_of + within]`, both inclusive;
        for a recurring commitment, the end of its current period, not yet met.
        """
        if within is None:
            return self._select(as_of, known_on, want_overdue=False)
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        if not isinstance(within, dt.timedelta) or within < dt.timedelta(0):
            raise ValidationError(f"within must be a timedelta of zero or more, got {within!r}")
        end = day + within
        cutoff = knowledge_cutoff(known_on)
        selected = []
        for c in self._commitments.values():
            if c.made_on > day:
                continue
            if c.recurrence is not None:
                # Its current period is its deadline: due if not yet met and ending soon.
                current = self.occurrences(c.id, as_of=day, known_on=known_on)[-1]
                if self.assess(c.id, as_of=day, known_on=known_on).due and current.end <= end:
                    selected.append(c)
            elif (
                c.deadline is not None
                and c.deadline.latest is not None
                and day <= c.deadline.latest <= end
                and self._timeline(c, cutoff).status_on(day).is_open
            ):
                selected.append(c)
        return selected

    def fulfilled(
        self, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> list[Commitment]:
        """Commitments whose status on `as_of` is `fulfilled` (on time or late).

        A recurring commitment never is: its `fulfilled` updates mark occurrences.
        """
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        cutoff = knowledge_cutoff(known_on)
        selected = []
        for c in self._commitments.values():
            if c.made_on > day:
                continue
            timeline = self._timeline(c, cutoff)
            # The policy only ever turns open into broken: check it for the fulfilled alone.
            if timeline.status_on(day) is Status.FULFILLED and (
                self._status(c, timeline, day) is Status.FULFILLED
            ):
                selected.append(c)
        return selected

    def _select(
        self, as_of: dt.date | None, known_on: KnownOn, *, want_overdue: bool
    ) -> list[Commitment]:
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        cutoff = knowledge_cutoff(known_on)
        selected = []
        for commitment in self._commitments.values():
            if commitment.recurrence is not None:
                if commitment.made_on <= day and self._recurring_flag(
                    commitment, cutoff, day, want_overdue=want_overdue
                ):
                    selected.append(commitment)
                continue
            deadline = commitment.deadline
            if deadline is None or deadline.latest is None or commitment.made_on > day:
                continue
            # Cheap date checks first: most commitments are ruled out without a timeline.
            if want_overdue:
                if day <= deadline.latest:
                    continue
            elif day > deadline.latest or (
                deadline.earliest is not None and day < deadline.earliest
            ):
                continue
            status = self._status(commitment, self._timeline(commitment, cutoff), day)
            overdue, due = deadline_flags(commitment, status, day)
            if overdue if want_overdue else due:
                selected.append(commitment)
        return selected

    def _recurring_flag(
        self,
        commitment: Commitment,
        cutoff: dt.datetime | None,
        day: dt.date,
        *,
        want_overdue: bool,
    ) -> bool:
        timeline = self._timeline(commitment, cutoff)
        periods = occurrences(commitment, timeline, day)
        status, _ = policy_status(timeline, day, due_by(commitment, periods), self.policy)
        overdue, due = recurring_flags(periods, status, day)
        return overdue if want_overdue else due

    def _timeline(self, commitment: Commitment, cutoff: dt.datetime | None) -> Timeline:
        cid = commitment.id
        if cutoff is None:
            cached = self._timelines.get(cid)
            if cached is not None:
                return cached
        updates = effective_updates(self._updates[cid], self._retractions[cid], cutoff)
        timeline = build_timeline(commitment, updates)
        if cutoff is None:
            self._timelines[cid] = timeline
        return timeline

    def _today(self) -> dt.date:
        return self._clock().astimezone(dt.UTC).date()

    @staticmethod
    def _check_day(day: object) -> None:
        if type(day) is not dt.date:
            raise ValidationError(f"as_of must be a calendar date (datetime.date), got {day!r}")
