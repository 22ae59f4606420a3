"""The same question, asked as known on two dates, gets two answers, and why."""

from __future__ import annotations

import datetime as dt

import commitments as cm


def main() -> None:
    tracker = cm.seed_catalog()
    as_of = dt.date(2025, 3, 31)
    for known_on in (dt.date(2024, 12, 31), dt.date(2025, 6, 30)):
        overdue = [c.id for c in tracker.overdue(as_of=as_of, known_on=known_on)]
        print(f"Overdue on {as_of}, as known on {known_on}: {', '.join(overdue) or 'none'}")

    pledge = "cn-kr-fta-phase2-resumption"
    for known_on in (dt.date(2024, 9, 26), dt.date(2025, 6, 30)):
        a = tracker.assess(pledge, as_of=dt.date(2025, 6, 30), known_on=known_on)
        print(f"{pledge} on 2025-06-30, as known on {known_on}: {a.status}", end="")
        print(f", {a.late_by} days late" if a.late_by else "")
    print(
        "Why: the chief negotiators' meeting promised for early June 2024 was never "
        "reported; on 2024-09-27 the trade ministers set a new aim instead, which is when "
        "the pledge was recorded as stalled. Before that it was simply overdue. Known-on "
        "questions replay only what had been recorded by then."
    )


if __name__ == "__main__":
    main()
