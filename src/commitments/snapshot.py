"""A saved state of the projection: what a store keeps per commitment to answer fast.

`snapshot(state)` takes from a `commitments.projection.State` what questions asked with
everything recorded counting need (the commitment as it stands, its status timeline),
and what checking an update that comes last needs (each track's status, the last
effect key, the newest recording time). It is never computed another way: a store
writes the snapshot of the state it just folded, or `Snapshot.appended`, which runs the
fold's own `TimelineBuilder` one update further. `to_text` and `from_text` give the
compact form stores save.

A snapshot answers only for a commitment with one version (no revision in force):
`usable` says so; otherwise the tracker reads the whole log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

import attrs

from commitments.commitment import Commitment
from commitments.events import Progress, StatusUpdate
from commitments.exceptions import CommitmentsError, ValidationError
from commitments.history import Timeline, TimelineBuilder, effect_key, statuses_after, tracks
from commitments.projection import State
from commitments.status import Status

_STATUSES = {s.value: s for s in Status}
_VALUES = {s: s.value for s in Status}
_LAST_DAY = dt.date.max.toordinal()
_MAX_VERSION = 2**63 - 1  # what an SQLite integer holds

#: Makes the error of a damaged saved snapshot from its message.
Damaged = Callable[[str], Exception]

#: A thin update: (id, on as an ordinal, recorded_at in ISO format, party, status).
Ref = tuple[str, int, str, str | None, Status, "Progress | None"]


@attrs.frozen
class Snapshot:
    """One commitment's state, everything recorded counting, without its events.

    `version` counts the events of its log; `tracks` holds each track's status after
    every effective update and `last` the effect key (on, recorded_at) of the last one;
    `newest` is the latest `recorded_at` of any event. `amended` and `retracted` say
    whether the log holds amendments or retractions (then an update is never appended
    to the snapshot alone).
    """

    commitment: Commitment
    version: int
    known_from: dt.datetime
    newest: dt.datetime
    timeline: Timeline
    tracks: tuple[tuple[str | None, Status], ...]
    last: tuple[dt.date, dt.datetime] | None
    amended: bool = False
    retracted: bool = False
    usable: bool = True

    @property
    def commitment_id(self) -> str:
        """The commitment's id."""
        return self.commitment.id

    def known(self, cutoff: dt.datetime | None) -> bool:
        """Whether the commitment was recorded before `cutoff` (None: now)."""
        return cutoff is None or self.known_from < cutoff

    def version_on(self, day: dt.date, cutoff: dt.datetime | None) -> Commitment:  # noqa: ARG002
        """The commitment on any day: a usable snapshot has one version."""
        return self.commitment

    def timeline_of(self, version: Commitment, cutoff: dt.datetime | None) -> Timeline:  # noqa: ARG002
        """The status timeline, everything recorded counting."""
        return self.timeline

    @property
    def closed_from(self) -> int | None:
        """The ordinal from which the commitment is closed for good, or None.

        A prefilter for stores: a non-recurring commitment whose last timeline entry is
        closed stays closed from the start of that run on (no policy reopens it).
        """
        if self.commitment.recurrence is not None or not self.timeline.statuses:
            return None
        statuses = self.timeline.statuses
        if statuses[-1].is_open:
            return None
        i = len(statuses) - 1
        while i > 0 and statuses[i - 1] == statuses[-1]:
            i -= 1
        return self.timeline.days[i]

    def comes_last(self, update: StatusUpdate) -> bool:
        """Whether `update` may be appended to this snapshot without reading the log.

        It must follow every effective update in effect order and every event in
        recording order, on a commitment that is not recurring, amended or retracted
        in: every state of knowledge from its `recorded_at` on is then the latest
        history plus `update`, so the track statuses are all a check needs.
        """
        return (
            self.usable
            and not self.amended
            and not self.retracted
            and self.commitment.recurrence is None
            and (self.last is None or effect_key(update) >= self.last)
            and update.recorded_at >= self.newest
        )

    def appended(self, update: StatusUpdate) -> Snapshot:
        """The snapshot after `update`, which `comes_last` (as if the log were refolded)."""
        builder = TimelineBuilder(self.commitment, self.timeline)
        builder.add(update)
        return attrs.evolve(
            self,
            version=self.version + 1,
            known_from=min(self.known_from, update.recorded_at),
            newest=update.recorded_at,
            timeline=builder.timeline(),
            tracks=tuple(builder.state.items()),
            last=effect_key(update),
        )

    # -- the saved form --------------------------------------------------------------

    def to_text(self) -> str:
        """The compact JSON a store saves (the commitment is saved apart)."""
        t = self.timeline
        doc: dict[str, Any] = {
            "v": self.version,
            "k": self.known_from.isoformat(),
            "n": self.newest.isoformat(),
            "d": t.days,
            "s": [_VALUES[s] for s in t.statuses],
            "u": _refs(t.updates),
            "t": [[track, _VALUES[status]] for track, status in self.tracks],
        }
        if self.last is not None:
            doc["l"] = [self.last[0].isoformat(), self.last[1].isoformat()]
        if t.markers:
            doc["m"] = _refs(t.markers)
        if t.open_tracks:
            doc["o"] = [sorted(x or "" for x in tracks) for tracks in t.open_tracks]
        if t.track_states:
            doc["p"] = [[_VALUES[s] for s in states] for states in t.track_states]
        flags = "a" * self.amended + "r" * self.retracted + "x" * (not self.usable)
        if flags:
            doc["f"] = flags
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_text(
        cls, commitment: Commitment, text: str, *, damaged: Damaged = ValidationError
    ) -> Snapshot:
        """A snapshot of `commitment` from `to_text`; `damaged(message)` is raised if damaged.

        Every part's type and shape is checked here (but the update references', checked
        when first read, raising `damaged` then): code that reads the snapshot never meets
        a value it would fail on. Whether the values are right is `verify`'s question.
        """
        cid = commitment.id
        try:
            doc = json.loads(text)
            days = tuple(doc["d"])
            refs = doc["u"]
            markers = doc.get("m", [])
            open_tracks = tuple(frozenset(x or None for x in o) for o in doc.get("o", ()))
            timeline = Timeline(
                days,
                tuple(_STATUSES[s] for s in doc["s"]),
                _Updates(cid, refs, damaged),
                _Updates(cid, markers, damaged),
                open_tracks,
                tuple(tuple(_STATUSES[s] for s in states) for states in doc.get("p", ())),
            )
            last = doc.get("l")
            flags = doc.get("f", "")
            snap = cls(
                commitment,
                doc["v"],
                dt.datetime.fromisoformat(doc["k"]),
                dt.datetime.fromisoformat(doc["n"]),
                timeline,
                tuple((track, _STATUSES[status]) for track, status in doc["t"]),
                None
                if last is None
                else (dt.date.fromisoformat(last[0]), dt.datetime.fromisoformat(last[1])),
                amended="a" in flags,
                retracted="r" in flags,
                usable="x" not in flags,
            )
            problem = _problem(snap, refs, markers, doc.get("o", ()), flags)
        except (LookupError, TypeError, ValueError, RecursionError, AttributeError) as exc:
            raise damaged(f"the snapshot of {cid!r} is damaged: {exc}") from None
        if problem:
            raise damaged(f"the snapshot of {cid!r} is damaged: {problem}")
        return snap


