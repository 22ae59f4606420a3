"""A single self-contained HTML tracker page: counts, a table and an SVG timeline.

The page loads nothing: no scripts, fonts, images or style sheets from elsewhere, and
a Content-Security-Policy that forbids them. All user text (titles, notes, URLs) is
escaped; only http(s) source URLs become links.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from html import escape

from commitments.assessment import Assessment
from commitments.compliance import Score, Scoring, format_number, format_percent
from commitments.events import StatusUpdate
from commitments.records import progress_text
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

# Timeline geometry, in SVG user units (the SVG scales to the page width).
_WIDTH = 1200
_LABEL_WIDTH = 300
_PLOT_LEFT = _LABEL_WIDTH + 10
_PLOT_RIGHT = _WIDTH - 20
_AXIS_HEIGHT = 44
_ROW_HEIGHT = 30
_MIN_LABEL_PX = 40  # narrowest gap between axis labels that stays readable
_MIN_TICK_PX = 6  # narrowest gap between quarter grid lines
_TITLE_CHARS = 38

_COLOURS = {
    Status.PLEDGED: "#6b7a90",
    Status.IN_PROGRESS: "#1f6fd1",
    Status.STALLED: "#b7791f",
    Status.FULFILLED: "#1e8a4c",
    Status.PARTIALLY_FULFILLED: "#168a99",
    Status.BROKEN: "#c0392b",
    Status.WITHDRAWN: "#3d3d3d",
    Status.SUPERSEDED: "#7d4bb3",
}

_CSS = """
:root { color-scheme: light; --ink: #1c2430; --muted: #5c6675; --rule: #d9dee5;
  --bg: #ffffff; --band: #f5f7fa; --late: #c0392b; --due: #b7791f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--rule); }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 18px; }
.card { border: 1px solid var(--rule); border-left: 6px solid var(--c, #6b7a90);
  border-radius: 6px; padding: 8px 14px; min-width: 118px; background: var(--band); }
.card .n { display: block; font-size: 24px; font-weight: 700; }
.card .what { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 7px 9px;
  border-bottom: 1px solid var(--rule); }
th { font-size: 13px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: var(--band); }
.id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 13px; white-space: nowrap; }
.sub { display: block; color: var(--muted); font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-size: 12.5px; font-weight: 600; white-space: nowrap; background: var(--c); }
.party { display: inline-block; margin: 0 6px 3px 0; font-size: 12.5px; white-space: nowrap; }
.party .badge { font-weight: 500; }
.flag { display: block; font-weight: 700; font-size: 12.5px; }
.flag.overdue { color: var(--late); }
.flag.due { color: var(--due); }
.timeline svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; color: var(--muted); font-size: 13px;
  margin-top: 6px; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 5px; vertical-align: -1px; background: var(--c); }
