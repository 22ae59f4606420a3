"""What every report shows, computed once from a tracker on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from commitments.assessment import Assessment
from commitments.compliance import ComplianceReport, Scoring, score_assessments
from commitments.events import StatusUpdate
from commitments.exceptions import ValidationError
from commitments.status import Status
from commitments.tracker import DUE_DAYS, KnownOn, Tracker
from commitments.workflow import Workflow

DEFAULT_RECENT_DAYS = 90


@attrs.frozen
class Summary:
    """Counts, lists and scores of a tracker on `as_of`, as known on `known_on`.

    `recent` holds the updates taking effect in the `recent_days` days ending on
    `as_of`: as_of - recent_days < on <= as_of, newest first.
    """

    as_of: dt.date
    known_on: KnownOn
    assessments: tuple[Assessment, ...]
    counts: Mapping[Status, int]
    overdue: tuple[Assessment, ...]
    due: tuple[Assessment, ...]
    due_days: int | None
    recent: tuple[StatusUpdate, ...]
    recent_days: int
    compliance: ComplianceReport
    histories: Mapping[str, tuple[StatusUpdate, ...]]


def summarize(
    tracker: Tracker,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    scoring: Scoring | None = None,
    recent_days: int = DEFAULT_RECENT_DAYS,
    due_days: int | None = DUE_DAYS,
) -> Summary:
    """Gather what the reports show; commitments made after `as_of` are left out.

    `due` lists the open commitments whose deadline ends within `due_days` days of
    `as_of` (both inclusive), as `Tracker.due(within=...)` selects them: a "by 2030"
    pledge is not due in 2025. `due_days=None` lists those inside their deadline window.
    """
    if type(as_of) is not dt.date:
        raise ValidationError(
            f"report as_of must be a calendar date (datetime.date), got {as_of!r}"
        )
    if isinstance(recent_days, bool) or not isinstance(recent_days, int) or recent_days < 0:
        raise ValidationError(f"recent_days must be a whole number >= 0, got {recent_days!r}")
    if due_days is not None and (
        isinstance(due_days, bool) or not isinstance(due_days, int) or due_days < 0
    ):
        raise ValidationError(f"due_days must be a whole number >= 0 or None, got {due_days!r}")
    assessments = tuple(tracker.assess_all(as_of=as_of, known_on=known_on))
    counts = dict.fromkeys(Status, 0)
    for a in assessments:
        counts[a.status] += 1
    histories = {
        a.commitment_id: tuple(
            u for u in tracker.history(a.commitment_id, known_on=known_on) if u.on <= as_of
        )
        for a in assessments
    }
    # Counted in days, not as `as_of - recent_days`, which has no date before 0001-01-01.
    recent = sorted(
        (u for updates in histories.values() for u in updates if (as_of - u.on).days < recent_days),
        key=lambda u: (u.on, u.recorded_at),
        reverse=True,
    )
    return Summary(
        as_of=as_of,
        known_on=known_on,
        assessments=assessments,
        counts=MappingProxyType(counts),
        overdue=tuple(a for a in assessments if a.overdue),
        due=_due(tracker, assessments, as_of, known_on, due_days),
        due_days=due_days,
        recent=tuple(recent),
        recent_days=recent_days,
        compliance=score_assessments(assessments, as_of=as_of, known_on=known_on, scoring=scoring),
        histories=MappingProxyType(histories),
    )


def _due(
    tracker: Tracker,
    assessments: tuple[Assessment, ...],
    as_of: dt.date,
    known_on: KnownOn,
    due_days: int | None,
) -> tuple[Assessment, ...]:
    if due_days is None:
        return tuple(a for a in assessments if a.due)
    within = dt.timedelta(days=min(due_days, (dt.date.max - as_of).days))
    chosen = {c.id for c in tracker.due(as_of=as_of, known_on=known_on, within=within)}
    return tuple(a for a in assessments if a.commitment_id in chosen)


def known_text(known_on: KnownOn) -> str:
    """How a report states its knowledge cut-off."""
    if known_on is None:
        return "everything recorded"
    return f"what was known on {known_on.isoformat()}"


def days_overdue(assessment: Assessment) -> int:
    """Whole days past the latest deadline date on the assessment's date (0 if not)."""
    deadline = assessment.commitment.deadline
    if deadline is None or deadline.latest is None:
        return 0
    return max(0, (assessment.as_of - deadline.latest).days)


def status_labeller(workflow: Workflow) -> Callable[[Status], str]:
    """Display names of statuses: the workflow's labels, else the value in words."""

    def label(status: Status) -> str:
        text = workflow.label(status)
        return text.replace("_", " ") if text == status.value else text

    return label
