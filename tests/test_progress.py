"""Progress (`progress=Progress(done, total, unit)`) in show, listings, CSV and reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3

import pytest

import commitments as cm
from commitments import reports
from commitments import snapshot as snapshot_module
from commitments import store as store_module
from store_support import run

D = dt.date
SCHOOLS = cm.Progress(2300, 6500, "schools")


def tracker() -> cm.Tracker:
    t = cm.Tracker(clock=lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    t.add(cm.Commitment(id="schools", title="Connect 6,500 schools", made_on=D(2024, 1, 10),
                        deadline=cm.Deadline.by(D(2026, 12, 31))),
          recorded_at=dt.datetime(2024, 1, 10, tzinfo=dt.UTC))  # fmt: skip
    t.record("schools", "partially_fulfilled", on=D(2025, 3, 1), progress=SCHOOLS,
             note="a third connected",
             recorded_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC))  # fmt: skip
    return t


def progress_cells(argv: list[str]) -> tuple[str, str, str]:
    code, out, err = run(*argv, "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["id"] == "schools"]
    return row["progress_done"], row["progress_total"], row["progress_unit"]


def test_listings_show_progress_from_memory_and_from_a_store(tmp_path):
    t = tracker()
    (record,) = t.to_records(as_of=D(2025, 6, 1))
    assert (record["progress_done"], record["progress_total"], record["progress_unit"]) == (
        2300, 6500, "schools",
    )  # fmt: skip
    db = str(tmp_path / "t.db")
    cm.create_store(db, t).close()
    # From the snapshot (no known-on) and from the log (known on a day): the same cells.
    for extra in ([], ["--known-on", "2025-06-01"]):
        argv = ["status", "--store", db, "--as-of", "2025-06-01", *extra]
        assert progress_cells(argv) == ("2300", "6500", "schools")
    code, out, _ = run("show", "schools", "--store", db)
    assert code == 0
    assert "progress: 2300 of 6500 schools (35%)" in out
    (row,) = csv.DictReader(io.StringIO(reports.assessments_csv(t, as_of=D(2025, 6, 1))))
    assert row["progress"] == "2300 of 6500 schools (35%)"
    html = reports.render_html(t, as_of=D(2025, 6, 1))
    assert '<span class="sub progress">2300 of 6500 schools (35%)</span>' in html


def test_a_version_3_store_is_migrated_to_keep_progress(tmp_path, monkeypatch):
    """Stores written before snapshots kept progress get those snapshots rebuilt."""
    db = tmp_path / "old.db"
    with monkeypatch.context() as old:
        # As version 3 wrote them: update references without progress.
        real = snapshot_module._ref
        old.setattr(snapshot_module, "_ref", lambda u: real(u)[:5])
        cm.create_store(db, tracker()).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with cm.open_store(db) as t:
        (record,) = t.to_records(as_of=D(2025, 6, 1))
        assert record["progress_done"] == 2300
        t.recorder.verify()  # type: ignore[attr-defined]  # snapshots equal the fold again
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION == 5
    conn.close()


@pytest.mark.parametrize("kept", [None, SCHOOLS])
def test_a_snapshot_round_trips_an_update_with_or_without_progress(kept):
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="T", made_on=D(2024, 1, 1)))
    t.record("c", "in_progress", on=D(2024, 2, 1), progress=kept)
    state = t._state("c")
    snap = snapshot_module.snapshot(state)
    again = snapshot_module.Snapshot.from_text(snap.commitment, snap.to_text())
    (update,) = again.timeline.updates
    assert update.progress == kept
