"""Findings of an adversarial review (issue 13), each pinned by a test that failed before."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

import commitments as cm
from commitments import cli, reports
from store_support import run

LIBRARY = str(Path(cm.__file__).parent.parent)  # subprocesses run the code under test

D = dt.date


@pytest.mark.parametrize("interval", ["0", "-1", "x", ""])
def test_recurrence_intervals_below_one_are_refused(interval):
    """Item 1: INTERVAL=0 never ended a query; INTERVAL=-1 raised a bare ValueError."""
    rule = f"DTSTART:20200101T000000\nRRULE:FREQ=YEARLY;INTERVAL={interval}"
    with pytest.raises(cm.RecurrenceError, match="INTERVAL"):
        cm.Recurrence(rule)
    doc = {
        "schema_version": 1,
        "commitments": [
            {
                "id": "r",
                "title": "t",
                "made_on": "2020-01-01",
                "recurrence": {"text": "odd", "rule": rule},
            }
        ],
    }
    with pytest.raises(cm.CatalogError, match="INTERVAL"):
        cm.from_document(doc)


def test_due_within_before_the_first_period():
    """Item 5: a recurring pledge whose first period starts after the day is not due."""
    t = cm.Tracker()
    t.add(
        cm.Commitment(
            id="later",
            title="Meet yearly from 2026",
            made_on=D(2024, 1, 1),
            recurrence=cm.Recurrence.parse("every year from 2026"),
        ),
        recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    assert t.due(as_of=D(2025, 6, 1), within=dt.timedelta(days=30)) == []
    assert t.due(as_of=D(2025, 12, 20), within=dt.timedelta(days=400)) == []


@pytest.mark.parametrize(
    "text", ["2024-W01-1", "20240101xx", "20240101", "2024-1-01", "\uff12\uff10\uff12\uff14-01-01"]
)
def test_dates_are_read_as_yyyy_mm_dd_only(text):
    """Item 17: the documented form, on the command line and in catalogs alike."""
    assert cli.run(["status", "--as-of", text], out=io.StringIO(), err=io.StringIO()) == 2
    doc = {"schema_version": 1, "commitments": [{"id": "c", "title": "t", "made_on": text}]}
    with pytest.raises(cm.CatalogError, match="YYYY-MM-DD"):
        cm.from_document(doc)


def test_json_lines_split_on_line_feeds_only(tmp_path):
    """Item 16: U+2028, U+2029 and U+0085 inside a JSON string do not end a line."""
    db = str(tmp_path / "t.db")
    assert run("init", "--store", db)[0] == 0
    assert run("add", "--id", "c", "--title", "t", "--made-on", "2024-01-01", "--store", db)[0] == 0
    note = "first\u2028second\u2029third\u0085fourth"
    lines = [
        json.dumps(
            {"commitment_id": "c", "status": "in_progress", "on": "2024-02-01", "note": note},
            ensure_ascii=False,  # the separators must reach the reader raw, not as escapes
        ),
        json.dumps({"commitment_id": "c", "status": "bogus", "on": "2024-03-01"}),
    ]
    code, _, err = run("record", "--batch", "-", "--batch-format", "jsonl", "--store", db,
                       stdin="\n".join(lines) + "\n")  # fmt: skip
    assert code == 1
    assert "line 2:" in err
    assert "line 3" not in err


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        (["status", "--store", ""], {}, "--store is empty"),
        (["status"], {"COMMITMENTS_STORE": ""}, "COMMITMENTS_STORE is set but empty"),
    ],
)
def test_an_empty_store_path_is_refused(argv, environ, message):
    """Item 18: an empty path (an unset variable) no longer answers from the seed catalog."""
    code, out, err = run(*argv, environ=environ)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_closed_pipe_ends_quietly(tmp_path):
    """Item 21: `commitments export | head -1` prints no "Broken pipe" message."""
    big = cm.Tracker()
    for i in range(3000):
        big.add(
            cm.Commitment(
                id=f"c{i}", title="A pledge with a long title " * 4, made_on=D(2024, 1, 1)
            )
        )
    path = tmp_path / "big.db"
    cm.create_store(path, big).close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "commitments", "export", "--store", str(path)],
        env={"PYTHONPATH": LIBRARY, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_every_csv_cell_is_disarmed(tmp_path):
    """Item 2: sources in `show --format csv` and area names in compliance CSV are guarded."""
    db = str(tmp_path / "t.db")
    with cm.create_store(db) as t:
        t.add(
            cm.Commitment(id="c", title="t", made_on=D(2024, 1, 1), areas=("=SUM(A1)",)),
            recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        t.record("c", "in_progress", on=D(2024, 2, 1), source="=HYPERLINK(1)",
                 recorded_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    _, out, _ = run("show", "c", "--store", db, "--format", "csv", "--as-of", "2024-03-01")
    assert "'=HYPERLINK(1)" in out
    assert ",=HYPERLINK" not in out
    _, out, _ = run("compliance", "--by", "area", "--store", db, "--format", "csv",
                    "--as-of", "2024-03-01")  # fmt: skip
    assert "'=SUM(A1)" in out
    assert "\n=SUM" not in out
    assert ",0.0000,50.00,1" in out  # numbers stay numbers


def test_event_ids_follow_one_rule_on_every_path():
    """Item 6: a catalog cannot load an event id that `record` refuses (tab, newline, empty)."""
    base = {
        "schema_version": 1,
        "commitments": [{"id": "c", "title": "t", "made_on": "2024-01-01"}],
    }
    for bad in ("a\tb", "a\nb", "", " x"):
        event = {
            "type": "update",
            "id": bad,
            "commitment_id": "c",
            "status": "in_progress",
            "on": "2024-02-01",
            "recorded_at": "2024-02-01T00:00:00+00:00",
        }
        with pytest.raises(cm.CatalogError, match="event id"):
            cm.from_document({**base, "events": [event]})
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="t", made_on=D(2024, 1, 1)))
    with pytest.raises(cm.CommitmentsError, match="event id"):
        t.record("c", "in_progress", on=D(2024, 2, 1), update_id="a\tb")


def test_a_store_appears_only_when_complete(tmp_path, monkeypatch):
    """Item 13: `init` stopped mid-way leaves the path free, and `init` then succeeds."""
    from commitments import store as store_module  # noqa: PLC0415

    path = tmp_path / "t.db"
    real = store_module._script

    def stop_half_way(conn, sql):
        real(conn, sql)
        raise KeyboardInterrupt  # as if the process were stopped here

    monkeypatch.setattr(store_module, "_script", stop_half_way)
    with pytest.raises(KeyboardInterrupt):
        cm.create_store(path)
    monkeypatch.undo()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    # A temporary file left by a killed process does not block the next init either.
    (tmp_path / ".t.db.x.creating").write_bytes(b"half")
    assert run("init", "--store", str(path))[0] == 0
    with cm.open_store(path) as t:
        assert len(t) == 0
    plain = tmp_path / "plain"
    plain.write_text("")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_a_store_killed_while_being_made_leaves_the_path_free(tmp_path):
    """Item 13: a process killed half-way through `create_store` leaves no store behind."""
    path = tmp_path / "t.db"
    script = (
        "import os, sys\n"
        "from commitments import store\n"
        "real = store._script\n"
        "def killed(conn, sql):\n"
        "    real(conn, sql)\n"
        "    os._exit(9)  # no cleanup runs, as under SIGKILL\n"
        "store._script = killed\n"
        "store.create_store(sys.argv[1])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env={"PYTHONPATH": LIBRARY, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 9, proc.stderr
    assert not path.exists()
    assert run("init", "--store", str(path))[0] == 0


def test_terminal_output_shows_control_characters(tmp_path):
    """Item 9: escape sequences and newlines in titles, notes and sources are shown, not run."""
    db = str(tmp_path / "t.db")
    with cm.create_store(db) as t:
        t.add(
            cm.Commitment(id="c", title="Bad\x1b[2J\nc  forged  row", made_on=D(2024, 1, 1)),
            recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        t.record("c", "in_progress", on=D(2024, 2, 1), note="note\x07\u202eevil",
                 recorded_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    _, out, _ = run("status", "--store", db, "--as-of", "2024-03-01")
    assert "\x1b" not in out
    assert "Bad\\x1b[2J\\nc  forged  row" in out
    assert len(out.strip().splitlines()) == 2  # the header and one row
    _, out, _ = run("show", "c", "--store", db, "--as-of", "2024-03-01")
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "note\\x07\\u202eevil" in out


def test_unreadable_json_values_are_catalog_errors():
    """Item 10: deep nesting and huge integers end in a CatalogError, nothing else."""
    with pytest.raises(cm.CatalogError, match="nested too deeply"):
        cm.loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(cm.CatalogError):
        cm.loads('{"schema_version": ' + "9" * 5000 + "}")


def test_a_key_given_twice_is_refused_with_its_place(tmp_path):
    """Item 10: JSON keeps the last of two equal keys; we refuse and say where."""
    text = cm.dumps(cm.seed_catalog())
    doc = json.loads(text)
    first = doc["events"][0]
    assert "recorded_at" in first
    # Repeat a key inside the first event by hand: json.dumps cannot write one.
    key = '"recorded_at":'
    repeated = text.replace(key, f'{key} "2020-01-01T00:00:00+00:00", {key}', 1)
    with pytest.raises(cm.CatalogError, match="'recorded_at' appears twice") as caught:
        cm.loads(repeated)
    assert caught.value.path == "$.events[0]"

    db = str(tmp_path / "t.db")
    assert run("init", "--store", db)[0] == 0
    assert run("add", "--id", "c", "--title", "t", "--made-on", "2024-01-01", "--store", db)[0] == 0
    line = '{"commitment_id": "c", "status": "fulfilled", "status": "broken", "on": "2024-02-01"}'
    code, _, err = run("record", "--batch", "-", "--batch-format", "jsonl", "--store", db,
                       stdin=line + "\n")  # fmt: skip
    assert code == 1
    assert "line 1:" in err
    assert "'status' appears twice" in err
    with cm.open_store(db) as store:
        assert len(store.events("c")) == 1

    added = tmp_path / "c.json"
    added.write_text('{"id": "d", "title": "t", "title": "u", "made_on": "2024-01-01"}')
    code, _, err = run("add", "--file", str(added), "--store", db)
    assert code != 0
    assert "'title' appears twice" in err


def test_markdown_lists_an_overdue_recurring_pledge_by_its_periods():
    """Item 20: not "no deadline, 0 days overdue"."""
    from commitments.reports import render_markdown  # noqa: PLC0415

    seeds = cm.seed_catalog()
    text = render_markdown(seeds, as_of=D(2026, 6, 30))
    line = next(x for x in text.splitlines() if "cjk-leaders-summit-annual" in x)
    assert "no deadline" not in line
    assert "0 days overdue" not in line
    assert "recurring every year from 2008" in line


def test_a_read_only_store_answers_and_refuses_writes_clearly(tmp_path, monkeypatch):
    """Item 4: without write access, queries work; a write is one line saying read-only."""
    from commitments import store as store_module  # noqa: PLC0415

    db = tmp_path / "t.db"
    cm.create_store(db, cm.seed_catalog()).close()
    monkeypatch.setattr(store_module.os, "access", lambda *_: False)
    with cm.open_store(db) as t:
        assert len(t) == len(cm.seed_catalog())
        assert t.overdue(as_of=D(2025, 6, 30)) == cm.seed_catalog().overdue(as_of=D(2025, 6, 30))
        with pytest.raises(cm.StoreError, match="read-only"):
            t.record("cjk-fta-negotiations", "stalled", on=D(2025, 6, 1))
    code, out, _ = run("status", "--store", str(db), "--as-of", "2025-06-30")
    assert code == 0
    assert "cjk-fta-negotiations" in out
    code, _, err = run("record", "cjk-fta-negotiations", "stalled", "--on", "2025-06-01",
                       "--store", str(db))  # fmt: skip
    assert code == 1
    assert "read-only" in err
    assert err.count("\n") == 1


def test_a_locked_store_is_reported_busy(tmp_path, monkeypatch):
    """Item 14: a store another process holds in exclusive mode is busy, not foreign."""
    import sqlite3  # noqa: PLC0415

    from commitments import store as store_module  # noqa: PLC0415

    db = tmp_path / "t.db"
    cm.create_store(db).close()
    monkeypatch.setattr(store_module, "_TIMEOUT", 0.1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(cm.StoreError, match="busy") as info:
            cm.open_store(db)
        assert "not a commitments store" not in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _flip(value: object) -> object:
    """`value` with one character (or the number) changed."""
    if isinstance(value, int):
        return value + 1
    text = str(value)
    i = len(text) // 2
    return text[:i] + chr(ord(text[i]) ^ 1) + text[i + 1 :]


def test_verify_catches_a_change_to_any_event_row(tmp_path):
    """Tamper evidence: every column of every event row, changed in turn, fails `verify`;
    so does a removed row; the untouched store passes with the digest its export carries."""
    import shutil  # noqa: PLC0415
    import sqlite3  # noqa: PLC0415

    from store_support import sample_tracker  # noqa: PLC0415

    base = tmp_path / "base.db"
    cm.create_store(base, sample_tracker()).close()
    code, out, _ = run("verify", "--store", str(base))
    assert code == 0
    sealed = out.split("digest ")[1].strip()
    assert json.loads(cm.dumps(sample_tracker()))["digest"] == sealed
    assert run("verify", "--store", str(base), "--digest", sealed)[0] == 0
    assert run("verify", "--store", str(base), "--digest", "0" * 64)[0] == 1
    conn = sqlite3.connect(base)
    rows = conn.execute("SELECT seq FROM events ORDER BY seq").fetchall()
    conn.close()
    columns = ("seq", "id", "commitment_id", "type", "status", "on_date", "recorded_at",
               "party", "update_id", "doc", "chain")  # fmt: skip
    changed = 0
    for (seq,) in rows:
        for column in (*columns, "delete"):
            copy = tmp_path / f"copy-{seq}-{column}.db"
            shutil.copyfile(base, copy)
            conn = sqlite3.connect(copy)
            conn.execute("DROP TRIGGER events_append_only_u")
            conn.execute("DROP TRIGGER events_append_only_d")
            try:
                if column == "delete":
                    conn.execute("DELETE FROM events WHERE seq = ?", (seq,))
                else:
                    value = conn.execute(
                        f"SELECT {column} FROM events WHERE seq = ?",  # noqa: S608
                        (seq,),
                    ).fetchone()[0]
                    new = "x" if value is None else _flip(value)
                    conn.execute(f"UPDATE events SET {column} = ? WHERE seq = ?", (new, seq))  # noqa: S608
                conn.commit()
            except sqlite3.IntegrityError:
                conn.close()
                continue  # the schema itself refuses this change
            conn.close()
            code, _, err = run("verify", "--store", str(copy))
            assert code == 1, (seq, column)
            assert "fails verification" in err or "corrupted" in err, (seq, column, err)
            changed += 1
    assert changed >= len(rows) * 8


def test_undecodable_text_is_refused_on_entry():
    """Item 15: lone surrogates (undecodable input) never load, so a tracker always saves."""
    doc = {
        "schema_version": 1,
        "commitments": [{"id": "c", "title": "bad \ud800 title", "made_on": "2024-01-01"}],
    }
    with pytest.raises(cm.CatalogError, match="undecodable"):
        cm.from_document(doc)
    t = cm.Tracker()
    t.add(cm.Commitment(id="c", title="t", made_on=D(2024, 1, 1)))
    with pytest.raises(cm.UpdateError, match="undecodable"):
        t.record("c", "in_progress", on=D(2024, 2, 1), note="bad \udcff note")
    with pytest.raises(cm.UpdateError, match="undecodable"):
        t.record("c", "in_progress", on=D(2024, 2, 1), source="https://x.test/\udcff")
    assert cm.loads(cm.dumps(t)).events() == t.events()
    code, _, err = run("status", "--as-of", "2024-01-0\udcff")
    assert code == 2
    assert "argument 3 is not valid text" in err


def test_costly_inputs_are_refused_early():
    """Items 12 and 19: long deadline text (reading it was quadratic) and fine-grained
    rules from long ago (every question walked each period) are refused up front."""
    with pytest.raises(cm.DeadlineError, match="too long"):
        cm.Deadline.parse("2024-" * 160_000)
    with pytest.raises(cm.RecurrenceError, match="1900 or later"):
        cm.Recurrence("DTSTART:10000101T000000\nRRULE:FREQ=DAILY")
    assert cm.Recurrence("DTSTART:19500101T000000\nRRULE:FREQ=WEEKLY").rule.startswith(
        "DTSTART:1950"
    )


def test_a_planted_temp_name_is_not_followed(tmp_path):
    """Item 3: `report -o FILE` wrote through `.FILE.tmp`; a link planted there was followed."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "report.md"
    (tmp_path / ".report.md.tmp").symlink_to(victim)
    code, _, _ = run("report", "-o", str(out), "--as-of", "2025-06-30")
    assert code == 0
    assert victim.read_text() == "precious"
    assert out.read_text().startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".report.md.tmp",
        "report.md",
        "victim.txt",
    ]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_json_values)
