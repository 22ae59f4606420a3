"""Reading deadline text into windows: `Deadline.parse` and `deadline_parser`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from commitments import Deadline, DeadlineError
from commitments.deadline_parser import ACCEPTED_FORMS, NO_DATE_PHRASES, parse_window
from commitments.testing import deadline_cases, deadline_texts, deadlines
from commitments.testing._deadline_texts import HALF_WORDS, MONTH_NAMES, QUARTER_WORDS

D = dt.date
DOCS = Path(__file__).parent.parent / "docs" / "deadlines.md"
README = Path(__file__).parent.parent / "README.md"
MAY_26 = D(2024, 5, 26)
JUNE_25 = D(2024, 6, 25)


def window(text, made_on=None):
    deadline = Deadline.parse(text, made_on)
    return deadline.earliest, deadline.latest


def window_fy(text, fiscal_year_start, made_on=None):
    deadline = Deadline.parse(text, made_on, fiscal_year_start=fiscal_year_start)
    return deadline.earliest, deadline.latest


def days(earliest, latest):
    return [earliest + dt.timedelta(days=n) for n in range((latest - earliest).days + 1)]


class TestExactDays:
    @pytest.mark.parametrize(
        "text",
        ["2024-06-18", "18 June 2024", "June 18, 2024", "18 Jun 2024", "june 18 2024",
         "18th June 2024", "the 18th of June 2024", "on 18 June 2024", "2024/06/18",
         "Jun. 18, 2024"],
    )  # fmt: skip
    def test_written_dates_are_one_day(self, text):
        """Every written form of a date is a window of that day alone."""
        assert window(text) == (D(2024, 6, 18), D(2024, 6, 18))

    def test_leap_day_is_read(self):
        """29 February exists in a leap year."""
        assert window("29 February 2024") == (D(2024, 2, 29), D(2024, 2, 29))

    def test_leap_day_in_common_year_is_refused(self):
        """29 February 2023 does not exist, and the error says so with the text."""
        with pytest.raises(DeadlineError, match=r"'29 February 2023' names no real date"):
            Deadline.parse("29 February 2023")

    def test_day_past_month_end_is_refused(self):
        """31 June is not a date."""
        with pytest.raises(DeadlineError, match="2024-06-31"):
            Deadline.parse("2024-06-31")

    def test_month_thirteen_is_refused(self):
        """An ISO month above 12 is an error, not a guess."""
        with pytest.raises(DeadlineError, match="2024-13"):
            Deadline.parse("2024-13")


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("June 2024", (D(2024, 6, 1), D(2024, 6, 30))),
            ("Jun 2024", (D(2024, 6, 1), D(2024, 6, 30))),
            ("Sept 2024", (D(2024, 9, 1), D(2024, 9, 30))),
            ("February 2024", (D(2024, 2, 1), D(2024, 2, 29))),
            ("February 2100", (D(2100, 2, 1), D(2100, 2, 28))),
            ("February 2000", (D(2000, 2, 1), D(2000, 2, 29))),
            ("December 2024", (D(2024, 12, 1), D(2024, 12, 31))),
            ("2024-06", (D(2024, 6, 1), D(2024, 6, 30))),
            ("2024", (D(2024, 1, 1), D(2024, 12, 31))),
            ("in 2024", (D(2024, 1, 1), D(2024, 12, 31))),
            ("during 2024", (D(2024, 1, 1), D(2024, 12, 31))),
        ],
    )
    def test_month_or_year_is_all_its_days(self, text, expected):
        """A month or year runs from its first to its real last day."""
        assert window(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("early June 2024", (D(2024, 6, 1), D(2024, 6, 10))),
            ("early-June 2024", (D(2024, 6, 1), D(2024, 6, 10))),
            ("mid-June 2024", (D(2024, 6, 11), D(2024, 6, 20))),
            ("mid June 2024", (D(2024, 6, 11), D(2024, 6, 20))),
            ("middle of June 2024", (D(2024, 6, 11), D(2024, 6, 20))),
            ("late June 2024", (D(2024, 6, 21), D(2024, 6, 30))),
            ("late July 2024", (D(2024, 7, 21), D(2024, 7, 31))),
            ("late February 2024", (D(2024, 2, 21), D(2024, 2, 29))),
            ("late February 2023", (D(2023, 2, 21), D(2023, 2, 28))),
        ],
    )
    def test_early_mid_late_split_the_month(self, text, expected):
        """Early is days 1-10, mid 11-20, late 21 to the month's end."""
        assert window(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Q1 2024", (D(2024, 1, 1), D(2024, 3, 31))),
            ("Q2 2024", (D(2024, 4, 1), D(2024, 6, 30))),
            ("Q3 2024", (D(2024, 7, 1), D(2024, 9, 30))),
            ("q4 2024", (D(2024, 10, 1), D(2024, 12, 31))),
            ("Q3-2024", (D(2024, 7, 1), D(2024, 9, 30))),
            ("2024-Q3", (D(2024, 7, 1), D(2024, 9, 30))),
            ("2024 Q3", (D(2024, 7, 1), D(2024, 9, 30))),
            ("the third quarter of 2024", (D(2024, 7, 1), D(2024, 9, 30))),
            ("3rd quarter 2024", (D(2024, 7, 1), D(2024, 9, 30))),
            ("first quarter of 2025", (D(2025, 1, 1), D(2025, 3, 31))),
            ("in the fourth quarter of 2025", (D(2025, 10, 1), D(2025, 12, 31))),
        ],
    )
    def test_quarters(self, text, expected):
        """Quarters are three months; "Q3" is never read as March."""
        assert window(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("first half of 2024", (D(2024, 1, 1), D(2024, 6, 30))),
            ("the second half of 2024", (D(2024, 7, 1), D(2024, 12, 31))),
            ("H1 2024", (D(2024, 1, 1), D(2024, 6, 30))),
            ("H2 2024", (D(2024, 7, 1), D(2024, 12, 31))),
            ("1H 2024", (D(2024, 1, 1), D(2024, 6, 30))),
            ("2H 2024", (D(2024, 7, 1), D(2024, 12, 31))),
            ("2nd half of 2024", (D(2024, 7, 1), D(2024, 12, 31))),
        ],
    )
    def test_halves(self, text, expected):
        """Halves are six months; "H2" is never read as a time of day."""
        assert window(text) == expected


