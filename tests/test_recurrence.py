"""Recurring commitments: parsing, periods, occurrences and what they do to assessments."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import pytest
from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule, rruleset, rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments.history import first_violation

D = dt.date
NOW = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
YEARLY_2008 = "DTSTART:20080101T000000\nRRULE:FREQ=YEARLY"


def tracker(*commitments: cm.Commitment, **kwargs) -> cm.Tracker:
    t = cm.Tracker(clock=lambda: NOW, **kwargs)
    for c in commitments:
        # Recorded on the day it was made, as a tracker kept at the time would have it.
        t.add(c, recorded_at=dt.datetime.combine(c.made_on, dt.time(0), tzinfo=dt.UTC))
    return t


def midnight(day: D) -> dt.datetime:
    """The naive midnight a local-date rule starts on."""
    return dt.datetime.combine(day, dt.time(0))


def summit(made_on: D | None = None, text: str = "every year from 2008", **kwargs):
    return cm.Commitment(
        "summit",
        "Leaders meet every year",
        made_on or D(2008, 1, 1),
        recurrence=cm.Recurrence.parse(text),
        **kwargs,
    )


def spans(recurrence: cm.Recurrence, since: D, until: D) -> list[tuple[D, D]]:
    return list(recurrence.periods(since=since, until=until))


class TestParse:
    @pytest.mark.parametrize(
        ("text", "rule"),
        [
            ("every year from 2008", YEARLY_2008),
            ("annually since 2008", YEARLY_2008),
            ("every year since 2008", YEARLY_2008),
            ("  Every   Year from 2008. ", YEARLY_2008),
            ("twice a year from 2024", "DTSTART:20240101T000000\nRRULE:FREQ=MONTHLY;INTERVAL=6"),
            (
                "every six months from 2024",
                "DTSTART:20240101T000000\nRRULE:FREQ=MONTHLY;INTERVAL=6",
            ),
            ("every two years from 2010", "DTSTART:20100101T000000\nRRULE:FREQ=YEARLY;INTERVAL=2"),
            ("every 3 years since 2010", "DTSTART:20100101T000000\nRRULE:FREQ=YEARLY;INTERVAL=3"),
            ("monthly from 2024-01", "DTSTART:20240101T000000\nRRULE:FREQ=MONTHLY"),
            ("quarterly from 2024", "DTSTART:20240101T000000\nRRULE:FREQ=MONTHLY;INTERVAL=3"),
            ("quarterly from 2024-04", "DTSTART:20240401T000000\nRRULE:FREQ=MONTHLY;INTERVAL=3"),
        ],
    )
    def test_accepted_forms(self, text, rule):
        """Each accepted wording gives the expected RFC 5545 rule and keeps its words."""
        recurrence = cm.Recurrence.parse(text)
        assert recurrence.rule == rule
        assert recurrence.text == text.strip()
        assert str(recurrence) == text.strip()

    @pytest.mark.parametrize(
        "text",
        ["whenever", "every year", "every year from 08", "monthly from 2024-13", "every 0 years"],
    )
    def test_unreadable_text_names_it_and_the_forms(self, text):
        """Unreadable wording raises RecurrenceError quoting it and listing accepted forms."""
        with pytest.raises(cm.RecurrenceError) as info:
            cm.Recurrence.parse(text)
        assert repr(text) in str(info.value)
        assert "'every year from 2008'" in str(info.value)
        assert isinstance(info.value, ValueError)

    def test_non_text_is_refused(self):
        """Parsing something other than text raises RecurrenceError."""
        with pytest.raises(cm.RecurrenceError, match="as text"):
            cm.Recurrence.parse(2008)


class TestRule:
    def test_from_rrule_keeps_rfc_text(self):
        """A wrapped rrule keeps the RFC 5545 text str() gives for it."""
        rule = rrule(YEARLY, dtstart=midnight(D(2010, 1, 1)), interval=2)
        recurrence = cm.Recurrence.from_rrule(rule, text="every two years")
        assert recurrence.rule == str(rule)
        assert recurrence.text == "every two years"
        assert list(recurrence.rrule[:2]) == list(rule[:2])

    def test_constructor_takes_rule_objects_and_text(self):
        """The constructor takes a rule object or its text and the two compare equal."""
        rule = rrule(MONTHLY, dtstart=midnight(D(2024, 1, 1)))
        assert cm.Recurrence(rule, "monthly") == cm.Recurrence(str(rule), "monthly")

    def test_text_defaults_to_the_rrule_line(self):
        """Without words the text is the RRULE line."""
        assert cm.Recurrence(YEARLY_2008).text == "RRULE:FREQ=YEARLY"

    def test_rule_text_is_canonical(self):
        """Rule text is stored in dateutil's canonical form."""
        recurrence = cm.Recurrence("DTSTART:20080101\nRRULE:FREQ=YEARLY")
        assert recurrence.rule == YEARLY_2008

    def test_from_rrule_refuses_other_objects(self):
        """from_rrule refuses a rule set or a string."""
        with pytest.raises(cm.RecurrenceError, match="rruleset"):
            cm.Recurrence.from_rrule(rruleset())

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            ("RRULE:FREQ=YEARLY", "two lines"),
            ("DTSTART:20080101T000000Z\nRRULE:FREQ=YEARLY", "midnight"),
            ("DTSTART:20080101T100000\nRRULE:FREQ=YEARLY", "midnight"),
            ("DTSTART:20080101T000000\nRRULE:FREQ=HOURLY", "FREQ=HOURLY"),
            ("DTSTART:20080101T000000\nRRULE:FREQ=DAILY;BYHOUR=3,4", "BYHOUR"),
            ("DTSTART:20080101T000000\nRRULE:FREQ=YEARLY;FOO=1", "not an RFC 5545 rule part"),
            ("DTSTART:20080101T000000\nRRULE:FREQ=YEARLY;COUNT=0", "no occurrences"),
        ],
    )
    def test_bad_rules_are_refused(self, rule, message):
        """A rule that does not cut whole-day periods raises RecurrenceError saying why."""
        with pytest.raises(cm.RecurrenceError, match=message):
            cm.Recurrence(rule)

    def test_commitment_refuses_deadline_and_recurrence(self):
        """A commitment takes a deadline or a recurrence, not both."""
        with pytest.raises(cm.ValidationError, match="either a deadline or a recurrence"):
            summit(deadline=cm.Deadline.by(D(2030, 1, 1)))

    def test_commitment_refuses_other_recurrence_values(self):
        """A recurrence given as text is refused with the type named."""
        with pytest.raises(cm.ValidationError, match="not str"):
            cm.Commitment("a", "t", D(2020, 1, 1), recurrence="every year from 2020")


