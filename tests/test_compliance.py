from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments.compliance import (
    G7_SCORING,
    Score,
    Scoring,
    compare,
    format_number,
    rounded,
    score_assessments,
)
from sample_trackers import FINAL, INTERIM, SEOUL, at, trilateral

F = Fraction


class TestScore:
    def test_percent_from_unrounded_average(self):
        """Percent is (average + 1) / 2 x 100 from the exact average, not a rounded one."""
        score = Score(F(-1), 3)
        assert score.average == F(-1, 3)
        assert score.percent == F(100, 3)
        assert format_number(score.percent, 1) == "33.3"

    def test_nothing_assessed(self):
        """With no scores the average and percent are None."""
        assert Score(F(0), 0).average is None
        assert Score(F(0), 0).percent is None

    @given(st.lists(st.sampled_from([-1, 0, 1]), min_size=1))
    def test_bounds(self, values):
        """Averages of -1/0/+1 scores lie in [-1, 1] and percents in [0, 100]."""
        score = Score(F(sum(values)), len(values))
        assert score.average is not None
        assert score.percent is not None
        assert -1 <= score.average <= 1
        assert 0 <= score.percent <= 100


class TestRounding:
    def test_halves_away_from_zero(self):
        """Display rounding sends halves away from zero, as spreadsheets do."""
        assert format_number(F(1, 8)) == "0.13"
        assert format_number(F(-1, 8)) == "-0.13"
        assert format_number(F(225, 4), 1) == "56.3"
        assert format_number(None) == "n/a"

    def test_tiny_negative_shows_zero(self):
        """A negative average that rounds to zero shows as 0.00, not -0.00."""
        assert format_number(F(-1, 1000)) == "0.00"

    @given(st.fractions(), st.integers(0, 4))
    def test_rounded_is_close(self, value, digits):
        """A rounded value lies within half a unit of the last place of the exact one."""
        assert abs(rounded(value, digits) - value) <= F(1, 2 * 10**digits)


class TestTrackerCompliance:
    def test_by_party_hand_computed(self):
        """Per-party averages match the hand-computed figures, parties not assessed left out."""
        report = trilateral().compliance(as_of=FINAL)
        assert {p: s.average for p, s in report.by_party.items()} == {
            "CN": F(1, 2),
            "JP": F(-1, 3),
            "KR": F(0),
        }
        # KR is not a party to the health pledge; CN's superseded status is not scored.
        assert report.by_party["KR"].count == 2
        assert report.by_party["CN"].count == 2
        assert report.by_party["JP"].count == 3
        assert report.by_party["CN"].percent == 75

    def test_by_commitment_hand_computed(self):
        """Per-commitment averages over the assessed parties; no parties scores the overall."""
        report = trilateral().compliance(as_of=FINAL)
        assert {c: s.average for c, s in report.by_commitment.items()} == {
            "seoul-2024-fta": F(-1, 3),
            "seoul-2024-exchange": F(2, 3),
            "seoul-2024-summit": F(1),
            "seoul-2024-health": F(-1),
        }
        assert report.by_commitment["seoul-2024-health"].count == 1

    def test_overall_and_areas(self):
        """Overall averages every scored pair; an area averages the pairs of its commitments."""
        report = trilateral().compliance(as_of=FINAL)
        assert report.overall.average == F(1, 8)
        assert report.overall.count == 8
        assert report.overall.percent == F(225, 4)
        # people: exchange (1, 1, 0) and health (JP -1).
        assert report.by_area["people"].average == F(1, 4)
        assert report.by_area["trade"].average == F(-1, 3)
        assert list(report.by_area) == sorted(report.by_area)

    def test_commitments_made_later_are_left_out(self):
        """A commitment made after as_of is not scored at all."""
        report = trilateral().compliance(as_of=dt.date(2024, 6, 1))
        assert "seoul-2024-health" not in report.by_commitment
        # fta and exchange: three parties each, pledged; summit: pledged.
        assert report.overall.count == 7
        assert report.overall.average == F(-1)

    def test_known_on(self):
        """As known on a day, updates recorded later do not count."""
        t = trilateral()
        # The summit was held on 2024-11-26 but only recorded on 2024-11-27.
        day = dt.date(2024, 11, 30)
        assert t.compliance(as_of=day, known_on=dt.date(2024, 11, 26)).by_commitment[
            "seoul-2024-summit"
        ].average == F(-1)
        assert t.compliance(as_of=day).by_commitment["seoul-2024-summit"].average == F(1)

    def test_custom_scoring(self):
        """A replaced scoring changes every figure; its scale drives the percent."""
        lenient = Scoring(
            {"fulfilled": 2, "partially_fulfilled": 1, "in_progress": 1}, low=0, high=2
        )
        report = trilateral().compliance(as_of=FINAL, scoring=lenient)
        # Unscored statuses (pledged, stalled, superseded) are left out.
        assert report.by_party["JP"].average == F(2)
        assert report.by_party["JP"].count == 1
        assert report.by_party["KR"].percent == 50

    def test_scoring_refuses_scores_off_the_scale(self):
        """A score outside low..high is refused with the status named."""
        with pytest.raises(cm.ValidationError, match="fulfilled"):
            Scoring({"fulfilled": 3})

    def test_scoring_refuses_floats(self):
        """Scores must be exact (int or Fraction) so averages stay exact."""
        with pytest.raises(cm.ValidationError, match="Fraction"):
            Scoring({"fulfilled": 0.5})

    def test_party_without_scored_pairs_is_listed_empty(self):
        """A party whose only pair is not scored appears with count 0 and no average."""
        t = cm.Tracker(clock=lambda: at(FINAL))
        t.add(cm.Commitment("x", "A pledge", SEOUL, parties=("EU", "AFU")))
        t.record("x", "superseded", on=SEOUL, party="AFU", recorded_at=at(SEOUL))
        report = t.compliance(as_of=FINAL)
        assert report.by_party["AFU"].count == 0
        assert report.by_party["AFU"].average is None
        assert report.by_party["EU"].average == -1


