"""The events of a commitment's log: its addition, amendments, status updates, retractions.

Events are only ever appended. Every event is known from the moment it was recorded
(`recorded_at`, timezone-aware) and may say who recorded it (`recorded_by`). A status
update takes effect on a calendar date (`on`); an amendment changes what the pledge
says, always (a correction, `on=None`) or from a date (a revision); a retraction
withdraws an update or an amendment from the moment it is recorded, while questions
asked *as known on* an earlier moment still see what it withdrew.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
from collections.abc import Mapping
from typing import Any

import attrs

from commitments.commitment import Commitment, party_code
from commitments.exceptions import ValidationError, check_text
from commitments.source import Source
from commitments.status import Status

_REASON = re.compile(r"[a-z][a-z0-9_-]*")
_EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


def check_event_id(value: object) -> None:
    """Refuse an event id that is not letters, digits, '.', '_', '-' and ':'.

    One rule for every event, however it arrives: recorded, loaded or read from a store.
    """
    if not isinstance(value, str) or not _EVENT_ID.fullmatch(value):
        raise ValidationError(
            f"event id {value!r} is not valid; use letters, digits, '.', '_', '-' and ':', "
            "starting with a letter or digit"
        )


_RECORDER_MAX = 200

#: The fields of a commitment an amendment may change (everything but its id).
AMENDABLE = (
    "title",
    "description",
    "parties",
    "areas",
    "occasion",
    "deadline",
    "recurrence",
    "restates",
    "superseded_by",
    "sources",
    "made_on",
)


def check_aware(where: str, value: object) -> None:
    """Refuse anything but a timezone-aware datetime."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(
            f"{where}: recorded_at must be a timezone-aware datetime, got {value!r}"
        )


def check_recorder(where: str, value: object) -> None:
    """Refuse a `recorded_by` that is not None or one short line of printable text."""
    if value is None:
        return
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > _RECORDER_MAX
        or not value.isprintable()
    ):
        raise ValidationError(
            f"{where}: recorded_by must be a name of 1 to {_RECORDER_MAX} printable "
            f"characters or None, got {value!r}"
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
    party: str | None = attrs.field(default=None, converter=party_code)
    note: str = ""
    sources: tuple[Source, ...] = ()
    reason: str | None = None
    progress: Progress | None = None
    recorded_by: str | None = None

    def __attrs_post_init__(self) -> None:
        check_event_id(self.id)
        where = f"update {self.id} of {self.commitment_id}"
        check_recorder(where, self.recorded_by)
        if not isinstance(self.status, Status):
            raise ValidationError(f"{where}: status must be a Status, got {self.status!r}")
        if type(self.on) is not dt.date:
            raise ValidationError(
                f"{where}: on must be a calendar date (datetime.date), got {self.on!r}"
            )
        check_aware(where, self.recorded_at)
        if not isinstance(self.note, str):
            raise ValidationError(f"{where}: note must be a string (use '' for none)")
        if self.note:
            check_text(f"{where}: note", self.note)
        if self.reason is not None and (
            not isinstance(self.reason, str) or not _REASON.fullmatch(self.reason)
        ):
            raise ValidationError(
                f"{where}: reason {self.reason!r} must be a short code in lower case, "
                "e.g. blocked, deprioritised, reversed, replaced"
            )


@attrs.frozen
class Retraction:
    """The withdrawal of an earlier update or amendment, effective from `recorded_at` on.

    `update_id` names the withdrawn event (an update or an amendment).
    """

    id: str
    commitment_id: str
    update_id: str
    recorded_at: dt.datetime
    reason: str
    recorded_by: str | None = None

    def __attrs_post_init__(self) -> None:
        check_event_id(self.id)
        check_event_id(self.update_id)
        where = f"retraction {self.id} of {self.update_id}"
        check_aware(where, self.recorded_at)
        check_recorder(where, self.recorded_by)
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValidationError(f"{where}: a retraction needs a reason")
        check_text(f"{where}: reason", self.reason)


@attrs.frozen
class Addition:
    """A commitment entering the log: the pledge as first recorded."""

    id: str
    commitment: Commitment
    recorded_at: dt.datetime
    recorded_by: str | None = None

    def __attrs_post_init__(self) -> None:
        check_event_id(self.id)
        if not isinstance(self.commitment, Commitment):
            raise ValidationError(
                f"addition {self.id}: commitment must be a Commitment, "
                f"not {type(self.commitment).__name__}"
            )
        where = f"addition {self.id} of {self.commitment.id}"
        check_aware(where, self.recorded_at)
        check_recorder(where, self.recorded_by)

    @property
    def commitment_id(self) -> str:
        """The id of the added commitment."""
        return self.commitment.id


def _changes(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"changes must be a mapping of field -> new value, not {type(value).__name__}"
        )
    unknown = sorted(str(k) for k in value if k not in AMENDABLE)
    if unknown:
        raise ValidationError(
            f"cannot amend {', '.join(unknown)}; amendable fields: {', '.join(AMENDABLE)}"
        )
    # Through the model's own converters (a lone party string is one party, a URL one
    # source), so the event holds what the amended commitment holds; in the model's
    # field order, read-only.
    converters = _converters()
    changes = {}
    for name in AMENDABLE:
        if name in value:
            convert = converters.get(name)
            changes[name] = value[name] if convert is None else convert(value[name])
    return types.MappingProxyType(changes)


def _converters() -> dict[str, Any]:
    return {f.name: f.converter for f in attrs.fields(Commitment) if f.converter is not None}


@attrs.frozen
class Amendment:
    """A change to what a commitment says, with its reason and evidence.

    `on=None` is a *correction*: the commitment is taken to have always read so.
    `on=D` is a *revision*: the pledge changed on D, and questions as of dates before D
    see the earlier version. Either counts for *as known on* questions from
    `recorded_at` on. `changes` maps amended fields to their new values.
    """

    id: str
    commitment_id: str
    changes: Mapping[str, Any] = attrs.field(converter=_changes, hash=False)
    reason: str
    recorded_at: dt.datetime
    on: dt.date | None = None
    sources: tuple[Source, ...] = ()
    recorded_by: str | None = None

    def __attrs_post_init__(self) -> None:
        check_event_id(self.id)
        where = f"amendment {self.id} of {self.commitment_id}"
        check_aware(where, self.recorded_at)
        check_recorder(where, self.recorded_by)
        if not self.changes:
            raise ValidationError(f"{where}: an amendment changes at least one field")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValidationError(f"{where}: an amendment needs a reason")
        check_text(f"{where}: reason", self.reason)
        if self.on is not None and type(self.on) is not dt.date:
            raise ValidationError(
                f"{where}: on must be a calendar date (datetime.date) or None for a "
                f"correction, got {self.on!r}"
            )

    @property
    def is_correction(self) -> bool:
        """Whether it corrects the record (`on=None`) rather than revising the pledge."""
        return self.on is None

    def __repr__(self) -> str:
        kind = "correction" if self.on is None else f"revision on {self.on}"
        return (
            f"<Amendment {self.id}: {kind} of {', '.join(self.changes)} "
            f"({self.reason!r}, recorded {self.recorded_at.isoformat()})>"
        )


Event = Addition | Amendment | StatusUpdate | Retraction
