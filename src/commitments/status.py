"""The status vocabulary of a commitment."""

from __future__ import annotations

import enum

from commitments.exceptions import ValidationError


class Status(enum.StrEnum):
    """Where a commitment stands; the value is the stable string used in files."""

    PLEDGED = "pledged"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    BROKEN = "broken"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"

    @property
    def is_open(self) -> bool:
        """True while the commitment can still be delivered and its deadline matters."""
        return self in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        """True once the commitment has an outcome (kept, broken, dropped, replaced)."""
        return self not in OPEN_STATUSES

    @classmethod
    def coerce(cls, value: Status | str) -> Status:
        """Return the member named by `value` (its value, or its name in any case)."""
        if isinstance(value, Status):
            return value
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(member.value for member in cls)
            raise ValidationError(f"unknown status {value!r}; allowed: {allowed}") from None


OPEN_STATUSES: frozenset[Status] = frozenset({Status.PLEDGED, Status.IN_PROGRESS, Status.STALLED})