.legend i.window { border-radius: 2px; background: #cdd5df; }
.legend i.asof { border-radius: 0; width: 3px; background: var(--late); }
ul.changes { padding-left: 20px; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, .card, .timeline { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(status: Status, label: _Label) -> str:
    return (
        f'<span class="badge status-{status.value}" style="--c:{_COLOURS[status]}">'
        f"{_e(label(status))}</span>"
    )


def render_html(
    tracker: Tracker,
    *,
    as_of: dt.date,
    known_on: KnownOn = None,
    scoring: Scoring | None = None,
    title: str = "Commitments tracker",
    recent_days: int = DEFAULT_RECENT_DAYS,
    due_days: int | None = DUE_DAYS,
) -> str:
    """The tracker on `as_of`, as known on `known_on`, as one self-contained HTML page.

    The timeline has one row per commitment made by `as_of`: its made-on date, its
    deadline window (both ends inclusive), its updates as markers coloured by status
    and a line at `as_of`.
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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        (
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">"
        ),
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        (
            f'<p class="meta">As of <time datetime="{as_of.isoformat()}">{as_of.isoformat()}'
            f"</time>, from {_e(known_text(known_on))}. {len(summary.assessments)} commitments.</p>"
        ),
        _cards(summary, label),
        "</header>",
        _counts_section(tracker, summary, known_on, label),
        _timeline_section(summary, label),
        _table_section(summary, label),
        _compliance_section(summary),
        _recent_section(summary, tracker, label),
        (
            f"<footer>Generated by commitments. Compliance scoring "
            f"{_e(summary.compliance.scoring.name)}; figures rounded for display only.</footer>"
        ),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _due_words(summary: Summary) -> str:
    return "due now" if summary.due_days is None else f"due within {summary.due_days} days"


def _cards(summary: Summary, label: _Label) -> str:
    cards = [
        f'<div class="card" data-status="{s.value}" style="--c:{_COLOURS[s]}">'
        f'<span class="n">{summary.counts[s]}</span><span class="what">{_e(label(s))}</span></div>'
        for s in Status
        if summary.counts[s]
    ]
    cards.append(
        f'<div class="card" data-flag="overdue" style="--c:var(--late)">'
        f'<span class="n">{len(summary.overdue)}</span><span class="what">overdue</span></div>'
    )
    cards.append(
        f'<div class="card" data-flag="due" style="--c:var(--due)">'
        f'<span class="n">{len(summary.due)}</span><span class="what">{_due_words(summary)}'
        "</span></div>"
    )
    return f'<section class="cards" aria-label="Counts by status">{"".join(cards)}</section>'


# -- the table -------------------------------------------------------------------


def _progress(a: Assessment) -> str:
    """The progress the status-setting update reports, under the badge."""
    progress = None if a.last_update is None else a.last_update.progress
    if progress is None:
        return ""
    return f'<span class="sub progress">{_e(progress_text(progress))}</span>'


def _deadline_cell(a: Assessment) -> str:
    deadline = a.commitment.deadline
    recurrence = a.commitment.recurrence
    if recurrence is not None:
        flag = ' <span class="flag overdue">last period missed</span>' if a.overdue else ""
        missed = f"{a.missed_periods} periods missed" if a.missed_periods else "none missed"
        return f'{_e(recurrence.text)}{flag}<span class="sub">{_e(missed)}</span>'
    if deadline is None:
        return '<span class="sub">none</span>'
    ends = [
        f"from {deadline.earliest.isoformat()}" if deadline.earliest else "",
        f"until {deadline.latest.isoformat()}" if deadline.latest else "",
    ]
    window = " ".join(e for e in ends if e) or "no dates"
    flag = ""
    if a.overdue:
        flag = f' <span class="flag overdue">overdue by {days_overdue(a)} days</span>'
    elif a.due:
        flag = ' <span class="flag due">due now</span>'
    return f'{_e(deadline.text)}{flag}<span class="sub">{_e(window)}</span>'


def _title_cell(a: Assessment) -> str:
    c = a.commitment
    extra = [_e(c.occasion)] if c.occasion else []
    for source in c.sources:
        text = _e(source.title or source.publisher or source.url or str(source))
        url = source.web_url
        extra.append(f'<a href="{_e(url)}" rel="noreferrer">{text}</a>' if url else text)
    sub = f'<span class="sub">{" · ".join(extra)}</span>' if extra else ""
    return f"{_e(c.title)}{sub}"


def _parties_cell(a: Assessment, label: _Label) -> str:
    if not a.commitment.parties:
        return '<span class="sub">none named</span>'
    return "".join(
        f'<span class="party" data-party="{_e(p)}">{_e(p)} '
        f"{_badge(a.party_statuses[p], label)}</span>"
        for p in a.commitment.parties
    )


def _table_section(summary: Summary, label: _Label) -> str:
    rows = [
        f'<tr data-commitment="{_e(a.commitment_id)}" data-status="{a.status.value}">'
        f'<td class="id">{_e(a.commitment_id)}</td>'
        f"<td>{_title_cell(a)}</td>"
        f'<td class="id">{a.commitment.made_on.isoformat()}</td>'
        f"<td>{_badge(a.status, label)}{_progress(a)}</td>"
        f"<td>{_parties_cell(a, label)}</td>"
        f"<td>{_deadline_cell(a)}</td>"
        "</tr>"
        for a in summary.assessments
    ]
    head = (
        "<thead><tr><th>Id</th><th>Commitment</th><th>Made on</th><th>Status</th>"
        "<th>Parties</th><th>Deadline</th></tr></thead>"
    )
    return (
        '<section><h2 id="commitments">Commitments</h2>'
        f'<table class="commitments">{head}<tbody>{"".join(rows)}</tbody></table></section>'
    )


def _score_row(name: str, score: Score, key: str) -> str:
    return (
        f'<tr data-party="{_e(key)}"><td>{_e(name)}</td>'
        f'<td class="num">{format_number(score.average)}</td>'
        f'<td class="num">{format_percent(score.percent)}</td>'
        f'<td class="num">{score.count}</td></tr>'
    )


def _compliance_section(summary: Summary) -> str:
    report = summary.compliance
    rows = [_score_row(p, s, p) for p, s in report.by_party.items()]
    rows.append(_score_row("All parties", report.overall, ""))
    head = (
        '<thead><tr><th>Party</th><th class="num">Average</th><th class="num">Percent</th>'
        '<th class="num">Assessed</th></tr></thead>'
    )
    note = (
        f'<p class="meta">Scoring {_e(report.scoring.name)}, averages from {report.scoring.low} '
        f"to {report.scoring.high}; percent = (average - low) / (high - low) &times; 100. "
        "A party not assessed on a commitment is left out of its averages.</p>"
    )
    return (
        '<section><h2 id="compliance">Compliance by party</h2>'
        f'<table class="compliance">{head}<tbody>{"".join(rows)}</tbody></table>{note}</section>'
    )


def _recent_section(summary: Summary, tracker: Tracker, label: _Label) -> str:
    items = []
    for u in summary.recent:
        who = f" ({_e(u.party)})" if u.party else ""
        note = f" &mdash; {_e(u.note)}" if u.note.strip() else ""
        items.append(
            f'<li data-update="{_e(u.id)}"><time datetime="{u.on.isoformat()}">'
            f'{u.on.isoformat()}</time> <span class="id">{_e(u.commitment_id)}</span>{who} '
            f"{_badge(u.status, label)} {_e(tracker[u.commitment_id].title)}{note}</li>"
        )
    body = f'<ul class="changes">{"".join(items)}</ul>' if items else '<p class="meta">None.</p>'
    return (
        f'<section><h2 id="recent">Recent changes (last {summary.recent_days} days)</h2>'
        f"{body}</section>"
    )


# -- the timeline ----------------------------------------------------------------


def _span(summary: Summary) -> tuple[dt.date, dt.date]:
    """First and last day of the axis: whole years around every date shown."""
    days = [summary.as_of]
    for a in summary.assessments:
        days.append(a.commitment.made_on)
        deadline = a.commitment.deadline
        if deadline is not None:
            days += [d for d in (deadline.earliest, deadline.latest) if d is not None]
    first, last = min(days), max(days)
    start = dt.date(first.year, 1, 1)
    # The axis ends on the next new year's day, or on the calendar's last day in 9999.
    end = dt.date.max if last.year == dt.MAXYEAR else dt.date(last.year + 1, 1, 1)
    if (end - start).days <= 2 * 366:
        # Short spans read better in half years than in whole ones.
        start = dt.date(first.year, 1 if first.month <= 6 else 7, 1)  # noqa: PLR2004 - June
        end = dt.date(last.year, 7, 1) if last.month <= 6 else end  # noqa: PLR2004 - June
    return start, end


def _ticks(start: dt.date, end: dt.date) -> Iterable[tuple[dt.date, bool]]:
    """(day, is a year start) for every quarter start within [start, end]."""
    day = start
    while day <= end:
        yield day, day.month == 1
        month = day.month + 3
        if month > 12 and day.year == dt.MAXYEAR:  # noqa: PLR2004 - months of a year
            return
        day = dt.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)  # noqa: PLR2004


def _day_after(day: dt.date) -> dt.date:
    """The next day; 9999-12-31 has none, and the axis ends on it anyway."""
    return day if day == dt.date.max else day + dt.timedelta(days=1)


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


_MAX_BARS = 60
_CHART_HEIGHT = 220
_CHART_TOP = 16
_CHART_BOTTOM = 190


def _chart_every(start: dt.date, end: dt.date) -> str:
    """The finest of month, quarter and year that gives at most `_MAX_BARS` bars."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months <= _MAX_BARS:
        return "month"
    return "quarter" if months <= 3 * _MAX_BARS else "year"


def _counts_section(tracker: Tracker, summary: Summary, known_on: KnownOn, label: _Label) -> str:
    """Status over time: a stacked bar per period end, from the first pledge to `as_of`."""
    if not summary.assessments:
        return ""
    start = min(a.commitment.made_on for a in summary.assessments)
    every = _chart_every(start, summary.as_of)
    rows = tracker.status_counts(start, summary.as_of, every=every, known_on=known_on)
    if not rows or rows[-1][0] != summary.as_of:  # the as-of day closes the chart
        rows.append((summary.as_of, dict(summary.counts)))
    top = max(1, *(sum(c.values()) for _, c in rows))
    step = (_PLOT_RIGHT - _PLOT_LEFT) / len(rows)
    scale = (_CHART_BOTTOM - _CHART_TOP) / top
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_CHART_HEIGHT}" '
            'role="img" aria-labelledby="counts-title" font-family="system-ui, sans-serif">'
        ),
        (
            f'<title id="counts-title">Commitments by status at each {every} end, '
            f"{rows[0][0].isoformat()} to {rows[-1][0].isoformat()}</title>"
        ),
        (
            f'<line x1="{_PLOT_LEFT}" y1="{_CHART_BOTTOM}" x2="{_PLOT_RIGHT}" '
            f'y2="{_CHART_BOTTOM}" stroke="#b8c0cc"/>'
        ),
        (
            f'<text x="{_PLOT_LEFT - 8}" y="{_CHART_TOP + 10}" font-size="12" fill="#5c6675" '
            f'text-anchor="end">{top}</text>'
        ),
        (
            f'<text x="{_PLOT_LEFT - 8}" y="{_CHART_BOTTOM}" font-size="12" fill="#5c6675" '
            'text-anchor="end">0</text>'
        ),
    ]
    label_every = max(1, math.ceil(_MIN_LABEL_PX * 2 / step))
    for n, (day, counts) in enumerate(rows):
        left = round(_PLOT_LEFT + n * step + step * 0.1, 1)
        width = round(step * 0.8, 1)
        tip = f"{day.isoformat()}: " + ", ".join(
            f"{label(status)} {count}" for status, count in counts.items() if count
        )
        bar = [f'<g class="bar" data-day="{day.isoformat()}"><title>{_e(tip)}</title>']
        base = float(_CHART_BOTTOM)
        for status, count in counts.items():
            if not count:
                continue
            height = count * scale
            base -= height
            bar.append(
                f'<rect x="{left}" y="{round(base, 1)}" width="{width}" '
                f'height="{round(height, 1)}" fill="{_COLOURS[status]}"/>'
            )
        bar.append("</g>")
        out.append("".join(bar))
        if n % label_every == 0 or n == len(rows) - 1:
            text = day.isoformat()[: 4 if every == "year" else 7]
            out.append(
                f'<text x="{round(left + width / 2, 1)}" y="{_CHART_BOTTOM + 18}" '
                f'font-size="11" fill="#5c6675" text-anchor="middle">{text}</text>'
            )
    out.append("</svg>")
    legend = "".join(
        f'<span><i style="--c:{_COLOURS[s]}"></i>{_e(label(s))}</span>'
        for s in Status
        if any(counts[s] for _, counts in rows)
    )
    return (
        '<section class="counts"><h2 id="counts">Status over time</h2>'
        f'{"".join(out)}<div class="legend">{legend}</div></section>'
    )