def _problem(snap: Snapshot, refs: Any, markers: Any, opens: Any, flags: Any) -> str:  # noqa: ANN401 - parts as parsed
    """What is wrong with a snapshot read back (but its references), or ''."""
    timeline = snap.timeline
    days = timeline.days
    version = snap.version
    if type(version) is not int or not 0 < version <= _MAX_VERSION:
        return f"version {version!r}"
    # Ordinals of the calendar (a sum of JSON numbers is an int only if each one is; the
    # order of the days only makes answers wrong, which `verify` finds, not raise).
    if days and not (type(sum(days)) is int and min(days) > 0 and max(days) <= _LAST_DAY):
        return "its days are not ordinals of the calendar"
    last = snap.last
    if (
        snap.known_from.tzinfo is None
        or snap.newest.tzinfo is None
        or (last is not None and last[1].tzinfo is None)
    ):
        return "a moment has no UTC offset"
    if type(refs) is not list or type(markers) is not list or type(flags) is not str:
        return "parts have the wrong type"
    if len(timeline.statuses) != len(days) or len(refs) != len(days):
        return "parts differ"
    expected = tracks(snap.commitment)
    if len(snap.tracks) != len(expected) or tuple(dict(snap.tracks)) != expected:
        return "its tracks are not those of the commitment"
    if timeline.track_states and (
        len(timeline.track_states) != len(days)
        or set(map(len, timeline.track_states)) != {len(expected)}
    ):
        return "its party states do not fit the commitment"
    if timeline.open_tracks and (
        len(timeline.open_tracks) != len(days) or any(type(x) is not str for o in opens for x in o)
    ):
        return "its open tracks do not fit its days"
    return ""


