"""Read the fuzzy deadlines pledges state ("Q3 2024", "by the end of 2025") as date windows.

`parse_window(text, made_on)` returns `(earliest, latest)`, both inclusive calendar dates,
either None when open. The grammar is our own small set of regexes (compiled once); dateutil's
`relativedelta` only does the calendar arithmetic (month ends, "within six months"). Its
fuzzy parser is never used (it reads "Q3 2024" as March), nor is today's date: text
without a year or relative to "now" is resolved against `made_on` or refused.

Rules (see docs/deadlines.md for a table of examples):

- A period (day, month, early/mid/late month, quarter, half, year) is the window from its
  first to its last day. Parts of a month: early = days 1-10, mid = 11-20, late = 21 to
  the month's last day.
- "by X", "end of X", "no later than X": no earliest date, latest = X's last day.
- "before X": no earliest date, latest = the day before X's first day.
- "from X": earliest = X's first day, no latest date.
- "X to Y" (also "-", en or em dash, "through", "until", "between X and Y"): from X's
  first day to Y's last day.
- A month, part of a month or day without a year is the first such period that ends on
  or after `made_on` (for "before X": the first that starts after `made_on`). In a range,
  a side without a year takes the other side's year.
- "within N days/weeks/months/years" (also "in the next N ..."): earliest = `made_on`,
  latest = `made_on` + N (`made_on` is day 0), by relativedelta, so "within a month" of
  31 January ends on the last day of February.
- Parts of a year: early = January-April, mid = May-August, late = September-December
  (thirds, as early/mid/late split a month). A decade ("the 2030s") is its ten years
  2030-2039; its first half 2030-2034, its second half 2035-2039.
- "this year", "next year", "the end of the year" and "the end of the decade" are
  made_on's year, the year after, and made_on's decade (years ending 0-9); without
  `made_on` they are refused.
- Fiscal years ("2024-25", "FY2024-25", "2024/25") are read only with `fiscal_year_start`
  (the month, 1-12, they start in): "2024-25" runs from the first of that month in 2024
  to the day before the first of that month in 2025. A fiscal year named by one year
  ("FY2025") is read only when fiscal years start in January: otherwise usage differs
  (Japan names a fiscal year by the year it starts in, India, Australia and the US
  federal government by the year it ends in), so it is refused. Without
  `fiscal_year_start` every fiscal form is refused, never read as a month or two years.
- Phrases that name no date ("as soon as possible", "at an early date") give
  `(None, None)`: never due nor overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Literal

import attrs
from dateutil.relativedelta import relativedelta

from commitments._dates import month_end
from commitments._words import NUMBER_WORDS
from commitments.exceptions import DeadlineError

__all__ = ["ACCEPTED_FORMS", "NO_DATE_PHRASES", "parse_window"]

Window = tuple[dt.date | None, dt.date | None]
_Span = tuple[dt.date, dt.date]

ACCEPTED_FORMS = (
    "accepted forms: a date (2024-06-18, 18 June 2024, June 18, 2024); a month or year "
    "(June 2024, 2024-06, 2024); early/mid/late June 2024; Q3 2024, H2 2024, first half of "
    "2024, third quarter of 2024; early/mid/late 2026; the 2030s, first half of the 2030s; "
    "this year, next year, the end of the year, the end of the decade (need made_on); "
    "fiscal years 2024-25, FY2024-25, 2024/25 (need fiscal_year_start); a range (2025-2026, "
    "June-August 2024, 2024-06-11 to 2024-06-20); 'by', 'before', 'end of' or 'from' any of "
    "these; 'within six months' (needs made_on); a month or day without a year (needs "
    "made_on); or a phrase naming no date such as 'as soon as possible'"
)

NO_DATE_PHRASES = frozenset(
    {
        "as soon as appropriate",
        "as soon as possible",
        "as soon as practicable",
        "as soon as feasible",
        "asap",
        "at a convenient date",
        "at a convenient time",
        "at an early date",
        "at an appropriate time",
        "at the earliest opportunity",
        "at the earliest convenient time",
        "at the earliest mutually convenient time",
        "at an early and appropriate time",
        "at an appropriate and early date",
        "at the earliest possible date",
        "in the near future",
        "in due course",
        "in a timely manner",
        "soon",
        "very soon",
        "without delay",
        "without undue delay",
        "promptly",
        "forthwith",
    }
)
"""Wordings that promise no date; they parse to a window open on both sides."""

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "sept": 9,
}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})

_NUMBERS = {
    "a": 1,
    "an": 1,
    **NUMBER_WORDS,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ORDINALS.update({"1st": 1, "2nd": 2, "3rd": 3, "4th": 4})
_PARTS = {"early": (1, 10), "mid": (11, 20), "middle of": (11, 20), "late": (21, None)}
# Thirds of a year, in months, in the spirit of the thirds of a month above.
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12)}

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>\d{4})"
_OPT_YEAR = rf"(?: {_YEAR})?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"


class _Pattern:
    """A regex compiled once, on first use, so `import commitments` stays cheap."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._regex().match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._regex().fullmatch(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._regex().finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex().search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._regex().sub(replacement, text)


