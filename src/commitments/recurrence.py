"""Recurring commitments: a dateutil `rrule` whose occurrences start calendar periods.

A recurrence cuts time into periods: each occurrence of the rule starts a period that
ends (inclusive) the day before the next occurrence, so the periods tile time with no
gap or overlap. "every year from 2008" gives the calendar years 2008, 2009, ...; "twice
a year" gives half-years (January to June, July to December); "every two years from
2010" gives 2010-2011, 2012-2013, ... A rule with COUNT or UNTIL ends: its last period
ends where the next one would have started.

The rule is kept as RFC 5545 text, a DTSTART line then an RRULE line (such as
"DTSTART:20080101T000000" and "RRULE:FREQ=YEARLY"): the form `str(rrule)` gives and
`dateutil.rrule.rrulestr` reads, so it serializes exactly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from commitments._words import NUMBER_WORDS
from commitments.exceptions import RecurrenceError

if TYPE_CHECKING:
    # dateutil.rrule is imported on first use, to keep `import commitments` light.
    from dateutil.rrule import rrule

    from commitments.events import StatusUpdate

_ONE_DAY = dt.timedelta(days=1)
_FIRST_YEAR = 1000  # RFC 5545 writes four-digit years
_FIRST_FINE_YEAR = 1900  # daily and weekly rules: periods walked since then stay few
_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_SUB_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
_RULE_PARTS = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "WKST", "BYSETPOS")
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
_PARTS = frozenset((*_RULE_PARTS, *_DAY_PARTS, *_SUB_DAY))
# The Gregorian calendar repeats every 400 years: this many of each frequency's steps.
_CYCLE_YEARS = 400
_STEPS_PER_CYCLE = {"YEARLY": 400, "MONTHLY": 4800, "WEEKLY": 20871, "DAILY": 146097}

_NUMBERS = NUMBER_WORDS
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")"
_YEARLY = r"(?:every|each|once\s+a|once\s+every)\s+year|annually|annual|yearly"
_YEAR = 12
# Each phrase maps to the months a period lasts; a phrase with a count multiplies it.
_PHRASES: tuple[tuple[str, int], ...] = (
    (_YEARLY, _YEAR),
    (r"every\s+" + _COUNT + r"\s+years", _YEAR),
    (r"(?:twice|two\s+times)\s+a\s+year|semi-?annually|half-?yearly|every\s+half[-\s]year", 6),
    (r"every\s+" + _COUNT + r"\s+months", 1),
    (r"three\s+times\s+a\s+year", 4),
    (r"quarterly|every\s+quarter|four\s+times\s+a\s+year", 3),
    (r"monthly|every\s+month|each\s+month", 1),
)
_START = (
    r"\s+(?:from|since|starting(?:\s+in)?|beginning(?:\s+in)?)"
    r"\s+(?P<year>\d{4})(?:-(?P<month>\d{2}))?"
)

ACCEPTED_FORMS = (
    "every year from 2008",
    "annually since 2008",
    "every two years from 2010",
    "twice a year from 2024",
    "every six months from 2024",
    "quarterly from 2024",
    "monthly from 2024-01",
)
"""Examples of the wordings `Recurrence.parse` reads (start: a year or YYYY-MM)."""


def _normalize(rule: rrule | str) -> str:
    from dateutil.rrule import rrule  # noqa: PLC0415 - see the TYPE_CHECKING import

    return str(rule).strip() if isinstance(rule, rrule) else rule


def _parameters(text: str) -> dict[str, str]:
    """The RRULE line's parameters, upper-cased keys."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    rules = [line for line in lines if line.upper().startswith("RRULE:")]
    if (
        len(rules) != 1
        or len(lines) != len(("DTSTART", "RRULE"))
        or not lines[0].upper().startswith("DTSTART:")
    ):
        raise RecurrenceError(
            f"recurrence rule {text!r} must be exactly two lines, 'DTSTART:...' then "
            "'RRULE:...', e.g. 'DTSTART:20080101T000000\\nRRULE:FREQ=YEARLY'"
        )
    params: dict[str, str] = {}
    for part in rules[0].split(":", 1)[1].split(";"):
        key, _, value = part.partition("=")
        params[key.strip().upper()] = value.strip()
    return params