class TestOpenStart:
    @pytest.mark.parametrize(
        ("text", "latest"),
        [
            ("end of June 2024", D(2024, 6, 30)),
            ("the end of February 2024", D(2024, 2, 29)),
            ("by the end of 2025", D(2025, 12, 31)),
            ("by end-2025", D(2025, 12, 31)),
            ("by end 2025", D(2025, 12, 31)),
            ("at the end of 2025", D(2025, 12, 31)),
            ("by June 2025", D(2025, 6, 30)),
            ("by 2025", D(2025, 12, 31)),
            ("by Q3 2025", D(2025, 9, 30)),
            ("by the end of the first half of 2025", D(2025, 6, 30)),
            ("by mid-June 2025", D(2025, 6, 20)),
            ("by 18 June 2024", D(2024, 6, 18)),
            ("by 2024-06-30", D(2024, 6, 30)),
            ("no later than 31 March 2025", D(2025, 3, 31)),
            ("not later than 2025", D(2025, 12, 31)),
            ("on or before 2025-03-31", D(2025, 3, 31)),
        ],
    )
    def test_by_and_end_of_end_with_the_period(self, text, latest):
        """'by X' and 'end of X' leave the start open and end on X's last day."""
        assert window(text) == (None, latest)

    @pytest.mark.parametrize(
        ("text", "latest"),
        [
            ("before 2026", D(2025, 12, 31)),
            ("before June 2025", D(2025, 5, 31)),
            ("before March 2024", D(2024, 2, 29)),
            ("before 18 June 2024", D(2024, 6, 17)),
            ("before Q3 2024", D(2024, 6, 30)),
            ("before the end of 2025", D(2025, 12, 31)),
        ],
    )
    def test_before_ends_the_day_before_the_period(self, text, latest):
        """'before X' ends the day before X starts ('before the end of X' = 'by X')."""
        assert window(text) == (None, latest)


class TestOpenEnd:
    def test_from_a_date(self):
        """'from X' starts on X and never ends."""
        assert window("from 2024-06-11") == (D(2024, 6, 11), None)

    def test_from_a_month(self):
        """'from <month>' starts on the month's first day."""
        assert window("from July 2024") == (D(2024, 7, 1), None)


class TestRanges:
    @pytest.mark.parametrize(
        "text",
        ["2025-2026", "2025\u20132026", "2025\u20142026", "2025 \u2013 2026", "2025 - 2026",
         "2025 to 2026", "2025 through 2026", "2025 until 2026", "between 2025 and 2026",
         "from 2025 to 2026", "in 2025-2026"],
    )  # fmt: skip
    def test_year_ranges_with_every_separator(self, text):
        """Hyphens, en and em dashes and words all join two years into one range."""
        assert window(text) == (D(2025, 1, 1), D(2026, 12, 31))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("June-August 2024", (D(2024, 6, 1), D(2024, 8, 31))),
            ("June\u2013August 2024", (D(2024, 6, 1), D(2024, 8, 31))),
            ("from June to August 2024", (D(2024, 6, 1), D(2024, 8, 31))),
            ("June 2024 - March 2025", (D(2024, 6, 1), D(2025, 3, 31))),
            ("June 2024 \u2013 March 2025", (D(2024, 6, 1), D(2025, 3, 31))),
            ("mid-June to late July 2024", (D(2024, 6, 11), D(2024, 7, 31))),
            ("December\u2013February 2025", (D(2024, 12, 1), D(2025, 2, 28))),
            ("2024-06-11 to 2024-06-20", (D(2024, 6, 11), D(2024, 6, 20))),
            ("2024-06-11 - 2024-06-20", (D(2024, 6, 11), D(2024, 6, 20))),
            ("2024-06-11\u20132024-06-20", (D(2024, 6, 11), D(2024, 6, 20))),
            ("Q3 2024 to Q1 2025", (D(2024, 7, 1), D(2025, 3, 31))),
            ("2024 to the end of 2025", (D(2024, 1, 1), D(2025, 12, 31))),
            ("June 2024 to August", (D(2024, 6, 1), D(2024, 8, 31))),
            ("November 2024 to February", (D(2024, 11, 1), D(2025, 2, 28))),
        ],
    )
    def test_ranges_run_from_first_start_to_second_end(self, text, expected):
        """A range starts on the first period's first day and ends on the second's last."""
        assert window(text) == expected

    def test_yearless_range_resolves_against_made_on(self):
        """A range with no year at all is the next one ending on or after made_on."""
        assert window("June-August", JUNE_25) == (D(2024, 6, 1), D(2024, 8, 31))
        assert window("June-August", D(2024, 9, 1)) == (D(2025, 6, 1), D(2025, 8, 31))

    def test_ambiguous_range_is_refused(self):
        """A text that splits into two different ranges is refused, not guessed."""
        with pytest.raises(DeadlineError, match=r"'2024-Q3-2025' can be read as several ranges"):
            Deadline.parse("2024-Q3-2025")

    def test_reversed_range_is_refused(self):
        """A range that starts after it ends is an error naming both dates."""
        with pytest.raises(DeadlineError, match=r"'2026-2025'.*2026-01-01.*2025-12-31"):
            Deadline.parse("2026-2025")


