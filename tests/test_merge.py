"""Merging another analyst's copy: `Tracker.merge` and `commitments import --merge`."""

from __future__ import annotations

import datetime as dt

import pytest

import commitments as cm
from store_support import run

D = dt.date
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def copy_of_the_seeds() -> cm.Tracker:
    return cm.loads(cm.dumps(cm.seed_catalog()), clock=lambda: NOW)


def test_two_analysts_combine_their_work():
    ana, min_jun = copy_of_the_seeds(), copy_of_the_seeds()
    ana.record("cjk-fta-negotiations", "in_progress", on=D(2026, 11, 20), recorded_by="ana")
    min_jun.add(cm.Commitment(id="new-pledge", title="A new pledge", made_on=D(2026, 11, 1)),
                recorded_by="min-jun")  # fmt: skip
    min_jun.record("new-pledge", "in_progress", on=D(2026, 11, 10), recorded_by="min-jun")
    added, present = ana.merge(min_jun.events())
    assert (added, present) == (2, len(cm.seed_catalog().events()))
    assert ana.status("new-pledge", as_of=D(2026, 11, 30)) is cm.Status.IN_PROGRESS
    assert ana.history("cjk-fta-negotiations")[-1].recorded_by == "ana"
    assert ana.merge(min_jun.events()) == (0, len(min_jun.events()))  # again: nothing new


def test_an_event_that_clashes_is_refused_with_both_shown():
    ana, min_jun = copy_of_the_seeds(), copy_of_the_seeds()
    mine = ana.record("cjk-fta-negotiations", "in_progress", on=D(2026, 11, 20))
    theirs = min_jun.record("cjk-fta-negotiations", "stalled", on=D(2026, 11, 21))
    assert mine.id == theirs.id
    min_jun.add(cm.Commitment(id="new-pledge", title="A new pledge", made_on=D(2026, 11, 1)))
    before = cm.dumps(ana)
    with pytest.raises(cm.DuplicateError) as caught:
        ana.merge(min_jun.events())
    message = str(caught.value)
    assert f"{mine.id} clashes" in message
    assert "in_progress" in message
    assert "stalled" in message
    assert cm.dumps(ana) == before  # nothing merged, not even the new pledge


def test_import_merge_on_the_command_line(tmp_path):
    db, theirs = str(tmp_path / "t.db"), tmp_path / "theirs.json"
    run("init", "--seed", "--store", db)
    other = copy_of_the_seeds()
    other.record("cjk-fta-negotiations", "in_progress", on=D(2026, 11, 20))
    cm.dump(other, theirs)
    code, out, err = run("import", "--merge", str(theirs), "--store", db)
    assert (code, err) == (0, "")
    assert (
        out == f"merged 1 new events; {len(cm.seed_catalog().events())} were in the store already\n"
    )
    code, _, err = run("import", str(theirs), "--store", db)  # without --merge: refused
    assert code == 1
    assert "already" in err