def snapshot(state: State) -> Snapshot:
    """The snapshot of `state`: what it answers with everything recorded counting."""
    current = state.current
    effective = state.updates_known(None)
    return Snapshot(
        commitment=current,
        version=state.version,
        known_from=state.known_from,
        newest=state.newest,
        timeline=state.timeline_of(current, None),
        tracks=tuple(statuses_after(current, effective).items()),
        last=effect_key(effective[-1]) if effective else None,
        amended=bool(state.amendments),
        retracted=bool(state.retractions),
        usable=len(state.versions.all) == 1,
    )


def saying(
    updates: Sequence[StatusUpdate], status: Status, on: dt.date, party: str | None
) -> StatusUpdate | None:
    """The first of `updates` with this status, day and party, or None.

    A snapshot's saved references are compared as saved (each one's shape and status
    checked, so a damaged one raises as it would when built); only a match is built.
    """
    if not isinstance(updates, _Updates):
        return next(
            (u for u in updates if u.status is status and u.on == on and u.party == party),
            None,
        )
    ordinal = on.toordinal()
    for index, item in enumerate(updates.items):
        if not isinstance(item, StatusUpdate):
            try:
                _, day, _, who, said, _ = _unref(item)
            except (TypeError, ValueError, LookupError):
                updates[index]  # raises the snapshot's damage, named
                raise  # unreachable: building a damaged reference raises
            if not 0 < day <= _LAST_DAY:
                updates[index]  # a day no calendar has: raises the damage, named
            if day != ordinal or who != party or said is not status:
                continue
        found = updates[index]  # built and checked
        if found.status is status and found.on == on and found.party == party:
            return found
    return None


def _ref(update: StatusUpdate) -> list[Any]:
    ref = [
        update.id,
        update.on.toordinal(),
        update.recorded_at.isoformat(),
        update.party,
        _VALUES[update.status],
    ]
    progress = update.progress
    if progress is not None:  # listings show it; an update without any keeps five items
        ref.append([progress.done, progress.total, progress.unit])
    return ref


def _refs(updates: Sequence[StatusUpdate]) -> list[list[Any]]:
    if isinstance(updates, _Updates):
        return updates.refs()
    return [_ref(u) for u in updates]


def _unref(raw: Sequence[Any]) -> Ref:
    eid, on, recorded, party, status, *rest = raw
    if not isinstance(eid, str) or type(on) is not int or not isinstance(recorded, str):
        raise TypeError(f"bad update reference {raw!r}")
    progress = None
    if rest:
        ((done, total, unit),) = rest
        if not isinstance(unit, str):
            raise TypeError(f"bad progress in update reference {raw!r}")
        progress = Progress(done, total, unit)
    return (eid, on, recorded, party, _STATUSES[status], progress)


class _Updates(Sequence[StatusUpdate]):
    """Thin updates (no note, sources or reason; progress kept), built when read.

    `items` holds saved references (see `_ref`) or updates; a `TimelineBuilder` resuming
    a saved timeline works on them as they are and `rewrap`s the result.
    """

    __slots__ = ("_cid", "_damaged", "items")

    def __init__(
        self,
        commitment_id: str,
        items: Sequence[list[Any] | StatusUpdate],
        damaged: Damaged = ValidationError,
    ) -> None:
        self._cid = commitment_id
        self.items = items
        self._damaged = damaged

    def rewrap(self, items: Sequence[list[Any] | StatusUpdate]) -> _Updates:
        """The same kind of sequence over other items."""
        return _Updates(self._cid, items, self._damaged)

    def refs(self) -> list[list[Any]]:
        """Each update as the list `to_text` saves."""
        return [_ref(item) if isinstance(item, StatusUpdate) else item for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> StatusUpdate: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[StatusUpdate]: ...
    def __getitem__(self, index: int | slice) -> StatusUpdate | Sequence[StatusUpdate]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        item = self.items[index]
        if isinstance(item, StatusUpdate):
            return item
        # Read from a saved snapshot: checked here, when first needed.
        try:
            eid, on, recorded, party, status, progress = _unref(item)
            return StatusUpdate(
                id=eid,
                commitment_id=self._cid,
                status=status,
                on=dt.date.fromordinal(on),
                recorded_at=dt.datetime.fromisoformat(recorded),
                party=party,
                progress=progress,
            )
        except (TypeError, ValueError, LookupError, ArithmeticError, CommitmentsError) as exc:
            raise self._damaged(
                f"the snapshot of {self._cid!r} is damaged: update {item!r}: {exc}"
            ) from None

    def __iter__(self) -> Iterator[StatusUpdate]:
        return (self[i] for i in range(len(self)))