class TestWithoutYear:
    @pytest.mark.parametrize(
        ("text", "made_on", "expected"),
        [
            ("in mid-June", MAY_26, (D(2024, 6, 11), D(2024, 6, 20))),
            ("in mid-June", D(2024, 6, 20), (D(2024, 6, 11), D(2024, 6, 20))),
            ("in mid-June", D(2024, 6, 21), (D(2025, 6, 11), D(2025, 6, 20))),
            ("in mid-June", JUNE_25, (D(2025, 6, 11), D(2025, 6, 20))),
            ("in early June", MAY_26, (D(2024, 6, 1), D(2024, 6, 10))),
            ("in early June", JUNE_25, (D(2025, 6, 1), D(2025, 6, 10))),
            ("June", JUNE_25, (D(2024, 6, 1), D(2024, 6, 30))),
            ("June", D(2024, 7, 1), (D(2025, 6, 1), D(2025, 6, 30))),
            ("late February", D(2027, 3, 1), (D(2028, 2, 21), D(2028, 2, 29))),
            ("end of June", MAY_26, (None, D(2024, 6, 30))),
            ("by the end of June", D(2024, 7, 1), (None, D(2025, 6, 30))),
            ("before June", MAY_26, (None, D(2024, 5, 31))),
            ("before June", D(2024, 6, 1), (None, D(2025, 5, 31))),
            ("18 June", D(2024, 6, 18), (D(2024, 6, 18), D(2024, 6, 18))),
            ("June 18", D(2024, 6, 19), (D(2025, 6, 18), D(2025, 6, 18))),
            ("29 February", D(2024, 3, 1), (D(2028, 2, 29), D(2028, 2, 29))),
        ],
    )
    def test_first_such_period_ending_on_or_after_made_on(self, text, made_on, expected):
        """Without a year, the period is the first that ends on or after made_on."""
        assert window(text, made_on) == expected

    def test_day_that_never_exists_is_refused(self):
        """'30 February' has no year to fall in, so it is an error, not a loop."""
        with pytest.raises(DeadlineError, match="'30 February' names a day that does not exist"):
            Deadline.parse("30 February", MAY_26)

    @pytest.mark.parametrize("text", ["in mid-June", "June", "end of June", "18 June"])
    def test_needs_made_on(self, text):
        """Without made_on, text with no year is refused, saying made_on is needed."""
        with pytest.raises(DeadlineError, match=rf"'{text}' gives no year; pass made_on"):
            Deadline.parse(text)


class TestRelative:
    @pytest.mark.parametrize(
        ("text", "made_on", "latest"),
        [
            ("within six months", MAY_26, D(2024, 11, 26)),
            ("within 6 months", MAY_26, D(2024, 11, 26)),
            ("within 100 days", MAY_26, D(2024, 9, 3)),
            ("within a year", MAY_26, D(2025, 5, 26)),
            ("within a year", D(2024, 2, 29), D(2025, 2, 28)),
            ("within two weeks", MAY_26, D(2024, 6, 9)),
            ("within 1 day", MAY_26, D(2024, 5, 27)),
            ("within a month", D(2024, 1, 31), D(2024, 2, 29)),
            ("within a month", D(2023, 1, 31), D(2023, 2, 28)),
            ("within twelve months", MAY_26, D(2025, 5, 26)),
            ("within eighteen months", MAY_26, D(2025, 11, 26)),
            ("in the next 3 months", MAY_26, D(2024, 8, 26)),
            ("within the next 3 months", MAY_26, D(2024, 8, 26)),
            ("over the coming 2 years", MAY_26, D(2026, 5, 26)),
            ("next thirty days", MAY_26, D(2024, 6, 25)),
        ],
    )
    def test_window_runs_from_made_on_as_day_zero(self, text, made_on, latest):
        """Relative deadlines run from made_on to made_on plus the duration, inclusive."""
        assert window(text, made_on) == (made_on, latest)

    def test_needs_made_on(self):
        """A relative deadline without made_on is refused, saying made_on is needed."""
        with pytest.raises(DeadlineError, match=r"'within six months' is relative.*made_on"):
            Deadline.parse("within six months")

    def test_zero_duration_is_refused(self):
        """'within 0 days' names no window."""
        with pytest.raises(DeadlineError, match="at least 1"):
            Deadline.parse("within 0 days", MAY_26)

    def test_datetime_made_on_is_refused(self):
        """made_on must be a date, so bounds never become datetimes."""
        with pytest.raises(DeadlineError, match="made_on must be a calendar date"):
            parse_window("within a year", dt.datetime(2024, 5, 26, tzinfo=dt.UTC))


