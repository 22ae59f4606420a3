"""Core benchmark: a catalog of N commitments with 10 updates each.

Reports, measured in one run, each figure next to its baseline:
  load      / json.loads of the same file (a big load includes one full GC pass)
  dump      / json.dumps of the same document
  overdue() over all commitments (cold: timelines built; warm: cached)
  import commitments (whole process) / python -c pass

    python benchmarks/bench_core.py            # 100,000 commitments
    python benchmarks/bench_core.py --size 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import commitments as cm

STATUSES = ["in_progress", "stalled", "in_progress", "pledged"]
CLOSING = ["fulfilled", "broken", "withdrawn", "partially_fulfilled", None, None]


def make_document(size: int, seed: int = 7) -> dict[str, object]:
    """A valid catalog document: 10 updates per commitment, about a third closed."""
    rng = random.Random(seed)
    events: list[dict[str, object]] = []
    base = dt.date(2020, 1, 1)
    for i in range(size):
        cid = f"c{i}"
        made = base + dt.timedelta(days=rng.randrange(0, 1500))
        latest = made + dt.timedelta(days=rng.randrange(30, 700))
        events.append(
            {
                "type": "added",
                "id": f"{cid}:0",
                "recorded_at": dt.datetime.combine(made, dt.time(9), tzinfo=dt.UTC).isoformat(),
                "commitment": {
                    "id": cid,
                    "title": f"Pledge number {i}",
                    "made_on": made.isoformat(),
                    "parties": ["CN", "KR"],
                    "areas": ["trade"],
                    "deadline": {
                        "text": f"by {latest}",
                        "earliest": None,
                        "latest": latest.isoformat(),
                    },
                },
            }
        )
        day = made
        closing = rng.choice(CLOSING)
        for n in range(1, 11):
            day += dt.timedelta(days=rng.randrange(1, 60))
            status = closing if (n == 10 and closing) else rng.choice(STATUSES)
            recorded = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
            events.append(
                {
                    "type": "update",
                    "id": f"{cid}:{n}",
                    "commitment_id": cid,
                    "status": status,
                    "on": day.isoformat(),
                    "recorded_at": recorded.isoformat(),
                    "sources": [{"url": f"https://news.example/{cid}/{n}"}],
                    "note": "reported",
                }
            )
    return {"schema_version": 2, "events": events}


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def process_time(code: str, repeat: int = 7) -> float:
    return best_of(repeat, lambda: subprocess.run([sys.executable, "-c", code], check=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.json"
        path.write_text(json.dumps(make_document(args.size), indent=2))
        megabytes = path.stat().st_size / 1e6
        # Both loads are timed with nothing big alive, as in a program that starts by
        # loading its catalog: a big live heap would make each GC pass of json.loads
        # rescan it, and the baseline would swing from run to run.
        gc.collect()
        t_json_loads = best_of(args.repeat, lambda: json.loads(path.read_bytes()))
        t_load = best_of(args.repeat, lambda: cm.load(path))
        document = json.loads(path.read_bytes())
    tracker = cm.from_document(document)
    t_json_dumps = best_of(args.repeat, lambda: json.dumps(document, indent=2))
    t_dump = best_of(args.repeat, lambda: cm.dumps(tracker, indent=2))
    as_of = dt.date(2024, 6, 30)
    start = time.perf_counter()
    overdue = tracker.overdue(as_of=as_of)
    t_overdue_cold = time.perf_counter() - start
    t_overdue_warm = best_of(args.repeat, lambda: tracker.overdue(as_of=as_of))
    t_known_on = best_of(1, lambda: tracker.overdue(as_of=as_of, known_on=dt.date(2024, 1, 1)))
    t_python = process_time("pass")
    t_import = process_time("import commitments")

    events = len(document["events"])  # type: ignore[arg-type]
    rows = [
        ("catalog", f"{args.size:,} commitments, {events:,} events, {megabytes:.0f} MB JSON"),
        (
            "load (cm.load)",
            f"{t_load:.2f} s = {t_load / t_json_loads:.2f}x json.loads ({t_json_loads:.2f} s)",
        ),
        (
            "dump (cm.dumps)",
            f"{t_dump:.2f} s = {t_dump / t_json_dumps:.2f}x json.dumps ({t_json_dumps:.2f} s)",
        ),
        ("overdue(), cold", f"{t_overdue_cold:.3f} s ({len(overdue):,} overdue)"),
        ("overdue(), warm", f"{t_overdue_warm:.3f} s"),
        ("overdue(known_on=...)", f"{t_known_on:.3f} s"),
        (
            "import commitments",
            (
                f"{t_import * 1000:.0f} ms whole process = "
                f"{t_import / t_python:.2f}x python -c pass ({t_python * 1000:.0f} ms)"
            ),
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
