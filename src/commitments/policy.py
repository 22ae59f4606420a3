"""Deadline policies: what a passed deadline means, as a pure rule applied when asked.

A policy never records anything. It changes what an assessment reports: under
`BreakAfter(days=100)` an open commitment whose deadline passed more than 100 days ago
is reported `broken` (with `by_policy=True`), while its history still says what was
recorded. The tracker holds one policy for all its commitments; the default `KeepOpen`
reports the recorded status and flags the commitment overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Protocol, runtime_checkable

import attrs

from commitments.exceptions import ValidationError


@runtime_checkable
class DeadlinePolicy(Protocol):
    """A rule for open commitments whose deadline has passed."""

    kind: ClassVar[str]

    def breaks_on(self, due_by: dt.date) -> dt.date | None:
        """The first day an open commitment due by `due_by` counts as broken; None: never.

        The commitment is broken by policy on every day from that day on, provided its
        recorded status was open on that day: a later recorded delivery does not undo it.
        """
        ...  # pragma: no cover - a protocol


@attrs.frozen
class KeepOpen:
    """The default: a passed deadline leaves the commitment open and overdue."""

    kind: ClassVar[str] = "keep_open"

    def breaks_on(self, due_by: dt.date) -> dt.date | None:  # noqa: ARG002 - protocol
        """Never: the commitment stays open however late it is."""
        return None


def _check_days(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"BreakAfter days must be a whole number of days, 0 or more, got {value!r}"
        )


@attrs.frozen
class BreakAfter:
    """An open commitment counts as broken once the day is more than `days` after its deadline.

    With `days=100` and a deadline of 2024-01-31, the commitment is still open (and
    overdue) up to and including 2024-05-10, and broken by policy from 2024-05-11 on,
    unless it was closed by then. For a recurring commitment the deadline is the last
    day of its first missed period.
    """

    days: int = attrs.field(validator=_check_days)
    kind: ClassVar[str] = "break_after"

    def breaks_on(self, due_by: dt.date) -> dt.date | None:
        """The day after `due_by` plus `days` (grace days inclusive)."""
        return due_by + dt.timedelta(days=self.days + 1)


KEEP_OPEN = KeepOpen()
"""The default policy."""