class TestNoDate:
    @pytest.mark.parametrize(
        "text",
        ["as soon as appropriate", "at a convenient date", "in the near future",
         "as soon as possible", "at an early date", "at an appropriate time", "soon",
         "As soon as possible.", "  SOON  ", "at the earliest convenient time",
         "At the earliest mutually convenient time.", "at an early and appropriate time",
         "at an appropriate and early date"],
    )  # fmt: skip
    def test_phrases_without_a_date_are_open_on_both_sides(self, text):
        """A wording that names no date is never due nor overdue."""
        deadline = Deadline.parse(text)
        assert (deadline.earliest, deadline.latest) == (None, None)
        assert deadline.is_open_ended
        assert str(deadline) == text.strip()

    def test_every_listed_phrase_is_read(self):
        """Each phrase in NO_DATE_PHRASES parses to an open window."""
        for phrase in NO_DATE_PHRASES:
            assert window(phrase) == (None, None), phrase


class TestText:
    def test_text_is_kept_stripped(self):
        """The deadline keeps the original wording, stripped, and str() returns it."""
        deadline = Deadline.parse("  By the END of 2025.  ")
        assert deadline.text == "By the END of 2025."
        assert str(deadline) == "By the END of 2025."

    @pytest.mark.parametrize(
        "text", ["Q3 2024", "q3   2024", "IN Q3 2024.", "the Third Quarter of 2024", "Q3 2024 "]
    )
    def test_case_spaces_and_trailing_period_do_not_matter(self, text):
        """Case, runs of spaces, leading 'in'/'the' and a final period are ignored."""
        assert window(text) == (D(2024, 7, 1), D(2024, 9, 30))

    def test_parse_returns_a_deadline(self):
        """Deadline.parse builds the class it is called on."""
        assert isinstance(Deadline.parse("2024"), Deadline)


class TestErrors:
    @pytest.mark.parametrize(
        "text",
        ["whenever", "FY2025", "the early 2030s", "in three months", "Q5 2024", "H3 2024",
         "18-20 June 2024", "2024-06-18 at noon", "by", "within the year", "June 32 2024"],
    )  # fmt: skip
    def test_unreadable_text_quotes_it_and_lists_forms(self, text):
        """Text no form matches is refused, quoting it and listing the accepted forms."""
        with pytest.raises(DeadlineError) as info:
            Deadline.parse(text)
        assert repr(text) in str(info.value)

    def test_unknown_form_lists_accepted_forms(self):
        """The generic error lists the accepted forms."""
        with pytest.raises(DeadlineError, match=re.escape(ACCEPTED_FORMS)):
            Deadline.parse("whenever")

    @pytest.mark.parametrize("text", ["", "   ", " . "])
    def test_empty_text_is_refused(self, text):
        """Empty text names no deadline."""
        with pytest.raises(DeadlineError, match="empty"):
            Deadline.parse(text)

    def test_non_string_is_refused(self):
        """Only strings are parsed."""
        with pytest.raises(DeadlineError, match="must be a string, not int"):
            parse_window(2024)  # type: ignore[arg-type]

    def test_error_is_a_value_error(self):
        """Callers may catch the builtin ValueError."""
        with pytest.raises(ValueError, match="Q9"):
            Deadline.parse("Q9 2024")


class TestRoundTrip:
    @pytest.mark.parametrize(
        "deadline",
        [
            Deadline.exact(D(2024, 6, 18)),
            Deadline.by(D(2024, 6, 30)),
            Deadline.window(D(2024, 6, 11), None),
            Deadline.window(D(2024, 6, 11), D(2024, 6, 20)),
            Deadline.window(D(2024, 6, 11), D(2024, 6, 11)),
        ],
    )
    def test_default_texts_parse_back(self, deadline):
        """The texts Deadline writes itself read back to the same deadline."""
        assert Deadline.parse(str(deadline)) == deadline


_dates = st.dates(D(1900, 1, 1), D(2200, 12, 31))


