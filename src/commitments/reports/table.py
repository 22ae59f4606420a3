"""A plain-text compliance table, for a terminal."""

from __future__ import annotations

from commitments._terminal import ljust, rjust, visible, width
from commitments.compliance import ComplianceReport, Score, format_number, format_percent
from commitments.exceptions import ValidationError


def _row(name: str, score: Score, digits: int) -> tuple[str, str, str, str]:
    return (
        visible(name),
        format_number(score.average, digits),
        format_percent(score.percent),
        str(score.count),
    )


def compliance_table(report: ComplianceReport, *, by: str = "party", digits: int = 2) -> str:
    """`report` as an aligned text table, grouped `by` party, commitment or area.

    Figures are rounded here only (halves away from zero); the last row is the
    overall score.
    """
    groups = {
        "party": report.by_party,
        "commitment": report.by_commitment,
        "area": report.by_area,
    }
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValidationError(f"digits must be a whole number of 0 or more, got {digits!r}")
    if by not in groups:
        raise ValidationError(f"compliance table by {by!r}: choose party, commitment or area")
    rows = [(by.capitalize(), "Average", "Percent", "Assessed")]
    rows += [_row(name, score, digits) for name, score in groups[by].items()]
    rows.append(_row("All", report.overall, digits))
    widths = [max(width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [ljust(row[0], widths[0])] + [
            rjust(c, w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    known = "" if report.known_on is None else f", known on {report.known_on.isoformat()}"
    title = f"Compliance on {report.as_of.isoformat()}{known} (scoring {report.scoring.name})"
    return "\n".join([title, "", *lines]) + "\n"