_ISO_DAY = _Pattern(rf"{_YEAR}[-/](?P<mon>\d{{1,2}})[-/](?P<day>\d{{1,2}})")
_ISO_MONTH = _Pattern(rf"{_YEAR}-(?P<mon>\d{{2}})")
_YEAR_ONLY = _Pattern(_YEAR)
_DAY_MONTH = _Pattern(rf"{_DAY}(?: of)? {_MONTH}{_OPT_YEAR}")
_MONTH_DAY = _Pattern(rf"{_MONTH} {_DAY}{_OPT_YEAR}")
_MONTH_YEAR = _Pattern(rf"{_MONTH}{_OPT_YEAR}")
_PART_MONTH = _Pattern(rf"(?P<part>early|mid|middle of|late)(?: |-| - ){_MONTH}{_OPT_YEAR}")
_QUARTER = _Pattern(
    rf"(?:q(?P<q>[1-4])|(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th) quarter"
    rf"(?: of)?)(?: |-)?{_YEAR}"
)
_YEAR_QUARTER = _Pattern(rf"{_YEAR}(?: |-)?q(?P<q>[1-4])")
_PART_YEAR = _Pattern(rf"(?P<part>early|mid|middle of|late)(?: |-| - ){_YEAR}")
_DECADE = _Pattern(r"(?:(?P<hword>first|second|1st|2nd) half of (?:the )?)?(?P<decade>\d{3}0)s")
_MONTH_NUMBERS = range(1, 13)
_ONE_YEAR_ONLY_IN_JANUARY = (
    "a fiscal year named by one year is read only when fiscal years start in January "
    "(fiscal_year_start=1); otherwise write both years, as in 'FY2024-25'"
)
_FISCAL_PREFIX = r"(?:fy|fiscal year|financial year|fiscal)"
_FISCAL_NAMED = _Pattern(
    rf"{_FISCAL_PREFIX}(?: |-)?(?P<first>\d{{4}})(?:(?: ?[-/] ?)(?P<second>\d{{4}}|\d{{2}}))?"
)
_FISCAL_SHORT = _Pattern(r"(?P<first>\d{4})[-/](?P<second>\d{2})")
_FISCAL_SLASH = _Pattern(r"(?P<first>\d{4})/(?P<second>\d{4})")
_THIS_YEAR = _Pattern(r"\b(?:this|the current|current) year\b")
_NEXT_YEAR = _Pattern(r"(?<!the )(?<!coming )\bnext year\b")
_END_OF_YEAR = _Pattern(r"\b(?:end of (?:the )?year|year[- ]end|end[- ]year)\b(?! ?-? ?\d)")
_THIS_DECADE = _Pattern(r"\b(?:this|the current|the) decade\b")
_NEXT_DECADE = _Pattern(r"(?<!the )(?<!coming )\bnext decade\b")
_HALF = _Pattern(
    rf"(?:h(?P<h>[12])|(?P<hfirst>[12])h|(?P<hword>first|second|1st|2nd) half(?: of)?)"
    rf"(?: |-)?{_YEAR}"
)