def _timeline_section(summary: Summary, label: _Label) -> str:
    start, end = _span(summary)
    total = (end - start).days

    def x(day: dt.date) -> float:
        offset = min(max((day - start).days, 0), total)
        return round(_PLOT_LEFT + (_PLOT_RIGHT - _PLOT_LEFT) * offset / total, 1)

    rows = len(summary.assessments)
    height = _AXIS_HEIGHT + rows * _ROW_HEIGHT + 12
    bottom = height - 8
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
            f'role="img" aria-labelledby="timeline-title" font-family="system-ui, sans-serif">'
        ),
        (
            f'<title id="timeline-title">Timeline of {rows} commitments to '
            f"{summary.as_of.isoformat()}</title>"
        ),
    ]
    # Long spans get fewer labels: quarters only when they have room, and every
    # n-th year when even years are too tight to read.
    quarter_px = (_PLOT_RIGHT - _PLOT_LEFT) * 91 / total
    year_step = max(1, math.ceil(_MIN_LABEL_PX / (4 * quarter_px)))
    for day, major in _ticks(start, end):
        if not major and quarter_px < _MIN_TICK_PX:
            continue
        px = x(day)
        stroke = "#b8c0cc" if major else "#e6e9ee"
        out.append(
            f'<line x1="{px}" y1="{_AXIS_HEIGHT - 8}" x2="{px}" y2="{bottom}" stroke="{stroke}"/>'
        )
        if px > _PLOT_RIGHT - 30:
            continue  # no room for a label at the very end of the axis
        if (major and (day.year - start.year) % year_step) or (
            not major and quarter_px < _MIN_LABEL_PX
        ):
            continue
        text = str(day.year) if major else f"Q{(day.month - 1) // 3 + 1}"
        weight = "600" if major else "400"
        out.append(
            f'<text x="{px + 3}" y="{_AXIS_HEIGHT - 14}" font-size="{13 if major else 11}" '
            f'font-weight="{weight}" fill="#5c6675">{text}</text>'
        )
    for n, a in enumerate(summary.assessments):
        top = _AXIS_HEIGHT + n * _ROW_HEIGHT
        out.append(_row(a, summary.histories[a.commitment_id], top=top, n=n, x=x, label=label))
    asof = x(summary.as_of)
    out.append(
        f'<g class="as-of" data-as-of="{summary.as_of.isoformat()}">'
        f'<line x1="{asof}" y1="{_AXIS_HEIGHT - 30}" x2="{asof}" y2="{bottom}" '
        'stroke="#c0392b" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{asof - 4}" y="12" font-size="12" font-weight="600" fill="#c0392b" '
        f'text-anchor="end">as of {summary.as_of.isoformat()}</text></g>'
    )
    out.append("</svg>")
    legend = "".join(
        f'<span><i style="--c:{_COLOURS[s]}"></i>{_e(label(s))}</span>' for s in Status
    )
    legend += (
        '<span><i class="window"></i>deadline window</span>'
        '<span><i class="asof"></i>as-of date</span>'
        "<span>&#9671; made on</span>"
    )
    return (
        '<section class="timeline"><h2 id="timeline">Timeline</h2>'
        f'{"".join(out)}<div class="legend">{legend}</div></section>'
    )


