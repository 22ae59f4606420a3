"""Status over time: `Tracker.status_counts` and the HTML report's chart of it."""

from __future__ import annotations

import collections
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments.series import MAX_ROWS, period_ends
from test_output_fuzz import trackers as fuzz_trackers

D = dt.date


@pytest.mark.parametrize(
    ("every", "start", "end", "expected"),
    [
        ("day", D(2024, 2, 28), D(2024, 3, 1), [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1)]),
        # ISO weeks end on Sunday; a start on a Sunday is itself a period end.
        ("week", D(2024, 6, 2), D(2024, 6, 16), [D(2024, 6, 2), D(2024, 6, 9), D(2024, 6, 16)]),
        ("week", D(2024, 6, 3), D(2024, 6, 15), [D(2024, 6, 9)]),
        ("month", D(2024, 1, 31), D(2024, 3, 30), [D(2024, 1, 31), D(2024, 2, 29)]),
        ("quarter", D(2024, 2, 1), D(2024, 12, 31), [D(2024, 3, 31), D(2024, 6, 30),
                                                     D(2024, 9, 30), D(2024, 12, 31)]),
        ("year", D(2023, 12, 31), D(2025, 12, 30), [D(2023, 12, 31), D(2024, 12, 31)]),
        ("year", D(9999, 1, 1), D(9999, 12, 31), [D(9999, 12, 31)]),
        ("week", D(9999, 12, 30), D(9999, 12, 31), [D(9999, 12, 31)]),
        ("month", D(2024, 6, 2), D(2024, 6, 29), []),
    ],
)  # fmt: skip
def test_period_ends_both_bounds_inclusive(every, start, end, expected):
    assert period_ends(start, end, every) == expected


def test_bad_series_are_refused():
    t = cm.seed_catalog()
    with pytest.raises(cm.ValidationError, match="every must be one of day, week"):
        t.status_counts("2024-01-01", "2024-12-31", every="fortnight")
    with pytest.raises(cm.ValidationError, match="before start"):
        t.status_counts("2024-12-31", "2024-01-01")
    with pytest.raises(cm.ValidationError, match=f"more than {MAX_ROWS:,} rows"):
        t.status_counts("1900-01-01", "2026-01-01", every="day")


def test_the_seed_catalog_by_quarter():
    rows = cm.seed_catalog().status_counts("2024-01-01", "2024-09-30", every="quarter")
    assert [day for day, _ in rows] == [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    assert all(list(counts) == list(cm.Status) for _, counts in rows)  # every status, in order
    june = rows[1][1]
    # The Seoul summit of 26-27 May 2024 made most of the catalog's pledges.
    assert sum(june.values()) == len(cm.seed_catalog().assess_all(as_of=D(2024, 6, 30)))
    assert june[cm.Status.FULFILLED] == 3


@given(
    tracker=fuzz_trackers(),
    start=st.dates(D(2000, 1, 1), D(2030, 12, 31)),
    every=st.sampled_from(["week", "month", "quarter", "year"]),
    known=st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 12, 31))),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_each_row_counts_what_assess_all_says_that_day(tracker, start, every, known):
    end = start + dt.timedelta(days=800)
    for day, counts in tracker.status_counts(start, end, every=every, known_on=known):
        seen = collections.Counter(a.status for a in tracker.assess_all(as_of=day, known_on=known))
        assert {s: n for s, n in counts.items() if n} == dict(seen)


def test_the_html_report_charts_status_over_time():
    t = cm.seed_catalog()
    page = cm.reports.render_html(t, as_of=D(2026, 11, 30))
    section = page.split('<section class="counts">')[1].split("</section>")[0]
    days = re.findall(r'<g class="bar" data-day="([0-9-]+)">', section)
    # From 2008 (the first pledge) to 2026 by year: too long a span for months or quarters.
    assert days[0] == "2008-12-31"
    assert days[-1] == "2026-11-30"  # the as-of day closes the chart
    assert len(days) == 19
    last = section.split('data-day="2026-11-30"><title>')[1].split("</title>")[0]
    counts = collections.Counter(a.status for a in t.assess_all(as_of=D(2026, 11, 30)))
    assert f"fulfilled {counts[cm.Status.FULFILLED]}" in last
    assert f"stalled {counts[cm.Status.STALLED]}" in last