_FILLERS = _Pattern(r"(?:(?:in|the|during|at|on(?! or))\s+)+")
_DURATION = (
    r"(?P<count>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
    r" (?P<unit>day|week|month|year)s?"
)
_RELATIVE = _Pattern(
    rf"(?:within(?: the)?(?: next| coming)?|(?:over )?(?:the )?(?:next|coming)) {_DURATION}"
)
_BY = _Pattern(r"(?:by|no later than|not later than|on or before) (?P<rest>.+)")
_BEFORE = _Pattern(r"before (?P<rest>.+)")
_END_OF = _Pattern(r"end(?: of |-| - | )(?P<rest>.+)")
_FROM = _Pattern(r"from (?P<rest>.+)")
_BETWEEN = _Pattern(r"between (?P<first>.+?) and (?P<second>.+)")
_RANGE_SEPARATOR = _Pattern(r" ?- ?| (?:to|through|thru|until|till) ")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))

_STEPS: dict[str, Callable[[int], relativedelta]] = {
    "day": lambda n: relativedelta(days=n),
    "week": lambda n: relativedelta(weeks=n),
    "month": lambda n: relativedelta(months=n),
    "year": lambda n: relativedelta(years=n),
}

_Rule = Literal["ends_on_or_after", "starts_after"]


@attrs.frozen
class _Period:
    """A named stretch of days; `year` None when the text gave none."""

    span_in: Callable[[int], _Span]
    year: int | None


def _months(year: int, first: int, last: int) -> _Span:
    return dt.date(year, first, 1), month_end(year, last)


def _month_part(month: int, part: str) -> Callable[[int], _Span]:
    first, last = _PARTS[part]

    def span_in(year: int) -> _Span:
        end = month_end(year, month) if last is None else dt.date(year, month, last)
        return dt.date(year, month, first), end

    return span_in


def _day(month: int, day: int) -> Callable[[int], _Span]:
    def span_in(year: int) -> _Span:
        date = dt.date(year, month, day)
        return date, date

    return span_in


def _year_of(match: re.Match[str]) -> int | None:
    year = match["year"]
    return None if year is None else int(year)


def _period(text: str) -> _Period | None:
    """The period `text` names, or None when it is not one of the period forms."""
    text = _strip_fillers(text)
    if match := _ISO_DAY.fullmatch(text):
        return _Period(_day(int(match["mon"]), int(match["day"])), int(match["year"]))
    if match := _ISO_MONTH.fullmatch(text):
        month = int(match["mon"])
        return _Period(lambda year: _months(year, month, month), int(match["year"]))
    if match := _YEAR_ONLY.fullmatch(text):
        return _Period(lambda year: _months(year, 1, 12), int(match["year"]))
    if match := _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text):
        return _Period(_day(_MONTHS[match["month"]], int(match["day"])), _year_of(match))
    if match := _PART_MONTH.fullmatch(text):
        return _Period(_month_part(_MONTHS[match["month"]], match["part"]), _year_of(match))
    if match := _MONTH_YEAR.fullmatch(text):
        month = _MONTHS[match["month"]]
        return _Period(lambda year: _months(year, month, month), _year_of(match))
    if match := _QUARTER.fullmatch(text) or _YEAR_QUARTER.fullmatch(text):
        groups = match.groupdict()
        quarter = int(groups["q"]) if groups.get("q") else _ORDINALS[groups["qword"]]
        return _Period(lambda year: _months(year, 3 * quarter - 2, 3 * quarter), _year_of(match))
    if match := _HALF.fullmatch(text):
        digit = match["h"] or match["hfirst"]
        half = int(digit) if digit else _ORDINALS[match["hword"]]
        return _Period(lambda year: _months(year, 6 * half - 5, 6 * half), _year_of(match))
    if match := _PART_YEAR.fullmatch(text):
        first, last = _YEAR_PARTS[match["part"]]
        return _Period(lambda year: _months(year, first, last), _year_of(match))
    if match := _DECADE.fullmatch(text):
        return _Period(_decade(match["hword"]), int(match["decade"]))
    return None


