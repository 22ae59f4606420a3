"""Assessments as plain records, for notebooks, pivots and data frames."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

import commitments as cm
from commitments.records import COLUMNS, PARTY_COLUMNS

DAY = dt.date(2025, 12, 31)


def test_a_record_per_commitment_keyed_by_the_columns():
    seeds = cm.seed_catalog()
    records = seeds.to_records(as_of=DAY)
    assert [r["id"] for r in records] == [a.commitment_id for a in seeds.assess_all(as_of=DAY)]
    assert all(tuple(r) == COLUMNS for r in records)
    fta = next(r for r in records if r["id"] == "cn-kr-fta-phase2-resumption")
    assert (fta["status"], fta["overdue"], fta["parties"]) == ("stalled", True, ("CN", "KR"))
    assert fta["deadline_latest"] == dt.date(2024, 6, 10)
    assert fta["as_of"] == DAY


def test_per_party_records_split_each_commitment_by_party():
    seeds = cm.seed_catalog()
    rows = seeds.to_records(as_of=DAY, known_on="2025-06-30", per_party=True)
    assert all(tuple(r) == PARTY_COLUMNS for r in rows)
    assert len(rows) == sum(len(c.parties) or 1 for c in seeds.commitments)
    for row in rows:
        expected = seeds.status(row["id"], as_of=DAY, known_on=dt.date(2025, 6, 30),
                                party=row["party"])  # fmt: skip
        assert row["party_status"] == expected.value
        assert row["known_on"] == dt.date(2025, 6, 30)


def test_a_data_frame_needs_the_pandas_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(cm.MissingExtraError, match=r"commitments\[pandas\]"):
        cm.seed_catalog().to_dataframe(as_of=DAY)


def test_a_data_frame_has_one_column_per_key():
    pd = pytest.importorskip("pandas")
    frame = cm.seed_catalog().to_dataframe(as_of=DAY, per_party=True)
    assert isinstance(frame, pd.DataFrame)
    assert tuple(frame.columns) == PARTY_COLUMNS
