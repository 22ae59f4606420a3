"""Hostile trackers through every output: control characters, calendar-edge dates and
recurrences reach the terminal, CSV, HTML, iCalendar and JSON only in a safe form.

Each example builds a tracker whose texts mix terminal escapes, newlines, bidirectional
overrides, formula starters and markup with ordinary text; whose dates include both ends
of the calendar; and whose pledges may recur. Every output must then be produced
without error, and be safe for its medium.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

import commitments as cm
from commitments import reports
from commitments import testing as kit
from store_support import run

D = dt.date
NOW = dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC)  # after every update drawn
RECORDED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

HOSTILE = [
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u061c",
    "=SUM(A1)",
    "+1",
    "-2",
    "@cmd",
    "<script>alert(1)</script>",
    "&amp;",
    '"',
    "'",
    "|",
    "*",
    "`",
    "\\",
    ",",
    ";",
    "END:VEVENT\r\nBEGIN:VEVENT",
]
# What must never reach a terminal raw: control characters (a newline only as a line
# break of the output itself), line and paragraph separators, bidirectional controls.
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def unsafe_for_terminal(text: str) -> list[str]:
    return [
        c
        for c in text
        if c != "\n" and (unicodedata.category(c) in ("Cc", "Zl", "Zp") or ord(c) in _BIDI)
    ]


texts = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(exclude_categories=("Cs",)))),
    max_size=4,
).map("".join)
edge_dates = st.one_of(
    st.sampled_from([D.min, D(1, 1, 2), D(1, 12, 31), D(9999, 1, 1), D(9999, 12, 30), D.max]),
    st.dates(),
)
edge_rules = st.sampled_from(
    [
        "DTSTART:99990101T000000\nRRULE:FREQ=MONTHLY",
        "DTSTART:99991201T000000\nRRULE:FREQ=YEARLY;COUNT=1",
        "DTSTART:10000101T000000\nRRULE:FREQ=YEARLY;INTERVAL=100",
        "DTSTART:99900101T000000\nRRULE:FREQ=WEEKLY;BYDAY=MO",
    ]
).map(cm.Recurrence)


@st.composite
def deadlines(draw: st.DrawFn) -> cm.Deadline | None:
    kind = draw(st.sampled_from(["none", "by", "window"]))
    if kind == "none":
        return None
    first, second = sorted((draw(edge_dates), draw(edge_dates)))
    text = draw(texts)
    if kind == "by":
        return cm.Deadline.by(second, text or f"by {second}")
    return cm.Deadline.window(first, second, text or f"{first} to {second}")


@st.composite
def commitments(draw: st.DrawFn, cid: str) -> cm.Commitment:
    made_on = draw(st.one_of(edge_dates, st.dates(D(2000, 1, 1), D(2030, 1, 1))))
    recurring = draw(st.sampled_from(["no", "kit", "edge"]))
    recurrence = None
    if recurring == "kit":
        recurrence = draw(kit.recurrences(min_year=9900, max_year=9990))  # few periods to 9999
    elif recurring == "edge":
        recurrence = draw(edge_rules)
    return cm.Commitment(
        id=cid,
        title="T" + draw(texts),
        made_on=made_on,
        description=draw(texts),
        parties=tuple(draw(st.lists(st.sampled_from(["CN", "JP", "KR"]), unique=True))),
        areas=tuple(draw(st.lists(texts.filter(str.strip), max_size=2, unique=True))),
        occasion=draw(texts),
        deadline=None if recurrence is not None else draw(deadlines()),
        recurrence=recurrence,
        sources=(cm.Source(title="S" + draw(texts)),),
    )


@st.composite
def trackers(draw: st.DrawFn) -> cm.Tracker:
    t = cm.Tracker(clock=lambda: NOW)
    for n in range(draw(st.integers(1, 3))):
        c = draw(commitments(f"c{n}"))
        t.add(c, recorded_at=RECORDED)
        if draw(st.booleans()):
            on = draw(st.one_of(st.just(c.made_on), st.dates(c.made_on, D.max)))
            status = draw(st.sampled_from(["in_progress", "fulfilled", "stalled"]))
            source = cm.Source(title="S" + draw(texts))
            at = dt.datetime.combine(on, dt.time(0), dt.UTC)
            t.record(c.id, status, on=on, note=draw(texts), source=source, recorded_at=at)
    return t


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, _attrs: object) -> None:
        self.tags.add(tag)


def check_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for value in row.values():
            assert (
                not value.startswith(("=", "+", "@", "\t", "\r"))
                or value.lstrip("+-").replace(".", "").isdigit()
            ), value
            assert (
                not value.startswith("-") or value[1:].replace(".", "").replace("/", "").isdigit()
            ), value
    return rows


fuzz = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@fuzz
@given(trackers(), edge_dates)
def test_library_outputs_are_safe(t, as_of):
    made = sorted(c.id for c in t.commitments if c.made_on <= as_of)
    # HTML: no element comes from the data (only the report's own).
    parser = _Elements()
    parser.feed(reports.render_html(t, as_of=as_of))
    assert "script" not in parser.tags
    reports.render_markdown(t, as_of=as_of)
    rows = check_csv(reports.assessments_csv(t, as_of=as_of))
    assert sorted({row["commitment_id"] for row in rows}) == made
    # iCalendar: the feed parses back, with no event forged by a text.
    feed = Calendar.from_ical(reports.to_ical(t, as_of=as_of, stamp=NOW))
    events = feed.walk("VEVENT")
    uids = [str(event["uid"]) for event in events]
    assert len(set(uids)) == len(uids)
    for uid, event in zip(uids, events, strict=True):
        cid = uid.split(".", 1)[0]
        assert cid in made
        # iCalendar text has one line break, written \n: a carriage return becomes one.
        title = t[cid].title.replace("\r\n", "\n").replace("\r", "\n")
        assert str(event["summary"]).endswith(title)
    # Atom: the feed parses as XML, one entry per update, ids unique, no element forged.
    feed_xml = ET.fromstring(reports.to_atom(t, limit=1000))
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed_xml.findall(f"{atom}entry")
    updates = [e for e in t.events() if isinstance(e, cm.StatusUpdate)]
    assert len(entries) == len(updates)
    ids = [entry.findtext(f"{atom}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    assert {child.tag for child in feed_xml} <= {
        f"{atom}{name}" for name in ("id", "title", "updated", "author", "generator", "entry")
    }
    # The events CSV: one row per event, every cell disarmed.
    rows = check_csv(reports.events_csv(t))
    assert [row["id"] for row in rows] == [e.id for e in t.events()]
    # JSON: a catalog round-trips exactly.
    text = cm.dumps(t)
    assert cm.dumps(cm.loads(text, clock=lambda: NOW)) == text


@fuzz
@given(trackers(), edge_dates)
def test_command_line_outputs_are_safe(t, as_of):
    day = as_of.isoformat()
    made = sorted(c.id for c in t.commitments if c.made_on <= as_of)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "t.db")
        cm.create_store(db, t).close()
        for argv in (
            ["status"],
            ["overdue"],
            ["due", "--within", "30d"],
            ["fulfilled"],
            ["compliance", "--by", "area"],
            ["report"],
            ["changes", "--since", "0001-01-01", "--until", "9999-12-31"],
            *(["show", c.id] for c in t.commitments if c.made_on <= as_of),
        ):
            code, out, err = run(*argv, "--store", db, "--as-of", day)
            assert code == 0, (argv, err)
            if argv[0] != "report":  # Markdown escapes for its own medium, not a terminal
                assert unsafe_for_terminal(out) == [], (argv, out)
            assert unsafe_for_terminal(err) == [], (argv, err)
        code, out, _ = run("status", "--store", db, "--as-of", day, "--format", "table")
        lines = out.splitlines()
        assert len(lines) == (1 + len(made) if made else 1)  # a header and one row each
        for argv in (["status"], ["compliance", "--by", "area"], ["show", *made[:1]]):
            if argv == ["show"]:
                continue
            code, out, err = run(*argv, "--store", db, "--as-of", day, "--format", "csv")
            assert code == 0, (argv, err)
            check_csv(out)
        code, out, _ = run("status", "--store", db, "--as-of", day, "--format", "json")
        assert unsafe_for_terminal(out) == []
        listed = json.loads(out)["commitments"]
        assert sorted(r["id"] for r in listed) == made
        assert {r["id"]: r["title"] for r in listed} == {cid: t[cid].title for cid in made}
        code, out, err = run("export", "--store", db)
        assert code == 0, err
        assert unsafe_for_terminal(out) == []
        assert cm.loads(out, clock=lambda: NOW).events() == t.events()
        html = Path(tmp) / "r.html"
        code, _, err = run("report", "--store", db, "--as-of", day, "--format", "html",
                           "-o", str(html))  # fmt: skip
        assert code == 0, err
        parser = _Elements()
        parser.feed(html.read_text(encoding="utf-8"))
        assert "script" not in parser.tags
