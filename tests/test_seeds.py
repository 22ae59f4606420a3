"""The bundled seed catalog: integrity, and pinned answers on real cases."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import commitments as cm
from commitments.seeds import seed_catalog_text

D = dt.date


@pytest.fixture(scope="module")
def seeds() -> cm.Tracker:
    return cm.seed_catalog()


def ids(commitments: list[cm.Commitment]) -> set[str]:
    return {c.id for c in commitments}


class TestIntegrity:
    def test_loads_with_pledges_and_events(self, seeds):
        """The catalog loads, with 18 pledges and their sourced follow-ups."""
        assert len(seeds) == 18
        assert len([e for e in seeds.events() if isinstance(e, cm.StatusUpdate)]) >= 30

    def test_ids_unique(self):
        """Commitment and event ids are unique in the file itself."""
        doc = json.loads(seed_catalog_text())
        commitment_ids = [e["commitment"]["id"] for e in doc["events"] if e["type"] == "added"]
        event_ids = [e["id"] for e in doc["events"]]
        assert len(commitment_ids) == len(set(commitment_ids))
        assert len(event_ids) == len(set(event_ids))

    def test_every_commitment_has_a_source(self, seeds):
        """Each pledge cites the article it comes from."""
        for c in seeds:
            assert c.sources, c.id
            assert all(s.publisher for s in c.sources), c.id

    def test_every_update_has_a_source_url(self, seeds):
        """No update without a source URL."""
        for e in seeds.events():
            if isinstance(e, cm.Addition):
                continue
            assert isinstance(e, cm.StatusUpdate)
            assert e.sources, e.id
            assert all(s.url and s.url.startswith("http") for s in e.sources), e.id

    def test_every_deadline_text_parses_to_its_window(self, seeds):
        """Each stated deadline reads back, from its own words, to the stored window."""
        with_deadline = [c for c in seeds if c.deadline is not None]
        assert len(with_deadline) >= 6
        for c in with_deadline:
            assert c.deadline is not None
            assert cm.Deadline.parse(c.deadline.text, made_on=c.made_on) == c.deadline, c.id

    def test_recurrences_parse(self, seeds):
        """Recurring pledges keep wording that reads back to the same rule."""
        recurring = [c for c in seeds if c.recurrence is not None]
        assert ids(recurring) == {"cjk-leaders-summit-annual", "jp-kr-shuttle-diplomacy"}
        for c in recurring:
            assert c.recurrence is not None
            assert cm.Recurrence.parse(c.recurrence.text).rule == c.recurrence.rule

    def test_links_name_earlier_pledges(self, seeds):
        """A restatement points at a pledge made on or before it."""
        for c in seeds:
            for other in c.restates:
                assert seeds[other].made_on <= c.made_on

    def test_known_on_never_before_the_event(self, seeds):
        """Updates are recorded on or after the day before they take effect."""
        for e in seeds.events():
            if isinstance(e, cm.Addition):
                continue
            assert isinstance(e, cm.StatusUpdate)
            assert e.recorded_at.date() >= e.on - dt.timedelta(days=1)

    def test_round_trips(self, seeds):
        """The catalog dumps back to the bundled text's document exactly."""
        assert json.loads(cm.dumps(seeds)) == json.loads(seed_catalog_text())


class TestRealCases:
    def test_two_plus_two_held_on_time(self, seeds):
        """The China-ROK 2+2 dialogue pledged for mid-June 2024 met on 18 June."""
        a = seeds.assess("cn-kr-2plus2-dialogue", as_of=D(2024, 7, 1))
        assert a.status is cm.Status.FULFILLED
        assert (a.fulfilled_on, a.late_by) == (D(2024, 6, 18), 0)
        assert seeds.status("cn-kr-2plus2-dialogue", as_of=D(2024, 6, 17)) is cm.Status.PLEDGED

    def test_fta_phase_two_late(self, seeds):
        """FTA phase-two talks, due early June 2024, resumed 15 January 2025."""
        pledge = "cn-kr-fta-phase2-resumption"
        assert pledge in ids(seeds.overdue(as_of=D(2024, 7, 1)))
        assert pledge in ids(seeds.overdue(as_of=D(2025, 1, 14)))
        a = seeds.assess(pledge, as_of=D(2025, 12, 31))
        assert (a.status, a.fulfilled_on, a.late_by) == (cm.Status.FULFILLED, D(2025, 1, 15), 219)

    def test_overdue_on_pinned_dates(self, seeds):
        """Which pledges with deadlines were overdue on three dates."""
        # No summit in 2023: the yearly pledge is overdue all through 2024.
        assert ids(seeds.overdue(as_of=D(2024, 6, 5))) == {"cjk-leaders-summit-annual"}
        assert "cn-kr-fta-phase2-resumption" in ids(seeds.due(as_of=D(2024, 6, 5)))
        assert ids(seeds.overdue(as_of=D(2024, 7, 1))) == {
            "cn-kr-fta-phase2-resumption",
            "cjk-leaders-summit-annual",  # no summit in 2023
        }
        assert ids(seeds.overdue(as_of=D(2025, 12, 31))) == set()
        assert ids(seeds.overdue(as_of=D(2026, 1, 2))) == {"cjk-leaders-summit-annual"}

    def test_strategic_dialogue_in_second_half(self, seeds):
        """The vice-ministerial strategic dialogue (H2 2024) met on 24 July 2024."""
        pledge = "cn-kr-vice-ministerial-strategic-dialogue"
        assert pledge in ids(seeds.due(as_of=D(2024, 7, 1)))
        a = seeds.assess(pledge, as_of=D(2024, 12, 31))
        assert (a.fulfilled_on, a.on_time) == (D(2024, 7, 24), True)

    def test_yearly_summits(self, seeds):
        """Leaders' summits: nine held since 2008, the gap years missed, 2025 missed."""
        periods = seeds.occurrences("cjk-leaders-summit-annual", as_of=D(2026, 6, 30))
        met = [p.start.year for p in periods if p.met]
        assert met == [2008, 2009, 2010, 2011, 2012, 2015, 2018, 2019, 2024]
        missed = [p.start.year for p in periods if p.missed]
        assert missed == [2013, 2014, 2016, 2017, 2020, 2021, 2022, 2023, 2025]
        a = seeds.assess("cjk-leaders-summit-annual", as_of=D(2026, 6, 30))
        assert (a.missed_periods, a.streak, a.overdue) == (9, 0, True)

    def test_as_known_on_changes_the_answer(self, seeds):
        """As known at the end of 2024, the FTA talks had not resumed; by mid-2025 they had."""
        pledge = "cn-kr-fta-phase2-resumption"
        day = D(2025, 6, 30)
        assert seeds.status(pledge, as_of=day, known_on=D(2024, 12, 31)) is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=day, known_on=D(2025, 6, 30)) is cm.Status.FULFILLED

    def test_stalled_for_one_party(self, seeds):
        """China's postponement stalls the cultural year for China only."""
        pledge = "cjk-cultural-exchange-year-2025-2026"
        day = D(2025, 12, 1)
        assert seeds.status(pledge, as_of=day, party="CN") is cm.Status.STALLED
        assert seeds.status(pledge, as_of=day, party="KR") is cm.Status.IN_PROGRESS
        assert seeds.status(pledge, as_of=day) is cm.Status.IN_PROGRESS