class TestProperties:
    @given(_dates, _dates | st.none(), st.booleans())
    def test_constructor_deadlines_round_trip(self, first, second, earliest_open):
        """parse(str(d)) == d for every deadline built by the constructors without text."""
        low, high = (first, second) if second is None else sorted([first, second])
        deadline = Deadline.by(low) if earliest_open else Deadline.window(low, high)
        assert Deadline.parse(str(deadline)) == deadline

    @given(deadlines())
    def test_shared_strategy_deadlines_round_trip(self, deadline):
        """Deadlines from the kit's strategy, words-only ones too, parse back equal."""
        assert Deadline.parse(str(deadline)) == deadline

    @given(deadline_cases())
    def test_parsed_window_matches_the_stated_period(self, case):
        """Every generated text parses to the window its period states."""
        deadline = Deadline.parse(case.text, case.made_on)
        assert (deadline.earliest, deadline.latest) == (case.earliest, case.latest)

    @given(deadline_texts())
    def test_earliest_never_after_latest(self, text_and_made_on):
        """A parsed window is never empty."""
        deadline = Deadline.parse(*text_and_made_on)
        if deadline.earliest is not None and deadline.latest is not None:
            assert deadline.earliest <= deadline.latest

    @given(deadline_texts())
    def test_reparsing_the_text_gives_the_same_deadline(self, text_and_made_on):
        """Parsing a parsed deadline's own text again, with the same made_on, is stable."""
        text, made_on = text_and_made_on
        deadline = Deadline.parse(text, made_on)
        assert Deadline.parse(str(deadline), made_on) == deadline

    @given(st.integers(1900, 2200), st.integers(1, 4), st.booleans())
    def test_quarter_window_holds_exactly_its_quarter(self, year, quarter, in_words):
        """Every day in 'Q<n> <year>' is in that quarter, and its neighbours are not."""
        text = (
            f"the {QUARTER_WORDS[quarter - 1]} quarter of {year}"
            if in_words
            else f"Q{quarter} {year}"
        )
        earliest, latest = window(text)

        def in_quarter(day):
            return (day.year, (day.month - 1) // 3 + 1) == (year, quarter)

        assert all(in_quarter(day) for day in days(earliest, latest))
        assert not in_quarter(earliest - dt.timedelta(days=1))
        assert not in_quarter(latest + dt.timedelta(days=1))

    @given(st.integers(1900, 2200), st.integers(1, 2), st.booleans())
    def test_half_window_holds_exactly_its_half(self, year, half, in_words):
        """Every day in 'H<n> <year>' is in that half; the window holds all of them."""
        text = f"{HALF_WORDS[half - 1]} half of {year}" if in_words else f"H{half} {year}"
        earliest, latest = window(text)

        def in_half(day):
            return (day.year, (day.month - 1) // 6 + 1) == (year, half)

        assert all(in_half(day) for day in days(earliest, latest))
        assert not in_half(earliest - dt.timedelta(days=1))
        assert not in_half(latest + dt.timedelta(days=1))

    @given(st.integers(1900, 2200), st.integers(1, 12), st.sampled_from(["early", "mid", "late"]))
    def test_month_part_stays_in_its_month(self, year, month, part):
        """Early/mid/late windows lie inside their month on the documented days."""
        earliest, latest = window(f"{part}-{MONTH_NAMES[month - 1]} {year}")
        assert {(d.year, d.month) for d in days(earliest, latest)} == {(year, month)}
        first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}[part]
        assert earliest.day == first
        assert latest.day == last or (part == "late" and (latest + dt.timedelta(days=1)).day == 1)

    @given(st.sampled_from(["in mid-June", "June", "in early June", "late July"]), _dates)
    def test_yearless_period_ends_on_or_after_made_on_within_a_year(self, text, made_on):
        """A period without a year ends on or after made_on, and less than a year later."""
        _, latest = window(text, made_on)
        assert made_on <= latest < made_on + dt.timedelta(days=366)


_WORDS = [
    *("in", "by", "the", "end of", "before", "from", "to", "-", "\u2013", "within", "next"),
    *("a", "6", "months", "100 years", "June", "mid", "Q3", "H2", "half", "quarter", ","),
    *("2024", "0000", "9999", "0001-01-01", "9999-12-31", "between", "and", "29 February"),
]


class TestAnyText:
    @given(
        st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join) | st.text(max_size=30),
        st.none() | st.dates(),
    )
    def test_any_text_parses_or_raises_deadline_error(self, text, made_on):
        """Whatever the text, parse gives a valid deadline or raises DeadlineError only."""
        try:
            deadline = Deadline.parse(text, made_on)
        except DeadlineError as exc:
            message = str(exc)
        else:
            assert Deadline.parse(str(deadline), made_on) == deadline
            return
        assert repr(text.strip()) in message or "empty" in message


_ROW = re.compile(r"\| `(?P<text>[^`]+)` \| (?P<made_on>[\d-]*) ?\| (?P<window>[^|]+) \|")


def _doc_rows(path=DOCS):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [m.groupdict() for m in map(_ROW.fullmatch, lines) if m]