def test_the_strict_reader_reads_what_json_writes(value):
    """Item 10: refusing repeated keys changes nothing for documents without them."""
    from commitments._strict_json import read_json  # noqa: PLC0415

    assert read_json(json.dumps(value)) == value


@given(st.dictionaries(st.text(), st.integers(), min_size=1, max_size=4), st.data())
def test_the_strict_reader_names_the_repeated_key(obj, data):
    """Item 10: a key written twice inside a list inside an object is found and named."""
    from commitments._strict_json import read_json  # noqa: PLC0415

    key = data.draw(st.sampled_from(sorted(obj)))
    inner = json.dumps(obj)[:-1] + f", {json.dumps(key)}: 0}}"
    with pytest.raises(cm.CatalogError) as caught:
        read_json('{"items": [1, ' + inner + "]}")
    assert caught.value.path == "$.items[1]"
    assert repr(key) in caught.value.problem


def test_a_repeated_key_inside_an_oddly_named_member_keeps_the_message_on_one_line():
    """Item 10 with item 9: a key's control characters reach the message escaped."""
    from commitments._strict_json import read_json  # noqa: PLC0415

    with pytest.raises(cm.CatalogError) as caught:
        read_json('{"a\\nb\\u001b[31m": {"k": 1, "k": 2}}')
    assert caught.value.path == '$["a\\nb\\u001b[31m"]'
    assert str(caught.value).isprintable()