class TestPeriods:
    def test_every_year_gives_calendar_years(self):
        """A yearly rule from 2008 gives one period per calendar year from 2008."""
        periods = spans(cm.Recurrence.parse("every year from 2008"), D(2000, 1, 1), D(2010, 6, 1))
        assert periods == [(D(y, 1, 1), D(y, 12, 31)) for y in (2008, 2009, 2010)]

    def test_leap_years_have_366_days(self):
        """The 2008 and 2012 periods cover 366 days, the others 365."""
        periods = spans(cm.Recurrence.parse("every year from 2008"), D(2008, 1, 1), D(2012, 1, 1))
        lengths = [(end - start).days + 1 for start, end in periods]
        assert lengths == [366, 365, 365, 365, 366]

    def test_every_two_years_tiles_pairs(self):
        """Every two years from 2010 gives 2010-2011, 2012-2013, ..."""
        periods = spans(
            cm.Recurrence.parse("every two years from 2010"), D(2010, 1, 1), D(2014, 1, 1)
        )
        assert periods == [
            (D(2010, 1, 1), D(2011, 12, 31)),
            (D(2012, 1, 1), D(2013, 12, 31)),
            (D(2014, 1, 1), D(2015, 12, 31)),
        ]

    def test_twice_a_year_gives_halves(self):
        """Twice a year gives January to June and July to December."""
        periods = spans(
            cm.Recurrence.parse("twice a year from 2024"), D(2024, 1, 1), D(2024, 12, 31)
        )
        assert periods == [(D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 12, 31))]

    def test_monthly_february_of_a_leap_year(self):
        """A monthly period in February 2024 ends on the 29th."""
        periods = spans(cm.Recurrence.parse("monthly from 2024-01"), D(2024, 2, 1), D(2024, 2, 1))
        assert periods == [(D(2024, 2, 1), D(2024, 2, 29))]

    def test_since_keeps_the_period_that_contains_it(self):
        """`since` drops periods ending before it and keeps the one containing it."""
        periods = spans(cm.Recurrence.parse("every year from 2008"), D(2009, 6, 1), D(2009, 6, 1))
        assert periods == [(D(2009, 1, 1), D(2009, 12, 31))]

    def test_ended_rule_stops_after_last_period(self):
        """A rule with COUNT=2 has two periods, the last ending where a third would start."""
        recurrence = cm.Recurrence("DTSTART:20080101T000000\nRRULE:FREQ=YEARLY;COUNT=2")
        assert spans(recurrence, D(2000, 1, 1), D(2020, 1, 1)) == [
            (D(2008, 1, 1), D(2008, 12, 31)),
            (D(2009, 1, 1), D(2009, 12, 31)),
        ]

    def test_until_before_first_period_is_empty(self):
        """No period starts on or before a date before the first period."""
        recurrence = cm.Recurrence.parse("every year from 2008")
        assert spans(recurrence, D(2000, 1, 1), D(2007, 12, 31)) == []

    @given(
        freq=st.sampled_from([YEARLY, MONTHLY, WEEKLY]),
        interval=st.integers(1, 5),
        start=st.dates(D(1990, 1, 1), D(2030, 12, 31)),
        span=st.integers(0, 2000),
    )
    def test_periods_tile_time(self, freq, interval, start, span):
        """Each period starts the day after the previous one ends, and none is empty."""
        rule = rrule(freq, dtstart=midnight(start), interval=interval)
        recurrence = cm.Recurrence.from_rrule(rule)
        until = start + dt.timedelta(days=span)
        periods = spans(recurrence, start, until)
        assert periods[0][0] == recurrence.first_day
        assert periods[-1][0] <= until <= periods[-1][1]
        for (_, prev_end), (next_start, _) in itertools.pairwise(periods):
            assert next_start == prev_end + dt.timedelta(days=1)
        assert all(s <= e for s, e in periods)


