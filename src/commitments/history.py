"""Pure functions from a commitment's events to its statuses over time.

Rules (the README states them too):

- Effect order: updates sort by effective date `on`, then by `recorded_at`, then by the
  order they were recorded in.
- Knowledge: as known on K, an update or retraction counts when `recorded_at <= K`. A
  date K means the whole of that UTC day.
- A retracted update no longer counts from the retraction's `recorded_at` on.
- Parties: an update naming a party sets that party's status; one without a party sets
  every party's status. The overall status combines the parties' (see `combine`).
- Recurring commitments: a `fulfilled` update is an occurrence marker. It meets the
  period it falls in and leaves every status as it was, so the commitment stays open
  until an update closes it (`withdrawn`, `broken`, ...). The workflow does not judge
  a marker as a transition; a marker is allowed while a track it applies to is open.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from commitments.commitment import Commitment
from commitments.events import Amendment, Retraction, StatusUpdate
from commitments.exceptions import ValidationError
from commitments.recurrence import Occurrence
from commitments.status import Status
from commitments.versions import Versions, effective_amendments, fold_versions
from commitments.workflow import Workflow

_ONE_DAY = dt.timedelta(days=1)
_TICK = dt.timedelta(microseconds=1)

# Precedence used when parties are all closed but differ and none kept its word.
_CLOSED_FAILURE_ORDER = (Status.BROKEN, Status.WITHDRAWN, Status.SUPERSEDED)


def knowledge_cutoff(known_on: dt.date | dt.datetime | None) -> dt.datetime | None:
    """The exclusive upper bound on `recorded_at` for a known-on question.

    None means everything recorded counts. A date counts the whole UTC day (inclusive);
    an aware datetime counts everything recorded at or before it.
    """
    if known_on is None:
        return None
    if isinstance(known_on, dt.datetime):
        if known_on.utcoffset() is None:
            raise ValidationError(
                f"known_on {known_on!r} is a naive datetime; give a timezone-aware "
                "datetime or a date (a date means the whole UTC day)"
            )
        if known_on >= dt.datetime.max.replace(tzinfo=dt.UTC) - _ONE_DAY:
            return None  # the end of time: everything recorded counts
        return known_on + _TICK
    if isinstance(known_on, dt.date):
        if known_on >= dt.date.max - _ONE_DAY:
            return None
        return dt.datetime.combine(known_on + _ONE_DAY, dt.time(0), tzinfo=dt.UTC)
    raise ValidationError(
        f"known_on must be a date or an aware datetime, got {type(known_on).__name__}"
    )


def effect_key(update: StatusUpdate) -> tuple[dt.date, dt.datetime]:
    """Sort key of effect order; a stable sort keeps recording order among ties."""
    return (update.on, update.recorded_at)


def effective_updates(
    updates: Iterable[StatusUpdate],
    retractions: Iterable[Retraction],
    cutoff: dt.datetime | None = None,
) -> list[StatusUpdate]:
    """The updates that count before `cutoff` (exclusive), in effect order.

    `updates` must be in recording order so that ties keep it.
    """
    if cutoff is None:
        retracted = {r.update_id for r in retractions}
        kept = [u for u in updates if u.id not in retracted]
    else:
        retracted = {r.update_id for r in retractions if r.recorded_at < cutoff}
        kept = [u for u in updates if u.recorded_at < cutoff and u.id not in retracted]
    kept.sort(key=effect_key)
    return kept


def combine(statuses: Iterable[Status]) -> Status:
    """The overall status of a commitment whose parties stand at `statuses`.

    - All parties agree: that status.
    - Some party is still open: `in_progress` if any party has moved forward
      (in progress, fulfilled, partially fulfilled), else `stalled` if any party is
      stalled or has closed without delivering, else `pledged`.
    - All closed: `fulfilled` only when every party fulfilled; `partially_fulfilled`
      when some delivered (fully or partly); otherwise the first of broken,
      withdrawn, superseded present.
    """
    distinct = set(statuses)
    if len(distinct) == 1:
        return next(iter(distinct))
    if not distinct:
        return Status.PLEDGED
    forward = {Status.IN_PROGRESS, Status.FULFILLED, Status.PARTIALLY_FULFILLED}
    if any(s.is_open for s in distinct):
        if distinct & forward:
            return Status.IN_PROGRESS
        if distinct - {Status.PLEDGED}:
            return Status.STALLED
        return Status.PLEDGED
    if distinct & {Status.FULFILLED, Status.PARTIALLY_FULFILLED}:
        return Status.PARTIALLY_FULFILLED
    return next(s for s in _CLOSED_FAILURE_ORDER if s in distinct)


def tracks(commitment: Commitment) -> tuple[str | None, ...]:
    """The status tracks of a commitment: one per party, or one when it has none."""
    return commitment.parties or (None,)


def is_marker(commitment: Commitment, update: StatusUpdate) -> bool:
    """Whether `update` marks an occurrence met rather than changing a status."""
    return commitment.recurrence is not None and update.status is Status.FULFILLED


def statuses_after(
    commitment: Commitment, updates: Sequence[StatusUpdate]
) -> dict[str | None, Status]:
    """Each track's status after applying `updates` (in effect order)."""
    state: dict[str | None, Status] = dict.fromkeys(tracks(commitment), Status.PLEDGED)
    for update in updates:
        if not is_marker(commitment, update):
            _apply(state, update)
    return state