def _decade(half_word: str | None) -> Callable[[int], _Span]:
    """Years `first`..`first + 9` (a half: five of them), given the decade's first year."""
    offset, length = (0, 10) if half_word is None else (5 * (_ORDINALS[half_word] - 1), 5)

    def span_in(first: int) -> _Span:
        return dt.date(first + offset, 1, 1), dt.date(first + offset + length - 1, 12, 31)

    return span_in


def _fiscal(start_month: int) -> Callable[[int], _Span]:
    """The fiscal year starting on the first of `start_month` in the given year."""

    def span_in(year: int) -> _Span:
        start = dt.date(year, start_month, 1)
        return start, start + relativedelta(years=1, days=-1)

    return span_in


def _strip_fillers(text: str) -> str:
    match = _FILLERS.match(text)
    return text[match.end() :] if match else text


@attrs.frozen
class _Reader:
    """Reads one normalised text; `text` is the original, quoted in errors."""

    text: str
    made_on: dt.date | None
    fiscal_year_start: int | None = None

    def period(self, text: str) -> _Period | None:
        """The period `text` names: a fiscal year, else any of the forms `_period` reads."""
        text = _strip_fillers(text)
        if fiscal := self.fiscal(text):
            return fiscal
        return _period(text)

    def fiscal(self, text: str) -> _Period | None:
        """The fiscal year `text` names, or None when it names none.

        A fiscal year that cannot be read (no `fiscal_year_start`, one year only, years
        that do not follow each other) is still a period, one that raises when used.
        """
        named = _FISCAL_NAMED.fullmatch(text)
        match = named or _FISCAL_SHORT.fullmatch(text) or _FISCAL_SLASH.fullmatch(text)
        if match is None:
            return None
        first, second = int(match["first"]), match["second"]
        follows = second is not None and second in {str(first + 1), f"{(first + 1) % 100:02}"}
        if named is None and not follows:
            return None  # "2024-06" is June 2024; "2024/06" and "2024-31" are not read
        # "2011-12" is also December 2011: without fiscal years it stays a month.
        also_a_month = named is None and int(second) in _MONTH_NUMBERS
        start = self.fiscal_year_start
        if start is None:
            if also_a_month and "-" in text:
                return None
            return self.refused(
                "names a fiscal year, which needs the month fiscal years start in: pass "
                "fiscal_year_start (1-12), e.g. fiscal_year_start=4 for April"
                + ("" if second else f"; {_ONE_YEAR_ONLY_IN_JANUARY}"),
                first,
            )
        if also_a_month and start == 1 and "-" in text:
            return None  # fiscal years are calendar years, so "2011-12" can only be a month
        both_years = f"'FY{first}-{(first + 1) % 100:02}'"
        if also_a_month and start != 1:
            return self.refused(
                f"is both a month and the fiscal year {first}-{second}; write the month in "
                f"words, or the fiscal year as {both_years}",
                first,
            )
        if second is None:
            if start == 1:
                return _Period(_fiscal(1), first)
            return self.refused(
                "names a fiscal year by one year, which usage does not settle: a fiscal "
                f"year starting in month {start} is named after the year it starts in "
                "(Japan) or the year it ends in (India, Australia, the US federal "
                f"government); write both years, e.g. 'FY{first - 1}-{first % 100:02}' or "
                f"{both_years}",
                first,
            )
        if not follows:
            return self.refused(
                f"is not a fiscal year: its two years must follow each other, as in {both_years}",
                first,
            )
        if start == 1:
            return self.refused(
                "names a fiscal year across two calendar years, but with fiscal_year_start=1 "
                f"fiscal years are calendar years; write FY{first} or FY{first + 1}",
                first,
            )
        return _Period(_fiscal(start), first)

    def refused(self, reason: str, year: int) -> _Period:
        """A period recognised in the text but unreadable.

        It raises only once its days are needed, so reading a range does not fail on a
        piece that is not one of its sides.
        """
        message = f"deadline {self.text!r} {reason}"

        def span_in(_: int) -> _Span:
            raise DeadlineError(message)

        return _Period(span_in, year)

    def span(self, period: _Period, rule: _Rule = "ends_on_or_after") -> _Span:
        """The period's days: its own year, else the first year fitting `rule` vs made_on."""
        if period.year is not None:
            return period.span_in(period.year)
        if self.made_on is None:
            raise DeadlineError(
                f"deadline {self.text!r} gives no year; pass made_on (the date the "
                "commitment was made) to resolve it to the next such period"
            )
        # Nine years always include a leap year, for "29 February".
        for year in range(self.made_on.year, self.made_on.year + 9):
            try:
                start, end = period.span_in(year)
            except ValueError:
                continue
            fits = end >= self.made_on if rule == "ends_on_or_after" else start > self.made_on
            if fits:
                return start, end
        raise DeadlineError(f"deadline {self.text!r} names a day that does not exist")

    def read(self, text: str) -> Window | None:
        """The window of a normalised `text`, or None when no form matches."""
        if text in NO_DATE_PHRASES:
            return None, None
        text = _strip_fillers(self.name_relative_years(text))
        if match := _RELATIVE.fullmatch(text):
            return self.relative(match)
        if match := _BY.fullmatch(text):
            return self.until(match["rest"])
        if match := _BEFORE.fullmatch(text):
            rest = _strip_fillers(match["rest"])
            if _END_OF.fullmatch(rest):
                return self.until(rest)
            period = self.period(rest)
            if period is None:
                return None
            start, _ = self.span(period, "starts_after")
            return None, start - dt.timedelta(days=1)
        if _END_OF.fullmatch(text):
            return self.until(text)
        if match := _BETWEEN.fullmatch(text):
            return self.range(match["first"], match["second"])
        if match := _FROM.fullmatch(text):
            rest = match["rest"]
            if (period := self.period(rest)) is not None:
                return self.span(period)[0], None
            return self.split_range(rest)
        if (period := self.period(text)) is not None:
            return self.span(period)
        return self.split_range(text)

    def name_relative_years(self, text: str) -> str:
        """`text` with the years and decades named relative to `made_on` written out.

        "this year", "next year" and "the end of the year" become made_on's year or the
        next; "this decade", "the decade" and "next decade" made_on's decade or the next.
        """
        relative = (_END_OF_YEAR, _THIS_YEAR, _NEXT_YEAR, _THIS_DECADE, _NEXT_DECADE)
        if not any(pattern.search(text) for pattern in relative):
            return text
        if self.made_on is None:
            raise DeadlineError(
                f"deadline {self.text!r} is relative to when the commitment was made; "
                "pass made_on to resolve it"
            )
        year = self.made_on.year
        decade = year - year % 10
        text = _END_OF_YEAR.sub(f"end of {year}", text)
        text = _THIS_YEAR.sub(str(year), text)
        text = _NEXT_YEAR.sub(str(year + 1), text)
        text = _THIS_DECADE.sub(f"the {decade}s", text)
        return _NEXT_DECADE.sub(f"the {decade + 10}s", text)

    def relative(self, match: re.Match[str]) -> Window:
        """`made_on` (day 0) to `made_on` plus the duration."""
        if self.made_on is None:
            raise DeadlineError(
                f"deadline {self.text!r} is relative to when the commitment was made; "
                "pass made_on to resolve it"
            )
        count_text = match["count"]
        count = int(count_text) if count_text.isdigit() else _NUMBERS[count_text]
        if count < 1:
            raise DeadlineError(f"deadline {self.text!r}: the duration must be at least 1")
        step = _STEPS[match["unit"]](count)
        return self.made_on, self.made_on + step

    def until(self, text: str) -> Window | None:
        """Open start, ending on the last day of the period `text` names."""
        text = _strip_fillers(text)
        if match := _END_OF.fullmatch(text):
            text = match["rest"]
        period = self.period(text)
        if period is None:
            return None
        return None, self.span(period)[1]

    def split_range(self, text: str) -> Window | None:
        """The one reading of `text` as "X <separator> Y"; None when there is none."""
        windows = {
            window
            for separator in _RANGE_SEPARATOR.finditer(text)
            if (window := self.range(text[: separator.start()], text[separator.end() :]))
        }
        if len(windows) > 1:
            raise DeadlineError(f"deadline {self.text!r} can be read as several ranges")
        return windows.pop() if windows else None

    def range(self, first_text: str, second_text: str) -> Window | None:
        """From the first day of one period to the last day of another."""
        second_text = _strip_fillers(second_text)
        if match := _END_OF.fullmatch(second_text):
            second_text = match["rest"]
        first, second = self.period(first_text), self.period(second_text)
        if first is None or second is None:
            return None
        if second.year is None and first.year is not None:
            start = first.span_in(first.year)[0]
            end = _resolve_after(second, start)
        else:
            end = self.span(second)[1]
            if first.year is None:
                start = first.span_in(end.year)[0]
                if start > end:
                    start = first.span_in(end.year - 1)[0]
            else:
                start = first.span_in(first.year)[0]
        if start > end:
            raise DeadlineError(
                f"deadline {self.text!r} is a range that starts ({start}) after it ends "
                f"({end}); put the earlier period first"
            )
        return start, end


