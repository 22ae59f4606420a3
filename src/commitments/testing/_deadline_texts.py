"""Deadline texts in every form the parser accepts, each with the window it must parse to.

The expected windows come from `calendar.monthrange` and plain arithmetic, not from the
parser's own code, so tests can use them as an independent oracle.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import attrs
from hypothesis import strategies as st

MONTH_NAMES = tuple(calendar.month_name)[1:]
QUARTER_WORDS = ("first", "second", "third", "fourth")
HALF_WORDS = ("first", "second")
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 6: "six", 12: "twelve", 20: "twenty"}
NO_DATE = ("as soon as appropriate", "at a convenient date", "in the near future", "soon")
RANGE_SEPARATORS = ("-", "\u2013", "\u2014", " - ", " \u2013 ", " to ", " through ")
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

Span = tuple[dt.date, dt.date]


@attrs.frozen
class DeadlineCase:
    """A deadline text, the made_on it is read with, and the window it states."""

    text: str
    made_on: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the target month's last day."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def months_span(year: int, first: int, last: int) -> Span:
    """From the first day of month `first` to the last day of month `last`."""
    return dt.date(year, first, 1), month_end(year, last)


def part_span(year: int, month: int, part: str) -> Span:
    """The days an early/mid/late month covers."""
    first, last = MONTH_PARTS[part]
    return dt.date(year, month, first), dt.date(year, month, min(last, month_end(year, month).day))


def _month_name(month: int) -> st.SearchStrategy[str]:
    return st.sampled_from([MONTH_NAMES[month - 1], MONTH_NAMES[month - 1][:3]])


_CASINGS: tuple[Callable[[str], str], ...] = (str.lower, str.upper, str.title, str.strip)


@st.composite
def _vary(draw: st.DrawFn, text: str) -> str:
    """The same text in another case, with extra spaces or a trailing period."""
    text = draw(st.sampled_from(_CASINGS))(text)
    if draw(st.booleans()):
        text = text.replace(" ", "  ")
    return text + draw(st.sampled_from(["", "."]))


@st.composite
def _dated_periods(draw: st.DrawFn, min_year: int, max_year: int) -> tuple[str, Span]:
    """A period that names its year, as text, with its first and last day."""
    year = draw(st.integers(min_year, max_year))
    month = draw(st.integers(1, 12))
    form = draw(st.sampled_from(["iso", "dmy", "mdy", "month", "year", "part", "quarter", "half"]))
    if form in {"iso", "dmy", "mdy"}:
        day = dt.date(year, month, draw(st.integers(1, month_end(year, month).day)))
        if form == "iso":
            return day.isoformat(), (day, day)
        name = draw(_month_name(month))
        text = f"{day.day} {name} {year}" if form == "dmy" else f"{name} {day.day}, {year}"
        return text, (day, day)
    if form == "month":
        return f"{draw(_month_name(month))} {year}", months_span(year, month, month)
    if form == "year":
        return str(year), months_span(year, 1, 12)
    if form == "part":
        part = draw(st.sampled_from(sorted(MONTH_PARTS)))
        joiner = draw(st.sampled_from([" ", "-"]))
        return f"{part}{joiner}{draw(_month_name(month))} {year}", part_span(year, month, part)
    if form == "quarter":
        quarter = draw(st.integers(1, 4))
        word = QUARTER_WORDS[quarter - 1]
        text = draw(st.sampled_from([f"Q{quarter} {year}", f"the {word} quarter of {year}"]))
        return text, months_span(year, 3 * quarter - 2, 3 * quarter)
    half = draw(st.integers(1, 2))
    word = HALF_WORDS[half - 1]
    text = draw(st.sampled_from([f"H{half} {year}", f"{word} half of {year}"]))
    return text, months_span(year, 6 * half - 5, 6 * half)


@st.composite
def _yearless(draw: st.DrawFn, min_year: int, max_year: int) -> DeadlineCase:
    """A month, part of a month or "end of" a month without a year, with its made_on."""
    made_on = draw(st.dates(dt.date(min_year, 1, 1), dt.date(max_year - 1, 12, 31)))
    month = draw(st.integers(1, 12))
    name = draw(_month_name(month))
    part = draw(st.sampled_from(["", "end of ", *(f"{p}-" for p in MONTH_PARTS)]))

    def span_in(year: int) -> Span:
        if part in {"", "end of "}:
            return months_span(year, month, month)
        return part_span(year, month, part[:-1])

    start, end = span_in(made_on.year)
    if end < made_on:
        start, end = span_in(made_on.year + 1)
    text = draw(_vary(f"in {part}{name}"))
    return DeadlineCase(text, made_on, None if part == "end of " else start, end)


@st.composite
def _relative(draw: st.DrawFn, min_year: int, max_year: int) -> DeadlineCase:
    """Text like "within N units", with a made_on to count from."""
    made_on = draw(st.dates(dt.date(min_year, 1, 1), dt.date(max_year - 1, 12, 31)))
    unit = draw(st.sampled_from(["day", "week", "month", "year"]))
    count = draw(st.integers(1, 12) if unit != "day" else st.integers(1, 365))
    words = [str(count), *([NUMBER_WORDS[count]] if count in NUMBER_WORDS else [])]
    if count == 1:
        words.append("a")
    number = draw(st.sampled_from(words))
    plural = "" if count == 1 else "s"
    lead = draw(st.sampled_from(["within", "within the next", "in the next"]))
    if unit == "day":
        latest = made_on + dt.timedelta(days=count)
    elif unit == "week":
        latest = made_on + dt.timedelta(weeks=count)
    else:
        latest = add_months(made_on, count * (12 if unit == "year" else 1))
    return DeadlineCase(draw(_vary(f"{lead} {number} {unit}{plural}")), made_on, made_on, latest)


@st.composite
def _dated(draw: st.DrawFn, min_year: int, max_year: int) -> DeadlineCase:
    """A dated period, plain or after "by", "end of", "before" or "from"."""
    text, (start, end) = draw(_dated_periods(min_year, max_year))
    made_on = draw(st.none() | st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31)))
    how = draw(st.sampled_from(["plain", "in", "by", "by the end of", "before", "from"]))
    if how == "plain":
        return DeadlineCase(draw(_vary(text)), made_on, start, end)
    if how == "in":
        return DeadlineCase(draw(_vary(f"in {text}")), made_on, start, end)
    if how == "before":
        return DeadlineCase(
            draw(_vary(f"before {text}")), made_on, None, start - dt.timedelta(days=1)
        )
    if how == "from":
        return DeadlineCase(draw(_vary(f"from {text}")), made_on, start, None)
    return DeadlineCase(draw(_vary(f"{how} {text}")), made_on, None, end)


@st.composite
def _ranges(draw: st.DrawFn, min_year: int, max_year: int) -> DeadlineCase:
    """Year ranges, month ranges within a year, and ranges of ISO dates."""
    separator = draw(st.sampled_from(RANGE_SEPARATORS))
    first = draw(st.integers(min_year, max_year))
    second = draw(st.integers(first, max_year))
    form = draw(st.sampled_from(["years", "months", "iso"]))
    if form == "years":
        text = f"{first}{separator}{second}"
        start, end = dt.date(first, 1, 1), month_end(second, 12)
    elif form == "months":
        low = draw(st.integers(1, 12))
        high = draw(st.integers(low, 12))
        low_name, high_name = draw(_month_name(low)), draw(_month_name(high))
        text = f"{low_name}{separator}{high_name} {first}"
        start, end = dt.date(first, low, 1), month_end(first, high)
    else:
        start = draw(st.dates(dt.date(first, 1, 1), dt.date(second, 12, 31)))
        end = draw(st.dates(start, dt.date(second, 12, 31)))
        separator = draw(st.sampled_from([" to ", " - ", " \u2013 "]))
        text = f"{start.isoformat()}{separator}{end.isoformat()}"
    return DeadlineCase(draw(_vary(text)), None, start, end)


def _no_date() -> st.SearchStrategy[DeadlineCase]:
    return st.sampled_from(NO_DATE).flatmap(_vary).map(lambda t: DeadlineCase(t, None, None, None))


def deadline_cases(
    *, min_year: int = 1990, max_year: int = 2100
) -> st.SearchStrategy[DeadlineCase]:
    """Deadline texts of every accepted form, with made_on and the window each states."""
    return st.one_of(
        _dated(min_year, max_year),
        _ranges(min_year, max_year),
        _yearless(min_year, max_year),
        _relative(min_year, max_year),
        _no_date(),
    )


def deadline_texts(
    *, min_year: int = 1990, max_year: int = 2100
) -> st.SearchStrategy[tuple[str, dt.date | None]]:
    """`(text, made_on)` pairs that `Deadline.parse(text, made_on)` accepts."""
    return deadline_cases(min_year=min_year, max_year=max_year).map(
        lambda case: (case.text, case.made_on)
    )