def _apply(state: dict[str | None, Status], update: StatusUpdate) -> None:
    if update.party is None:
        for track in state:
            state[track] = update.status
    elif update.party in state:
        # A party that a revision removed stops counting from the revision on.
        state[update.party] = update.status


@attrs.frozen
class Violation:
    """The first update in a history whose transition the workflow forbids."""

    update: StatusUpdate
    party: str | None
    from_status: Status
    allowed: frozenset[Status]


def first_violation(
    commitment: Commitment,
    updates: Sequence[StatusUpdate],
    workflow: Workflow,
    start: Mapping[str | None, Status] | None = None,
    *,
    version_on: Callable[[dt.date], Commitment] | None = None,
) -> Violation | None:
    """Check every track's chain of transitions; None when the whole history is valid.

    `start` is each track's status before `updates` (default: all `pledged`), so the
    updates that follow a known history can be checked without replaying it.
    An occurrence marker (see `is_marker`) is valid while a track it applies to is open.
    With `version_on` (an amended commitment: its tracks are those of every version),
    each update is judged by the version in force on its day: whether it is a marker,
    and which parties an update naming none applies to.
    """
    state: dict[str | None, Status] = (
        dict.fromkeys(tracks(commitment), Status.PLEDGED) if start is None else dict(start)
    )
    for update in updates:
        version = commitment if version_on is None else version_on(update.on)
        if update.party is not None:
            touched: Iterable[str | None] = (update.party,)
        elif version_on is None:
            touched = state
        else:
            touched = [t for t in tracks(version) if t in state]
        if is_marker(version, update):
            if not any(state[track].is_open for track in touched):
                current = state[update.party] if update.party else combine(state.values())
                return Violation(update, update.party, current, workflow.targets(current))
            continue
        for track in touched:
            current = state[track]
            if not workflow.allows(current, update.status):
                # Name the party only when it matters: the update named it, or the
                # parties stood at different statuses.
                named = track if update.party is not None or len(set(state.values())) > 1 else None
                return Violation(update, named, current, workflow.targets(current))
        if version_on is None:
            _apply(state, update)
        else:
            for track in touched:
                state[track] = update.status
    return None


@attrs.frozen
class Misfit:
    """An update that does not fit the version of its commitment in force on its day."""

    update: StatusUpdate
    problem: str


