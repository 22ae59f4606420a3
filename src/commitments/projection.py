"""The one projection: a commitment's log folded into its state, and the checks on it.

`fold` turns a commitment's events (its addition first, then amendments, updates and
retractions in recording order) into a `State`; `State.apply` is the same fold one event
further. Every question the tracker answers about a commitment reads a `State` (or a
`commitments.snapshot.Snapshot` saved from one), and every new event is checked here
against the state it would join, in every state of knowledge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import attrs

from commitments.commitment import Commitment
from commitments.events import Addition, Amendment, Event, Retraction, StatusUpdate
from commitments.exceptions import (
    DuplicateError,
    TransitionError,
    UpdateError,
    ValidationError,
)
from commitments.history import (
    Misfit,
    Timeline,
    Violation,
    build_timeline,
    effective_updates,
    knowledge_violation,
    misfit,
)
from commitments.status import Status
from commitments.versions import Versions, effective_amendments, fold_versions
from commitments.workflow import Workflow

Problem = tuple[Violation | Misfit, dt.datetime | None]


@attrs.frozen(eq=False)
class State:
    """One commitment's log and what follows from it, everything recorded counting.

    `log` holds every event in recording order, the addition first; `retracted` maps a
    retracted event's id to its retraction; `versions` are the commitment's versions.
    """

    log: tuple[Event, ...]
    updates: tuple[StatusUpdate, ...]
    amendments: tuple[Amendment, ...]
    retractions: tuple[Retraction, ...]
    retracted: Mapping[str, Retraction]
    known_from: dt.datetime
    versions: Versions
    _timelines: dict[int, tuple[Commitment, dt.datetime | None, Timeline]] = attrs.field(
        factory=dict, repr=False, alias="_timelines"
    )

    @property
    def addition(self) -> Addition:
        """The event that added the commitment."""
        first = self.log[0]
        assert isinstance(first, Addition)  # noqa: S101 - fold guarantees it
        return first

    @property
    def commitment_id(self) -> str:
        """The commitment's id."""
        return self.addition.commitment.id

    @property
    def version(self) -> int:
        """How many events the log holds, the addition included (for concurrency checks)."""
        return len(self.log)

    @property
    def current(self) -> Commitment:
        """The commitment as it stands: every amendment applied."""
        return self.versions.current

    @property
    def newest(self) -> dt.datetime:
        """The latest `recorded_at` in the log."""
        return max(e.recorded_at for e in self.log)

    def apply(self, event: Event) -> State:
        """The state after `event` (already checked) joins the log."""
        updates, amendments, retractions = self.updates, self.amendments, self.retractions
        retracted = self.retracted
        versions = self.versions
        if isinstance(event, StatusUpdate):
            updates = (*updates, event)
        elif isinstance(event, Amendment):
            amendments = (*amendments, event)
            versions = _versions(self.addition, amendments, retractions)
        elif isinstance(event, Retraction):
            retractions = (*retractions, event)
            retracted = {**retracted, event.update_id: event}
            if any(a.id == event.update_id for a in amendments):
                versions = _versions(self.addition, amendments, retractions)
        else:
            raise ValidationError(f"{event.id}: a commitment is added once")
        return State(
            (*self.log, event),
            updates,
            amendments,
            retractions,
            retracted,
            min(self.known_from, event.recorded_at),
            versions,
        )

    # -- as known on a moment ------------------------------------------------------------

    def known(self, cutoff: dt.datetime | None) -> bool:
        """Whether the commitment was recorded before `cutoff` (None: now)."""
        return cutoff is None or self.known_from < cutoff

    def versions_known(self, cutoff: dt.datetime | None) -> Versions:
        """The versions as known before `cutoff` (None: everything recorded)."""
        if cutoff is None or not self.amendments:
            return self.versions
        amendments = effective_amendments(self.amendments, self.retractions, cutoff)
        return fold_versions(self.addition.commitment, amendments)

    def version_on(self, day: dt.date, cutoff: dt.datetime | None) -> Commitment:
        """The commitment as it stood on `day`, as known before `cutoff`."""
        if not self.amendments:
            return self.versions.original
        return self.versions_known(cutoff).at(day)

    def updates_known(self, cutoff: dt.datetime | None) -> list[StatusUpdate]:
        """The updates that count before `cutoff`, in effect order."""
        return effective_updates(self.updates, self.retractions, cutoff)

    def amendments_known(self, cutoff: dt.datetime | None) -> list[Amendment]:
        """The amendments that count before `cutoff`, in recording order."""
        return effective_amendments(self.amendments, self.retractions, cutoff)

    def timeline_of(self, version: Commitment, cutoff: dt.datetime | None) -> Timeline:
        """The status timeline of `version` (one version of the commitment) before `cutoff`.

        Kept for the last cutoff asked per version: a series of days asked as known on
        one moment builds it once.
        """
        cached = self._timelines.get(id(version))
        if cached is not None and cached[0] is version and cached[1] == cutoff:
            return cached[2]
        timeline = build_timeline(version, self.updates_known(cutoff))
        self._timelines[id(version)] = (version, cutoff, timeline)
        return timeline


