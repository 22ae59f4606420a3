"""Status over time: how many commitments stood at each status at the end of each period.

The "% kept by day of mandate" series promise trackers publish. A period ends on its
last day: every day ("day"), Sunday ("week", ISO weeks), the month's last day ("month"),
31 March, 30 June, 30 September and 31 December ("quarter"), or 31 December ("year").
A series has one row per period end from `start` to `end`, both inclusive; a row counts
the commitments made by its day, each at its overall status on that day (after the
deadline policy), as `status` answers it.
"""

from __future__ import annotations

import datetime as dt

from commitments._dates import month_end
from commitments.exceptions import ValidationError
from commitments.status import Status

EVERY = ("day", "week", "month", "quarter", "year")
MAX_ROWS = 10_000  # a series longer than this is a mistake (every="day" over decades)
_DAY = dt.timedelta(days=1)

StatusCounts = list[tuple[dt.date, dict[Status, int]]]


def _period_end(day: dt.date, every: str) -> dt.date:
    """The last day of the period `day` falls in."""
    if every == "day":
        return day
    if every == "week":
        left = 7 - day.isoweekday()
        return dt.date.max if (dt.date.max - day).days < left else day + dt.timedelta(days=left)
    if every == "month":
        return month_end(day.year, day.month)
    if every == "quarter":
        return month_end(day.year, (day.month - 1) // 3 * 3 + 3)
    return dt.date(day.year, 12, 31)


def period_ends(start: dt.date, end: dt.date, every: str) -> list[dt.date]:
    """Every period end from `start` to `end`, both inclusive, in order."""
    if every not in EVERY:
        raise ValidationError(f"every must be one of {', '.join(EVERY)}; got {every!r}")
    if end < start:
        raise ValidationError(f"end {end} is before start {start}; give start <= end")
    found: list[dt.date] = []
    day = _period_end(start, every)
    while day <= end:
        found.append(day)
        if len(found) > MAX_ROWS:
            raise ValidationError(
                f"{start} to {end} every {every} gives more than {MAX_ROWS:,} rows; "
                "choose a longer period or a shorter span"
            )
        if day == dt.date.max:
            break
        day = _period_end(day + _DAY, every)
    return found


def empty_counts() -> dict[Status, int]:
    """Every status at zero, in the workflow's order of statuses."""
    return dict.fromkeys(Status, 0)
