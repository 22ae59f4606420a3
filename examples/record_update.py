"""Record a sourced update from a script, see an invalid one refused, save and reload."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import commitments as cm


def main() -> None:
    tracker = cm.seed_catalog()
    pledge = "cn-kr-people-exchange-committee"
    print(f"{pledge}: {tracker[pledge].title}")
    print("  status on 2026-06-30:", tracker.status(pledge, as_of=dt.date(2026, 6, 30)))

    update = tracker.record(
        pledge,
        cm.Status.IN_PROGRESS,
        on=dt.date(2026, 7, 1),
        source=cm.Source(url="https://example.org/press/2026-07-01", publisher="Example Wire"),
        note="Illustration only: a hypothetical report that preparations began",
        recorded_at=dt.datetime(2026, 7, 2, 9, 0, tzinfo=dt.UTC),
    )
    print(f"  recorded {update.id}: {update.status} on {update.on}")

    try:
        tracker.record("cn-kr-2plus2-dialogue", "stalled", on=dt.date(2026, 7, 1))
    except cm.TransitionError as err:
        print("  refused:", err)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tracker.json"
        cm.dump(tracker, path)
        again = cm.load(path)
        same = again.events() == tracker.events() and again.commitments == tracker.commitments
        print(f"  saved {len(again.events())} events to {path.name} and reloaded: identical={same}")


if __name__ == "__main__":
    main()