def _row(
    a: Assessment,
    updates: tuple[StatusUpdate, ...],
    *,
    top: int,
    n: int,
    x: Callable[[dt.date], float],
    label: _Label,
) -> str:
    c = a.commitment
    mid = top + _ROW_HEIGHT // 2
    parts = [
        f'<g class="row" data-commitment="{_e(c.id)}" data-status="{a.status.value}">',
        f"<title>{_e(c.title)}</title>",
    ]
    if n % 2:
        parts.append(
            f'<rect x="0" y="{top}" width="{_WIDTH}" height="{_ROW_HEIGHT}" fill="#f5f7fa"/>'
        )
    parts.append(
        f'<text x="{_LABEL_WIDTH}" y="{mid + 4}" font-size="13" text-anchor="end" '
        f'fill="#1c2430">{_e(_truncate(c.title, _TITLE_CHARS))}</text>'
    )
    deadline = c.deadline
    if deadline is not None and (deadline.earliest or deadline.latest):
        left = x(deadline.earliest or c.made_on)
        right = x(_day_after(deadline.latest)) if deadline.latest else _PLOT_RIGHT
        fill = "#f3c4bd" if a.overdue else "#f6deb0" if a.due else "#d5dce6"
        parts.append(
            f'<rect class="window" x="{left}" y="{mid - 6}" width="{max(right - left, 2)}" '
            f'height="12" rx="2" fill="{fill}"><title>deadline: {_e(deadline.text)}</title></rect>'
        )
        if deadline.latest is not None:
            parts.append(
                f'<line x1="{right}" y1="{mid - 9}" x2="{right}" y2="{mid + 9}" '
                'stroke="#5c6675" stroke-width="2"/>'
            )
    made = x(c.made_on)
    parts.append(
        f'<line x1="{made}" y1="{mid}" x2="{x(a.as_of)}" y2="{mid}" stroke="#8c96a5" '
        'stroke-width="1.5"/>'
    )
    parts.append(
        f'<path class="made" d="M{made} {mid - 6} l6 6 l-6 6 l-6 -6 z" fill="#fff" '
        f'stroke="#1c2430" stroke-width="1.5"><title>made on {c.made_on.isoformat()}'
        "</title></path>"
    )
    stack: dict[dt.date, int] = {}
    for u in updates:
        # Several parties updated on one day: nudge markers apart so all stay visible.
        k = stack.get(u.on, 0)
        stack[u.on] = k + 1
        who = f" ({_e(u.party)})" if u.party else ""
        note = f": {_e(u.note)}" if u.note.strip() else ""
        parts.append(
            f'<circle class="update" data-update="{_e(u.id)}" cx="{x(u.on) + 3 * k}" '
            f'cy="{mid}" r="5.5" fill="{_COLOURS[u.status]}" stroke="#fff" stroke-width="1.5">'
            f"<title>{u.on.isoformat()}{who} {_e(label(u.status))}{note}</title></circle>"
        )
    parts.append("</g>")
    return "".join(parts)