def _versions(
    addition: Addition, amendments: Sequence[Amendment], retractions: Sequence[Retraction]
) -> Versions:
    return fold_versions(addition.commitment, effective_amendments(amendments, retractions))


def start(addition: Addition) -> State:
    """The state of a commitment just added."""
    return State((addition,), (), (), (), {}, addition.recorded_at, Versions(addition.commitment))


def fold(events: Sequence[Event]) -> State:
    """The state of a commitment from its log: the addition, then the rest in order."""
    if not events or not isinstance(events[0], Addition):
        raise ValidationError("a commitment's log starts with its addition")
    addition = events[0]
    updates: list[StatusUpdate] = []
    amendments: list[Amendment] = []
    retractions: list[Retraction] = []
    known_from = addition.recorded_at
    for event in events[1:]:
        if isinstance(event, StatusUpdate):
            updates.append(event)
        elif isinstance(event, Retraction):
            retractions.append(event)
        elif isinstance(event, Amendment):
            amendments.append(event)
        else:
            raise ValidationError(f"{event.id}: a commitment is added once")
        known_from = min(known_from, event.recorded_at)
    versions = (
        _versions(addition, amendments, retractions)
        if amendments
        else Versions(addition.commitment)
    )
    return State(
        tuple(events),
        tuple(updates),
        tuple(amendments),
        tuple(retractions),
        {r.update_id: r for r in retractions},
        known_from,
        versions,
    )


# -- checks ----------------------------------------------------------------------------


def check_effect_day(cid: str, on: dt.date, recorded_at: dt.datetime, what: str) -> None:
    """Refuse an event taking effect more than a day after it is recorded."""
    if (on - recorded_at.astimezone(dt.UTC).date()).days > 1:
        raise UpdateError(
            f"{cid}: {what} cannot take effect on {on}, more than a day "
            f"after it is recorded ({recorded_at.isoformat()})"
        ).at("on")


def check_update_fields(version: Commitment, update: StatusUpdate, workflow: Workflow) -> None:
    """Raise unless `update` fits `version`, the commitment as it stood on the update's day."""
    cid = version.id
    if update.commitment_id != cid:
        raise UpdateError(f"update {update.id} belongs to {update.commitment_id}, not {cid}")
    if update.status not in workflow.transitions:
        raise UpdateError(f"{cid}: status {update.status} is not in workflow {workflow.name!r}").at(
            "status"
        )
    check_effect_day(cid, update.on, update.recorded_at, "an update")
    problem = misfit(version, update)
    if problem is not None:
        raise UpdateError(f"{cid}: {problem}").at("on" if "precedes" in problem else "party")


def check_update(state: State, update: StatusUpdate, workflow: Workflow) -> None:
    """Raise unless `update` may join the log in every state of knowledge from its own on."""
    check_update_fields(state.versions.at(update.on), update, workflow)
    found = knowledge_violation(
        state.addition.commitment,
        [*state.updates, update],
        state.retractions,
        workflow,
        since=update.recorded_at,
        amendments=state.amendments,
    )
    raise_problem(state.current, found, update)


