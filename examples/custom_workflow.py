"""A promise-tracker vocabulary (PolitiFact's ratings) as a workflow of its own."""

from __future__ import annotations

import datetime as dt

import commitments as cm

RATINGS = {
    "pledged": "Not Yet Rated",
    "in_progress": "In the Works",
    "stalled": "Stalled",
    "partially_fulfilled": "Compromise",
    "fulfilled": "Promise Kept",
    "broken": "Promise Broken",
}
# Ratings move freely while a promise is open; a broken promise can be revived, and a
# compromise can still be kept; a kept promise stays kept.
OPEN = ["pledged", "in_progress", "stalled"]
POLITIFACT = cm.Workflow(
    {
        **{s: set(RATINGS) for s in OPEN},
        "broken": {"in_progress", "partially_fulfilled", "fulfilled"},
        "partially_fulfilled": {"fulfilled"},
        "fulfilled": set(),
    },
    name="politifact",
    labels=RATINGS,
)


def main() -> None:
    seeds = cm.seed_catalog()
    tracker = cm.Tracker(POLITIFACT)
    for pledge in ("cn-cjk-innovation-cooperation-centre", "cjk-fta-negotiations"):
        tracker.add(seeds[pledge])
    tracker.record("cjk-fta-negotiations", "In the Works", on=dt.date(2025, 3, 30))
    tracker.record("cn-cjk-innovation-cooperation-centre", "Promise Kept", on=dt.date(2025, 6, 26))
    for commitment in tracker:
        status = tracker.status(commitment.id, as_of=dt.date(2025, 12, 31))
        print(f"{POLITIFACT.label(status):<14} {commitment.title}")
    try:
        tracker.record("cn-cjk-innovation-cooperation-centre", "Withdrawn", on=dt.date(2025, 7, 1))
    except cm.CommitmentsError as err:
        print("refused:", err)


if __name__ == "__main__":
    main()
