from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments.compliance import G7_SCORING, format_number
from commitments.crosswalk import G7_FINAL, G7_INTERIM, POLITIFACT, Crosswalk
from sample_trackers import SEOUL, at

CROSSWALKS = [POLITIFACT, G7_INTERIM, G7_FINAL]


class TestCrosswalk:
    def test_politifact_reads(self):
        """Each PolitiFact rating imports as the matching status."""
        assert POLITIFACT.status("Promise Kept") is cm.Status.FULFILLED
        assert POLITIFACT.status("  in the works ") is cm.Status.IN_PROGRESS
        assert POLITIFACT.status("Compromise") is cm.Status.PARTIALLY_FULFILLED
        assert POLITIFACT.status("Not Yet Rated") is cm.Status.PLEDGED

    def test_politifact_names_every_status(self):
        """Every status exports to a PolitiFact rating; withdrawn counts as broken."""
        assert POLITIFACT.label(cm.Status.WITHDRAWN) == "Promise Broken"
        assert {POLITIFACT.label(s) for s in cm.Status} == set(POLITIFACT.labels)

    def test_g7_interim_and_final(self):
        """G7 scores read as work under way at an interim cut-off, as outcomes at the final."""
        assert G7_INTERIM.status("0") is cm.Status.IN_PROGRESS
        assert G7_FINAL.status("0") is cm.Status.PARTIALLY_FULFILLED
        assert G7_INTERIM.status("-1") is cm.Status.PLEDGED
        assert G7_FINAL.status("-1") is cm.Status.BROKEN
        assert G7_FINAL.status("1") is cm.Status.FULFILLED

    @pytest.mark.parametrize("crosswalk", CROSSWALKS, ids=lambda c: c.name)
    def test_labels_round_trip(self, crosswalk):
        """A label imports as a status that exports as the same label."""
        for label in crosswalk.labels:
            assert crosswalk.label(crosswalk.status(label)) == label

    @given(st.sampled_from(CROSSWALKS), st.sampled_from(list(cm.Status)))
    def test_statuses_keep_their_label(self, crosswalk, status):
        """Export then import then export gives the first label back."""
        label = crosswalk.label(status)
        assert crosswalk.label(crosswalk.status(label)) == label

    @given(st.sampled_from(list(cm.Status)))
    def test_g7_labels_agree_with_scoring(self, status):
        """The G7 label of a status is its default score."""
        score = G7_SCORING.score(status)
        expected = "n/a" if score is None else f"{'+' if score > 0 else ''}{score}"
        assert G7_FINAL.label(status) == expected

    def test_unknown_label(self):
        """An unknown rating is refused with the allowed ones listed."""
        with pytest.raises(cm.ValidationError, match="Promise Kept"):
            POLITIFACT.status("Pants on Fire")

    def test_inconsistent_crosswalk_refused(self):
        """A label that reads back to a differently named status is refused."""
        naming = dict.fromkeys(cm.Status, "Other") | {cm.Status.FULFILLED: "Kept"}
        with pytest.raises(cm.ValidationError, match="read back"):
            Crosswalk("bad", reading={"Kept": "broken", "Other": "pledged"}, naming=naming)

    def test_missing_status_refused(self):
        """Every status needs an export label."""
        with pytest.raises(cm.ValidationError, match="superseded"):
            Crosswalk(
                "bad",
                reading={"X": "pledged"},
                naming={s: "X" for s in cm.Status if s.value != "superseded"},
            )


class TestImportAndReport:
    def test_import_politifact_tracker(self):
        """A tracker kept in PolitiFact ratings imports, scores and reports back in them."""
        later = SEOUL + dt.timedelta(days=100)
        t = cm.Tracker(POLITIFACT.workflow(), clock=lambda: at(later))
        t.add(
            cm.Commitment("visa", "Ease visa rules for tourists", SEOUL, parties=("CN", "KR")),
            recorded_at=at(SEOUL),
        )
        t.record("visa", "In the Works", on=SEOUL, recorded_at=at(SEOUL))
        t.record("visa", "Promise Kept", on=later, party="CN", recorded_at=at(later))
        assert t.status("visa", as_of=later, party="CN") is cm.Status.FULFILLED
        assert t.workflow.label(t.status("visa", as_of=later)) == "In the Works"
        report = t.compliance(as_of=later)
        assert format_number(report.by_party["CN"].average) == "1.00"
        assert [G7_FINAL.label(c.status) for c in report.cells] == ["+1", "0"]
