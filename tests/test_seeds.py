"""The bundled seed catalog: integrity, and pinned answers on real cases."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import commitments as cm
from commitments.seeds import seed_catalog_text

D = dt.date


@pytest.fixture(scope="module")
def seeds() -> cm.Tracker:
    return cm.seed_catalog()


def ids(commitments: list[cm.Commitment]) -> set[str]:
    return {c.id for c in commitments}


# Gaps in citations that were searched for and not found (listed in seeds/README.md).
NEO = "New Eastern Outlook (Konstantin Asmolov)"
NEO_TITLE = "The China-Japan-ROK trilateral summit on May 26-27 in Seoul. Part two: the bilateral"
NO_URL_FOUND = {
    (NEO, f"{NEO_TITLE} meetings"),
    ("Bota (Flash News)", "China, Japan and South Korea agree to strengthen trilateral relations"),
}
NO_TITLE_FOUND = {"https://news.cri.cn/20250627/b19be739-da64-1bd9-c644-3187edb995ab.html"}
NO_DATE_FOUND = {"https://pacforum.org/publications/pacnet-2-three-minus-asean-the-dazaifu-summit/"}
PLACEHOLDER = re.compile(r"\[[^\]]*\]|not seen|TODO|TBD|XXX|placeholder", re.IGNORECASE)
INTERNAL = re.compile(
    r"\b00[0-9]\b|\.txt\b|_[0-9a-f]{8,}|the article says|this article|notes?/|seed-",
    re.IGNORECASE,
)


def all_sources(tracker: cm.Tracker) -> list[tuple[str, cm.Source]]:
    """Every source anywhere in the log: pledges as added and amended, updates, evidence."""
    found = []
    for e in tracker.events():
        if isinstance(e, cm.Addition):
            found += [(e.id, s) for s in e.commitment.sources]
        elif isinstance(e, (cm.StatusUpdate, cm.Amendment)):
            found += [(e.id, s) for s in e.sources]
            for s in getattr(e, "changes", {}).get("sources", ()):
                found.append((e.id, s))
    return found


def all_texts(node: object) -> list[str]:
    """Every string in a JSON document, keys excepted."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in all_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in all_texts(v)]
    return []


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

    def test_every_source_is_fully_cited(self, seeds):
        """Every source of every event has a publisher, a title, a date and a URL.

        The only gaps are the ones seeds/README.md lists: two articles with no URL found,
        one page whose title was not seen, one undated newsletter issue.
        """
        for event_id, source in all_sources(seeds):
            where = f"{event_id}: {source}"
            assert source.publisher, where
            if source.title is None:
                assert source.url in NO_TITLE_FOUND, where
            if source.published_on is None:
                assert source.url in NO_DATE_FOUND, where
            if source.url is None:
                assert (source.publisher, source.title) in NO_URL_FOUND, where
            else:
                assert source.url.startswith("http"), where

    def test_no_placeholders_or_internal_references(self):
        """No text in the catalog is a placeholder or names a file only we can see."""
        for text in all_texts(json.loads(seed_catalog_text())):
            if text.startswith("http"):
                continue
            assert not PLACEHOLDER.search(text), text
            assert not INTERNAL.search(text), text

    def test_every_update_has_a_source_url(self, seeds):
        """No update without a source URL."""
        for e in seeds.events():
            if not isinstance(e, cm.StatusUpdate):
                continue
            assert e.sources, e.id
            assert all(s.url and s.url.startswith("http") for s in e.sources), e.id

    def test_amendments_and_retractions_give_reasons_and_evidence(self, seeds):
        """Every correction cites its evidence; every retraction says why."""
        for e in seeds.events():
            if isinstance(e, cm.Amendment):
                assert e.reason, e.id
                assert e.sources, e.id
            if isinstance(e, cm.Retraction):
                assert e.reason, e.id

    def test_recorded_on_the_publication_day(self, seeds):
        """An event is recorded no earlier than its sources were published.

        An addition is recorded on the day of the first report of the pledge it cites
        (the 2008 pledge of yearly summits is recorded with its first summit).
        """
        retracted = {e.update_id for e in seeds.events() if isinstance(e, cm.Retraction)}
        for e in seeds.events():
            if isinstance(e, (cm.StatusUpdate, cm.Amendment)) and e.id not in retracted:
                for s in e.sources:
                    if s.published_on is not None:
                        assert e.recorded_at.date() >= s.published_on, e.id
        for c in seeds:
            if c.id == "cjk-leaders-summit-annual":
                continue
            (added,) = [e for e in seeds.events(c.id) if isinstance(e, cm.Addition)]
            # The pledge as added cites, first, the report of the day it is added.
            as_added = added.commitment.sources
            assert as_added[0].published_on == added.recorded_at.date(), c.id
            assert min(s.published_on for s in as_added if s.published_on) == (
                added.recorded_at.date()
            ), c.id

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
            if isinstance(e, cm.StatusUpdate):
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

    def test_fta_phase_two_early_june_meeting_corrected(self, seeds):
        """The Seoul pledge was a chief negotiators' meeting in early June 2024: a correction.

        The formal round of 15 January 2025 no longer counts as its fulfilment (that update
        is retracted); what is known is that the talks had not restarted by 27 September.
        """
        pledge = "cn-kr-fta-phase2-resumption"
        c = seeds[pledge]
        assert "chief negotiators' meeting" in c.title
        assert str(c.deadline) == "in early June"
        (fix,) = seeds.amendments(pledge)
        assert fix.is_correction
        assert fix.recorded_at.date() == D(2024, 5, 26)
        assert any(s.publisher == "OhmyNews" for s in fix.sources)
        # A correction: the pledge read so from the start, on every date.
        assert seeds.commitment(pledge, as_of=D(2024, 6, 1)).title == c.title
        assert pledge in ids(seeds.due(as_of=D(2024, 6, 5)))
        assert pledge in ids(seeds.overdue(as_of=D(2024, 7, 1)))
        assert seeds.status(pledge, as_of=D(2024, 9, 26)) is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=D(2024, 9, 27)) is cm.Status.STALLED
        a = seeds.assess(pledge, as_of=D(2025, 12, 31))
        assert (a.status, a.fulfilled_on, a.late_by, a.overdue) == (
            cm.Status.STALLED,
            None,
            None,
            True,
        )
        assert [u.status for u in seeds.history(pledge)] == [cm.Status.STALLED]

    def test_fta_phase_two_rounds(self, seeds):
        """The Jakarta pledge to speed up phase two: formal rounds from January 2025."""
        pledge = "cn-kr-fta-phase2-acceleration"
        assert seeds.status(pledge, as_of=D(2025, 1, 14)) is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=D(2025, 1, 15)) is cm.Status.IN_PROGRESS
        assert [u.on for u in seeds.history(pledge)] == [
            D(2025, 1, 15),
            D(2025, 6, 23),
            D(2026, 1, 19),
        ]
        assert seeds.status(pledge, as_of=D(2026, 11, 30)) is cm.Status.IN_PROGRESS

    def test_overdue_on_pinned_dates(self, seeds):
        """Which pledges with deadlines were overdue on four dates."""
        # No summit in 2023: the yearly pledge is overdue until the Seoul summit of May 2024.
        assert ids(seeds.overdue(as_of=D(2024, 5, 26))) == {"cjk-leaders-summit-annual"}
        assert ids(seeds.overdue(as_of=D(2024, 6, 5))) == set()
        assert "cn-kr-fta-phase2-resumption" in ids(seeds.due(as_of=D(2024, 6, 5)))
        # Five weeks after that summit, the FTA meeting promised for early June and the
        # resources dialogue promised for mid-June are late.
        assert ids(seeds.overdue(as_of=D(2024, 7, 1))) == {
            "cn-kr-fta-phase2-resumption",
            "jp-kr-resources-dialogue",
        }
        summit = seeds.assess("cjk-leaders-summit-annual", as_of=D(2024, 7, 1))
        assert (summit.period, summit.overdue) == ("met", False)
        assert ids(seeds.overdue(as_of=D(2025, 12, 31))) == {"cn-kr-fta-phase2-resumption"}
        assert ids(seeds.overdue(as_of=D(2026, 1, 2))) == {
            "cn-kr-fta-phase2-resumption",
            "cjk-leaders-summit-annual",  # no summit in 2025
        }

    def test_japan_korea_dialogues_timed_for_mid_june(self, seeds):
        """The briefing set both dialogues for mid-June 2024: hydrogen on time, resources late."""
        for pledge in ("jp-kr-hydrogen-dialogue", "jp-kr-resources-dialogue"):
            (fix,) = seeds.amendments(pledge)
            assert fix.is_correction
            assert fix.recorded_at.date() == D(2024, 5, 26)
            assert [s.publisher for s in fix.sources] == ["Newspim"]
            deadline = seeds[pledge].deadline
            assert (deadline.earliest, deadline.latest) == (D(2024, 6, 11), D(2024, 6, 20))
        hydrogen = seeds.assess("jp-kr-hydrogen-dialogue", as_of=D(2024, 12, 31))
        assert (hydrogen.fulfilled_on, hydrogen.on_time) == (D(2024, 6, 14), True)
        resources = seeds.assess("jp-kr-resources-dialogue", as_of=D(2025, 12, 31))
        assert (resources.fulfilled_on, resources.late_by) == (D(2025, 2, 27), 252)
        assert "jp-kr-resources-dialogue" in ids(seeds.overdue(as_of=D(2024, 6, 21)))
        assert "jp-kr-resources-dialogue" not in ids(seeds.overdue(as_of=D(2024, 6, 20)))

    def test_additions_dated_to_same_day_reports(self, seeds):
        """Pledges of the Seoul bilateral meetings are known from reports of 26 May 2024."""
        known = {a.commitment.id for a in seeds.assess_all(known_on=D(2024, 5, 26))}
        for pledge in (
            "cn-kr-2plus2-dialogue",
            "cn-kr-fta-phase2-resumption",
            "cn-jp-high-level-economic-dialogue",
            "cn-kr-export-control-supply-chain-dialogue",
            "cn-kr-investment-cooperation-committee",
            "cn-kr-vice-ministerial-strategic-dialogue",
            "jp-kr-hydrogen-dialogue",
            "jp-kr-resources-dialogue",
            "jp-kr-shuttle-diplomacy",
        ):
            assert pledge in known, pledge
            added = seeds.events(pledge)[0]
            assert added.recorded_at.date() == seeds[pledge].sources[0].published_on
        # The youth exchange is first found in the July 2024 article.
        assert "cn-kr-youth-exchange" not in known
        assert seeds.known_from("cn-kr-youth-exchange").date() == D(2024, 7, 3)

    def test_2023_summit_pledge_in_the_words_of_the_day(self, seeds):
        """The senior officials' meeting of 26 September 2023, reported the same day."""
        pledge = "cjk-summit-resumption-2023"
        c = seeds.commitment(pledge, known_on=D(2023, 9, 26))
        assert str(c.deadline) == "at the earliest convenient time"
        assert c.deadline.is_open_ended
        assert c.sources[0].publisher == "Nikkei Asia"
        assert seeds.known_from(pledge).date() == D(2023, 9, 26)

    def test_strategic_dialogue_in_second_half(self, seeds):
        """The vice-ministerial strategic dialogue (H2 2024) met on 24 July 2024.

        Its timing is first found in the article of 3 July 2024: a correction recorded
        that day, so a replay as known before it shows the pledge without a deadline.
        """
        pledge = "cn-kr-vice-ministerial-strategic-dialogue"
        assert pledge in ids(seeds.due(as_of=D(2024, 7, 1)))
        (fix,) = seeds.amendments(pledge)
        assert fix.is_correction
        assert fix.recorded_at.date() == D(2024, 7, 3)
        assert seeds.commitment(pledge, known_on=D(2024, 7, 2)).deadline is None
        assert str(seeds.commitment(pledge, known_on=D(2024, 7, 3)).deadline) == (
            "in the second half of 2024"
        )
        assert pledge not in ids(seeds.due(as_of=D(2024, 7, 2), known_on=D(2024, 7, 2)))
        assert pledge in ids(seeds.due(as_of=D(2024, 7, 3), known_on=D(2024, 7, 3)))
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
        """As known before 27 September 2024 the early-June meeting was just overdue."""
        pledge = "cn-kr-fta-phase2-resumption"
        day = D(2025, 6, 30)
        assert seeds.status(pledge, as_of=day, known_on=D(2024, 9, 26)) is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=day, known_on=D(2024, 9, 27)) is cm.Status.STALLED
        # The retracted "fulfilled" does not count from the day it was recorded.
        assert seeds.status(pledge, as_of=day, known_on=D(2025, 1, 16)) is cm.Status.STALLED

    def test_cultural_year_postponement(self, seeds):
        """China's notice of 18 November 2025 stopped the ministers' meeting, not the year."""
        pledge = "cjk-cultural-exchange-year-2025-2026"
        (notice,) = [u for u in seeds.history(pledge) if u.party == "CN"]
        assert (notice.on, notice.status) == (D(2025, 11, 18), cm.Status.IN_PROGRESS)
        day = D(2025, 12, 1)
        assert seeds.status(pledge, as_of=day, party="CN") is cm.Status.IN_PROGRESS
        assert seeds.status(pledge, as_of=day) is cm.Status.IN_PROGRESS
        # The opening ceremony is cited from a report published after it.
        (opening,) = [u for u in seeds.history(pledge) if u.on == D(2025, 4, 14)]
        assert opening.sources[0].published_on == D(2025, 4, 15)
        # Still running late in 2026: due until the end of the year, not overdue.
        assert pledge in ids(seeds.due(as_of=D(2026, 11, 30)))
        assert pledge not in ids(seeds.overdue(as_of=D(2026, 11, 30)))

    def test_tenth_summit_blocked_by_china(self, seeds):
        """China's refusal of a January 2026 summit, first reported on 22 November 2025."""
        pledge = "cjk-10th-summit-japan"
        assert seeds.status(pledge, as_of=D(2025, 11, 21)) is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=D(2025, 11, 22), party="CN") is cm.Status.STALLED
        assert seeds.status(pledge, as_of=D(2025, 11, 22), party="JP") is cm.Status.PLEDGED
        assert seeds.status(pledge, as_of=D(2026, 11, 30)) is cm.Status.STALLED
        known_before = seeds.status(pledge, as_of=D(2025, 11, 30), known_on=D(2025, 11, 21))
        assert known_before is cm.Status.PLEDGED
        # The same refusal stalls the yearly-summit pledge for China.
        annual = "cjk-leaders-summit-annual"
        assert seeds.status(annual, as_of=D(2025, 11, 22), party="CN") is cm.Status.STALLED

    def test_yearly_summit_description_and_2011_date(self, seeds):
        """The summit rotates among the three countries; 2010 and 2011 from reports of the day."""
        annual = "cjk-leaders-summit-annual"
        assert "countries" in seeds[annual].description
        assert "capitals" in seeds.commitment(annual, known_on=D(2019, 12, 26)).description
        held = [u.on for u in seeds.history(annual)]
        assert D(2011, 5, 22) in held
        assert D(2011, 5, 21) not in held
        # The Jeju summit of 2010 is known from a report of its first day.
        jeju = seeds.occurrences(annual, as_of=D(2010, 12, 31), known_on=D(2010, 6, 1))
        assert [p.start.year for p in jeju if p.met] == [2008, 2009, 2010]
        # And the Beijing summit of 2012 likewise, not six weeks later.
        beijing = seeds.occurrences(annual, as_of=D(2012, 12, 31), known_on=D(2012, 5, 14))
        assert [p.start.year for p in beijing if p.met][-1] == 2012

    def test_cgtn_pledges_fully_cited(self, seeds):
        """Both CGTN-cited pledges cite the piece with its title, date and URL."""
        for pledge in ("cn-jp-high-level-economic-dialogue", "cjk-10th-summit-japan"):
            (cgtn,) = [s for s in seeds[pledge].sources if s.publisher.startswith("CGTN")]
            assert cgtn.published_on == D(2025, 3, 22)
            assert cgtn.title
            assert "cgtn.com" in cgtn.url

    def test_high_level_economic_dialogue(self, seeds):
        """The 2024 agreement, cited from a 2024 report; the 6th round held in March 2025."""
        pledge = "cn-jp-high-level-economic-dialogue"
        c = seeds[pledge]
        assert c.sources[0].published_on == D(2024, 5, 26)
        assert "Reuters" in c.sources[0].publisher
        assert "6th" not in c.title
        assert str(c.deadline) == "at an appropriate time"
        a = seeds.assess(pledge, as_of=D(2026, 11, 30))
        assert (a.status, a.fulfilled_on) == (cm.Status.FULFILLED, D(2025, 3, 22))

    def test_trilateral_fta_stalled(self, seeds):
        """The March 2025 ministers' statement, then no round: stalled from November 2025."""
        pledge = "cjk-fta-negotiations"
        assert seeds.status(pledge, as_of=D(2025, 6, 1)) is cm.Status.IN_PROGRESS
        assert seeds.status(pledge, as_of=D(2025, 11, 1)) is cm.Status.STALLED
        known_before = seeds.status(pledge, as_of=D(2025, 11, 1), known_on=D(2025, 11, 3))
        assert known_before is cm.Status.IN_PROGRESS

    def test_other_follow_ups(self, seeds):
        """Shuttle visits in 2025 and 2026, the committee replaced, nothing on the rest."""
        periods = seeds.occurrences("jp-kr-shuttle-diplomacy", as_of=D(2026, 11, 30))
        assert [p.start.year for p in periods if p.met] == [2024, 2025, 2026]
        committee = "cn-kr-investment-cooperation-committee"
        assert seeds.status(committee, as_of=D(2026, 1, 5)) is cm.Status.SUPERSEDED
        assert seeds.history("cn-kr-people-exchange-committee") == ()
        centre = seeds.assess("cn-cjk-innovation-cooperation-centre", as_of=D(2026, 11, 30))
        assert centre.fulfilled_on == D(2025, 6, 26)
