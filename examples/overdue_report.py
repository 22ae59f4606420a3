"""What was overdue, due and fulfilled in the seed catalog on a few dates."""

from __future__ import annotations

import datetime as dt

import commitments as cm

DATES = [dt.date(2024, 7, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31)]


def deadline_text(commitment: cm.Commitment) -> str:
    if commitment.recurrence is not None:
        return commitment.recurrence.text
    d = commitment.deadline
    if d is None:
        return "-"
    if d.earliest is None and d.latest is None:
        return d.text
    return f"{d.text} [{d.earliest or '...'} .. {d.latest or '...'}]"


def main() -> None:
    tracker = cm.seed_catalog()
    for day in DATES:
        print(f"\n=== As of {day} ({len(tracker.assess_all(as_of=day))} pledges made by then)")
        rows = []
        for a in tracker.assess_all(as_of=day):
            flag = "OVERDUE" if a.overdue else "due" if a.due else ""
            if a.status is cm.Status.FULFILLED:
                flag = "on time" if a.on_time else f"{a.late_by} days late" if a.late_by else "kept"
            rows.append((a.commitment.id, a.status.value, flag, deadline_text(a.commitment)))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3])
        print(
            f"overdue: {len(tracker.overdue(as_of=day))}, due: {len(tracker.due(as_of=day))}, "
            f"fulfilled: {len(tracker.fulfilled(as_of=day))}"
        )


if __name__ == "__main__":
    main()