def _read(text: str) -> rrule:
    """Parse and check RFC 5545 text; raise `RecurrenceError` naming what is wrong."""
    if not isinstance(text, str):
        raise RecurrenceError(
            f"recurrence rule must be RFC 5545 text or a dateutil rrule, got {text!r}"
        )
    from dateutil.rrule import rrule, rrulestr  # noqa: PLC0415 - see the TYPE_CHECKING import

    params = _parameters(text)
    freq = params.get("FREQ")
    if freq not in _FREQUENCIES:
        raise RecurrenceError(
            f"recurrence rule {text!r}: FREQ={freq} is not allowed; periods are whole days, "
            f"so use one of {', '.join(_FREQUENCIES)}"
        )
    interval = params.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        raise RecurrenceError(
            f"recurrence rule {text!r}: INTERVAL={interval} is not allowed; give a whole "
            "number of 1 or more (INTERVAL=2: every second period)"
        )
    unknown = sorted(set(params) - _PARTS)
    if unknown:
        raise RecurrenceError(
            f"recurrence rule {text!r}: {', '.join(unknown)} is not an RFC 5545 rule part; "
            f"use {', '.join(sorted(_PARTS - set(_SUB_DAY)))}"
        )
    sub_day = sorted(set(_SUB_DAY) & set(params))
    if sub_day:
        raise RecurrenceError(
            f"recurrence rule {text!r}: {', '.join(sub_day)} not allowed; periods are whole days"
        )
    try:
        parsed = rrulestr(text)
    except (ValueError, TypeError, OverflowError) as exc:
        raise RecurrenceError(f"recurrence rule {text!r} is not valid RFC 5545: {exc}") from None
    if not isinstance(parsed, rrule):  # pragma: no cover - two lines never make a set
        raise RecurrenceError(f"recurrence rule {text!r} must be a single RRULE")
    dtstart = _local_midnight(parsed)
    first = None if dtstart is None else _first(parsed, dtstart, freq, int(interval))
    if dtstart is None or (first is not None and first.tzinfo is not None):
        raise RecurrenceError(
            f"recurrence rule {text!r}: DTSTART must be a local date at midnight "
            "(e.g. 20080101T000000), without time zone or time of day"
        )
    if freq in ("WEEKLY", "DAILY") and dtstart.year < _FIRST_FINE_YEAR:
        raise RecurrenceError(
            f"recurrence rule {text!r}: a {freq.lower()} rule must start in "
            f"{_FIRST_FINE_YEAR} or later (each question walks every period since the start)"
        )
    if first is None:
        raise RecurrenceError(f"recurrence rule {text!r} has no occurrences")
    return parsed


def _local_midnight(parsed: rrule) -> dt.datetime | None:
    """The rule's DTSTART if it is a date at midnight, else None (its zone is not shown)."""
    match = re.fullmatch(r"DTSTART:(\d{8})T000000", str(parsed).splitlines()[0])
    return None if match is None else dt.datetime.strptime(match[1], "%Y%m%d")  # noqa: DTZ007


def _first(parsed: rrule, dtstart: dt.datetime, freq: str, interval: int) -> dt.datetime | None:
    """The rule's first occurrence, or None if it has none, found in bounded time.

    dateutil looks for an occurrence step by step up to the year 9999: millions of steps
    for a daily rule that never matches. The calendar repeats every 400 years and the rule
    steps every `interval` units, so its pattern repeats every `period` years. Probing the
    last whole period before 9999 (the rule moved there by a multiple of `period`) says
    whether it ever occurs; if it does, the first occurrence is within one period of the
    start. Either search walks at most two periods of steps.
    """
    steps = _STEPS_PER_CYCLE[freq]
    period = _CYCLE_YEARS * interval // math.gcd(interval, steps)
    shifts = (dt.MAXYEAR + 1 - period - dtstart.year) // period
    if shifts > 0:
        moved = dtstart.replace(year=dtstart.year + shifts * period)
        probe = parsed.replace(dtstart=moved, count=None, until=None)
        if next(iter(probe), None) is None:
            return None
    return next(iter(parsed), None)


