"""A commitment as it stood: its addition folded with its amendments.

Rules (the README states them too):

- Corrections (`on=None`) apply to every version, in recording order: the pledge is
  taken to have always read so.
- Revisions (`on=D`) apply from D on, in order of D, then `recorded_at`, then recording
  order, on top of every correction. A wrong revision is retracted and recorded again;
  a correction does not override a revision.
- As known on K, only amendments recorded before the cutoff count, and a retraction
  recorded before it withdraws its amendment.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence

import attrs

from commitments.commitment import Commitment
from commitments.events import Amendment, Retraction
from commitments.exceptions import ValidationError


@attrs.frozen
class Versions:
    """Every version of one commitment, as known at one moment.

    `original` is the commitment as added, with every correction applied;
    `revisions[i]` holds from `days[i]` (a proleptic ordinal) on.
    """

    original: Commitment
    days: tuple[int, ...] = ()
    revisions: tuple[Commitment, ...] = ()

    def at(self, day: dt.date) -> Commitment:
        """The version in force on `day`."""
        i = bisect_right(self.days, day.toordinal()) - 1
        return self.revisions[i] if i >= 0 else self.original

    @property
    def current(self) -> Commitment:
        """The latest version: every amendment applied."""
        return self.revisions[-1] if self.revisions else self.original

    @property
    def all(self) -> tuple[Commitment, ...]:
        """Every version, oldest first."""
        return (self.original, *self.revisions)

    def starts(self) -> tuple[dt.date | None, ...]:
        """The first day of each version of `all` (None: always)."""
        return (None, *(dt.date.fromordinal(d) for d in self.days))


def effective_amendments(
    amendments: Iterable[Amendment],
    retractions: Iterable[Retraction],
    cutoff: dt.datetime | None = None,
) -> list[Amendment]:
    """The amendments that count before `cutoff` (exclusive), in recording order."""
    if cutoff is None:
        retracted = {r.update_id for r in retractions}
        return [a for a in amendments if a.id not in retracted]
    retracted = {r.update_id for r in retractions if r.recorded_at < cutoff}
    return [a for a in amendments if a.recorded_at < cutoff and a.id not in retracted]


def amended(commitment: Commitment, amendment: Amendment) -> Commitment:
    """`commitment` with `amendment`'s changes; `ValidationError` when they do not fit."""
    try:
        return attrs.evolve(commitment, **amendment.changes)
    except (ValidationError, TypeError, ValueError) as exc:
        raise ValidationError(f"{commitment.id}: amendment {amendment.id}: {exc}") from None


def fold_versions(base: Commitment, amendments: Sequence[Amendment]) -> Versions:
    """The versions of `base` under `amendments` (those that count, in recording order)."""
    if not amendments:
        return Versions(base)
    original = base
    for amendment in amendments:
        if amendment.on is None:
            original = amended(original, amendment)
    revisions = sorted(
        (a for a in amendments if a.on is not None), key=lambda a: (a.on, a.recorded_at)
    )
    days: list[int] = []
    versions: list[Commitment] = []
    current = original
    for revision in revisions:
        assert revision.on is not None  # noqa: S101 - filtered above
        if revision.on < original.made_on:
            raise ValidationError(
                f"{base.id}: amendment {revision.id} revises it on {revision.on}, before it "
                f"was made ({original.made_on})"
            )
        current = amended(current, revision)
        if current.made_on > revision.on:
            raise ValidationError(
                f"{base.id}: amendment {revision.id} would have it made on "
                f"{current.made_on}, after the revision's own day {revision.on}"
            )
        day = revision.on.toordinal()
        if days and days[-1] == day:
            versions[-1] = current
        else:
            days.append(day)
            versions.append(current)
    return Versions(original, tuple(days), tuple(versions))
