"""`commitments backup`: a consistent copy of a live SQLite store."""

from __future__ import annotations

import datetime as dt
import time

import commitments as cm
from store_support import run, sample_tracker, spawn

WRITER = """
import datetime as dt, sys
import commitments as cm
t = cm.open_store(sys.argv[1])
t.add(cm.Commitment(id="busy", title="Busy", made_on=dt.date(2024, 1, 1)))
for n in range(400):
    t.record("busy", "in_progress", on=dt.date(2024, 1, 2) + dt.timedelta(days=n))
    print(n, flush=True)
"""


def test_a_backup_taken_while_another_process_writes_is_whole(tmp_path):
    db, copy = tmp_path / "t.db", tmp_path / "backup.db"
    cm.create_store(db, sample_tracker()).close()
    before = len(sample_tracker().events())
    writer = spawn("-c", WRITER, str(db))
    try:
        assert writer.stdout is not None
        writer.stdout.readline()  # the writer has recorded at least once
        code, out, err = run("backup", "--store", str(db), "-o", str(copy))
        assert (code, err) == (0, "")
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    with cm.open_store(copy) as backup, cm.open_store(db) as live:
        held = backup.events()
        # A prefix of the live log, whole: verified, and no update half there.
        assert before + 2 <= len(held) <= len(live.events())
        assert list(held) == list(live.events())[: len(held)]
        assert out.endswith(f"digest {backup.recorder.verify()}\n")


def test_a_backup_replaces_an_older_one_and_refuses_what_it_cannot_do(tmp_path):
    db, copy = tmp_path / "t.db", tmp_path / "backup.db"
    cm.create_store(db, sample_tracker()).close()
    assert run("backup", "--store", str(db), "-o", str(copy))[0] == 0
    with cm.open_store(db) as t:
        t.record("fund-2", "in_progress", on=dt.date(2024, 6, 1))
    time.sleep(0.01)
    assert run("backup", "--store", str(db), "-o", str(copy))[0] == 0
    with cm.open_store(copy) as backup:
        assert backup.history("fund-2")[-1].status is cm.Status.IN_PROGRESS
    code, _, err = run("backup", "--store", str(db), "-o", str(tmp_path))
    assert code == 1
    assert "is a directory" in err
    code, _, err = run("backup", "--store", "postgresql://nobody@/nothing", "-o", str(copy))
    assert code == 1
    assert "pg_dump" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "t.db"]  # no temp left