class TestInterimAndFinal:
    def test_change_between_cutoffs(self):
        """The change between an interim and a final report is exact per party."""
        t = trilateral()
        interim = t.compliance(as_of=INTERIM)
        final = t.compliance(as_of=FINAL)
        change = final.change_since(interim)
        assert interim.by_party["CN"].average == F(-1, 3)
        assert change.by_party["CN"].delta == F(1, 2) - F(-1, 3)
        assert change.by_party["KR"].delta == 0
        assert change.overall.delta == F(1, 8) - F(-1, 9)

    def test_key_on_one_side_only(self):
        """A commitment assessed only in the later report has no delta."""
        t = trilateral()
        change = compare(t.compliance(as_of=dt.date(2024, 6, 1)), t.compliance(as_of=FINAL))
        assert change.by_commitment["seoul-2024-health"].before.count == 0
        assert change.by_commitment["seoul-2024-health"].delta is None

    def test_different_scorings_refused(self):
        """Reports under different scorings cannot be compared."""
        t = trilateral()
        other = Scoring({"fulfilled": 1}, name="strict")
        with pytest.raises(cm.ValidationError, match="strict"):
            compare(t.compliance(as_of=INTERIM), t.compliance(as_of=FINAL, scoring=other))


class TestScoreAssessments:
    def test_mixed_dates_refused(self):
        """Assessments on another date than the report's are refused."""
        t = trilateral()
        with pytest.raises(cm.ValidationError, match="seoul-2024-fta"):
            score_assessments([t.assess("seoul-2024-fta", as_of=INTERIM)], as_of=FINAL)

    @given(
        st.lists(
            st.tuples(st.sampled_from(["CN", "JP", "KR"]), st.sampled_from(list(cm.Status))),
            max_size=12,
        )
    )
    def test_overall_is_mean_of_cells(self, moves):
        """Overall equals the mean of every scored cell, whatever the party statuses."""
        t = cm.Tracker(workflow=cm.Workflow({s: set(cm.Status) for s in cm.Status}))
        t.add(cm.Commitment("p", "A pledge", SEOUL, parties=("CN", "JP", "KR")))
        for n, (party, status) in enumerate(moves):
            day = SEOUL + dt.timedelta(days=n)
            t.record("p", status, on=day, party=party, recorded_at=at(day))
        report = t.compliance(as_of=SEOUL + dt.timedelta(days=30))
        scores = [G7_SCORING.score(c.status) for c in report.cells]
        kept = [s for s in scores if s is not None]
        assert report.overall.count == len(kept)
        if kept:
            assert report.overall.average == sum(kept, F(0)) / len(kept)
        assert report.by_commitment["p"] == report.overall


class TestPolicyAndRecurrence:
    def test_policy_break_scores_alike_with_or_without_parties(self):
        """A pledge broken by the 100-day rule scores -1 whether or not it names parties."""
        made, due, asked = dt.date(2024, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 6, 1)
        scores = []
        for parties in ((), ("CN",)):
            t = cm.Tracker(policy=cm.BreakAfter(days=0))
            t.add(cm.Commitment("a", "t", made, parties=parties, deadline=cm.Deadline.by(due)))
            t.record("a", "in_progress", on=dt.date(2024, 2, 1))
            assert t.status("a", as_of=asked) is cm.Status.BROKEN
            scores.append([(c.status, c.score) for c in t.compliance(as_of=asked).cells])
        assert scores[0] == scores[1] == [(cm.Status.BROKEN, -1)]

    def test_recurring_summit_scores_its_streak(self):
        """The yearly summit scores +1 while 2024 is the latest met year, -1 once 2025 is missed."""
        seeds = cm.seed_catalog()
        end_2025 = seeds.compliance(as_of=dt.date(2025, 12, 31)).by_commitment
        mid_2026 = seeds.compliance(as_of=dt.date(2026, 6, 30)).by_commitment
        assert end_2025["cjk-leaders-summit-annual"].average == 1
        assert mid_2026["cjk-leaders-summit-annual"].average == -1


def test_scale_ends_must_be_numbers():
    """A scale end that is not a number is refused with a commitments error."""
    with pytest.raises(cm.ValidationError, match="low must be an int or a Fraction"):
        cm.Scoring({"fulfilled": 1}, low="a")  # type: ignore[arg-type]
