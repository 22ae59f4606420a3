"""A Markdown report: counts by status, overdue and due lists, scores, recent changes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from commitments.assessment import Assessment
from commitments.compliance import Score, Scoring, format_number, format_percent
from commitments.reports._summary import (
    DEFAULT_RECENT_DAYS,
    Summary,
    days_overdue,
    known_text,
    status_labeller,
    summarize,
)
from commitments.status import Status
from commitments.tracker import DUE_DAYS, KnownOn, Tracker

_Label = Callable[[Status], str]
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def escape(text: str) -> str:
    """User text made inert in Markdown: one line, markup characters backslashed."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(
    tracker: Tracker,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    scoring: Scoring | None = None,
    title: str = "Commitments report",
    recent_days: int = DEFAULT_RECENT_DAYS,
    due_days: int | None = DUE_DAYS,
) -> str:
    """The tracker on `as_of`, as known on `known_on`, as a Markdown document.

    Statuses are shown with the tracker workflow's labels. "Recent changes" lists the
    updates taking effect in the `recent_days` days ending on `as_of` (inclusive).
    """
    summary = summarize(
        tracker,
        as_of=as_of,
        known_on=known_on,
        scoring=scoring,
        recent_days=recent_days,
        due_days=due_days,
    )
    label = status_labeller(tracker.workflow)
    lines = [
        f"# {escape(title)}",
        "",
        (
            f"As of {as_of.isoformat()}, from {known_text(known_on)}: "
            f"{len(summary.assessments)} commitments."
        ),
        "",
        *_counts(summary, label),
        *_list("Overdue", summary.overdue, label),
        *_list(
            "Due" if summary.due_days is None else f"Due within {summary.due_days} days",
            summary.due,
            label,
        ),
        *_compliance(summary),
        *_recent(summary, tracker, label),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _counts(summary: Summary, label: _Label) -> list[str]:
    rows = ["## Status counts", "", "| Status | Commitments |", "| --- | ---: |"]
    rows += [f"| {escape(label(s))} | {summary.counts[s]} |" for s in Status if summary.counts[s]]
    rows += [f"| **Total** | {len(summary.assessments)} |", ""]
    return rows


def _deadline(assessment: Assessment) -> str:
    recurrence = assessment.commitment.recurrence
    if recurrence is not None:
        return f"recurring {escape(recurrence.text)}"
    deadline = assessment.commitment.deadline
    if deadline is None:
        return "no deadline"
    return f"deadline {escape(deadline.text)}"


def _lateness(assessment: Assessment) -> str:
    """How overdue, in the assessment's own terms: missed periods or days."""
    if not assessment.overdue:
        return ""
    if assessment.commitment.recurrence is not None:
        missed = assessment.missed_periods or 0
        return f", last period missed ({missed} missed in all)"
    return f", {days_overdue(assessment)} days overdue"


def _list(heading: str, items: tuple[Assessment, ...], label: _Label) -> list[str]:
    rows = [f"## {heading} ({len(items)})", ""]
    if not items:
        return [*rows, "None.", ""]
    rows.extend(
        f"- **{escape(a.commitment_id)}**: {escape(a.commitment.title)} "
        f"({_deadline(a)}{_lateness(a)}; {escape(label(a.status))})"
        for a in items
    )
    return [*rows, ""]


def _score_row(name: str, score: Score) -> str:
    percent = format_percent(score.percent)
    return f"| {name} | {format_number(score.average)} | {percent} | {score.count} |"


def _compliance(summary: Summary) -> list[str]:
    report = summary.compliance
    head = ["| {} | Average | Percent | Assessed |", "| --- | ---: | ---: | ---: |"]
    rows = [
        "## Compliance by party",
        "",
        (
            f"Scoring {escape(report.scoring.name)}: averages from {report.scoring.low} to "
            f"{report.scoring.high}, percent = (average - low) / (high - low) x 100; "
            "parties not assessed on a commitment are left out of its averages."
        ),
        "",
        head[0].format("Party"),
        head[1],
    ]
    rows += [_score_row(escape(p), s) for p, s in report.by_party.items()]
    rows += [_score_row("**All**", report.overall), "", "## Compliance by commitment", ""]
    rows += [head[0].format("Commitment"), head[1]]
    rows += [_score_row(escape(c), s) for c, s in report.by_commitment.items()]
    return [*rows, ""]


def _recent(summary: Summary, tracker: Tracker, label: _Label) -> list[str]:
    rows = [f"## Recent changes (last {summary.recent_days} days)", ""]
    if not summary.recent:
        return [*rows, "None.", ""]
    for u in summary.recent:
        who = f" ({escape(u.party)})" if u.party else ""
        note = f": {escape(u.note)}" if u.note.strip() else ""
        title = escape(tracker[u.commitment_id].title)
        rows.append(
            f"- {u.on.isoformat()} **{escape(u.commitment_id)}**{who} "
            f"{escape(label(u.status))}, {title}{note}"
        )
    return [*rows, ""]
