from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import commitments as cm
from commitments.compliance import Scoring
from commitments.crosswalk import POLITIFACT
from commitments.reports import (
    assessments_csv,
    compliance_table,
    render_html,
    render_markdown,
    to_ical,
    write_csv,
)
from commitments.reports.ical import _window
from sample_trackers import FINAL, INTERIM, SEOUL, at, trilateral

HOSTILE = '<script>alert("x")</script> & | *bold* [link](javascript:alert(1))'


def hostile_tracker() -> cm.Tracker:
    """A tracker whose user text tries to inject markup everywhere it can."""
    t = cm.Tracker(clock=lambda: at(FINAL))
    t.add(
        cm.Commitment(
            "evil",
            HOSTILE,
            SEOUL,
            parties=("CN", "JP"),
            occasion='<img src=x onerror="alert(2)">',
            deadline=cm.Deadline.by(dt.date(2025, 1, 1), "<b>soon</b>"),
            sources=(
                cm.Source(url="javascript:alert(3)", title="<i>click</i>"),
                cm.Source(url='https://example.org/?a=1&b="2"', title="ok"),
            ),
        )
    )
    t.record(
        "evil", "in_progress", on=FINAL, recorded_at=at(FINAL), note="</ul><script>x()</script>"
    )
    return t


class TestImports:
    def test_import_commitments_stays_light(self):
        """`import commitments` loads neither the reports nor icalendar."""
        code = (
            "import sys, commitments; "
            "bad = [m for m in sys.modules if m.startswith(('commitments.reports', 'icalendar'))]; "
            "sys.exit(str(bad) if bad else 0)"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
        assert result.returncode == 0, result.stderr


class TestMarkdown:
    def test_sections(self):
        """The report holds counts, overdue and due lists, scores and recent changes."""
        text = render_markdown(trilateral(), as_of=FINAL)
        assert "| in progress | 1 |" in text
        assert "| **Total** | 4 |" in text
        assert "## Overdue (1)" in text
        assert "**seoul-2024-health**" in text.split("## Due")[0]
        assert "121 days overdue" in text
        # The FTA pledge ends on 2025-12-31, 184 days on: due, but not within 90 days.
        assert "## Due within 90 days (0)" in text
        assert "## Due (1)" in render_markdown(trilateral(), as_of=FINAL, due_days=None)
        assert "## Due within 184 days (1)" in render_markdown(
            trilateral(), as_of=FINAL, due_days=184
        )
        assert "## Due within 183 days (0)" in render_markdown(
            trilateral(), as_of=FINAL, due_days=183
        )
        assert "| CN | 0.50 | 75.0% | 2 |" in text
        assert "| JP | -0.33 | 33.3% | 3 |" in text
        assert "| **All** | 0.13 | 56.3% | 8 |" in text
        assert "## Recent changes (last 90 days)" in text
        assert "2025-05-01 **seoul-2024-health** (CN) superseded" in text

    def test_recent_window_bounds(self):
        """Recent changes include an update on as_of - days + 1 and exclude one on as_of - days."""
        t = trilateral()
        # The JP update on 2025-03-01 is 121 days before FINAL.
        assert "2025-03-01" in render_markdown(t, as_of=FINAL, recent_days=122)
        assert (
            "2025-03-01"
            not in render_markdown(t, as_of=FINAL, recent_days=121).split("## Recent")[1]
        )

    def test_interim_known_on(self):
        """An interim report as known on a day shows only what was recorded by then."""
        text = render_markdown(trilateral(), as_of=INTERIM, known_on=dt.date(2024, 11, 26))
        assert "from what was known on 2024-11-26" in text
        assert "| fulfilled |" not in text

    def test_escapes_user_text(self):
        """Markdown and HTML in titles and notes are made inert."""
        text = render_markdown(hostile_tracker(), as_of=FINAL)
        assert "<script>" not in text
        assert "\\<script\\>" in text
        assert "\\[link\\]" in text
        assert "\\*bold\\*" in text

    def test_custom_workflow_labels(self):
        """Statuses are shown in the tracker workflow's own labels."""
        t = cm.Tracker(POLITIFACT.workflow(), clock=lambda: at(FINAL))
        t.add(cm.Commitment("x", "Open the border", SEOUL))
        t.record("x", "Promise Kept", on=FINAL, recorded_at=at(FINAL))
        assert "| Promise Kept | 1 |" in render_markdown(t, as_of=FINAL)


class TestArguments:
    def test_as_of_must_be_a_date(self):
        """A datetime as_of is refused with the allowed type named."""
        with pytest.raises(cm.ValidationError, match=r"datetime\.date"):
            render_markdown(trilateral(), as_of=at(FINAL))

    def test_recent_days_must_be_whole(self):
        """A negative recent_days is refused."""
        with pytest.raises(cm.ValidationError, match="recent_days"):
            render_html(trilateral(), as_of=FINAL, recent_days=-1)


class TestComplianceTable:
    def test_table(self):
        """The text table lists each party, rounded, with an overall row."""
        table = compliance_table(trilateral().compliance(as_of=FINAL))
        lines = table.splitlines()
        assert lines[0] == "Compliance on 2025-06-30 (scoring g7)"
        assert re.search(r"^JP\s+-0\.33\s+33\.3%\s+3$", table, re.MULTILINE)
        assert re.search(r"^All\s+0\.13\s+56\.3%\s+8$", table, re.MULTILINE)

    def test_by_area(self):
        """Grouping by area gives one row per area."""
        table = compliance_table(trilateral().compliance(as_of=FINAL), by="area")
        assert re.search(r"^people\s+0\.25\s+62\.5%\s+4$", table, re.MULTILINE)

    def test_unknown_grouping(self):
        """An unknown grouping is refused, naming the choices."""
        with pytest.raises(cm.ValidationError, match="party, commitment or area"):
            compliance_table(trilateral().compliance(as_of=FINAL), by="country")


class TestCsv:
    def test_rows(self):
        """One row per commitment and party, with exact scores and empty unscored cells."""
        rows = list(csv.DictReader(io.StringIO(assessments_csv(trilateral(), as_of=FINAL))))
        assert len(rows) == 9
        health = [r for r in rows if r["commitment_id"] == "seoul-2024-health"]
        assert [(r["party"], r["status"], r["score"]) for r in health] == [
            ("CN", "superseded", ""),
            ("JP", "pledged", "-1"),
        ]
        assert health[0]["overdue"] == "true"
        summit = next(r for r in rows if r["commitment_id"] == "seoul-2024-summit")
        assert summit["party"] == ""
        assert summit["deadline_latest"] == "2024-12-31"

    def test_fraction_scores(self):
        """A fractional score is written exactly, as a fraction."""
        scoring = Scoring({"in_progress": Fraction(1, 2), "fulfilled": 1})
        rows = list(
            csv.DictReader(io.StringIO(assessments_csv(trilateral(), as_of=FINAL, scoring=scoring)))
        )
        assert rows[0]["score"] == "1/2"

    def test_formula_injection_disarmed(self):
        """Titles starting like a spreadsheet formula get a leading quote."""
        t = cm.Tracker(clock=lambda: at(FINAL))
        t.add(cm.Commitment("f", '=HYPERLINK("http://x")', SEOUL))
        rows = list(csv.DictReader(io.StringIO(assessments_csv(t, as_of=FINAL))))
        assert rows[0]["title"].startswith("'=")

    def test_write_to_path(self, tmp_path):
        """write_csv writes the same text to a path as assessments_csv returns."""
        t = trilateral()
        target = tmp_path / "a.csv"
        write_csv(t, target, as_of=FINAL)
        assert target.read_text(encoding="utf-8") == assessments_csv(t, as_of=FINAL)


class TestIcal:
    def test_deadline_windows(self):
        """Each deadline becomes an all-day event whose exclusive end is the day after latest."""
        icalendar = pytest.importorskip("icalendar")
        data = to_ical(trilateral(), as_of=FINAL, stamp=at(FINAL))
        calendar = icalendar.Calendar.from_ical(data)
        events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
        assert set(events) == {
            f"seoul-2024-{n}.deadline@commitments" for n in ("fta", "exchange", "summit", "health")
        }
        exchange = events["seoul-2024-exchange.deadline@commitments"]
        assert exchange.decoded("dtstart") == dt.date(2025, 1, 1)
        assert exchange.decoded("dtend") == dt.date(2025, 4, 1)
        fta = events["seoul-2024-fta.deadline@commitments"]
        assert fta.decoded("dtstart") == dt.date(2025, 12, 31)
        assert str(fta["url"]).startswith("https://www.mofa.go.jp/")

    def test_reproducible(self):
        """With a fixed stamp the feed is byte-for-byte the same."""
        pytest.importorskip("icalendar")
        t = trilateral()
        assert to_ical(t, as_of=FINAL, stamp=at(FINAL)) == to_ical(t, as_of=FINAL, stamp=at(FINAL))

    def test_open_ended_left_out(self):
        """Deadlines without a latest date and commitments made later are not in the feed."""
        icalendar = pytest.importorskip("icalendar")
        t = trilateral()
        t.add(
            cm.Commitment(
                "later",
                "A later pledge",
                dt.date(2026, 1, 1),
                deadline=cm.Deadline.by(dt.date(2026, 6, 1)),
            )
        )
        t.add(cm.Commitment("words", "Soon", SEOUL, deadline=cm.Deadline.unspecified("soon")))
        calendar = icalendar.Calendar.from_ical(to_ical(t, as_of=FINAL, stamp=at(FINAL)))
        uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
        assert not any(u.startswith(("later", "words")) for u in uids)

    def test_only_web_addresses_become_links(self):
        """The calendar's URL, like every report's links, is an http(s) address or absent."""
        icalendar = pytest.importorskip("icalendar")
        t = cm.Tracker()
        for cid, url in (("web", "HTTPS://example.org/x"), ("script", "javascript:alert(1)")):
            t.add(
                cm.Commitment(cid, "A pledge", SEOUL, deadline=cm.Deadline.by(dt.date(2025, 6, 1)),
                              sources=[cm.Source(url=url, title="T")])
            )  # fmt: skip
        calendar = icalendar.Calendar.from_ical(to_ical(t, as_of=FINAL, stamp=at(FINAL)))
        urls = {str(e["uid"]).split(".")[0]: e.get("url") for e in calendar.walk("VEVENT")}
        assert str(urls["web"]) == "HTTPS://example.org/x"
        assert urls["script"] is None
        assert cm.Source(url=" http://a.b ").web_url == "http://a.b"
        assert cm.Source(url="ftp://a.b").web_url is None

    def test_missing_extra(self, monkeypatch):
        """Without icalendar installed the error names the extra to install."""
        monkeypatch.setitem(sys.modules, "icalendar", None)
        with pytest.raises(cm.MissingExtraError, match=r"commitments\[ical\]"):
            to_ical(trilateral(), as_of=FINAL)


class TestHtmlText:
    def test_self_contained(self):
        """The page references nothing outside itself and runs no scripts."""
        page = render_html(trilateral(), as_of=FINAL)
        assert "<script" not in page
        assert not re.search(r'(src|href)="(?!https://www\.mofa)', page)
        assert "@import" not in page
        assert "default-src 'none'" in page
        assert "@media print" in page

    def test_escapes_user_text(self):
        """Titles, notes, occasions and URLs are escaped; unsafe URLs are not linked."""
        page = render_html(hostile_tracker(), as_of=FINAL)
        assert "<script" not in page
        assert "<img" not in page
        assert "<b>soon</b>" not in page
        assert "&lt;script&gt;" in page
        assert 'href="javascript' not in page
        assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in page


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI for the HTML report test")
        pytest.skip("chromium is not installed")
    return found


def _run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestHtmlInBrowser:
    def test_rendered_dom_and_screenshot(self, tmp_path):
        """Chromium renders one table row and one SVG row per commitment, and a screenshot."""
        binary = _chromium()
        assert binary is not None
        t = trilateral()
        page = tmp_path / "report.html"
        page.write_text(render_html(t, as_of=FINAL), encoding="utf-8")
        dom = _run_chromium(binary, tmp_path, "--dump-dom", page.as_uri())
        assert dom.returncode == 0, dom.stderr
        ids = [c.id for c in t.commitments]
        table_rows = re.findall(r'<tr data-commitment="([^"]+)"', dom.stdout)
        svg_rows = re.findall(r'<g class="row" data-commitment="([^"]+)"', dom.stdout)
        assert table_rows == ids
        assert svg_rows == ids
        assert '<g class="as-of" data-as-of="2025-06-30"' in dom.stdout
        assert re.search(
            r'<tr data-commitment="seoul-2024-health"[^>]*>.*?overdue by 121 days',
            dom.stdout,
            re.DOTALL,
        )
        shot = tmp_path / "report.png"
        result = _run_chromium(
            binary, tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri()
        )
        assert result.returncode == 0, result.stderr
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_hostile_title_stays_text(self, tmp_path):
        """In the rendered DOM a hostile title is text: no script element is created."""
        binary = _chromium()
        assert binary is not None
        page = tmp_path / "evil.html"
        page.write_text(render_html(hostile_tracker(), as_of=FINAL), encoding="utf-8")
        dom = _run_chromium(binary, tmp_path, "--dump-dom", page.as_uri())
        assert dom.returncode == 0, dom.stderr
        assert "<script" not in dom.stdout
        assert "&lt;script&gt;alert" in dom.stdout
        assert re.findall(r'<g class="row" data-commitment="([^"]+)"', dom.stdout) == ["evil"]


class TestIcalWindows:
    def test_window_shapes(self):
        """A window runs earliest..latest (or latest alone); no latest date gives none."""
        day = dt.date(2025, 3, 1)
        assert _window(cm.Deadline.by(day)) == (day, day)
        assert _window(cm.Deadline.window(SEOUL, day)) == (SEOUL, day)
        assert _window(cm.Deadline.window(day, None)) is None

    def test_recurring_periods_become_events(self):
        """Each yearly summit period is an event labelled Met, Missed or Due."""
        icalendar = pytest.importorskip("icalendar")
        data = to_ical(cm.seed_catalog(), as_of=dt.date(2026, 6, 30), stamp=at(FINAL))
        events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
        summit = {u: e for u, e in events.items() if u.startswith("cjk-leaders-summit-annual.")}
        assert len(summit) == 19  # 2008 .. 2026
        y2024 = summit["cjk-leaders-summit-annual.2024-01-01@commitments"]
        assert str(y2024["summary"]).startswith("Met: ")
        assert y2024.decoded("dtend") == dt.date(2025, 1, 1)
        assert str(
            summit["cjk-leaders-summit-annual.2025-01-01@commitments"]["summary"]
        ).startswith("Missed: ")
        assert str(
            summit["cjk-leaders-summit-annual.2026-01-01@commitments"]["summary"]
        ).startswith("Due: ")
