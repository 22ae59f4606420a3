"""Dates given as text: the one reading of YYYY-MM-DD, and the days questions are asked on.

Catalogs, batch files, the command line and queries all read a date as exactly
YYYY-MM-DD (no week dates, no basic form), so one spelling means one day everywhere, and
a moment as YYYY-MM-DDTHH:MM:SS, an optional fraction, and `Z` or an offset +HH:MM (the
RFC 3339 form; an offset may carry seconds, as Python writes some zones').
"""

from __future__ import annotations

import datetime as dt
import re

from commitments.exceptions import ValidationError

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)"
)


def month_end(year: int, month: int) -> dt.date:
    """The last day of `month` (1-12) of `year`."""
    if month == 12:  # noqa: PLR2004 - December
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def iso_date(text: str) -> dt.date | None:
    """The date `text` states as exactly YYYY-MM-DD, or None."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def iso_moment(text: str) -> dt.datetime | None:
    """The aware moment `text` states in the one spelling above, or None."""
    if not _ISO_MOMENT.fullmatch(text):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def date_problem(text: str) -> str:
    """Why `text` is not a YYYY-MM-DD date: its shape, or what in it no calendar has."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match is None:
        return f"expected a date YYYY-MM-DD, got {text!r}"
    year, month = int(match.group(1)), int(match.group(2))
    if year == 0:
        return f"{text} is not a real date: there is no year 0"
    if not 1 <= month <= 12:  # noqa: PLR2004
        return f"{text} is not a real date: there is no month {month}"
    import calendar  # noqa: PLC0415 - only this message needs it

    last = calendar.monthrange(year, month)[1]
    return f"{text} is not a real date: {calendar.month_name[month]} {year} has {last} days"


def query_day(value: object, name: str = "as_of") -> dt.date:
    """A question's day: a `datetime.date`, or its YYYY-MM-DD text."""
    if type(value) is dt.date:
        return value
    if isinstance(value, str):
        day = iso_date(value)
        if day is not None:
            return day
        raise ValidationError(f"{name}: {date_problem(value)}")
    raise ValidationError(
        f"{name} must be a calendar date (datetime.date) or YYYY-MM-DD text, got {value!r}"
    )


def query_known_on(value: dt.date | dt.datetime | str | None) -> dt.date | dt.datetime | None:
    """A `known_on`: None, a date, an aware datetime, or either as ISO text.

    Text is YYYY-MM-DD (the whole UTC day) or an ISO date-time with its offset; other
    values pass through to the checks that name what is allowed.
    """
    if not isinstance(value, str):
        return value  # checked where the cutoff is made
    day = iso_date(value)
    if day is not None:
        return day
    moment = iso_moment(value)
    if moment is None:
        raise ValidationError(
            f"known_on {value!r} is neither a date YYYY-MM-DD nor an ISO date-time with "
            "an offset, such as 2025-01-31T12:00:00+00:00"
        )
    return moment
