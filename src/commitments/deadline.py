"""When a commitment is due: an exact date or a window of calendar dates.

Both bounds are inclusive calendar dates (never datetimes, so a deadline cannot shift by
a day across time zones); either may be open. The original wording is kept in `text`
and `str(deadline)` returns it.
"""

from __future__ import annotations

import datetime as dt

import attrs

from commitments.deadline_parser import parse_window
from commitments.exceptions import DeadlineError


def _check_date(name: str, value: object) -> None:
    if value is not None and type(value) is not dt.date:
        raise DeadlineError(
            f"deadline {name} must be a calendar date (datetime.date), "
            f"not {type(value).__name__}: {value!r}"
        )


@attrs.frozen
class Deadline:
    """A window `[earliest, latest]` of inclusive dates, with the text it was stated in.

    - `latest` is the last day on which delivery is on time; the day after it the
      commitment is overdue if still open.
    - `earliest` is the first day of the window (None: the window opens at once).
    - Both None: a deadline in words only ("as soon as appropriate"), never due nor
      overdue.
    """

    earliest: dt.date | None
    latest: dt.date | None
    text: str = attrs.field(default="")

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise DeadlineError(f"deadline text must be a string, got {self.text!r}")
        _check_date("earliest", self.earliest)
        _check_date("latest", self.latest)
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise DeadlineError(
                f"deadline window starts after it ends: earliest {self.earliest} > "
                f"latest {self.latest}; earliest must be on or before latest"
            )
        if not self.text.strip():
            object.__setattr__(self, "text", self._default_text())
        elif self.text != self.text.strip():
            object.__setattr__(self, "text", self.text.strip())

    def _default_text(self) -> str:
        if self.earliest is None and self.latest is None:
            raise DeadlineError(
                "a deadline with neither earliest nor latest date needs its text "
                "(e.g. 'as soon as appropriate')"
            )
        if self.earliest == self.latest:
            return f"{self.latest}"
        if self.earliest is None:
            return f"by {self.latest}"
        if self.latest is None:
            return f"from {self.earliest}"
        return f"{self.earliest} to {self.latest}"

    @classmethod
    def exact(cls, day: dt.date, text: str = "") -> Deadline:
        """Due on one day: the window is that day alone."""
        return cls(day, day, text)

    @classmethod
    def window(cls, earliest: dt.date | None, latest: dt.date | None, text: str = "") -> Deadline:
        """Due within `[earliest, latest]`, both inclusive; either may be None (open)."""
        return cls(earliest, latest, text)

    @classmethod
    def by(cls, latest: dt.date, text: str = "") -> Deadline:
        """Due on or before `latest`, with no earliest date."""
        return cls(None, latest, text)

    @classmethod
    def unspecified(cls, text: str) -> Deadline:
        """A deadline in words only ("at a convenient date"): never due nor overdue."""
        return cls(None, None, text)

    @classmethod
    def parse(
        cls,
        text: str,
        made_on: dt.date | None = None,
        *,
        fiscal_year_start: int | None = None,
    ) -> Deadline:
        """Read a deadline as pledges state it: "Q3 2024", "by the end of 2025", "in mid-June".

        Keeps `text` (stripped) as the deadline's text. `made_on` resolves text without a
        year and relative text ("within six months", "next year"); `fiscal_year_start`, the
        month (1-12) fiscal years start in, reads fiscal years ("2024-25", "FY2024-25"),
        which are refused without it. The rules are in `deadline_parser` and
        docs/deadlines.md. Raises `DeadlineError` for text it cannot read.
        """
        earliest, latest = parse_window(text, made_on, fiscal_year_start=fiscal_year_start)
        return cls(earliest, latest, text)

    @property
    def is_open_ended(self) -> bool:
        """True when there is no latest date, so the commitment can never be overdue."""
        return self.latest is None

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls inside the window (bounds inclusive)."""
        if self.earliest is not None and day < self.earliest:
            return False
        return self.latest is None or day <= self.latest

    def __str__(self) -> str:
        return self.text