def _resolve_after(period: _Period, start: dt.date) -> dt.date:
    """Last day of the first such period ending on or after `start`."""
    end = period.span_in(start.year)[1]
    return end if end >= start else period.span_in(start.year + 1)[1]


#: The longest text `parse_window` reads: every accepted form is far shorter, and reading
#: ranges tries each separator, so the work is bounded here.
MAX_DEADLINE_TEXT = 200


def _normalise(text: str) -> str:
    text = text.lower().translate(_DASHES).replace(",", " ")
    return " ".join(text.split()).rstrip(". ")


def check_fiscal_year_start(value: object) -> int | None:
    """`value` as a fiscal-year start (a month number 1-12, or None); else `DeadlineError`."""
    if value is not None and (type(value) is not int or value not in _MONTH_NUMBERS):
        raise DeadlineError(f"fiscal_year_start must be a month number from 1 to 12, not {value!r}")
    return value


def parse_window(
    text: str, made_on: dt.date | None = None, *, fiscal_year_start: int | None = None
) -> Window:
    """The inclusive window `(earliest, latest)` that `text` states; either may be None.

    `made_on` (the day the commitment was made) resolves text without a year and relative
    text; without it such text raises `DeadlineError`. `fiscal_year_start` (the month,
    1-12, fiscal years start in) reads fiscal years ("2024-25"); without it they raise
    `DeadlineError`. Any text no form matches raises `DeadlineError` quoting it and listing
    the accepted forms.
    """
    if not isinstance(text, str):
        raise DeadlineError(f"deadline text must be a string, not {type(text).__name__}")
    if made_on is not None and type(made_on) is not dt.date:
        raise DeadlineError(
            f"made_on must be a calendar date (datetime.date), not {type(made_on).__name__}"
        )
    check_fiscal_year_start(fiscal_year_start)
    if len(text) > MAX_DEADLINE_TEXT:
        raise DeadlineError(
            f"deadline text of {len(text)} characters is too long to be a deadline (at most "
            f"{MAX_DEADLINE_TEXT}); {ACCEPTED_FORMS}"
        )
    normalised = _normalise(text)
    if not normalised:
        raise DeadlineError(f"deadline text {text!r} is empty; {ACCEPTED_FORMS}")
    reader = _Reader(text.strip(), made_on, fiscal_year_start)
    try:
        window = reader.read(normalised)
    except DeadlineError:
        raise
    except (ValueError, OverflowError) as exc:
        raise DeadlineError(f"deadline {reader.text!r} names no real date: {exc}") from None
    if window is None:
        raise DeadlineError(f"cannot read deadline {reader.text!r}; {ACCEPTED_FORMS}")
    return window
