"""Read-only views of a tracker: the commitments of one party, area, occasion or topic.

`Tracker.where(...)` returns a `Tracker` over a `ViewRecorder`: the tracker's own
recorder seen through a filter. Every question reads its commitments through the
recorder port, so every query, report, compliance score and export of a view is limited
to the matching commitments, computed by the one projection as usual. A view records
nothing: its writes are refused.

A filter matches the commitment as it stands (every amendment applied): `party` and
`area` equal one of the commitment's (case-insensitively, trimmed); `occasion` and `text`
are case-insensitive substrings of its occasion, or of its title or description. Several
values of one filter mean any of them; several filters must all match.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from commitments.commitment import Commitment
from commitments.events import Event
from commitments.exceptions import UpdateError, ValidationError
from commitments.recorder import SETTINGS, Recorder, Selection
from commitments.snapshot import Snapshot

if TYPE_CHECKING:
    from commitments.tracker import Tracker

Values = str | Iterable[str] | None


def _values(name: str, given: Values) -> tuple[str, ...]:
    """A filter's values, trimmed; refused if empty or not text."""
    if given is None:
        return ()
    items = [given] if isinstance(given, str) else list(given)
    found = []
    for item in items:
        if not isinstance(item, str):
            raise ValidationError(f"where({name}=...) takes text, not {type(item).__name__}")
        text = item.strip()
        if not text:
            raise ValidationError(f"where({name}=...) got an empty value; give some text")
        found.append(text)
    if not found:
        raise ValidationError(f"where({name}=...) got no values; give one, or leave it out")
    return tuple(found)


@attrs.frozen
class Filter:
    """Which commitments a view shows (see the module's docstring for each rule)."""

    parties: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        party: Values = None,
        area: Values = None,
        occasion: Values = None,
        text: Values = None,
    ) -> Filter:
        """A filter from `where()`'s arguments."""
        return cls(
            _values("party", party),
            _values("area", area),
            _values("occasion", occasion),
            _values("text", text),
        )

    def __bool__(self) -> bool:
        return bool(self.parties or self.areas or self.occasions or self.texts)

    def matches(self, c: Commitment) -> bool:
        """Whether the commitment, as it stands, passes every filter given."""
        if self.parties and not _folded(c.parties) & _folded(self.parties):
            return False
        if self.areas and not _folded(c.areas) & _folded(self.areas):
            return False
        if self.occasions and not _within(c.occasion, self.occasions):
            return False
        return not self.texts or _within(f"{c.title}\n{c.description}", self.texts)

    def describe(self) -> str:
        """The filter as `where()` arguments, for `repr` and messages."""
        parts = [
            f"{name}={values[0]!r}" if len(values) == 1 else f"{name}={list(values)!r}"
            for name, values in (
                ("party", self.parties),
                ("area", self.areas),
                ("occasion", self.occasions),
                ("text", self.texts),
            )
            if values
        ]
        return ", ".join(parts)


def _folded(values: Iterable[str]) -> set[str]:
    return {v.strip().casefold() for v in values}


def _within(text: str, wanted: Iterable[str]) -> bool:
    """Whether any of `wanted` is a case-insensitive substring of `text`."""
    folded = text.casefold()
    return any(w.casefold() in folded for w in wanted)


class ViewRecorder(Recorder):
    """A tracker's recorder seen through a filter, read-only."""

    def __init__(self, tracker: Tracker, where: Filter) -> None:
        self._tracker = tracker
        self._inner = tracker.recorder
        self.where = where
        for name in SETTINGS:
            setattr(self, name, getattr(self._inner, name))
        self._matching: list[str] | None = None
        self._shown: frozenset[str] = frozenset()
        self._synced_events = -1

    def describe(self) -> str:
        """The view as the inner recorder and the filter."""
        inner = self._inner
        shown = "" if type(inner).__name__ == "MemoryRecorder" else f"{inner.describe()}, "
        return f"{shown}view where {self.where.describe()}"

    def _ids(self) -> list[str]:
        """The matching ids in the order added; recomputed once `changed` saw the log grow."""
        if self._matching is None:
            self._matching = [c.id for c in self._tracker.commitments if self.where.matches(c)]
            self._shown = frozenset(self._matching)
        return self._matching

    def _matches(self) -> frozenset[str]:
        """The matching ids, as a set."""
        self._ids()
        return self._shown

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Refused: a view records nothing."""
        raise UpdateError(
            f"a view ({self.describe()}) is read-only; record through the tracker it came from"
        )

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """The inner recorder's consistent read."""
        return self._inner.reading()

    def ids(self) -> list[str]:
        """The matching ids, in the order added."""
        return list(self._ids())

    def count(self) -> int:
        """How many commitments match."""
        return len(self._ids())

    def has(self, commitment_id: str) -> bool:
        """Whether the commitment is recorded and matches."""
        return commitment_id in self._matches()

    def logs(self, ids: Sequence[str], *, thin: bool = False) -> dict[str, list[Event]]:
        """The logs of those of `ids` that match."""
        shown = self._matches()
        return self._inner.logs([cid for cid in ids if cid in shown], thin=thin)

    def log(self) -> list[Event]:
        """Every event of the matching commitments, in recording order."""
        shown = self._matches()
        return [e for e in self._inner.log() if e.commitment_id in shown]

    def event(self, event_id: str) -> Event | None:
        """The event with that id, if its commitment matches."""
        found = self._inner.event(event_id)
        return found if found is not None and found.commitment_id in self._matches() else None

    def event_count(self) -> int:
        """How many events the matching commitments have."""
        return len(self.log())

    def append(
        self,
        events: Sequence[Event],  # noqa: ARG002
        expected: Mapping[str, int],  # noqa: ARG002
        snapshots: Mapping[str, Snapshot],  # noqa: ARG002
    ) -> None:
        """Refused: a view records nothing."""
        raise UpdateError(
            f"a view ({self.describe()}) is read-only; record through the tracker it came from"
        )

    def recorded_between(self, start: dt.datetime, end: dt.datetime) -> list[Event] | None:
        """The inner recorder's events of the window, of matching commitments only."""
        found = self._inner.recorded_between(start, end)
        if found is None:
            return None
        shown = self._matches()
        return [e for e in found if e.commitment_id in shown]

    def changed(self) -> set[str] | None:
        """None (forget everything) once the log has grown since the last call.

        The inner recorder's own record of changes belongs to the tracker it serves.
        """
        count = self._inner.event_count()
        if count == self._synced_events:
            return set()
        self._synced_events = count
        self._matching = None  # which commitments match is read again
        return None

    def snapshots(self, ids: Sequence[str], *, usable_only: bool = True) -> dict[str, Snapshot]:
        """The inner recorder's snapshots of the matching commitments."""
        shown = self._matches()
        return self._inner.snapshots([cid for cid in ids if cid in shown], usable_only=usable_only)

    def settled_rows(self, selection: Selection) -> list[tuple[str, str | None]] | None:
        """The inner recorder's settled rows of the commitments that match."""
        found = self._inner.settled_rows(selection)
        if found is None:
            return None
        keep = self._matches()
        return [item for item in found if item[0] in keep]

    def standing(self, ids: Sequence[str]) -> dict[str, Commitment]:
        """The inner recorder's commitments as they stand, those that match."""
        shown = self._matches()
        return self._inner.standing([cid for cid in ids if cid in shown])

    def candidates(self, selection: Selection) -> list[str] | None:
        """The inner prefilter's candidates that match."""
        found = self._inner.candidates(selection)
        if found is None:
            return list(self._ids())
        keep = self._matches()
        return [cid for cid in found if cid in keep]