class TestOccurrences:
    def test_met_missed_and_current(self):
        """Met periods, a missed one and the current one are reported as such."""
        t = tracker(summit())
        for year in (2008, 2009, 2011):
            t.record("summit", "fulfilled", on=D(year, 5, 1))
        occurrences = t.occurrences("summit", as_of=D(2012, 3, 1))
        assert [(o.start.year, o.met, o.missed) for o in occurrences] == [
            (2008, True, False),
            (2009, True, False),
            (2010, False, True),
            (2011, True, False),
            (2012, False, False),
        ]
        assert occurrences[0].end == D(2008, 12, 31)
        assert [u.on for u in occurrences[1].updates] == [D(2009, 5, 1)]

    def test_current_period_met(self):
        """The current period counts as met once an update falls in it by as_of."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        assert not t.occurrences("summit", as_of=D(2008, 4, 30))[-1].met
        assert t.occurrences("summit", as_of=D(2008, 5, 1))[-1].met

    def test_periods_before_made_on_are_left_out(self):
        """A pledge made in 2010 of meetings "since 2008" starts with the 2010 period."""
        t = tracker(summit(made_on=D(2010, 3, 1), text="annually since 2008"))
        occurrences = t.occurrences("summit", as_of=D(2011, 1, 1))
        assert [o.start for o in occurrences] == [D(2010, 1, 1), D(2011, 1, 1)]
        assert occurrences[0].missed

    def test_as_of_before_first_period(self):
        """Before the first period there are no occurrences."""
        t = tracker(summit(made_on=D(2023, 6, 1), text="every year from 2024"))
        assert t.occurrences("summit", as_of=D(2023, 12, 31)) == ()

    def test_non_recurring_has_none(self):
        """A commitment without a recurrence has no occurrences."""
        t = tracker(cm.Commitment("a", "t", D(2020, 1, 1)))
        assert t.occurrences("a", as_of=D(2024, 1, 1)) == ()

    def test_every_party_must_meet(self):
        """With parties, a period is met only when every party has a fulfilled update in it."""
        t = tracker(summit(parties=("CN", "JP")))
        t.record("summit", "fulfilled", on=D(2008, 5, 1), party="CN")
        assert not t.occurrences("summit", as_of=D(2008, 12, 31))[0].met
        t.record("summit", "fulfilled", on=D(2008, 6, 1), party="JP")
        assert t.occurrences("summit", as_of=D(2008, 12, 31))[0].met

    def test_closed_parties_need_not_meet(self):
        """Once a party has withdrawn, the others alone meet a period."""
        t = tracker(summit(parties=("CN", "JP")))
        t.record("summit", "withdrawn", on=D(2008, 2, 1), party="CN")
        t.record("summit", "fulfilled", on=D(2008, 5, 1), party="JP")
        t.record("summit", "fulfilled", on=D(2009, 5, 1))
        assert [o.met for o in t.occurrences("summit", as_of=D(2009, 12, 31))] == [True, True]

    def test_marker_for_a_closed_party_is_refused(self):
        """A marker naming a closed party, or with every party closed, is refused."""
        t = tracker(summit(parties=("CN", "JP")))
        t.record("summit", "withdrawn", on=D(2008, 2, 1), party="CN")
        with pytest.raises(cm.TransitionError, match="for party CN"):
            t.record("summit", "fulfilled", on=D(2008, 5, 1), party="CN")
        t.record("summit", "broken", on=D(2008, 3, 1), party="JP")
        with pytest.raises(cm.TransitionError, match="cannot go from broken to fulfilled"):
            t.record("summit", "fulfilled", on=D(2008, 5, 1))
        assert len(t.history("summit")) == 2

    def test_no_marker_no_meeting(self):
        """A period with no marker is never met, even with every party closed."""
        t = tracker(summit(parties=("CN", "JP")))
        t.record("summit", "withdrawn", on=D(2008, 2, 1))
        occurrence = t.occurrences("summit", as_of=D(2009, 1, 1))[0]
        assert not occurrence.met
        assert not occurrence.missed

    def test_known_on_hides_later_records(self):
        """A marker recorded later does not count as known on an earlier day."""
        t = tracker(summit())
        t.record(
            "summit",
            "fulfilled",
            on=D(2008, 5, 1),
            recorded_at=dt.datetime(2009, 2, 1, tzinfo=dt.UTC),
        )
        assert t.occurrences("summit", as_of=D(2009, 3, 1))[0].met
        assert t.occurrences("summit", as_of=D(2009, 3, 1), known_on=D(2009, 1, 31))[0].missed

    def test_retracted_marker_no_longer_counts(self):
        """Retracting the only marker of a period leaves it missed."""
        t = tracker(summit())
        update = t.record("summit", "fulfilled", on=D(2008, 5, 1))
        t.retract(update.id, reason="the meeting was postponed")
        assert t.occurrences("summit", as_of=D(2009, 1, 1))[0].missed


class TestRecurringStatus:
    def test_fulfilled_leaves_the_commitment_open(self):
        """A fulfilled update on a recurring commitment keeps its status and openness."""
        t = tracker(summit())
        t.record("summit", "in_progress", on=D(2008, 2, 1))
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        assert t.status("summit", as_of=D(2008, 6, 1)) is cm.Status.IN_PROGRESS
        assert t.assess("summit", as_of=D(2008, 6, 1)).status.is_open
        assert t.fulfilled(as_of=D(2008, 6, 1)) == []

    def test_later_updates_remain_allowed(self):
        """After a fulfilled marker, more markers and other updates are accepted."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        t.record("summit", "fulfilled", on=D(2008, 9, 1))
        t.record("summit", "stalled", on=D(2009, 2, 1))
        assert t.status("summit", as_of=D(2009, 3, 1)) is cm.Status.STALLED
        assert len(t.history("summit")) == 3

    def test_withdrawn_closes(self):
        """Withdrawn closes a recurring commitment: not overdue, and no marker after it."""
        t = tracker(summit())
        t.record("summit", "withdrawn", on=D(2009, 6, 1))
        assessment = t.assess("summit", as_of=D(2011, 6, 1))
        assert assessment.status is cm.Status.WITHDRAWN
        assert not assessment.overdue
        assert not assessment.due
        with pytest.raises(cm.TransitionError, match="withdrawn to fulfilled"):
            t.record("summit", "fulfilled", on=D(2010, 5, 1))
        assert len(t.history("summit")) == 1

    def test_first_violation_treats_markers_as_allowed_while_open(self):
        """Tracker validation and first_violation agree: markers pass while open."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        t.record("summit", "broken", on=D(2009, 5, 1))
        commitment = t["summit"]
        assert first_violation(commitment, t.history("summit"), t.workflow) is None
        late = cm.StatusUpdate("x", "summit", cm.Status.FULFILLED, D(2010, 1, 1), NOW)
        violation = first_violation(commitment, [*t.history("summit"), late], t.workflow)
        assert violation is not None
        assert violation.from_status is cm.Status.BROKEN

    def test_marker_sets_last_update(self):
        """A marker is the assessment's last update though it changes no status."""
        t = tracker(summit())
        marker = t.record("summit", "fulfilled", on=D(2008, 5, 1))
        assert t.assess("summit", as_of=D(2008, 6, 1)).last_update == marker