def _bound(text):
    return None if text == "open" else D.fromisoformat(text)


class TestDocs:
    def test_table_has_every_form(self):
        """The docs table is read, so the next test checks real rows."""
        assert len(_doc_rows()) >= 50

    def test_readme_table_is_read(self):
        """The README's shorter table is read too."""
        assert len(_doc_rows(README)) >= 15

    @pytest.mark.parametrize(
        "row", _doc_rows() + _doc_rows(README), ids=lambda row: f"{row['text']}@{row['made_on']}"
    )
    def test_table_row_is_what_parse_gives(self, row):
        """Each example in docs/deadlines.md and the README parses to the window stated."""
        made_on = D.fromisoformat(row["made_on"]) if row["made_on"] else None
        earliest, latest = row["window"].strip().split(" .. ")
        assert window(row["text"], made_on) == (_bound(earliest), _bound(latest))


class TestPartsOfAYear:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("early 2026", (D(2026, 1, 1), D(2026, 4, 30))),
            ("in early 2026", (D(2026, 1, 1), D(2026, 4, 30))),
            ("mid-2025", (D(2025, 5, 1), D(2025, 8, 31))),
            ("mid 2025", (D(2025, 5, 1), D(2025, 8, 31))),
            ("the middle of 2025", (D(2025, 5, 1), D(2025, 8, 31))),
            ("late 2026", (D(2026, 9, 1), D(2026, 12, 31))),
            ("by mid-2025", (None, D(2025, 8, 31))),
            ("before late 2026", (None, D(2026, 8, 31))),
            ("from early 2026", (D(2026, 1, 1), None)),
            ("mid-2025 to early 2026", (D(2025, 5, 1), D(2026, 4, 30))),
        ],
    )
    def test_early_mid_late_are_thirds_of_the_year(self, text, expected):
        """Early is January-April, mid May-August, late September-December."""
        assert window(text) == expected

    @given(st.integers(1900, 2200))
    def test_thirds_abut_and_fill_the_year(self, year):
        """The three parts follow each other without gap or overlap and make the year."""
        parts = [window(f"{part} {year}") for part in ("early", "mid", "late")]
        assert parts[0][0] == D(year, 1, 1)
        assert parts[-1][1] == D(year, 12, 31)
        for (_, end), (start, _) in itertools.pairwise(parts):
            assert start == end + dt.timedelta(days=1)


class TestDecades:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("in the 2030s", (D(2030, 1, 1), D(2039, 12, 31))),
            ("the 1990s", (D(1990, 1, 1), D(1999, 12, 31))),
            ("2030s", (D(2030, 1, 1), D(2039, 12, 31))),
            ("in the first half of the 2030s", (D(2030, 1, 1), D(2034, 12, 31))),
            ("the second half of the 2030s", (D(2035, 1, 1), D(2039, 12, 31))),
            ("by the end of the 2030s", (None, D(2039, 12, 31))),
            ("by the first half of the 2030s", (None, D(2034, 12, 31))),
            ("before the 2030s", (None, D(2029, 12, 31))),
        ],
    )
    def test_decade_is_its_ten_years(self, text, expected):
        """'the 2030s' is 2030-2039; its halves are five years each."""
        assert window(text) == expected

    @pytest.mark.parametrize("text", ["the 2035s", "the early 2030s", "the 30s"])
    def test_other_decade_wordings_are_refused(self, text):
        """A decade is named by a year ending in 0, in four digits; parts of it are not read."""
        with pytest.raises(DeadlineError, match="cannot read deadline"):
            Deadline.parse(text)


