"""Slicing: `Tracker.where(...)` views and the CLI's --party/--area/--occasion/--text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments.views import Filter
from store_support import SEED_NOTICE, run
from test_output_fuzz import trackers as fuzz_trackers

D = dt.date
LATE = D(2026, 11, 30)


@pytest.fixture(scope="module")
def seeds() -> cm.Tracker:
    return cm.seed_catalog()


def ids(found) -> list[str]:
    return [getattr(x, "id", None) or x.commitment.id for x in found]


def test_party_view_of_the_seed_catalog(seeds):
    """Korea's pledges: the overdue ones are those of the whole catalog that name KR."""
    view = seeds.where(party="kr")
    named = [c.id for c in seeds.commitments if "KR" in c.parties]
    assert [c.id for c in view.commitments] == named
    assert len(view) == len(named) < len(seeds)
    assert ids(view.overdue(as_of=LATE)) == [
        c.id for c in seeds.overdue(as_of=LATE) if "KR" in c.parties
    ]
    assert "view where party='kr'" in repr(view)


def test_filters_combine_any_within_all_across(seeds):
    jp_or_kr = seeds.where(party=["JP", "kr"])
    assert {c.id for c in jp_or_kr.commitments} == {
        c.id for c in seeds.commitments if {"JP", "KR"} & set(c.parties)
    }
    summits = seeds.where(party="JP", text="SUMMIT")
    assert [c.id for c in summits.commitments] == [
        c.id
        for c in seeds.commitments
        if "JP" in c.parties and "summit" in f"{c.title}\n{c.description}".lower()
    ]
    assert summits.commitments  # the seed catalog has such pledges
    by_occasion = seeds.where(occasion="9TH")
    assert by_occasion.commitments
    assert all("9th" in c.occasion.lower() for c in by_occasion.commitments)
    # A view of a view narrows further.
    assert [c.id for c in jp_or_kr.where(text="summit").commitments] == [
        c.id for c in seeds.where(party=["JP", "KR"], text="summit").commitments
    ]


def test_a_view_answers_as_a_tracker_of_just_those_commitments(seeds):
    """Compliance, assessments and exports equal those of a tracker holding only them."""
    view = seeds.where(area="trade")
    alone = cm.Tracker()
    alone.extend(view.events())
    assert len(alone) == len(view) > 0
    assert cm.dumps(alone) == cm.dumps(view)
    for day in (D(2024, 12, 31), D(2025, 12, 31), LATE):
        for known_on in (None, day):
            assert repr(view.compliance(as_of=day, known_on=known_on)) == repr(
                alone.compliance(as_of=day, known_on=known_on)
            )
            assert view.assess_all(as_of=day, known_on=known_on) == alone.assess_all(
                as_of=day, known_on=known_on
            )
    assert view.to_records(as_of=LATE) == alone.to_records(as_of=LATE)


def test_a_view_is_read_only_and_changes_nothing(seeds):
    view = seeds.where(party="KR")
    before = cm.dumps(seeds)
    cid = view.commitments[0].id
    with pytest.raises(cm.UpdateError, match="read-only"):
        view.record(cid, "stalled", on=LATE)
    with pytest.raises(cm.UpdateError, match="read-only"):
        view.add(cm.Commitment(id="new", title="T", made_on=D(2024, 1, 1), parties=("KR",)))
    with pytest.raises(cm.UpdateError, match="read-only"):
        view.amend(cid, title="Changed", reason="test")
    assert cm.dumps(seeds) == before


def test_a_view_follows_later_changes():
    t = cm.Tracker()
    t.add(cm.Commitment(id="a", title="A", made_on=D(2024, 1, 1), parties=("KR",)))
    t.add(cm.Commitment(id="b", title="B", made_on=D(2024, 1, 1), parties=("JP",)))
    view = t.where(party="KR")
    assert view.status("a", as_of=D(2024, 6, 1)) == "pledged"
    t.record("a", "fulfilled", on=D(2024, 3, 1))
    assert view.status("a", as_of=D(2024, 6, 1)) == "fulfilled"
    assert [c.id for c in view.commitments] == ["a"]
    t.amend("b", parties=("JP", "KR"), reason="Korea joined")
    assert [c.id for c in view.commitments] == ["a", "b"]
    t.add(cm.Commitment(id="c", title="C", made_on=D(2024, 1, 1), parties=("kr",)))
    assert [c.id for c in view.commitments] == ["a", "b", "c"]
    with pytest.raises(cm.UnknownCommitmentError):
        t.where(party="JP").status("a", as_of=D(2024, 6, 1))