class TestRecurringAssessment:
    def test_overdue_when_last_completed_period_missed(self):
        """Overdue in 2010 when 2009 was missed, until the 2010 summit makes up for it."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        t.record("summit", "fulfilled", on=D(2010, 5, 1))
        assert t.assess("summit", as_of=D(2010, 1, 1)).overdue
        assert t.assess("summit", as_of=D(2010, 4, 30)).overdue
        caught_up = t.assess("summit", as_of=D(2010, 5, 1))
        assert not caught_up.overdue
        assert (caught_up.period, caught_up.missed_periods) == ("met", 1)  # 2009 still counts
        assert not t.assess("summit", as_of=D(2010, 12, 31)).overdue
        assert not t.assess("summit", as_of=D(2011, 1, 1)).overdue
        assert not t.assess("summit", as_of=D(2009, 12, 31)).overdue

    def test_due_while_current_period_unmet(self):
        """Due while the current period is not met; no longer once it is."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        assert t.assess("summit", as_of=D(2008, 4, 30)).due
        assert not t.assess("summit", as_of=D(2008, 5, 1)).due

    def test_streak_and_missed_counts(self):
        """Streak counts met periods back from the latest completed; missed counts all misses."""
        t = tracker(summit())
        for year in (2008, 2010, 2011, 2012):
            t.record("summit", "fulfilled", on=D(year, 5, 1))
        before = t.assess("summit", as_of=D(2012, 3, 1))
        assert (before.missed_periods, before.streak) == (1, 2)
        after = t.assess("summit", as_of=D(2012, 6, 1))
        assert (after.missed_periods, after.streak) == (1, 3)

    def test_non_recurring_has_no_counts(self):
        """A commitment without recurrence reports None for missed periods and streak."""
        t = tracker(cm.Commitment("a", "t", D(2020, 1, 1)))
        assessment = t.assess("a", as_of=D(2021, 1, 1))
        assert assessment.missed_periods is None
        assert assessment.streak is None

    def test_tracker_queries_agree(self):
        """overdue() and due() list a recurring commitment exactly when assess() says so."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2009, 5, 1))
        for day in (D(2008, 6, 1), D(2009, 1, 1), D(2009, 6, 1), D(2010, 6, 1), D(2011, 6, 1)):
            assessment = t.assess("summit", as_of=day)
            assert bool(t.overdue(as_of=day)) == assessment.overdue
            assert bool(t.due(as_of=day)) == assessment.due

    def test_pure_assess_matches_tracker(self):
        """The pure assess() gives the tracker's assessment for a recurring commitment."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2009, 5, 1))
        day = D(2011, 2, 1)
        pure = cm.assess(t["summit"], t.history("summit"), as_of=day)
        assert pure == t.assess("summit", as_of=day)