def misfit(version: Commitment, update: StatusUpdate) -> str | None:
    """Why `update` does not fit `version` (made_on, parties), or None when it does."""
    if update.on < version.made_on:
        return (
            f"an update on {update.on} precedes the commitment, made on "
            f"{version.made_on}; updates must be on or after it"
        )
    if update.party is not None and update.party not in version.parties:
        allowed = ", ".join(version.parties) or "none (the commitment names no parties)"
        return f"unknown party {update.party!r}; the parties are {allowed}"
    return None


def _state_violation(
    versions: Versions, updates: Sequence[StatusUpdate], workflow: Workflow
) -> Violation | Misfit | None:
    for update in updates:
        problem = misfit(versions.at(update.on), update)
        if problem is not None:
            return Misfit(update, problem)
    if not versions.revisions:
        return first_violation(versions.current, updates, workflow)
    # Every party any version names is a track; each update is judged by its day's version.
    named: dict[str | None, None] = {}
    for version in versions.all:
        named.update(dict.fromkeys(tracks(version)))
    start = dict.fromkeys(named, Status.PLEDGED)
    return first_violation(versions.current, updates, workflow, start, version_on=versions.at)


def _arrives_in_effect_order(updates: Sequence[StatusUpdate]) -> bool:
    """Whether updates were recorded in the order they take effect."""
    arrival = sorted(updates, key=lambda u: u.recorded_at)
    return all(effect_key(a) <= effect_key(b) for a, b in itertools.pairwise(arrival))


def knowledge_violation(
    commitment: Commitment,
    updates: Sequence[StatusUpdate],
    retractions: Sequence[Retraction],
    workflow: Workflow,
    *,
    since: dt.datetime | None = None,
    amendments: Sequence[Amendment] = (),
) -> tuple[Violation | Misfit, dt.datetime | None] | None:
    """The first invalid update in any state of knowledge from `since` on.

    `commitment` is the commitment as added; `amendments` its amendments, in recording
    order. Every history *as known on* some moment must follow the workflow and fit the
    version of the commitment in force on each update's day, not only the latest one:
    a back-filled `recorded_at`, an amendment or a retraction changes what was known
    from then on. Returns the problem and the moment it was known (None: now). An
    amendment whose changes do not fit raises `ValidationError`. When updates arrive
    in effect order and nothing is retracted or amended, each earlier state is a
    prefix of the latest, so checking the latest suffices.
    """
    if not amendments:
        latest = first_violation(commitment, effective_updates(updates, retractions), workflow)
        if latest is not None:
            return latest, None
        if not retractions and _arrives_in_effect_order(updates):
            return None
    else:
        versions = fold_versions(commitment, effective_amendments(amendments, retractions))
        found = _state_violation(versions, effective_updates(updates, retractions), workflow)
        if found is not None:
            return found, None
    recorded = [u.recorded_at for u in updates] + [r.recorded_at for r in retractions]
    recorded += [a.recorded_at for a in amendments]
    moments = sorted({m for m in recorded if since is None or m >= since})
    for moment in moments:
        cutoff = moment + _TICK
        known = effective_updates(updates, retractions, cutoff)
        if amendments:
            versions = fold_versions(
                commitment, effective_amendments(amendments, retractions, cutoff)
            )
            found = _state_violation(versions, known, workflow)
        else:
            found = first_violation(commitment, known, workflow)
        if found is not None:
            return found, moment
    return None


