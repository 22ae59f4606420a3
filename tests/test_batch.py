"""`record --batch` reads what analysts already have: Excel CSVs, other delimiters and
vocabularies, and refuses (or skips) updates that repeat one in force."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commitments as cm
from store_support import python, run


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "t.db")
    run("init", "--seed", "--store", path)
    return path


def statuses(db: str, cid: str) -> list[tuple[str, str, str | None]]:
    with cm.open_store(db) as t:
        return [(u.status.value, u.on.isoformat(), u.party) for u in t.history(cid)]


EXCEL = (
    "\ufeffCommitment ID;Status;On;Party\r\n"
    "cjk-fta-negotiations;In the Works;2026-11-20;KR\r\n"
    "cn-kr-people-exchange-committee;Promise Kept;2026-11-21;\r\n"
)


def test_an_excel_csv_with_semicolons_and_politifact_labels(db, tmp_path):
    """A byte-order mark, CRLF, semicolons, headers in any case, labels read by vocabulary."""
    path = tmp_path / "excel.csv"
    path.write_bytes(EXCEL.encode("utf-8"))
    code, out, err = python("-m", "commitments", "record", "--batch", str(path),
                            "--vocabulary", "politifact", "--store", db)  # fmt: skip
    assert (code, out, err) == (0, "recorded 2 update(s)\n", "")
    assert statuses(db, "cjk-fta-negotiations")[-1] == ("in_progress", "2026-11-20", "KR")
    assert statuses(db, "cn-kr-people-exchange-committee")[-1] == ("fulfilled", "2026-11-21", None)


def test_tabs_and_the_g7_scale_with_a_unicode_minus(db):
    text = "COMMITMENT_ID\tSTATUS\tON\ncjk-fta-negotiations\t\u22121\t2026-11-25\n"
    code, _, err = run("record", "--batch", "-", "--vocabulary", "g7-interim", "--store", db,
                       stdin=text)  # fmt: skip
    assert (code, err) == (0, "")
    assert statuses(db, "cjk-fta-negotiations")[-1] == ("pledged", "2026-11-25", None)
    code, _, err = run("record", "--batch", "-", "--vocabulary", "g7", "--store", db,
                       stdin=text.replace("\u22121", "+1").replace("25", "26"))  # fmt: skip
    assert code == 0, err
    assert statuses(db, "cjk-fta-negotiations")[-1] == ("fulfilled", "2026-11-26", None)


def test_a_header_that_names_nothing_known_says_what_it_saw(db):
    code, _, err = run("record", "--batch", "-", "--batch-format", "csv", "--store", db,
                       stdin="id|state|day\nx|y|z\n")  # fmt: skip
    assert code == 1
    assert "read with commas between columns, it names 'id|state|day'" in err
    code, _, err = run("record", "--batch", "-", "--batch-format", "csv", "--store", db,
                       stdin="id;state;day;note\nx;y;z;w\n")  # fmt: skip
    assert "read with semicolons between columns, it names 'id', 'state', 'day', 'note'" in err


def test_a_repeated_update_is_refused_with_its_line_or_skipped(db):
    first = "commitment_id,status,on,party\ncjk-fta-negotiations,in_progress,2026-11-20,KR\n"
    assert run("record", "--batch", "-", "--store", db, stdin=first)[0] == 0
    again = first + "cjk-fta-negotiations,stalled,2026-11-21,KR\n"
    code, _, err = run("record", "--batch", "-", "--store", db, stdin=again)
    assert code == 1
    assert "line 2: duplicate of update cjk-fta-negotiations:" in err
    assert "nothing recorded" in err
    assert len(statuses(db, "cjk-fta-negotiations")) == 3  # the seed's two, and the first
    code, out, _ = run("record", "--batch", "-", "--skip-duplicates", "--store", db, stdin=again)
    assert (code, out) == (0, "recorded 1 update(s); skipped 1 duplicate(s)\n")
    # Within one batch too: the second line repeats the first.
    twice = "commitment_id,status,on\ncjk-10th-summit-japan,in_progress,2026-11-22\n" * 1
    twice += "cjk-10th-summit-japan,in_progress,2026-11-22\n"
    code, _, err = run("record", "--batch", "-", "--store", db, stdin=twice)
    assert code == 1
    assert "line 3: duplicate" in err


def test_batch_options_need_a_batch(db):
    code, _, err = run("record", "cjk-fta-negotiations", "stalled", "--on", "2026-11-20",
                       "--skip-duplicates", "--store", db)  # fmt: skip
    assert code == 2
    assert "apply to --batch" in err


def test_in_force_finds_the_same_update_but_not_a_retracted_one(tmp_path):
    day = dt.date(2024, 3, 1)
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="T", made_on=dt.date(2024, 1, 1), parties=("CN", "KR")))
    first = t.record("c", "in_progress", on=day, party="KR")
    with cm.create_store(tmp_path / "t.db", t) as store:
        for tracker in (t, store):
            assert tracker.in_force("c", "in_progress", day, "kr") == first
            assert tracker.in_force("c", "in_progress", day) is None  # all parties: another
            assert tracker.in_force("c", "stalled", day, "KR") is None
    t.retract(first.id, reason="misread")
    assert t.in_force("c", "in_progress", day, "KR") is None


STATUSES = ("in_progress", "stalled", "fulfilled", "partially_fulfilled")


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(STATUSES), st.integers(0, 4), st.sampled_from([None, "CN", "KR"])
        ),
        min_size=1,
        max_size=8,
    ),
    probe=st.tuples(
        st.sampled_from(STATUSES), st.integers(0, 4), st.sampled_from([None, "CN", "KR"])
    ),
)
def test_in_force_from_a_snapshot_is_the_history_scanned(tmp_path_factory, steps, probe):
    """A store answers `in_force` from its snapshot's saved references as memory does."""
    start = dt.date(2024, 1, 1)
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="T", made_on=start, parties=("CN", "KR")))
    *earlier, last = steps
    for status, offset, party in earlier:
        with contextlib.suppress(cm.CommitmentsError):
            t.record("c", status, on=start + dt.timedelta(days=offset), party=party)
    path = tmp_path_factory.mktemp("in-force") / "t.db"
    with cm.create_store(path, t) as created:
        created.close()
    with cm.open_store(path) as store:
        # One update appended in this process: the snapshot mixes saved and new items.
        status, offset, party = last
        outcomes = []
        for tracker in (t, store):
            try:
                u = tracker.record("c", status, on=start + dt.timedelta(days=offset), party=party)
            except cm.CommitmentsError as exc:
                outcomes.append(type(exc))
            else:
                outcomes.append((u.id, u.status, u.on, u.party))
        assert outcomes[0] == outcomes[1]  # the same update accepted, or the same refusal
        status, offset, party = probe
        day = start + dt.timedelta(days=offset)
        scanned = t.in_force("c", status, day, party)  # from updates built in memory
        found = store.in_force("c", status, day, party)
        assert (found is None) == (scanned is None)
        if found is not None:
            assert (found.id, found.status, found.on, found.party) == (
                scanned.id,
                scanned.status,
                scanned.on,
                scanned.party,
            )


def test_in_force_takes_iso_text_and_names_a_damaged_snapshot(tmp_path):
    """`on` may be ISO text, as in every query; a damaged saved reference is reported."""
    day = dt.date(2024, 3, 1)
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="T", made_on=dt.date(2024, 1, 1), parties=("KR",)))
    first = t.record("c", "in_progress", on=day, party="KR")
    path = tmp_path / "t.db"
    cm.create_store(path, t).close()
    with cm.open_store(path) as store:
        for tracker in (t, store):
            assert tracker.in_force("c", "in_progress", "2024-03-01", "KR") == first
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            'UPDATE snapshots SET state = replace(state, \'+00:00","KR","in_progress"]\', '
            '\'+00:00","KR","bogus"]\')'
        )
    conn.close()
    with cm.open_store(path) as store, pytest.raises(cm.StoreError, match="damaged"):
        store.in_force("c", "stalled", day, "KR")
