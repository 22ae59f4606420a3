"""A commitment: who pledged what, when, where, by when, and on what evidence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs

from commitments.deadline import Deadline
from commitments.exceptions import ValidationError, check_text
from commitments.recurrence import Recurrence
from commitments.source import Source

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PARTY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def check_id(kind: str, value: object) -> None:
    """Refuse ids that are not slugs: letters, digits, '.', '_', '-', no spaces or ':'."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(
            f"{kind} {value!r} is not a valid id; use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        )


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # A lone string would otherwise become a tuple of its characters.
        return (value,)
    return tuple(value)


def party_code(value: object) -> object:
    """A party code as stored: trimmed and upper-case ("kr " is "KR").

    Anything that is not a code passes as given, for the validator to name.
    """
    if isinstance(value, str) and _PARTY.fullmatch(value.strip()):
        return value.strip().upper()
    return value


def _party_codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(party_code(p) for p in _strings(value))  # type: ignore[misc]


def _sources(value: Iterable[Source | str]) -> tuple[Source, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, Source)):
        return (Source.coerce(value),)
    return tuple(Source.coerce(v) for v in value)


def _check_recurrence(where: str, commitment: Commitment) -> None:
    if commitment.recurrence is None:
        return
    if not isinstance(commitment.recurrence, Recurrence):
        raise ValidationError(
            f"{where}: recurrence must be a Recurrence or None, "
            f"not {type(commitment.recurrence).__name__}"
        )
    if commitment.deadline is not None:
        raise ValidationError(
            f"{where}: a recurring commitment's periods are its deadlines; give "
            "either a deadline or a recurrence, not both"
        )


@attrs.frozen
class Commitment:
    """A pledge, as an immutable value; its status lives in the tracker's history.

    `parties` are short codes of those who pledged ("CN", "JP", "KR", "EU"); an update
    may name one of them. `restates` lists earlier commitments this one repeats, and
    `superseded_by` the one that replaced it, so a restated pledge keeps its history.
    A `recurrence` makes it recurring ("leaders meet every year"): its periods are its
    deadlines, so it takes no `deadline` as well.
    """

    id: str
    title: str
    made_on: dt.date
    parties: tuple[str, ...] = attrs.field(default=(), converter=_party_codes)
    description: str = ""
    occasion: str = ""
    areas: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    deadline: Deadline | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)
    restates: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    superseded_by: str | None = None
    recurrence: Recurrence | None = None

    def __attrs_post_init__(self) -> None:
        check_id("commitment id", self.id)
        where = f"commitment {self.id}"
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValidationError(f"{where}: title must be a non-empty string")
        for name in ("description", "occasion"):
            if not isinstance(getattr(self, name), str):
                raise ValidationError(
                    f"{where}: {name} must be a string (use '' for none), "
                    f"got {getattr(self, name)!r}"
                )
        for name in ("title", "description", "occasion"):
            check_text(f"{where}: {name}", getattr(self, name))
        if type(self.made_on) is not dt.date:
            raise ValidationError(
                f"{where}: made_on must be a calendar date (datetime.date), "
                f"not {type(self.made_on).__name__}"
            )
        for party in self.parties:
            if not isinstance(party, str) or not _PARTY.fullmatch(party):
                raise ValidationError(
                    f"{where}: party {party!r} is not a short code (letters, digits, "
                    "'.', '_', '-'; up to 32 characters), e.g. 'CN', 'EU', 'AFU'"
                )
        if len(set(self.parties)) != len(self.parties):
            raise ValidationError(f"{where}: parties {self.parties!r} repeat a party")
        for area in self.areas:
            if not isinstance(area, str) or not area.strip():
                raise ValidationError(f"{where}: areas must be non-empty strings")
            check_text(f"{where}: area", area)
        if self.deadline is not None and not isinstance(self.deadline, Deadline):
            raise ValidationError(
                f"{where}: deadline must be a Deadline or None, not {type(self.deadline).__name__}"
            )
        _check_recurrence(where, self)
        for other in self.restates:
            check_id(f"{where}: restates", other)
            if other == self.id:
                raise ValidationError(f"{where}: a commitment cannot restate itself")
        if self.superseded_by is not None:
            check_id(f"{where}: superseded_by", self.superseded_by)
            if self.superseded_by == self.id:
                raise ValidationError(f"{where}: a commitment cannot supersede itself")

    @property
    def links(self) -> tuple[str, ...]:
        """Ids of the other commitments this one names."""
        extra = (self.superseded_by,) if self.superseded_by else ()
        return self.restates + extra