@attrs.frozen
class Occurrence:
    """One period of a recurring commitment, both bounds inclusive.

    `met`: an update recorded `fulfilled` for every party falls inside the period (on or
    before the assessed date). `missed`: the period ended before the assessed date, was
    not met, and the commitment was still open on its last day. The current period (the
    one containing the assessed date) is never missed. `updates` are the `fulfilled`
    updates that fall in the period.
    """

    start: dt.date
    end: dt.date
    met: bool
    missed: bool
    updates: tuple[StatusUpdate, ...] = ()

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls in the period (both bounds inclusive)."""
        return self.start <= day <= self.end


@attrs.frozen
class Recurrence:
    """How often a commitment recurs: RFC 5545 `rule` text and the words it came in.

    Build it with `Recurrence.parse("every year from 2008")`, or from a dateutil rule
    with `Recurrence.from_rrule(rule, text=...)` or `Recurrence(rule, text)` (a rule
    object is stored as its RFC 5545 text). `str(recurrence)` gives `text`.
    """

    rule: str = attrs.field(converter=_normalize)
    text: str = ""
    _rrule: rrule = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        parsed = _read(self.rule)
        # The canonical text dateutil writes, so equal rules compare and serialize equal.
        object.__setattr__(self, "rule", str(parsed))
        object.__setattr__(self, "_rrule", parsed)
        if not isinstance(self.text, str):
            raise RecurrenceError(f"recurrence text must be a string, got {self.text!r}")
        text = self.text.strip() or self.rule.splitlines()[-1].strip()
        object.__setattr__(self, "text", text)

    @classmethod
    def from_rrule(cls, rule: rrule, *, text: str = "") -> Recurrence:
        """Wrap a dateutil `rrule`; its first occurrence starts the first period."""
        from dateutil.rrule import rrule  # noqa: PLC0415 - see the TYPE_CHECKING import

        if not isinstance(rule, rrule):
            raise RecurrenceError(
                f"from_rrule takes a dateutil.rrule.rrule, not {type(rule).__name__}"
            )
        return cls(str(rule), text)

    @classmethod
    def parse(cls, text: str) -> Recurrence:
        """Read a recurrence in words, e.g. "every year from 2008" (see ACCEPTED_FORMS)."""
        if not isinstance(text, str):
            raise RecurrenceError(f"a recurrence must be given as text, not {text!r}")
        words = " ".join(text.strip().rstrip(".").lower().split())
        for phrase, months in _PHRASES:
            match = re.fullmatch(f"(?:{phrase}){_START}", words)
            if match is None:
                continue
            year = int(match["year"])
            month = int(match["month"]) if match["month"] else 1
            if not 1 <= month <= 12:  # noqa: PLR2004 - months of a year
                break
            if year < _FIRST_YEAR:
                raise RecurrenceError(
                    f"cannot read recurrence {text!r}: the year {year} is before "
                    f"{_FIRST_YEAR}; RFC 5545 rules start in year {_FIRST_YEAR} or later"
                )
            count = match.groupdict().get("n")
            n = 1 if count is None else _NUMBERS.get(count) or int(count)
            if n < 1:
                break
            start = dt.datetime(year, month, 1)  # noqa: DTZ001 - a local calendar date
            return cls(str(_every(start, months * n)), text.strip())
        raise RecurrenceError(
            f"cannot read recurrence {text!r}; accepted forms: "
            + "; ".join(repr(form) for form in ACCEPTED_FORMS)
        )

    @property
    def rrule(self) -> rrule:
        """The dateutil rule, as parsed from `rule`."""
        return self._rrule

    @property
    def first_day(self) -> dt.date:
        """The first day of the first period."""
        return self._rrule[0].date()

    def periods(self, *, since: dt.date, until: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
        """The (start, end) periods that end on or after `since` and start on or before `until`.

        Both bounds of each period are inclusive; each period starts the day after the
        previous one ends. A rule that has ended yields no period after its last.
        """
        starts = iter(self._rrule)
        unbounded = self._rrule.replace(count=None, until=None)
        current = next(starts).date()
        while current <= until:
            following = next(starts, None)
            if following is None:
                after = unbounded.after(dt.datetime.combine(current, dt.time(0)))
                end = dt.date.max if after is None else after.date() - _ONE_DAY
            else:
                end = following.date() - _ONE_DAY
            if end >= since:
                yield current, end
            if following is None:
                return
            current = following.date()

    def __str__(self) -> str:
        return self.text


def _every(start: dt.datetime, months: int) -> rrule:
    """A rule whose periods last `months` months from `start`."""
    from dateutil.rrule import MONTHLY, YEARLY, rrule  # noqa: PLC0415 - see TYPE_CHECKING

    if months % _YEAR == 0:
        return rrule(YEARLY, dtstart=start, interval=months // _YEAR)
    return rrule(MONTHLY, dtstart=start, interval=months)