def test_a_view_of_a_store_answers_as_the_store(tmp_path, seeds):
    with cm.create_store(tmp_path / "t.db", seeds) as store:
        view = store.where(party="CN", area=["trade", "economy"])
        memory = seeds.where(party="CN", area=["trade", "economy"])
        assert cm.dumps(view) == cm.dumps(memory)
        assert ids(view.overdue(as_of=LATE)) == ids(memory.overdue(as_of=LATE))
        assert ids(view.fulfilled(as_of=LATE)) == ids(memory.fulfilled(as_of=LATE))
        assert "store " in repr(view)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs a filter"),
        ({"party": ""}, "empty value"),
        ({"party": []}, "no values"),
        ({"area": [3]}, "takes text, not int"),
        ({"text": "  "}, "empty value"),
    ],
)
def test_bad_filters_are_refused(seeds, kwargs, message):
    with pytest.raises(cm.ValidationError, match=message):
        seeds.where(**kwargs)


# -- the invariant: a view is the whole tracker's answers, filtered ----------------------------


@given(
    tracker=fuzz_trackers(),
    party=st.lists(st.sampled_from(["CN", "jp", "Kr", "XX"]), min_size=1, max_size=2),
    day=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_view_is_the_whole_answer_filtered(tracker, party, day):
    where = Filter.of(party=party)
    view = tracker.where(party=party)
    keep = {c.id for c in tracker.commitments if where.matches(c)}
    assert {c.id for c in view.commitments} == keep
    for ask in ("overdue", "due", "fulfilled"):
        whole = getattr(tracker, ask)(as_of=day)
        assert ids(getattr(view, ask)(as_of=day)) == [c.id for c in whole if c.id in keep]
    assert view.assess_all(as_of=day) == [
        a for a in tracker.assess_all(as_of=day) if a.commitment.id in keep
    ]
    assert list(view.events()) == [e for e in tracker.events() if e.commitment_id in keep]


# -- the command line ---------------------------------------------------------------------------


def test_cli_slices_listings_compliance_and_exports(seeds):
    code, out, err = run("overdue", "--as-of", "2026-11-30", "--party", "kr", "--format", "json")
    assert (code, err) == (0, SEED_NOTICE)
    assert [row["id"] for row in json.loads(out)["commitments"]] == ids(
        seeds.where(party="kr").overdue(as_of=LATE)
    )
    code, out, _ = run("compliance", "--as-of", "2025-12-31", "--occasion", "9th", "--format",
                       "json")  # fmt: skip
    assert code == 0
    scoped = seeds.where(occasion="9th").compliance(as_of=D(2025, 12, 31))
    overall = json.loads(out)["scores"][-1]
    assert (overall["party"], overall["count"]) == ("all", scoped.overall.count)
    assert scoped.overall.count < cm.seed_catalog().compliance(as_of=D(2025, 12, 31)).overall.count
    code, out, _ = run("export", "--text", "summit", "--party", "JP")
    assert code == 0
    assert cm.loads(out).commitments == seeds.where(text="summit", party="JP").commitments
    code, out, _ = run("status", "--area", "trade", "--area", "culture", "--format", "csv")
    assert code == 0
    assert out.count("\n") - 1 == len(seeds.where(area=["trade", "culture"]))


def test_cli_says_when_nothing_matches_and_refuses_empty_flags():
    code, out, err = run("overdue", "--party", "XX", "--area", " trade")
    assert code == 0
    assert out == "(none)\n"
    assert (
        err
        == SEED_NOTICE + "commitments: notice: no commitment matches --party XX --area ' trade'\n"
    )
    code, _, err = run("status", "--text", "")
    assert code == 2
    assert "--text is empty" in err
    # `record --party` keeps its own meaning: the party an update is about.
    code, out, _ = run("record", "--help")
    assert code == 0
    assert "--party" in out
    assert "--occasion" not in out
    assert "--occasion" in run("status", "--help")[1]


def test_a_view_keeps_its_trackers_settings():
    """A view reads deadlines and writes documents with its tracker's fiscal-year start."""
    t = cm.Tracker(fiscal_year_start=4)
    t.add(cm.Commitment(id="c", title="T", made_on=dt.date(2024, 1, 1), parties=("KR",)))
    view = t.where(party="kr")
    assert view.deadline("FY2024-25") == t.deadline("FY2024-25")
    assert cm.to_document(view).get("fiscal_year_start") == 4
    for name in ("workflow", "policy", "recorded_by", "fiscal_year_start"):
        assert getattr(view.recorder, name) == getattr(t.recorder, name), name
