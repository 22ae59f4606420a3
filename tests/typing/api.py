"""Real usage of the public API; `mypy --strict` must accept it as users write it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import commitments as cm

t = cm.Tracker()
pledge = t.add(
    cm.Commitment(
        id="cn-kr-2plus2",
        title="Launch the 2+2 dialogue",
        parties=("CN", "KR"),
        made_on=dt.date(2024, 5, 26),
        deadline=cm.Deadline.window(dt.date(2024, 6, 11), dt.date(2024, 6, 20), "in mid-June"),
    )
)
update: cm.StatusUpdate = t.record(
    "cn-kr-2plus2", cm.Status.FULFILLED, on=dt.date(2024, 6, 18), source="https://x.test/a"
)
status: cm.Status = t.status("cn-kr-2plus2", as_of=dt.date(2024, 6, 17))
assessment: cm.Assessment = t.assess("cn-kr-2plus2", as_of=dt.date(2024, 7, 1))
late: int | None = assessment.late_by
overdue: list[cm.Commitment] = t.overdue(as_of=dt.date(2024, 7, 1), known_on=dt.date(2024, 7, 1))
history: tuple[cm.StatusUpdate, ...] = t.history("cn-kr-2plus2")
retraction: cm.Retraction = t.retract(update.id, reason="wrong date")
first: cm.Commitment = t["cn-kr-2plus2"]
count: int = len(t)
ids: list[str] = [c.id for c in t]
text: str = cm.dumps(t)
again: cm.Tracker = cm.loads(text)
workflow = cm.Workflow.from_pairs([("pledged", "fulfilled")], name="kept")
is_open: bool = status.is_open
try:
    t.record("cn-kr-2plus2", "bogus", on=dt.date(2024, 7, 1))
except cm.TransitionError as exc:
    allowed: tuple[str, ...] = exc.allowed
except cm.CommitmentsError as exc:
    message: str = str(exc)

# Deadlines as pledges state them, recurring pledges and deadline policies.
mid_june: cm.Deadline = cm.Deadline.parse("in mid-June", made_on=dt.date(2024, 5, 26))
latest: dt.date | None = mid_june.latest
yearly: cm.Recurrence = cm.Recurrence.parse("every year from 2008")
summits = cm.Tracker(policy=cm.BreakAfter(days=100))
summits.add(
    cm.Commitment(
        id="cjk-summit",
        title="Hold the trilateral summit every year",
        made_on=dt.date(2008, 12, 13),
        recurrence=yearly,
    )
)
periods: list[cm.Occurrence] = list(summits.occurrences("cjk-summit", as_of=dt.date(2024, 6, 1)))
missed: bool = periods[0].missed
policy: cm.DeadlinePolicy = cm.KeepOpen()
by_policy: bool = summits.assess("cjk-summit", as_of=dt.date(2024, 6, 1)).by_policy

# Compliance scores and crosswalks.
report: cm.ComplianceReport = cm.seed_catalog().compliance(as_of=dt.date(2025, 12, 31))
by_party: cm.Score = report.by_party["CN"]
average = by_party.average
kept: cm.Status = cm.POLITIFACT.status("Promise Kept")
label: str = cm.POLITIFACT.label(cm.Status.FULFILLED)

# Amendments, knowledge, events.
amendment: cm.Amendment = t.amend(
    "cn-kr-2plus2",
    deadline=cm.Deadline.parse("by 2024-12-31"),
    on=dt.date(2024, 6, 20),
    reason="moved",
    source="https://x.test/b",
    recorded_by="ana",
)
correction: cm.Amendment = t.amend("cn-kr-2plus2", title="Launch a 2+2 dialogue", reason="typo")
then: cm.Commitment = t.commitment("cn-kr-2plus2", as_of=dt.date(2024, 6, 1), known_on=None)
events: tuple[cm.Event, ...] = t.events("cn-kr-2plus2", known_on=dt.date(2024, 12, 31))
added: dt.datetime = t.known_from("cn-kr-2plus2")
amended: tuple[cm.Amendment, ...] = t.amendments("cn-kr-2plus2")
original: cm.Deadline | None = t.assess("cn-kr-2plus2", as_of=dt.date(2024, 7, 1)).original_deadline
selected: list[cm.Assessment] = t.select("overdue", as_of=dt.date(2025, 1, 1))
listed: list[dict[str, Any]] = t.listing("overdue", as_of="2025-01-01")
listed_rows: list[list[Any]] = t.listing_rows("all", as_of=dt.date(2025, 1, 1), known_on=None)
t.extend(again.events())

# Stores, transactions, recorders and reports.
from commitments.recorder import MemoryRecorder, Recorder  # noqa: E402
from commitments.reports import render_html, render_markdown  # noqa: E402

with cm.create_store("typing-check.db", t) as store:
    with store.transaction():
        store.prefetch(["cn-kr-2plus2"])
        store.record("cn-kr-2plus2", "in_progress", on=dt.date(2024, 6, 1), recorded_by="ana")
    recorder: Recorder = store.recorder
    page: str = render_html(store, as_of=dt.date(2024, 7, 1))
    notes: str = render_markdown(store, as_of=dt.date(2024, 7, 1), known_on=dt.date(2024, 6, 30))
opened: cm.Tracker = cm.open_store("typing-check.db")
opened.close()
in_memory = cm.Tracker(recorder=MemoryRecorder(cm.DEFAULT_WORKFLOW))
try:
    opened.status("missing")
except cm.NotYetKnownError as exc:
    known_from_text: str = str(exc)
except cm.StoreError as exc:
    where: str = str(exc)

# The testing kit, as a user subclasses it.
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import invariant  # noqa: E402

from commitments.testing import TrackerMachine, commitments, deadline_texts  # noqa: E402


class KeptMachine(TrackerMachine):
    workflow = workflow

    def reopen(self) -> None:
        self.tracker = cm.loads(cm.dumps(self.tracker))

    @invariant()
    def fulfilled_is_terminal(self) -> None:
        for c in self.tracker:
            status = self.tracker.status(c.id, as_of=self.today)
            assert status is not cm.Status.FULFILLED or self.workflow.is_terminal(status)


pledges: st.SearchStrategy[cm.Commitment] = commitments(max_parties=2)
texts: st.SearchStrategy[tuple[str, dt.date | None]] = deadline_texts()