class TestCatalog:
    def test_round_trip(self):
        """A recurring commitment and its markers survive a JSON round trip exactly."""
        t = tracker(summit())
        t.record("summit", "fulfilled", on=D(2008, 5, 1))
        text = cm.dumps(t)
        again = cm.loads(text, clock=lambda: NOW)
        assert again["summit"] == t["summit"]
        assert cm.dumps(again) == text
        document = cm.to_document(t)
        assert document["events"][0]["commitment"]["recurrence"] == {
            "text": "every year from 2008",
            "rule": YEARLY_2008,
        }

    def test_plain_commitments_have_no_recurrence_key(self):
        """A commitment without recurrence writes no recurrence key."""
        t = tracker(cm.Commitment("a", "t", D(2020, 1, 1)))
        assert "recurrence" not in cm.to_document(t)["events"][0]["commitment"]

    @pytest.mark.parametrize(
        ("recurrence", "message"),
        [
            ({"text": "x", "rule": "RRULE:FREQ=YEARLY"}, "two lines"),
            ({"text": "x"}, "exactly the fields text and rule"),
            ({"text": "x", "rule": YEARLY_2008, "extra": 1}, "exactly the fields"),
            ("every year from 2008", "expected an object"),
            ({"text": 1, "rule": YEARLY_2008}, "text must be a string"),
        ],
    )
    def test_bad_recurrence_names_the_path(self, recurrence, message):
        """A bad recurrence raises CatalogError at the commitment's recurrence path."""
        document = {
            "schema_version": 1,
            "commitments": [
                {"id": "a", "title": "t", "made_on": "2020-01-01", "recurrence": recurrence}
            ],
        }
        with pytest.raises(cm.CatalogError, match=message) as info:
            cm.from_document(document)
        assert info.value.path == "$.commitments[0].recurrence"