class TestRelativeYears:
    @pytest.mark.parametrize(
        ("text", "made_on", "expected"),
        [
            ("this year", MAY_26, (D(2024, 1, 1), D(2024, 12, 31))),
            ("in the current year", MAY_26, (D(2024, 1, 1), D(2024, 12, 31))),
            ("by the end of the year", MAY_26, (None, D(2024, 12, 31))),
            ("by the end of the year", D(2024, 12, 31), (None, D(2024, 12, 31))),
            ("end of year", MAY_26, (None, D(2024, 12, 31))),
            ("by year-end", MAY_26, (None, D(2024, 12, 31))),
            ("by the end of this year", MAY_26, (None, D(2024, 12, 31))),
            ("before the end of the year", MAY_26, (None, D(2024, 12, 31))),
            ("next year", MAY_26, (D(2025, 1, 1), D(2025, 12, 31))),
            ("next year", D(2024, 12, 31), (D(2025, 1, 1), D(2025, 12, 31))),
            ("by next year", MAY_26, (None, D(2025, 12, 31))),
            ("by the end of next year", MAY_26, (None, D(2025, 12, 31))),
            ("early next year", MAY_26, (D(2025, 1, 1), D(2025, 4, 30))),
            ("Q3 next year", MAY_26, (D(2025, 7, 1), D(2025, 9, 30))),
            ("by the end of the decade", MAY_26, (None, D(2029, 12, 31))),
            ("by the end of the decade", D(2030, 1, 1), (None, D(2039, 12, 31))),
            ("by the end of the decade", D(2029, 12, 31), (None, D(2029, 12, 31))),
            ("this decade", MAY_26, (D(2020, 1, 1), D(2029, 12, 31))),
            ("next decade", MAY_26, (D(2030, 1, 1), D(2039, 12, 31))),
            ("in the first half of the decade", D(2031, 3, 1), (D(2030, 1, 1), D(2034, 12, 31))),
        ],
    )
    def test_years_named_from_made_on(self, text, made_on, expected):
        """'this year' is made_on's year, 'next year' the one after; the decade is made_on's."""
        assert window(text, made_on) == expected

    @pytest.mark.parametrize(
        "text", ["this year", "next year", "by the end of the year", "by the end of the decade"]
    )
    def test_needs_made_on(self, text):
        """Without made_on these are refused, saying made_on is needed."""
        with pytest.raises(DeadlineError, match=rf"'{text}' is relative.*pass made_on"):
            Deadline.parse(text)

    @pytest.mark.parametrize(
        "text", ["in the next year", "within the next year", "the next decade", "within the year"]
    )
    def test_the_next_year_is_not_guessed(self, text):
        """'the next year' may mean twelve months or the calendar year: it is refused."""
        with pytest.raises(DeadlineError, match="cannot read deadline"):
            Deadline.parse(text, MAY_26)

    @given(_dates)
    def test_end_of_decade_is_in_made_on_decade(self, made_on):
        """'by the end of the decade' ends on 31 December of made_on's year ending in 9."""
        assert window("by the end of the decade", made_on) == (
            None,
            D(made_on.year - made_on.year % 10 + 9, 12, 31),
        )


_FISCAL_TEXTS = ["{y}-{n:02}", "FY{y}-{n:02}", "FY{y}/{n:02}", "{y}/{n:02}", "FY {y}-{y1}",
                 "fiscal year {y}-{n:02}", "{y}/{y1}", "financial year {y}/{n:02}"]  # fmt: skip


def _fiscal_text(form, year):
    return form.format(y=year, y1=year + 1, n=(year + 1) % 100)


