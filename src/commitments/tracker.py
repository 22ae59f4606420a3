"""The tracker: commitments plus their append-only, validated event log.

Every accepted change is an appended event (a commitment added or amended, a status
update, a retraction); a refused one raises and leaves the tracker exactly as it was.
The commitment as it stood and its status on any date, as known on any moment, are
computed from the log (see `commitments.versions`, `commitments.history` and
`commitments.assessment`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
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
from commitments.deadline import Deadline
from commitments.events import Addition, Amendment, Event, Progress, Retraction, StatusUpdate
from commitments.exceptions import (
    CommitmentsError,
    DuplicateError,
    NotYetKnownError,
    TransitionError,
    UnknownCommitmentError,
    UnknownEventError,
    UpdateError,
    ValidationError,
)
from commitments.history import (
    Misfit,
    Timeline,
    Violation,
    build_timeline,
    effective_updates,
    knowledge_cutoff,
    knowledge_violation,
    misfit,
    occurrences,
    party_statuses_on,
)
from commitments.policy import KEEP_OPEN, DeadlinePolicy, KeepOpen
from commitments.recurrence import Occurrence, Recurrence
from commitments.source import Source
from commitments.status import Status
from commitments.versions import Versions, effective_amendments, fold_versions
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

_EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")

Clock = Callable[[], dt.datetime]
KnownOn = dt.date | dt.datetime | None


class Unchanged(enum.Enum):
    """The default of `Tracker.amend`'s fields: leave this field as it is."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _source_list(sources: Iterable[Source | str]) -> tuple[Source | str, ...]:
    # A lone URL or Source is one source, not an iterable of characters or fields.
    if isinstance(sources, (str, Source)):
        return (sources,)
    return tuple(sources)