def test_years_before_1000_are_refused_clearly():
    """A start year RFC 5545 cannot write is refused, naming the year."""
    with pytest.raises(cm.RecurrenceError, match="the year 999 is before 1000"):
        cm.Recurrence.parse("every year from 0999")


def test_due_within_counts_the_current_period():
    """due(within=) lists a recurring pledge whose unmet current period ends in the span."""
    seeds = cm.seed_catalog()
    month = dt.timedelta(days=30)
    assert [c.id for c in seeds.due(as_of=dt.date(2025, 12, 10), within=month)] == [
        "cjk-leaders-summit-annual"
    ]
    # In June the 2025 period still has half a year to run.
    assert seeds.due(as_of=dt.date(2025, 6, 10), within=month) == []


_FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "BYMONTH": st.lists(st.integers(1, 12), min_size=1, max_size=2, unique=True),
        "BYMONTHDAY": st.lists(
            st.integers(-31, 31).filter(bool), min_size=1, max_size=2, unique=True
        ),
        "BYDAY": st.lists(
            st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
            min_size=1,
            max_size=2,
            unique=True,
        ),
        "BYYEARDAY": st.lists(
            st.integers(-366, 366).filter(bool), min_size=1, max_size=2, unique=True
        ),
    },
)


@given(
    st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"]),
    st.integers(1, 30),
    _FILTERS,
    st.data(),
)
@settings(deadline=None)  # dateutil's own walk, the reference, takes a while
def test_the_bounded_search_finds_what_dateutil_finds(freq, interval, filters, data):
    """The first occurrence (or none) agrees with dateutil's walk to the year 9999. Starts
    are late enough that the walk stays quick, and early enough that the probe runs."""
    earliest = {"YEARLY": 1000, "MONTHLY": 7000, "WEEKLY": 8400, "DAILY": 9000}[freq]
    year = data.draw(st.integers(earliest, 9200))
    parts = "".join(f";{k}={','.join(map(str, v))}" for k, v in filters.items())
    if "BYYEARDAY" in filters and freq == "MONTHLY":
        parts = parts.replace("BYYEARDAY", "BYMONTHDAY").replace("-366", "-1")
    text = f"DTSTART:{year:04d}0101T000000\nRRULE:FREQ={freq};INTERVAL={interval}{parts}"
    try:
        expected = next(iter(rrulestr(text)), None)
    except ValueError:
        return  # a combination dateutil itself refuses
    if expected is None:
        with pytest.raises(cm.RecurrenceError, match="has no occurrences"):
            cm.Recurrence(text)
    else:
        assert cm.Recurrence(text).first_day == expected.date()


def test_a_rule_that_never_occurs_is_refused_after_a_bounded_search():
    """Item 12 of the hardening issue: a daily rule that never matches made dateutil walk
    every day to 9999 (about 3.9 million calls). The search now covers at most two
    400-year calendar cycles; counted in calls, not seconds, so the test is not timed."""
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        calls += event == "call"

    rule = "DTSTART:19000101T000000\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"
    sys.setprofile(count)
    try:
        with pytest.raises(cm.RecurrenceError, match="has no occurrences"):
            cm.Recurrence(rule)
    finally:
        sys.setprofile(None)
    days_in_a_cycle = 146_097
    assert calls < 4 * days_in_a_cycle


@pytest.mark.parametrize("part", ["BYEASTER=0", "byeaster=1"])
def test_only_rfc_5545_rule_parts_are_read(part):
    with pytest.raises(cm.RecurrenceError, match="not an RFC 5545 rule part"):
        cm.Recurrence(f"{YEARLY_2008};{part}")


def test_a_rule_with_a_time_zone_is_refused():
    with pytest.raises(cm.RecurrenceError, match="local date at midnight"):
        cm.Recurrence("DTSTART:20080101T000000Z\nRRULE:FREQ=YEARLY")