class TestFiscalYears:
    @pytest.mark.parametrize("form", _FISCAL_TEXTS)
    def test_april_fiscal_year(self, form):
        """With fiscal years starting in April, 2024-25 is 1 April 2024 to 31 March 2025."""
        deadline = Deadline.parse(_fiscal_text(form, 2024), fiscal_year_start=4)
        assert (deadline.earliest, deadline.latest) == (D(2024, 4, 1), D(2025, 3, 31))

    @pytest.mark.parametrize(
        ("text", "start", "expected"),
        [
            ("2024-25", 7, (D(2024, 7, 1), D(2025, 6, 30))),
            ("FY2024-25", 10, (D(2024, 10, 1), D(2025, 9, 30))),
            ("2023-24", 3, (D(2023, 3, 1), D(2024, 2, 29))),
            ("FY2024/25", 12, (D(2024, 12, 1), D(2025, 11, 30))),
            ("2099-00", 4, (D(2099, 4, 1), D(2100, 3, 31))),
            ("FY2025", 1, (D(2025, 1, 1), D(2025, 12, 31))),
            ("fiscal year 2025", 1, (D(2025, 1, 1), D(2025, 12, 31))),
            ("by FY2025-26", 4, (None, D(2026, 3, 31))),
            ("by the end of FY2025-26", 4, (None, D(2026, 3, 31))),
            ("before 2025-26", 4, (None, D(2025, 3, 31))),
            ("from FY2024-25", 4, (D(2024, 4, 1), None)),
            ("in the 2024-25 fiscal year", 4, None),
            ("FY2024-25 to FY2026-27", 4, (D(2024, 4, 1), D(2027, 3, 31))),
            ("2024-25 - 2025-26", 7, (D(2024, 7, 1), D(2026, 6, 30))),
        ],
    )
    def test_fiscal_windows(self, text, start, expected):
        """A fiscal year runs from the first of its start month to the day before a year on."""
        if expected is None:
            with pytest.raises(DeadlineError, match="cannot read"):
                Deadline.parse(text, fiscal_year_start=start)
        else:
            assert window_fy(text, start) == expected

    @pytest.mark.parametrize(
        "text", ["2024-25", "FY2024-25", "FY2024/25", "2024/25", "2024/2025", "FY2025",
                 "fiscal year 2025", "by FY2025-26", "from 2024-25", "2005/06"],
    )  # fmt: skip
    @pytest.mark.parametrize("made_on", [None, MAY_26])
    def test_needs_fiscal_year_start(self, text, made_on):
        """Without fiscal_year_start a fiscal year is refused, saying how to give it."""
        with pytest.raises(
            DeadlineError, match=rf"'{text}' names a fiscal year.*fiscal_year_start"
        ):
            Deadline.parse(text, made_on)

    def test_2024_25_is_never_a_month(self):
        """'2024-25' is neither May 2024 nor 2024-2025 nor any month: it is refused."""
        with pytest.raises(DeadlineError, match="fiscal_year_start=4 for April"):
            Deadline.parse("2024-25", MAY_26)

    @pytest.mark.parametrize("text", ["FY2025", "fiscal year 2025", "by FY2025"])
    def test_one_year_name_is_refused_unless_january(self, text):
        """'FY2025' is named after its first or its last year depending on who writes it."""
        with pytest.raises(DeadlineError, match=r"write both years.*'FY2024-25' or 'FY2025-26'"):
            Deadline.parse(text, fiscal_year_start=4)

    @pytest.mark.parametrize("text", ["2024-25", "FY2024-25", "2024/2025"])
    def test_two_years_with_january_start_is_refused(self, text):
        """With calendar fiscal years, a fiscal year cannot span two calendar years."""
        with pytest.raises(DeadlineError, match="fiscal years are calendar years"):
            Deadline.parse(text, fiscal_year_start=1)

    @pytest.mark.parametrize("text", ["FY2024-26", "FY2024/2026", "FY2024-24"])
    def test_years_must_follow_each_other(self, text):
        """A fiscal year's two years are consecutive."""
        with pytest.raises(DeadlineError, match="must follow each other"):
            Deadline.parse(text, fiscal_year_start=4)

    def test_month_like_fiscal_year_is_ambiguous(self):
        """'2011-12' is December 2011 as before, unless fiscal years are in play."""
        assert window("2011-12") == (D(2011, 12, 1), D(2011, 12, 31))
        assert window_fy("2011-12", 1) == (D(2011, 12, 1), D(2011, 12, 31))
        with pytest.raises(DeadlineError, match="both a month and the fiscal year 2011-12"):
            Deadline.parse("2011-12", fiscal_year_start=4)
        assert window_fy("FY2011-12", 4) == (D(2011, 4, 1), D(2012, 3, 31))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024-06", (D(2024, 6, 1), D(2024, 6, 30))),
            ("2025-2026", (D(2025, 1, 1), D(2026, 12, 31))),
            ("2024-2025", (D(2024, 1, 1), D(2025, 12, 31))),
            ("Q3 2024", (D(2024, 7, 1), D(2024, 9, 30))),
        ],
    )
    @pytest.mark.parametrize("start", [None, 1, 4])
    def test_calendar_forms_unchanged(self, text, expected, start):
        """ISO months and dashed spans of calendar years read the same with fiscal years."""
        assert window_fy(text, start) == expected

    @pytest.mark.parametrize("start", [0, 13, -1, True, 4.0, "4"])
    def test_bad_fiscal_year_start_is_refused(self, start):
        """fiscal_year_start is a month number from 1 to 12."""
        with pytest.raises(DeadlineError, match="fiscal_year_start must be a month number"):
            Deadline.parse("2024", fiscal_year_start=start)

    def test_fiscal_year_start_is_keyword_only(self):
        """A third positional argument is not taken for the fiscal year start."""
        with pytest.raises(TypeError):
            Deadline.parse("2024-25", None, 4)  # type: ignore[misc]

    @given(st.integers(1900, 2200), st.integers(2, 12), st.sampled_from(_FISCAL_TEXTS))
    def test_fiscal_year_is_a_year_long_and_abuts_the_next(self, year, start, form):
        """Each fiscal year has 365 or 366 days and ends the day before the next starts."""
        month_like = {(year + 1) % 100, (year + 2) % 100} & set(range(1, 13))
        assume(form.startswith("f") or not month_like)  # "2011-12" is also a month
        this_start, this_end = window_fy(_fiscal_text(form, year), start)
        next_start, _ = window_fy(_fiscal_text(form, year + 1), start)
        assert (this_start.year, this_start.month, this_start.day) == (year, start, 1)
        assert (this_end - this_start).days + 1 in {365, 366}
        assert next_start == this_end + dt.timedelta(days=1)


_FISCAL_ROW = re.compile(
    r"\| `(?P<text>[^`]+)` \| (?:(?P<start>\d+) \(\w+\)|none) \| (?P<window>[^|]+) \|"
)


def _fiscal_doc_rows():
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    return [m.groupdict() for m in map(_FISCAL_ROW.fullmatch, lines) if m]


class TestFiscalDocs:
    def test_fiscal_table_is_read(self):
        """The fiscal-year table in docs/deadlines.md is found, so its rows are checked."""
        assert len(_fiscal_doc_rows()) >= 10

    @pytest.mark.parametrize(
        "row", _fiscal_doc_rows(), ids=lambda row: f"{row['text']}@{row['start']}"
    )
    def test_fiscal_row_is_what_parse_gives(self, row):
        """Each fiscal-year example parses to the window stated, or is refused as stated."""
        start = None if row["start"] is None else int(row["start"])
        stated = row["window"].strip()
        if stated.startswith("error"):
            with pytest.raises(DeadlineError, match="fiscal_year_start|write both years"):
                Deadline.parse(row["text"], fiscal_year_start=start)
        else:
            earliest, latest = stated.split(" .. ")
            assert window_fy(row["text"], start) == (_bound(earliest), _bound(latest))
