"""What a notebook shows: one-line reprs, and small escaped HTML tables."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import commitments as cm
from commitments._notebook import ROWS_SHOWN

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def tracker(count: int = 3, title: str = "Meet") -> cm.Tracker:
    t = cm.Tracker(clock=lambda: NOW)
    for n in range(count):
        t.add(cm.Commitment(id=f"c{n}", title=f"{title} {n}", made_on=dt.date(2024, 1, 1),
                            parties=("CN", "KR"), deadline=cm.Deadline.parse("by 2024-06-30")),
              recorded_at=NOW)  # fmt: skip
    return t


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, _attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    return parser


def test_reports_and_scores_repr_in_one_short_line():
    report = cm.seed_catalog().compliance(as_of=dt.date(2025, 1, 1))
    for value in (report, report.overall, *report.by_party.values()):
        text = repr(value)
        assert "\n" not in text
        assert len(text) < 120
    assert repr(report).startswith("<ComplianceReport on 2025-01-01, scoring 'g7': ")
    assert repr(cm.compliance.Score(total=cm.compliance.Fraction(1), count=2)) == (
        "<Score 0.50 (75.0%) over 2>"
    )


def test_a_tracker_shows_its_first_rows_assessed_today():
    t = tracker(ROWS_SHOWN + 5)
    shown = parsed(t._repr_html_())
    assert shown.tags.count("tr") == ROWS_SHOWN + 1  # the header, then the first rows
    assert f"{ROWS_SHOWN + 5} commitments, as of today; the first {ROWS_SHOWN} shown" in shown.text
    assert "overdue" in shown.text


def test_a_pledge_not_yet_made_is_shown_not_assessed():
    t = tracker(1)
    t.add(cm.Commitment(id="later", title="Later", made_on=dt.date(2030, 1, 1)), recorded_at=NOW)
    assert "made on 2030-01-01" in parsed(t._repr_html_()).text


def test_html_escapes_what_the_data_holds():
    t = tracker(1, title="<script>alert(1)</script> & co")
    for markup in (
        t._repr_html_(),
        t.assess("c0", as_of="2024-07-01")._repr_html_(),
    ):
        shown = parsed(markup)
        assert "script" not in shown.tags
        assert "<script>alert(1)</script> & co 0" in "".join(shown.text)


def test_a_compliance_report_lists_its_parties_then_all():
    report = tracker(2).compliance(as_of=dt.date(2024, 7, 1))
    cells = parsed(report._repr_html_()).text
    assert [c for c in cells if c in ("CN", "KR", "All")] == ["CN", "KR", "All"]


def test_an_assessment_names_its_flags():
    t = tracker(1)
    assert t.assess("c0", as_of="2024-06-15").flags == ("due",)
    assert t.assess("c0", as_of="2024-07-01").flags == ("overdue",)
    t.record("c0", "fulfilled", on=dt.date(2024, 7, 3), recorded_at=NOW)
    done = t.assess("c0", as_of="2024-07-10")
    assert done.flags == ("3 days late",)  # the deadline was 30 June
    assert repr(done).endswith(": fulfilled, 3 days late>")