def check_amendment_fields(
    state: State, amendment: Amendment, tracked: Callable[[str], bool]
) -> None:
    """Raise unless `amendment`'s date and links fit; `tracked` tells known commitment ids."""
    cid = state.commitment_id
    if amendment.commitment_id != cid:
        raise UpdateError(f"amendment {amendment.id} belongs to {amendment.commitment_id}")
    if amendment.on is not None:
        check_effect_day(cid, amendment.on, amendment.recorded_at, "a revision")
        original = state.versions.original
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
            if other != cid and not tracked(other):
                raise UpdateError(
                    f"{cid}: cannot amend {name}: {other!r} is not a tracked commitment"
                ).at(f"changes.{name}")


def check_amendment(
    state: State, amendment: Amendment, workflow: Workflow, tracked: Callable[[str], bool]
) -> None:
    """Raise unless `amendment` may join the log in every state of knowledge."""
    check_amendment_fields(state, amendment, tracked)
    found = log_problem(state, workflow, extra=amendment, since=amendment.recorded_at)
    raise_problem(state.current, found, None)


def check_retraction_fields(state: State, target: Event, retraction: Retraction) -> None:
    """Raise unless `retraction` may withdraw `target`, whatever the rest of the log."""
    if not isinstance(target, (StatusUpdate, Amendment)):
        kind = "a retraction" if isinstance(target, Retraction) else "an addition"
        raise UpdateError(
            f"{target.id} is {kind}; only status updates and amendments can be retracted"
        ).at("update_id")
    if target.commitment_id != retraction.commitment_id:
        raise UpdateError(
            f"{retraction.id}: {target.id!r} is not an earlier event of {retraction.commitment_id}"
        ).at("update_id")
    earlier = state.retracted.get(target.id)
    if earlier is not None:
        raise UpdateError(
            f"{target.id} was already retracted by {earlier.id} "
            f"at {earlier.recorded_at.isoformat()}"
        ).at("update_id")
    if retraction.recorded_at < target.recorded_at:
        raise UpdateError(
            f"cannot retract {target.id} at {retraction.recorded_at.isoformat()}, "
            f"before it was recorded ({target.recorded_at.isoformat()})"
        ).at("recorded_at")


def check_retraction(
    state: State, target: Event, retraction: Retraction, workflow: Workflow
) -> None:
    """Raise unless `retraction` may join the log in every state of knowledge.

    `target` may be any event: one that cannot be retracted is refused here.
    """
    check_retraction_fields(state, target, retraction)
    found = log_problem(state, workflow, extra=retraction, since=retraction.recorded_at)
    kind = "update" if isinstance(target, StatusUpdate) else "amendment"
    raise_problem(state.current, found, None, without=f"the retracted {kind}")


def log_problem(
    state: State,
    workflow: Workflow,
    *,
    extra: Amendment | Retraction | None = None,
    since: dt.datetime | None = None,
) -> Problem | None:
    """The first invalid update in any state of knowledge of the log (with `extra`)."""
    amendments = list(state.amendments)
    retractions = list(state.retractions)
    if isinstance(extra, Amendment):
        amendments.append(extra)
    elif isinstance(extra, Retraction):
        retractions.append(extra)
    try:
        return knowledge_violation(
            state.addition.commitment,
            state.updates,
            retractions,
            workflow,
            since=since,
            amendments=amendments,
        )
    except ValidationError as exc:
        what = "the amendment" if isinstance(extra, Amendment) else "the change"
        raise UpdateError(
            f"{state.commitment_id}: {what} would leave an invalid commitment: {exc}"
        ).at("changes") from None


def raise_problem(
    commitment: Commitment,
    found: Problem | None,
    new: StatusUpdate | None,
    *,
    without: str = "the change",
) -> None:
    """Raise the error `found` describes, if anything was found."""
    if found is None:
        return
    violation, moment = found
    bad = violation.update
    when = "" if moment is None else f"as known at {moment.isoformat()}"
    if isinstance(violation, Misfit):
        lead = "" if new is not None and bad is new else f"update {bad.id} would no longer fit: "
        field = "party" if "party" in violation.problem else "on"
        raise UpdateError(
            f"{commitment.id}: {lead}{violation.problem}" + (f" ({when})" if when else "")
        ).at(field)
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
    ).at("status")


def check_unique(event: Event, taken: Callable[[str], bool]) -> None:
    """Refuse an event id already recorded."""
    if taken(event.id):
        raise DuplicateError(f"event id {event.id!r} is already recorded").at("id")
