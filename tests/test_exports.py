"""`commitments export --format json|csv|events-csv|ical|atom`, and the Atom and events CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from xml.etree import ElementTree as ET

import pytest
from icalendar import Calendar

import commitments as cm
from commitments import reports
from store_support import run

D = dt.date
ATOM = "{http://www.w3.org/2005/Atom}"


def test_export_formats_reach_the_command_line(tmp_path):
    seeds = cm.seed_catalog()
    code, out, _ = run("export", "--format", "csv", "--as-of", "2025-12-31")
    assert code == 0
    assert out == reports.assessments_csv(seeds, as_of=D(2025, 12, 31))
    code, out, _ = run("export", "--format", "events-csv")
    assert code == 0
    assert out == reports.events_csv(seeds)
    code, out, _ = run("export", "--format", "ical", "--as-of", "2025-12-31", "--party", "JP")
    assert code == 0
    summaries = [str(e["summary"]) for e in Calendar.from_ical(out).walk("VEVENT")]
    assert summaries
    assert all(any(c.title in s for c in seeds.where(party="JP").commitments) for s in summaries)
    code, out, _ = run("export", "--format", "atom", "-o", str(tmp_path / "feed.xml"))
    assert (code, out) == (0, "")
    feed = ET.parse(tmp_path / "feed.xml").getroot()
    updates = [e for e in seeds.events() if isinstance(e, cm.StatusUpdate)]
    assert len(feed.findall(f"{ATOM}entry")) == min(50, len(updates))


def test_json_export_takes_no_known_on():
    code, _, err = run("export", "--known-on", "2025-01-01")
    assert code == 2
    assert "json exports the whole log" in err


def test_the_atom_feed_lists_updates_newest_first_and_marks_retractions():
    t = cm.Tracker(clock=lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    t.add(cm.Commitment(id="c.1", title="Talks \x07resume", made_on=D(2026, 1, 1)),
          recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    first = t.record("c.1", "in_progress", on=D(2026, 2, 1), note="met <b>once</b>",
                     source=cm.Source(url="https://example.org/a?x=1&y=2", title="A"),
                     recorded_at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC),
                     recorded_by="ana")  # fmt: skip
    second = t.record("c.1", "fulfilled", on=D(2026, 3, 1),
                      source=cm.Source(url="javascript:alert(1)"),
                      recorded_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))  # fmt: skip
    t.retract(second.id, reason="misread", recorded_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    feed = ET.fromstring(reports.to_atom(t))
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "urn:commitments:event:c.1%3A2",
        "urn:commitments:event:c.1%3A1",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-03-02T00:00:00Z"
    newest, oldest = entries
    assert newest.findtext(f"{ATOM}summary").endswith("(This update was later retracted.)")
    assert newest.find(f"{ATOM}link") is None  # only http(s) sources become links
    assert oldest.find(f"{ATOM}link").get("href") == "https://example.org/a?x=1&y=2"
    assert oldest.findtext(f"{ATOM}author/{ATOM}name") == "ana"
    assert oldest.findtext(f"{ATOM}title") == "Talks \ufffdresume: in progress"
    assert "met <b>once</b>" in oldest.findtext(f"{ATOM}summary")  # text, not markup
    assert first.id == "c.1:1"
    # As known before the second update was recorded, the feed had one entry.
    earlier = ET.fromstring(reports.to_atom(t, known_on=D(2026, 2, 28)))
    assert len(earlier.findall(f"{ATOM}entry")) == 1
    assert len(ET.fromstring(reports.to_atom(t, limit=1)).findall(f"{ATOM}entry")) == 1
    with pytest.raises(cm.ValidationError, match="limit"):
        reports.to_atom(t, limit=0)


def test_the_events_csv_names_retractions():
    rows = list(csv.DictReader(io.StringIO(reports.events_csv(cm.seed_catalog()))))
    retracted = [r for r in rows if r["retracted_by"]]
    assert retracted
    by_id = {r["id"]: r for r in rows}
    for row in retracted:
        assert by_id[row["retracted_by"]]["update_id"] == row["id"]
    assert len(rows) == len(cm.seed_catalog().events())


def test_every_event_csv_writes_the_same_cells_and_sources_split_back():
    """`show`, `changes` and the events export encode an event's cells alike; a cell of
    several citations splits back into them, one per line."""
    seeds = cm.seed_catalog()
    amendment = next(
        e for e in seeds.events("cjk-leaders-summit-annual")
        if isinstance(e, cm.Amendment) and len(e.sources) > 1
    )  # fmt: skip
    exported = {r["id"]: r for r in csv.DictReader(io.StringIO(reports.events_csv(seeds)))}
    _, out, _ = run("show", "cjk-leaders-summit-annual", "--format", "csv")
    shown = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    day = amendment.recorded_at.date().isoformat()
    _, out, _ = run("changes", "--since", day, "--until", day, "--format", "csv")
    changed = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    row = exported[amendment.id]
    assert row["sources"].split("\n") == [str(s) for s in amendment.sources]
    for other in (shown[amendment.id], changed[amendment.id]):
        assert other["sources"] == row["sources"]
        assert other["changes"] == row["changes"] == " ".join(sorted(amendment.changes))
    retracted = next(e for e in seeds.events() if isinstance(e, cm.Retraction))
    assert exported[retracted.update_id]["retracted_by"] == retracted.id


def test_the_events_csv_columns_and_what_was_known_when():
    """The documented header; as known on a day, only what was recorded by its end."""
    seeds = cm.seed_catalog()
    header = next(csv.reader(io.StringIO(reports.events_csv(seeds))))
    assert header == [
        "commitment_id", "id", "type", "recorded_at", "recorded_by", "on", "status", "party",
        "changes", "reason", "note", "sources", "update_id", "retracted_by", "progress",
    ]  # fmt: skip
    day = D(2024, 12, 31)
    rows = list(csv.DictReader(io.StringIO(reports.events_csv(seeds, known_on=day))))
    assert [r["id"] for r in rows] == [e.id for e in seeds.events(known_on=day)]
    assert len(rows) < len(seeds.events())
    code, out, _ = run("export", "--format", "events-csv", "--known-on", "2024-12-31")
    assert (code, out) == (0, reports.events_csv(seeds, known_on=day))
    known = ("--as-of", "2025-12-31", "--known-on", "2024-12-31")
    code, out, _ = run("export", "--format", "csv", *known)
    assert (code, out) == (0, reports.assessments_csv(seeds, as_of=D(2025, 12, 31), known_on=day))
    assert out != reports.assessments_csv(seeds, as_of=D(2025, 12, 31))
    code, out, _ = run("export", "--format", "atom", *known)
    assert code == 0

    def entry_ids(feed: str) -> list[str | None]:
        return [e.findtext(f"{ATOM}id") for e in ET.fromstring(feed).findall(f"{ATOM}entry")]

    assert entry_ids(out) == entry_ids(reports.to_atom(seeds, known_on=day))
    assert entry_ids(out) != entry_ids(reports.to_atom(seeds))  # later updates: later feed
