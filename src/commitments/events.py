"""The events of a history: status updates and the retractions that correct them.

Events are only ever appended. A status update takes effect on a calendar date (`on`)
and is known from the moment it was recorded (`recorded_at`, timezone-aware); a
retraction withdraws an update from the moment it is recorded, while questions asked
*as known on* an earlier moment still see the update.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import attrs

from commitments.exceptions import ValidationError
from commitments.source import Source
from commitments.status import Status

_REASON = re.compile(r"[a-z][a-z0-9_-]*")


def check_aware(where: str, value: object) -> None:
    """Refuse anything but a timezone-aware datetime."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(
            f"{where}: recorded_at must be a timezone-aware datetime, got {value!r}"
        )


@attrs.frozen
class Progress:
    """Measured progress, such as 15 of 52 measures in place."""

    done: float
    total: float
    unit: str = ""

    def __attrs_post_init__(self) -> None:
        for name in ("done", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValidationError(f"progress {name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValidationError(f"progress {name} must be finite, got {value!r}")
        if self.total <= 0:
            raise ValidationError(f"progress total must be positive, got {self.total}")
        if not 0 <= self.done <= self.total:
            raise ValidationError(
                f"progress done must lie between 0 and total ({self.total}), got {self.done}"
            )

    @property
    def ratio(self) -> float:
        """The share done, from 0.0 to 1.0."""
        return self.done / self.total

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            return str(int(x)) if float(x).is_integer() else str(x)

        unit = f" {self.unit}" if self.unit else ""
        return f"{fmt(self.done)} of {fmt(self.total)}{unit}"


@attrs.frozen
class StatusUpdate:
    """A dated change of status, with its evidence.

    With `party` set the update applies to that party alone; without it, to the
    commitment and every party.
    """

    id: str
    commitment_id: str
    status: Status
    on: dt.date
    recorded_at: dt.datetime
    party: str | None = None
    note: str = ""
    sources: tuple[Source, ...] = ()
    reason: str | None = None
    progress: Progress | None = None

    def __attrs_post_init__(self) -> None:
        where = f"update {self.id} of {self.commitment_id}"
        if not isinstance(self.status, Status):
            raise ValidationError(f"{where}: status must be a Status, got {self.status!r}")
        if type(self.on) is not dt.date:
            raise ValidationError(
                f"{where}: on must be a calendar date (datetime.date), got {self.on!r}"
            )
        check_aware(where, self.recorded_at)
        if not isinstance(self.note, str):
            raise ValidationError(f"{where}: note must be a string (use '' for none)")
        if self.reason is not None and (
            not isinstance(self.reason, str) or not _REASON.fullmatch(self.reason)
        ):
            raise ValidationError(
                f"{where}: reason {self.reason!r} must be a short code in lower case, "
                "e.g. blocked, deprioritised, reversed, replaced"
            )


@attrs.frozen
class Retraction:
    """The withdrawal of an earlier update, effective from `recorded_at` on."""

    id: str
    commitment_id: str
    update_id: str
    recorded_at: dt.datetime
    reason: str

    def __attrs_post_init__(self) -> None:
        where = f"retraction {self.id} of {self.update_id}"
        check_aware(where, self.recorded_at)
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValidationError(f"{where}: a retraction needs a reason")


Event = StatusUpdate | Retraction