@attrs.frozen
class Timeline:
    """A commitment's overall status by day: `statuses[i]` holds from `days[i]` on.

    `days` are proleptic ordinals, ascending and distinct; same-day updates collapse
    into the last of the day. Before the first entry the status is `pledged`.
    `markers` are a recurring commitment's occurrence markers, in effect order, and
    `open_tracks[i]` (for a recurring commitment with parties) the parties open from
    `days[i]` on. `track_states[i]` (for a commitment with several parties) holds each
    party's status from `days[i]` on, in the order of its parties; empty when every
    party moved together.
    """

    days: tuple[int, ...]
    statuses: tuple[Status, ...]
    updates: Sequence[StatusUpdate]
    markers: Sequence[StatusUpdate] = ()
    open_tracks: tuple[frozenset[str | None], ...] = ()
    track_states: tuple[tuple[Status, ...], ...] = ()

    def party_statuses_on(self, commitment: Commitment, day: dt.date) -> dict[str, Status]:
        """Each party's status on `day` (empty for a commitment without parties)."""
        if not commitment.parties:
            return {}
        i = bisect_right(self.days, day.toordinal()) - 1
        if self.track_states:
            states = self.track_states[i] if i >= 0 else (Status.PLEDGED,) * len(commitment.parties)
            return dict(zip(commitment.parties, states, strict=True))
        # Every party moved together (or there is one): each stands at the overall status.
        return dict.fromkeys(commitment.parties, self.statuses[i] if i >= 0 else Status.PLEDGED)

    def open_tracks_on(self, day: dt.date, every: frozenset[str | None]) -> frozenset[str | None]:
        """The tracks open on `day`; `every` (all tracks) when none are recorded."""
        i = bisect_right(self.days, day.toordinal()) - 1
        return self.open_tracks[i] if self.open_tracks and i >= 0 else every

    def index_on(self, day: dt.date) -> int:
        """Index of the entry in effect on `day`, or -1 before the first update."""
        return bisect_right(self.days, day.toordinal()) - 1

    def status_on(self, day: dt.date) -> Status:
        """The overall status in effect on `day`."""
        i = bisect_right(self.days, day.toordinal()) - 1
        return self.statuses[i] if i >= 0 else Status.PLEDGED

    def run_start(self, index: int) -> dt.date:
        """The first day of the run of equal statuses that entry `index` belongs to."""
        status = self.statuses[index]
        while index > 0 and self.statuses[index - 1] == status:
            index -= 1
        return dt.date.fromordinal(self.days[index])


class TimelineBuilder:
    """Builds a `Timeline` one update at a time, in effect order.

    The fold builds whole timelines with it, and a snapshot continues one with an update
    that comes last: one rule for both. Same-day updates collapse into the last of the
    day.
    """

    __slots__ = (
        "_rewrap",
        "days",
        "keep_open_tracks",
        "last",
        "markers",
        "open_tracks",
        "recurring",
        "single",
        "state",
        "statuses",
        "track_states",
    )

    def __init__(self, commitment: Commitment, start: Timeline | None = None) -> None:
        self._rewrap: Callable[[list[object]], Sequence[StatusUpdate]] | None = None
        self.recurring = commitment.recurrence is not None
        self.state: dict[str | None, Status] = dict.fromkeys(tracks(commitment), Status.PLEDGED)
        self.single = len(self.state) == 1
        self.keep_open_tracks = self.recurring and not self.single
        self.days: list[int] = []
        self.statuses: list[Status] = []
        self.last: list[StatusUpdate] = []
        self.markers: list[StatusUpdate] = []
        self.open_tracks: list[frozenset[str | None]] = []
        self.track_states: list[tuple[Status, ...]] = []
        if start is not None:
            self._resume(start)

    def _resume(self, start: Timeline) -> None:
        self.days = list(start.days)
        self.statuses = list(start.statuses)
        # A saved timeline's updates may be thin references, built only when read: keep
        # them as they are (`items`) and wrap the result the same way (`rewrap`).
        self._rewrap = getattr(start.updates, "rewrap", None)
        self.last = list(getattr(start.updates, "items", start.updates))
        self.markers = list(getattr(start.markers, "items", start.markers))
        self.open_tracks = list(start.open_tracks) or [frozenset()] * len(self.days)
        if start.track_states:
            self.track_states = list(start.track_states)
            self.state = dict(zip(self.state, start.track_states[-1], strict=True))
        elif start.statuses:
            # Every track moved together: each stands at the last overall status.
            self.state = dict.fromkeys(self.state, start.statuses[-1])
            if not self.single:
                self.track_states = [(s,) * len(self.state) for s in start.statuses]

    def add(self, update: StatusUpdate) -> Status:
        """Apply `update`, which follows every added one in effect order; the overall status."""
        state = self.state
        if self.recurring and update.status is Status.FULFILLED:
            self.markers.append(update)
            overall = self.statuses[-1] if self.statuses else Status.PLEDGED
        elif self.single:
            if update.party is None or update.party in state:
                _apply(state, update)
            overall = next(iter(state.values()))
        else:
            _apply(state, update)
            overall = combine(state.values())
        day = update.on.toordinal()
        if self.days and self.days[-1] == day:
            self.statuses[-1] = overall
            self.last[-1] = update
        else:
            self.days.append(day)
            self.statuses.append(overall)
            self.last.append(update)
            self.open_tracks.append(frozenset())
            self.track_states.append(())
        if self.keep_open_tracks:
            self.open_tracks[-1] = frozenset(t for t, s in state.items() if s.is_open)
        if not self.single:
            self.track_states[-1] = tuple(state.values())
        return overall

    def timeline(self) -> Timeline:
        """The timeline of every update added so far.

        Track states are kept only where parties ever stood apart: otherwise each stands
        at the overall status, and the timeline is the same however it was built.
        """
        apart = not self.single and any(len(set(ts)) > 1 for ts in self.track_states)
        wrap = self._rewrap
        return Timeline(
            tuple(self.days),
            tuple(self.statuses),
            tuple(self.last) if wrap is None else wrap(self.last),  # type: ignore[arg-type]
            tuple(self.markers) if wrap is None else wrap(self.markers),  # type: ignore[arg-type]
            tuple(self.open_tracks) if self.keep_open_tracks else (),
            tuple(self.track_states) if apart else (),
        )