def _edge_tracker() -> cm.Tracker:
    """Pledges at both ends of the calendar: "by 9999-12-31" is a common open-ended mark."""
    t = cm.Tracker(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    t.add(
        cm.Commitment(id="open", title="Open-ended", made_on=D(2024, 1, 1),
                      deadline=cm.Deadline.parse("by 9999-12-31")),
        recorded_at=at,
    )  # fmt: skip
    t.add(
        cm.Commitment(id="first", title="First day", made_on=D.min,
                      deadline=cm.Deadline.window(D.min, D(1, 1, 2))),
        recorded_at=at,
    )  # fmt: skip
    t.record("first", "in_progress", on=D.min, recorded_at=at)
    return t


@pytest.mark.parametrize("as_of", [D.min, D(2025, 6, 1), D.max])
def test_every_output_handles_the_ends_of_the_calendar(as_of):
    """Item 7: a deadline on 9999-12-31 broke every HTML report and iCalendar feed, and
    `report --as-of 0001-01-01` and `due --as-of 9999-12-31 --within 1d` failed."""
    t = _edge_tracker()
    made = ["first"] if as_of == D.min else ["first", "open"]  # "open" was made in 2024
    html = reports.render_html(t, as_of=as_of)
    markdown = reports.render_markdown(t, as_of=as_of, due_days=None)  # every due one listed
    rows = csv.DictReader(io.StringIO(reports.assessments_csv(t, as_of=as_of)))
    assert sorted(row["commitment_id"] for row in rows) == made
    assert all(t[cid].title in html and t[cid].title in markdown for cid in made)
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    feed = Calendar.from_ical(reports.to_ical(t, as_of=as_of, stamp=stamp))
    spans = {
        str(e["uid"]): (e.decoded("dtstart"), e.decoded("dtend", None), e.decoded("duration", None))
        for e in feed.walk("VEVENT")
    }
    # No day follows 9999-12-31, so that window is given by its length.
    if "open" in made:
        assert spans["open.deadline@commitments"] == (D.max, None, dt.timedelta(days=1))
    assert spans["first.deadline@commitments"] == (D.min, D(1, 1, 3), None)
    due = t.due(as_of=as_of, within=dt.timedelta(days=30))
    expected = {D.min: ["first"], D.max: ["open"]}.get(as_of, [])  # inside their windows
    assert [c.id for c in due] == expected


def test_the_ends_of_the_calendar_on_the_command_line(tmp_path):
    db = str(tmp_path / "t.db")
    cm.create_store(db, _edge_tracker()).close()
    assert run("report", "--store", db, "--as-of", "0001-01-01")[0] == 0
    code, out, err = run("due", "--store", db, "--as-of", "9999-12-31", "--within", "1d")
    assert (code, err) == (0, "")
    assert "open" in out
    out = tmp_path / "r.html"
    assert run("report", "--store", db, "--format", "html", "-o", str(out))[0] == 0
    assert "Open-ended" in out.read_text()


def test_a_recording_from_the_future_is_refused():
    """Item 8: recorded_at 2205 (for 2025) counted at once and blocked later updates."""
    now = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    t = cm.Tracker(clock=lambda: now)
    t.add(cm.Commitment(id="c", title="t", made_on=D(2025, 1, 1)))
    typo = dt.datetime(2205, 3, 1, tzinfo=dt.UTC)
    with pytest.raises(cm.UpdateError, match="recorded_at 2205-03-01.* is in the future") as caught:
        t.record("c", "in_progress", on=D(2025, 2, 1), recorded_at=typo)
    assert caught.value.field == "recorded_at"
    assert len(t.events()) == 1
    # Clocks of two machines disagree a little: up to RECORDED_AT_SKEW is allowed.
    skewed = now + cm.RECORDED_AT_SKEW
    assert t.record("c", "in_progress", on=D(2025, 2, 1), recorded_at=skewed).recorded_at == skewed
    with pytest.raises(cm.UpdateError, match="in the future"):
        t.amend("c", title="u", reason="r", recorded_at=skewed + dt.timedelta(seconds=1))


def test_a_catalog_from_the_future_names_the_event():
    t = cm.Tracker(clock=lambda: dt.datetime(2205, 1, 1, tzinfo=dt.UTC))
    t.add(cm.Commitment(id="c", title="t", made_on=D(2025, 1, 1)))
    text = cm.dumps(t)
    with pytest.raises(cm.CatalogError, match=r"\$\.events\[0\]\.recorded_at: .*in the future"):
        cm.loads(text)
    assert cm.loads(text, clock=lambda: dt.datetime(2205, 1, 1, tzinfo=dt.UTC)).events()


def test_a_batch_line_from_the_future_is_refused_on_its_own(tmp_path):
    """Item 8: a recorded_at at the calendar's edge ended a batch in "internal error"."""
    db = str(tmp_path / "t.db")
    with cm.create_store(db) as t:
        t.add(cm.Commitment(id="c", title="t", made_on=D(2024, 1, 1)),
              recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    line = '{"commitment_id": "c", "status": "in_progress", "on": "2024-02-01", "recorded_at": '
    lines = [line + '"9999-12-31T23:59:59+00:00"}', line + '"2205-01-01T00:00:00+00:00"}']
    code, _, err = run("record", "--batch", "-", "--store", db, stdin="\n".join(lines) + "\n")
    assert code == 1
    assert "line 1: c:1: recorded_at 9999-12-31T23:59:59+00:00 is in the future" in err
    assert "line 2: c:1: recorded_at 2205-01-01T00:00:00+00:00 is in the future" in err
    assert "internal error" not in err
    with cm.open_store(db) as t:
        assert len(t.events()) == 1


def test_a_carriage_return_in_a_csv_cell_is_quoted():
    """Found by the output fuzzer (item 2's class): with "\\n" line endings the writer left
    a bare "\\r" unquoted, and spreadsheets and readers ended the row there."""
    t = _edge_tracker()
    t.amend(
        "first", areas=("a\rb",), reason="r", recorded_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    )
    text = reports.assessments_csv(t, as_of=D(2025, 6, 1))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["areas"] for row in rows if row["commitment_id"] == "first"] == ["a\rb"]
    assert "\r\n" not in text


def test_compliance_tables_show_control_characters():
    """Found by the output fuzzer (item 9's class): area names reached the terminal raw."""
    t = _edge_tracker()
    t.amend("first", areas=("x\x1b[2J\ny",), reason="r",
            recorded_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))  # fmt: skip
    table = reports.compliance_table(t.compliance(as_of=D(2025, 6, 1)), by="area")
    assert "x\\x1b[2J\\ny" in table
    assert "\x1b" not in table


@pytest.mark.parametrize("key", ["parties", "areas", "restates"])
def test_a_string_where_a_list_belongs_is_refused(key):
    """Found while damaging stores (item 11's class): "EU" for parties was read as the
    two parties E and U."""
    doc = {"schema_version": 1, "commitments": [
        {"id": "c", "title": "t", "made_on": "2024-01-01", key: "EU"}]}  # fmt: skip
    with pytest.raises(cm.CatalogError, match=rf"\$\.commitments\[0\]\.{key}: expected an array"):
        cm.loads(json.dumps(doc))