def _sources(
    source: Source | str | None, sources: Iterable[Source | str] = ()
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


class Tracker:
    """Commitments and their event logs; validates every change against its workflow.

    `policy` (default `KeepOpen`) decides what a passed deadline means; every question
    (`status`, `assess`, `overdue`, `due`, `fulfilled`) applies it, and it never records
    anything.
    """

    __slots__ = (
        "_additions",
        "_amendments",
        "_clock",
        "_commitments",
        "_events",
        "_events_by_id",
        "_known_from",
        "_log",
        "_retracted_by",
        "_retractions",
        "_timelines",
        "_updates",
        "_versions",
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
        self._clear()

    def _clear(self) -> None:
        """Forget every commitment and event (a store reads them again)."""
        # Each commitment as it stands now: every recorded amendment applied.
        self._commitments: dict[str, Commitment] = {}
        self._additions: dict[str, Addition] = {}
        self._events: list[Event] = []
        self._events_by_id: dict[str, Event] = {}
        self._log: dict[str, list[Event]] = {}  # each commitment's events, recording order
        self._updates: dict[str, list[StatusUpdate]] = {}
        self._amendments: dict[str, list[Amendment]] = {}
        self._retractions: dict[str, list[Retraction]] = {}
        self._retracted_by: dict[str, Retraction] = {}
        # The earliest recorded_at among a commitment's addition and its events.
        self._known_from: dict[str, dt.datetime] = {}
        self._versions: dict[str, Versions] = {}  # amended commitments, all recorded
        self._timelines: dict[str, tuple[Commitment, Timeline]] = {}

    # -- the collection -----------------------------------------------------------

    def __getitem__(self, commitment_id: str) -> Commitment:
        """The commitment as it stands, every recorded amendment applied."""
        if not isinstance(commitment_id, str):
            raise ValidationError(f"a commitment id is a string, not {commitment_id!r}")
        try:
            return self._commitments[commitment_id]
        except KeyError:
            raise UnknownCommitmentError(commitment_id, self._known_ids()) from None

    def __contains__(self, commitment_id: object) -> bool:
        return isinstance(commitment_id, str) and commitment_id in self._commitments

    def __len__(self) -> int:
        self._everything()
        return len(self._commitments)

    def __iter__(self) -> Iterator[Commitment]:
        self._everything()
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
        """Every commitment as it stands, in the order they were added."""
        self._everything()
        return tuple(self._commitments.values())

    def events(
        self, commitment_id: str | None = None, *, known_on: KnownOn = None
    ) -> tuple[Event, ...]:
        """Every recorded event (additions, amendments, updates, retractions), recording order.

        With `known_on`, only those recorded by then.
        """
        if commitment_id is None:
            self._everything()
            found: Iterable[Event] = self._events
        else:
            self[commitment_id]
            found = self._log.get(commitment_id, ())
        cutoff = knowledge_cutoff(known_on)
        if cutoff is None:
            return tuple(found)
        return tuple(e for e in found if e.recorded_at < cutoff)

    def event(self, event_id: str) -> Event:
        """The event with that id."""
        try:
            return self._events_by_id[event_id]
        except KeyError:
            raise UnknownEventError(event_id) from None

    def commitment(
        self, commitment_id: str, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> Commitment:
        """The commitment as it stood on `as_of`, as known on `known_on`.

        Without `as_of`: with every revision. Raises `NotYetKnownError` when it was first
        recorded after `known_on`.
        """
        self[commitment_id]
        if as_of is not None:
            self._check_day(as_of)
        cutoff = knowledge_cutoff(known_on)
        self._check_known(commitment_id, cutoff, known_on)
        versions = self._known_versions(commitment_id, cutoff)
        return versions.current if as_of is None else versions.at(as_of)

    def known_from(self, commitment_id: str) -> dt.datetime:
        """When the commitment was first recorded: its addition or an earlier back-filled event."""
        self[commitment_id]
        return self._known_from[commitment_id]

    # -- changes ------------------------------------------------------------------

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
        with self._transaction():
            if commitment.id in self:
                raise DuplicateError(f"a commitment with id {commitment.id!r} is already tracked")
            for other in commitment.links:
                if other not in self:
                    raise UnknownCommitmentError(other, self._known_ids())
            try:
                addition = Addition(
                    id=self._addition_id(commitment.id, addition_id),
                    commitment=commitment,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    recorded_by=recorded_by,
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(f"cannot add {commitment.id}: {exc}") from None
            self._store_commitment(addition)
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
        with self._transaction():
            current = self[commitment_id]
            evidence: Iterable[Source | str] = (
                () if source is None else _source_list(source)  # type: ignore[arg-type]
            )
            try:
                amendment = Amendment(
                    id=self._new_id(commitment_id, amendment_id),
                    commitment_id=commitment_id,
                    changes=changes,
                    reason=reason,
                    recorded_at=self._clock() if recorded_at is None else recorded_at,
                    on=on,
                    sources=_sources(None, evidence),
                    recorded_by=recorded_by,
                )
            except (ValidationError, TypeError) as exc:
                raise UpdateError(f"cannot amend {commitment_id}: {exc}") from None
            self._check_amendment(current, amendment)
            self._append(amendment)
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
                recorded_by=recorded_by,
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
        recorded_by: str | None = None,
    ) -> Retraction:
        """Append a retraction of an update or amendment; it stops counting from `recorded_at` on.

        Refused when the event is unknown or already retracted, when `recorded_at`
        precedes the event's own, or when the log without it would leave an update
        invalid (retract the later updates first).
        """
        with self._transaction():
            target = self.event(update_id)
            if not isinstance(target, (StatusUpdate, Amendment)):
                kind = "a retraction" if isinstance(target, Retraction) else "an addition"
                raise UpdateError(
                    f"{update_id} is {kind}; only status updates and amendments can be retracted"
                )
            retraction = self._build_retraction(
                target, reason, recorded_at, retraction_id, recorded_by
            )
            self._check_retraction(target, retraction)
            self._append(retraction)
        return retraction

    def extend(self, events: Iterable[Event]) -> None:
        """Append recorded events (a catalog, another tracker's log) in order, all or none.

        Each is checked as `add`, `amend`, `record` and `retract` check it; every
        commitment's whole log is then checked once in every state of knowledge. A
        refusal raises the usual error with `index` set to the offending event's
        position, and leaves the tracker as it was.
        """
        with self._transaction():
            touched: dict[str, None] = {}
            index = 0
            start = len(self._events)
            try:
                for index, event in enumerate(events):  # noqa: B007 - reported on error
                    self._check_recorded(event)
                    if isinstance(event, Addition):
                        self._store_commitment(event)
                    else:
                        self._append(event, checked=False)
                        touched[event.commitment_id] = None
                for cid in touched:
                    found = self._log_violation(cid)
                    if found is not None:
                        problem, moment = found
                        index = self._events.index(problem.update) - start
                        try:
                            self._raise_violation(self[cid], (problem, moment), None)
                        except CommitmentsError as exc:
                            if isinstance(problem, Violation):
                                raise exc.at("status") from None
                            raise exc.at("party" if "party" in problem.problem else "on") from None
            except CommitmentsError as exc:
                exc.index = index
                raise

    def _check_recorded(self, event: Event) -> None:
        """Raise unless a recorded `event` may follow the log, before the full check."""
        if event.id in self._events_by_id:
            raise DuplicateError(f"event id {event.id!r} is already recorded").at("id")
        if isinstance(event, Addition):
            commitment = event.commitment
            if commitment.id in self:
                raise DuplicateError(
                    f"a commitment with id {commitment.id!r} is already tracked"
                ).at("commitment.id")
            for j, other in enumerate(commitment.restates):
                if other not in self:
                    raise UpdateError(
                        f"{commitment.id}: restates names {other!r}, which is not an earlier "
                        "commitment"
                    ).at(f"commitment.restates[{j}]")
            if commitment.superseded_by is not None and commitment.superseded_by not in self:
                raise UpdateError(
                    f"{commitment.id}: superseded_by names {commitment.superseded_by!r}, which "
                    "is not an earlier commitment; record a 'superseded' update instead"
                ).at("commitment.superseded_by")
            return
        if event.commitment_id not in self:
            raise UnknownCommitmentError(event.commitment_id, self._known_ids()).at("commitment_id")
        current = self[event.commitment_id]
        if isinstance(event, StatusUpdate):
            if event.status not in self.workflow.transitions:
                raise UpdateError(
                    f"{event.commitment_id}: status {event.status} is not in workflow "
                    f"{self.workflow.name!r}"
                ).at("status")
            self._check_update_fields(current, event)
        elif isinstance(event, Amendment):
            self._check_amendment_fields(current, event)
        else:
            target = self._events_by_id.get(event.update_id)
            if target is None:
                raise UpdateError(
                    f"{event.id}: {event.update_id!r} is not an earlier event of "
                    f"{event.commitment_id}"
                ).at("update_id")
            self._check_retraction_fields(target, event)

    def _addition_id(self, commitment_id: str, requested: str | None) -> str:
        if requested is not None:
            return self._new_id(commitment_id, requested)
        candidate = f"{commitment_id}:0"
        n = 0
        while candidate in self._events_by_id:
            n += 1
            candidate = f"{commitment_id}:0-{n}"
        return candidate

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
        recorded_by: str | None = None,
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
                sources=_sources(source, sources),
                reason=reason,
                progress=progress,
                recorded_by=recorded_by,
            )
        except (ValidationError, TypeError) as exc:
            raise UpdateError(f"cannot record {status} for {cid} on {on}: {exc}") from None

    def _build_retraction(
        self,
        target: StatusUpdate | Amendment,
        reason: str,
        recorded_at: dt.datetime | None,
        retraction_id: str | None,
        recorded_by: str | None = None,
    ) -> Retraction:
        cid = target.commitment_id
        try:
            return Retraction(
                id=self._new_id(cid, retraction_id),
                commitment_id=cid,
                update_id=target.id,
                recorded_at=self._clock() if recorded_at is None else recorded_at,
                reason=reason,
                recorded_by=recorded_by,
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
        n = len(self._log[commitment_id]) - 1
        while True:
            n += 1
            candidate = f"{commitment_id}:{n}"
            if candidate not in self._events_by_id:
                return candidate

    def _check_update(self, commitment: Commitment, update: StatusUpdate) -> None:
        """Raise unless `update` may join the current log."""
        self._check_update_fields(commitment, update)
        cid = commitment.id
        found = knowledge_violation(
            self._additions[cid].commitment,
            [*self._updates.get(cid, ()), update],
            self._retractions.get(cid, []),
            self.workflow,
            since=update.recorded_at,
            amendments=self._amendments[cid],
        )
        self._raise_violation(commitment, found, update)

    def _check_update_fields(
        self, commitment: Commitment, update: StatusUpdate, *, full: bool = True
    ) -> None:
        """Raise unless `update` fits its commitment, whatever the history holds.

        `full=False` leaves the version checks (made_on, parties) to the log check.
        """
        cid = commitment.id
        if update.commitment_id != cid:
            raise UpdateError(f"update {update.id} belongs to {update.commitment_id}, not {cid}")
        if update.id in self._events_by_id:
            raise DuplicateError(f"event id {update.id!r} is already recorded").at("id")
        self._check_effect_day(cid, update.on, update.recorded_at, "an update")
        if not full:
            return
        # Unamended, the commitment is its only version (a store's quick path relies on it).
        amended = self._amendments.get(cid)
        version = self._known_versions(cid, None).at(update.on) if amended else commitment
        problem = misfit(version, update)
        if problem is not None:
            raise UpdateError(f"{cid}: {problem}").at("on" if "precedes" in problem else "party")

    @staticmethod
    def _check_effect_day(cid: str, on: dt.date, recorded_at: dt.datetime, what: str) -> None:
        recorded_day = recorded_at.astimezone(dt.UTC).date()
        if (on - recorded_day).days > 1:
            raise UpdateError(
                f"{cid}: {what} cannot take effect on {on}, more than a day "
                f"after it is recorded ({recorded_at.isoformat()})"
            ).at("on")

    def _check_amendment_fields(self, current: Commitment, amendment: Amendment) -> None:
        cid = current.id
        if amendment.on is not None:
            self._check_effect_day(cid, amendment.on, amendment.recorded_at, "a revision")
            original = self._known_versions(cid, None).original
            if amendment.on < original.made_on:
                raise UpdateError(
                    f"{cid}: a revision on {amendment.on} precedes the commitment, made on "
                    f"{original.made_on}; give a later date, or on=None for a correction"
                ).at("on")
        for name in ("restates", "superseded_by"):
            if name not in amendment.changes:
                continue
            value = amendment.changes[name]
            named = (value,) if isinstance(value, str) else tuple(value or ())
            for other in named:
                if other != cid and other not in self:
                    raise UpdateError(
                        f"{cid}: cannot amend {name}: {other!r} is not a tracked commitment"
                    ).at(f"changes.{name}")

    def _check_amendment(self, current: Commitment, amendment: Amendment) -> None:
        """Raise unless `amendment` may join the log in every state of knowledge."""
        self._check_amendment_fields(current, amendment)
        cid = current.id
        self._raise_violation(
            current,
            self._log_violation(cid, extra=amendment, since=amendment.recorded_at),
            None,
        )

    def _log_violation(
        self,
        cid: str,
        *,
        extra: Amendment | Retraction | None = None,
        since: dt.datetime | None = None,
    ) -> tuple[Violation | Misfit, dt.datetime | None] | None:
        """The first invalid update in any state of knowledge of `cid`'s log (with `extra`)."""
        amendments = list(self._amendments[cid])
        retractions = list(self._retractions[cid])
        if isinstance(extra, Amendment):
            amendments.append(extra)
        elif isinstance(extra, Retraction):
            retractions.append(extra)
        try:
            return knowledge_violation(
                self._additions[cid].commitment,
                self._updates[cid],
                retractions,
                self.workflow,
                since=since,
                amendments=amendments,
            )
        except ValidationError as exc:
            what = "the amendment" if isinstance(extra, Amendment) else "the change"
            raise UpdateError(f"{cid}: {what} would leave an invalid commitment: {exc}") from None

    def _check_retraction_fields(self, target: Event, retraction: Retraction) -> None:
        if retraction.id in self._events_by_id:
            raise DuplicateError(f"event id {retraction.id!r} is already recorded")
        if not isinstance(target, (StatusUpdate, Amendment)):
            raise UpdateError(
                f"{retraction.id}: {target.id} is not a status update or an amendment"
            ).at("update_id")
        if target.commitment_id != retraction.commitment_id:
            raise UpdateError(
                f"{retraction.id}: {target.id!r} is not an earlier event of "
                f"{retraction.commitment_id}"
            ).at("update_id")
        if target.id in self._retracted_by:
            earlier = self._retracted_by[target.id]
            raise UpdateError(
                f"{target.id} was already retracted by {earlier.id} "
                f"at {earlier.recorded_at.isoformat()}"
            ).at("update_id")
        if retraction.recorded_at < target.recorded_at:
            raise UpdateError(
                f"cannot retract {target.id} at {retraction.recorded_at.isoformat()}, "
                f"before it was recorded ({target.recorded_at.isoformat()})"
            ).at("recorded_at")

    def _check_retraction(self, target: StatusUpdate | Amendment, retraction: Retraction) -> None:
        self._check_retraction_fields(target, retraction)
        cid = target.commitment_id
        found = self._log_violation(cid, extra=retraction, since=retraction.recorded_at)
        kind = "update" if isinstance(target, StatusUpdate) else "amendment"
        self._raise_violation(self[cid], found, None, without=f"the retracted {kind}")

    def _raise_violation(
        self,
        commitment: Commitment,
        found: tuple[Violation | Misfit, dt.datetime | None] | None,
        new: StatusUpdate | None,
        *,
        without: str = "the change",
    ) -> None:
        if found is None:
            return
        violation, moment = found
        bad = violation.update
        when = "" if moment is None else f"as known at {moment.isoformat()}"
        if isinstance(violation, Misfit):
            lead = (
                "" if new is not None and bad is new else f"update {bad.id} would no longer fit: "
            )
            raise UpdateError(
                f"{commitment.id}: {lead}{violation.problem}" + (f" ({when})" if when else "")
            )
        if new is not None and bad is new:
            detail = ""
        elif new is not None:
            detail = f"recording {new.status} on {new.on} would make the update {bad.id} invalid"
        else:
            detail = f"without {without}, update {bad.id} would be invalid"
        if when:
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

    def _store_commitment(self, addition: Addition) -> None:
        self._apply_addition(addition)

    def _apply_addition(self, addition: Addition) -> None:
        commitment = addition.commitment
        cid = commitment.id
        self._commitments[cid] = commitment
        self._additions[cid] = addition
        self._updates[cid] = []
        self._amendments[cid] = []
        self._retractions[cid] = []
        self._log[cid] = [addition]
        self._events.append(addition)
        self._events_by_id[addition.id] = addition
        self._known_from[cid] = addition.recorded_at

    def _append(self, event: Event, *, checked: bool = True) -> None:  # noqa: ARG002
        self._apply(event)

    def _apply(self, event: Event) -> None:
        if isinstance(event, Addition):
            self._apply_addition(event)
            return
        cid = event.commitment_id
        self._events.append(event)
        self._events_by_id[event.id] = event
        self._log[cid].append(event)
        if isinstance(event, StatusUpdate):
            self._updates[cid].append(event)
        elif isinstance(event, Amendment):
            self._amendments[cid].append(event)
            self._revise(cid)
        else:
            self._retractions[cid].append(event)
            self._retracted_by[event.update_id] = event
            if isinstance(self._events_by_id.get(event.update_id), Amendment):
                self._revise(cid)
        self._known_from[cid] = min(self._known_from[cid], event.recorded_at)
        self._timelines.pop(cid, None)

    def _revise(self, cid: str) -> None:
        """Refold an amended commitment's versions after its amendments changed."""
        amendments = effective_amendments(self._amendments[cid], self._retractions[cid])
        versions = fold_versions(self._additions[cid].commitment, amendments)
        self._versions[cid] = versions
        self._commitments[cid] = versions.current

    # -- questions ----------------------------------------------------------------

    def _check_known(self, cid: str, cutoff: dt.datetime | None, known_on: KnownOn) -> None:
        if cutoff is not None and self._known_from[cid] >= cutoff:
            raise NotYetKnownError(cid, self._known_from[cid].isoformat(), str(known_on))

    def _known_versions(self, cid: str, cutoff: dt.datetime | None) -> Versions:
        """The versions of `cid` as known before `cutoff` (None: everything recorded)."""
        amendments = self._amendments[cid]
        base = self._additions[cid].commitment
        if not amendments:
            return Versions(base)
        if cutoff is None:
            cached = self._versions.get(cid)
            if cached is not None:
                return cached
        return fold_versions(base, effective_amendments(amendments, self._retractions[cid], cutoff))

    def _version(self, cid: str, day: dt.date, cutoff: dt.datetime | None) -> Commitment:
        """The commitment as it stood on `day`, as known before `cutoff`."""
        if not self._amendments[cid]:
            return self._commitments[cid]
        return self._known_versions(cid, cutoff).at(day)

    def _everything(self) -> None:
        """Make every commitment present before a collection-wide answer (a lazy store loads)."""

    def _candidates(self, cutoff: dt.datetime | None) -> Iterator[str]:
        """The ids of every commitment known before `cutoff`, in the order they were added."""
        self._everything()
        if cutoff is None:
            return iter(self._commitments)
        known = self._known_from
        return (cid for cid in self._commitments if known[cid] < cutoff)

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

    def amendments(self, commitment_id: str, *, known_on: KnownOn = None) -> tuple[Amendment, ...]:
        """The amendments that count, in recording order (retracted ones left out)."""
        self[commitment_id]
        return tuple(
            effective_amendments(
                self._amendments[commitment_id],
                self._retractions[commitment_id],
                knowledge_cutoff(known_on),
            )
        )

    def _asked(
        self, commitment_id: str, day: dt.date, known_on: KnownOn
    ) -> tuple[Commitment, dt.datetime | None]:
        """(the commitment as it stood on `day`, the cutoff) for a question about one."""
        self[commitment_id]
        cutoff = knowledge_cutoff(known_on)
        self._check_known(commitment_id, cutoff, known_on)
        if type(day) is not dt.date:
            check_made(self._commitments[commitment_id], day)  # raises the usual message
        commitment = self._version(commitment_id, day, cutoff)
        check_made(commitment, day)
        return commitment, cutoff

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
        day = self._today() if as_of is None else as_of
        commitment, cutoff = self._asked(commitment_id, day, known_on)
        if party is not None:
            if party not in commitment.parties:
                raise ValidationError(
                    f"{commitment_id}: unknown party {party!r}; the parties are "
                    f"{', '.join(commitment.parties) or 'none'}"
                )
            updates = self.history(commitment_id, known_on=known_on)
            return party_statuses_on(commitment, updates, day)[party]
        return self._status(commitment, self._timeline(commitment, cutoff), day)

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
        day = self._today() if as_of is None else as_of
        commitment, cutoff = self._asked(commitment_id, day, known_on)
        return occurrences(commitment, self._timeline(commitment, cutoff), day)

    def assess(
        self, commitment_id: str, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> Assessment:
        """The full assessment of one commitment on `as_of` (default today, UTC)."""
        day = self._today() if as_of is None else as_of
        commitment, cutoff = self._asked(commitment_id, day, known_on)
        updates = self.history(commitment_id, known_on=known_on)
        versions = (
            self._known_versions(commitment_id, cutoff) if self._amendments[commitment_id] else None
        )
        return assess_timeline(
            commitment,
            self._timeline(commitment, cutoff),
            day,
            known_on,
            party_statuses_on(commitment, updates, day),
            policy=self.policy,
            versions=versions,
        )

    def assess_all(
        self, *, as_of: dt.date | None = None, known_on: KnownOn = None
    ) -> list[Assessment]:
        """Assessments of every commitment made on or before `as_of`, as known on `known_on`."""
        day = self._today() if as_of is None else as_of
        self._check_day(day)
        cutoff = knowledge_cutoff(known_on)
        return [
            self.assess(cid, as_of=day, known_on=known_on)
            for cid in self._candidates(cutoff)
            if self._version(cid, day, cutoff).made_on <= day
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
        """Commitments open on `as_of` whose latest deadline date has passed.

        Each as it stood on `as_of`, as known on `known_on`.
        """
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
        for cid in self._candidates(cutoff):
            c = self._version(cid, day, cutoff)
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
        for cid in self._candidates(cutoff):
            c = self._version(cid, day, cutoff)
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
        for cid in self._candidates(cutoff):
            commitment = self._version(cid, day, cutoff)
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
        """The status timeline of `commitment` (one version of it) as known before `cutoff`."""
        cid = commitment.id
        if cutoff is None:
            cached = self._timelines.get(cid)
            if cached is not None and cached[0] is commitment:
                return cached[1]
        updates = effective_updates(self._updates[cid], self._retractions[cid], cutoff)
        timeline = build_timeline(commitment, updates)
        if cutoff is None:
            self._timelines[cid] = (commitment, timeline)
        return timeline

    def _today(self) -> dt.date:
        return self._clock().astimezone(dt.UTC).date()

    @staticmethod
    def _check_day(day: object) -> None:
        if type(day) is not dt.date:
            raise ValidationError(f"as_of must be a calendar date (datetime.date), got {day!r}")
