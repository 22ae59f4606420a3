"""A tracker's fiscal-year start: kept by stores and catalogs, used by `add` and `amend`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import commitments as cm
from store_support import run

D = dt.date


def test_a_tracker_reads_fiscal_years_by_its_own_start():
    t = cm.Tracker(fiscal_year_start=4)
    deadline = t.deadline("FY2024-25")
    assert (deadline.earliest, deadline.latest) == (D(2024, 4, 1), D(2025, 3, 31))
    with pytest.raises(cm.DeadlineError, match="needs the month fiscal years start in"):
        cm.Tracker().deadline("FY2024-25")
    with pytest.raises(cm.DeadlineError, match="month number from 1 to 12"):
        cm.Tracker(fiscal_year_start=13)


def test_catalogs_and_stores_keep_it(tmp_path):
    t = cm.Tracker(fiscal_year_start=7)
    t.add(cm.Commitment(id="b", title="Budget", made_on=D(2024, 8, 1),
                        deadline=t.deadline("FY2024-25")))  # fmt: skip
    text = cm.dumps(t)
    assert json.loads(text)["fiscal_year_start"] == 7
    assert cm.loads(text).fiscal_year_start == 7
    assert "fiscal_year_start" not in json.loads(cm.dumps(cm.Tracker()))
    with pytest.raises(cm.CatalogError, match=r"\$\.fiscal_year_start"):
        cm.loads(text.replace('"fiscal_year_start": 7', '"fiscal_year_start": 0'))
    with cm.create_store(tmp_path / "t.db", t) as store:
        assert store.fiscal_year_start == 7
    with cm.open_store(tmp_path / "t.db") as store:
        assert store.fiscal_year_start == 7
        assert cm.dumps(store) == text
    with pytest.raises(cm.StoreError, match="start in month 7, not 4"):
        cm.create_store(tmp_path / "u.db", t, fiscal_year_start=4)
    with cm.create_store(tmp_path / "v.db", fiscal_year_start=4) as empty:
        assert empty.fiscal_year_start == 4


def test_add_and_amend_use_the_stores_fiscal_year_start(tmp_path):
    db = str(tmp_path / "t.db")
    code, _, err = run("init", "--fiscal-year-start", "4", "--store", db)
    assert (code, err) == (0, "")
    code, _, err = run("add", "--id", "budget", "--title", "Balance the budget",
                       "--made-on", "2024-05-01", "--deadline", "FY2024-25",
                       "--store", db)  # fmt: skip
    assert (code, err) == (0, "")
    code, _, err = run("amend", "budget", "--deadline", "FY2025-26", "--on", "2025-01-10",
                       "--reason", "postponed", "--store", db)  # fmt: skip
    assert (code, err) == (0, "")
    with cm.open_store(db) as t:
        assert t["budget"].deadline.latest == D(2026, 3, 31)
        assert t.commitment("budget", as_of=D(2024, 6, 1)).deadline.latest == D(2025, 3, 31)
    copy = str(tmp_path / "copy.db")
    assert run("copy", "--from", db, "--to", copy)[0] == 0
    with cm.open_store(copy) as t:
        assert t.fiscal_year_start == 4


def test_a_hand_written_catalog_reads_its_text_deadlines_by_its_own_start():
    document = {
        "schema_version": 2,
        "fiscal_year_start": 4,
        "events": [
            {
                "type": "added",
                "id": "budget:0",
                "recorded_at": "2024-05-02T00:00:00Z",
                "commitment": {
                    "id": "budget",
                    "title": "Balance the budget",
                    "made_on": "2024-05-01",
                    "deadline": "FY2024-25",
                },
            }
        ],
    }
    t = cm.from_document(document)
    assert t["budget"].deadline.latest == D(2025, 3, 31)
    del document["fiscal_year_start"]
    with pytest.raises(cm.CatalogError, match=r"commitment\.deadline.*fiscal year"):
        cm.from_document(document)
    assert cm.Tracker().deadline("in 2025").latest == D(2025, 12, 31)  # nothing left set


def test_a_tracker_reads_one_text_with_another_start_when_asked():
    """`deadline(..., fiscal_year_start=)` overrides the tracker's start for that text only."""
    t = cm.Tracker(fiscal_year_start=4)
    assert t.deadline("2024-25").earliest == D(2024, 4, 1)
    assert t.deadline("2024-25", fiscal_year_start=7).earliest == D(2024, 7, 1)
    assert t.deadline("2024-25").earliest == D(2024, 4, 1)