def build_timeline(commitment: Commitment, updates: Sequence[StatusUpdate]) -> Timeline:
    """The overall status timeline of `commitment` from `updates` in effect order."""
    if commitment.recurrence is None and all(u.party is None for u in updates):
        # Every track moves together, so the overall status is each update's own.
        return _uniform_timeline(updates)
    builder = TimelineBuilder(commitment)
    for update in updates:
        builder.add(update)
    return builder.timeline()


def _uniform_timeline(updates: Sequence[StatusUpdate]) -> Timeline:
    days: list[int] = []
    statuses: list[Status] = []
    last: list[StatusUpdate] = []
    for update in updates:
        day = update.on.toordinal()
        if days and days[-1] == day:
            statuses[-1] = update.status
            last[-1] = update
        else:
            days.append(day)
            statuses.append(update.status)
            last.append(update)
    return Timeline(tuple(days), tuple(statuses), tuple(last), (), ())


def occurrences(
    commitment: Commitment, timeline: Timeline, as_of: dt.date
) -> tuple[Occurrence, ...]:
    """The periods of a recurring commitment up to the one containing `as_of`.

    Periods that ended before `made_on` are left out (no update can fall in them); the
    first one may start before it. A period is met once markers on or before `as_of`
    cover every party still open on its last day (or on `as_of` for the current period;
    a marker without a party covers all). A period is missed when it ended before
    `as_of`, was not met, and the status was open on its last day. Empty for a
    commitment without a recurrence.
    """
    recurrence = commitment.recurrence
    if recurrence is None:
        return ()
    everyone = frozenset(tracks(commitment))
    markers = [m for m in timeline.markers if m.on <= as_of]
    result: list[Occurrence] = []
    i = 0
    for start, end in recurrence.periods(since=commitment.made_on, until=as_of):
        while i < len(markers) and markers[i].on < start:
            i += 1
        inside: list[StatusUpdate] = []
        while i < len(markers) and markers[i].on <= end:
            inside.append(markers[i])
            i += 1
        covered: set[str | None] = set()
        for marker in inside:
            covered |= everyone if marker.party is None else {marker.party}
        required = timeline.open_tracks_on(min(end, as_of), everyone)
        met = bool(inside) and covered >= required
        missed = not met and end < as_of and timeline.status_on(end).is_open
        result.append(Occurrence(start, end, met=met, missed=missed, updates=tuple(inside)))
    return tuple(result)
