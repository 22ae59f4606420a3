"""HTML for notebooks (`_repr_html_`): small escaped tables, built only when shown."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from commitments.compliance import format_number, format_percent
from commitments.exceptions import NotYetMadeError

if TYPE_CHECKING:
    from commitments.assessment import Assessment
    from commitments.commitment import Commitment
    from commitments.compliance import ComplianceReport, Score
    from commitments.tracker import Tracker

ROWS_SHOWN = 20
"""A notebook shows this many rows of a tracker; the rest are counted, not assessed."""


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], caption: str) -> str:
    def cells(tag: str, values: Sequence[object]) -> str:
        return "".join(f"<{tag}>{html.escape(str(v))}</{tag}>" for v in values)

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{cells('th', head)}</tr></thead><tbody>{body}</tbody></table>"
    )


def _flags(a: Assessment) -> str:
    return ", ".join(a.flags)


def _deadline(a: Assessment) -> str:
    return _deadline_of(a.commitment)


def _deadline_of(c: Commitment) -> str:
    if c.recurrence is not None:
        return c.recurrence.text
    return "" if c.deadline is None else c.deadline.text


_ASSESSMENT_HEAD = ("id", "title", "status", "deadline", "flags")


def _assessment_row(a: Assessment) -> tuple[str, ...]:
    return (a.commitment_id, a.commitment.title, a.status.value, _deadline(a), _flags(a))


def tracker_html(tracker: Tracker) -> str:
    """The first commitments of `tracker`, assessed today, and how many more there are."""
    ids = tracker.recorder.ids()  # ids only: a big store is not built to show 20 rows
    shown = ids[:ROWS_SHOWN]
    rows = []
    for cid in shown:
        try:
            rows.append(_assessment_row(tracker.assess(cid)))  # as of today, UTC
        except NotYetMadeError:
            c = tracker[cid]
            rows.append((cid, c.title, f"made on {c.made_on.isoformat()}", _deadline_of(c), ""))
    more = f"; the first {len(shown)} shown" if len(ids) > len(shown) else ""
    return _table(_ASSESSMENT_HEAD, rows, f"{len(ids)} commitments, as of today{more}")


def assessment_html(a: Assessment) -> str:
    """One assessment as a two-column table."""
    known = "" if a.known_on is None else f", as known on {a.known_on}"
    pairs = [
        ("title", a.commitment.title),
        ("status", a.status.value + (" (by policy)" if a.by_policy else "")),
        ("deadline", _deadline(a)),
        ("flags", _flags(a)),
        ("fulfilled on", "" if a.fulfilled_on is None else a.fulfilled_on.isoformat()),
        ("last update", "" if a.last_update is None else a.last_update.on.isoformat()),
    ]
    return _table(("", ""), pairs, f"{a.commitment_id} on {a.as_of.isoformat()}{known}")


def _score_row(name: str, score: Score) -> tuple[str, str, str, str]:
    return (name, format_number(score.average), format_percent(score.percent), str(score.count))


def compliance_html(report: ComplianceReport) -> str:
    """Scores by party, then overall."""
    rows = [_score_row(name, score) for name, score in report.by_party.items()]
    rows.append(_score_row("All", report.overall))
    known = "" if report.known_on is None else f", as known on {report.known_on}"
    caption = f"Compliance on {report.as_of.isoformat()}{known} (scoring {report.scoring.name})"
    return _table(("party", "average", "percent", "assessed"), rows, caption)
