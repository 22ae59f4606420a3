"""Benchmark the SQLite store and the command line on a large store.

Builds (once, cached under benchmarks/out/) a store of N commitments and M updates, then
times whole `commitments` processes against plain `sqlite3` doing the same work on the
same file:

    python benchmarks/bench_store.py                      # 100,000 x 1,000,000
    python benchmarks/bench_store.py --commitments 2000 --updates 20000   # quick run

Each timing is the median of --repeat runs of a fresh process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import commitments as cm

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parent / "src")
OPEN = ("pledged", "in_progress", "stalled")
CLOSED = ("fulfilled", "broken", "partially_fulfilled", "withdrawn")
START = dt.date(2015, 1, 1)
LAST = dt.date(2026, 6, 30)
AS_OF = dt.date(2026, 7, 1)


def generate(rng: random.Random, first: int, count: int, updates_each: float) -> cm.Tracker:
    """A tracker of `count` commitments with about `updates_each` updates each."""
    t = cm.Tracker()
    for i in range(first, first + count):
        made = START + dt.timedelta(days=rng.randrange(3650))
        roll = rng.random()
        latest = made + dt.timedelta(days=rng.randrange(180, 2500))
        if roll < 0.8:
            deadline: cm.Deadline | None = cm.Deadline.by(latest)
        elif roll < 0.9:
            deadline = cm.Deadline.window(latest - dt.timedelta(days=90), latest)
        else:
            deadline = None
        cid = f"c{i:06d}"
        t.add(cm.Commitment(id=cid, title=f"Commitment {i}", made_on=made, deadline=deadline))
        n = rng.randrange(int(2 * updates_each) + 1)
        day = made
        for k in range(n):
            day = min(LAST, day + dt.timedelta(days=rng.randrange(1, 60)))
            closing = k == n - 1 and rng.random() < 0.4
            status = rng.choice(CLOSED) if closing else rng.choice(OPEN[1:])
            recorded = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
            t.record(
                cid,
                status,
                on=day,
                recorded_at=recorded,
                source=f"https://example.org/news/{i}/{k}",
                note="reported in the press",
            )
    return t


def build(path: Path, commitments: int, updates: int) -> None:
    """Create the benchmark store at `path` in chunks (validated as usual)."""
    rng = random.Random(20240618)
    chunk = 5000
    each = updates / commitments
    cm.create_store(path).close()
    started = time.perf_counter()
    for first in range(0, commitments, chunk):
        part = generate(rng, first, min(chunk, commitments - first), each)
        with cm.open_store(path, lazy=True) as store:
            store.import_tracker(part)
        done = first + chunk
        print(f"  built {min(done, commitments):,} commitments", file=sys.stderr, flush=True)
    print(f"  build took {time.perf_counter() - started:.0f} s", file=sys.stderr)


def run(args: list[str], *, stdin: str | None = None) -> float:
    # Let Python cache bytecode, as an installed package does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = SRC
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in {0, 1}:
        raise SystemExit(f"{args[:4]} failed: {done.stderr}")
    return elapsed


def median(times: list[float]) -> float:
    return statistics.median(times)


def open_ids(path: Path, count: int) -> list[str]:
    """Ids of commitments whose history holds no closed status (any open update fits)."""
    conn = sqlite3.connect(path)
    marks = ",".join("?" * len(CLOSED) + "?")
    rows = conn.execute(
        f"SELECT id FROM commitments WHERE id NOT IN (SELECT commitment_id FROM events "  # noqa: S608
        f"WHERE status IN ({marks})) AND deadline_latest IS NOT NULL LIMIT ?",
        (*CLOSED, "superseded", count),
    ).fetchall()
    conn.close()
    return [r[0] for r in rows]


BASELINE_RECORD = """
import json, sqlite3, sys, datetime as dt
path, cid, n = sys.argv[1], sys.argv[2], sys.argv[3]
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA synchronous=FULL")
conn.execute("BEGIN IMMEDIATE")
conn.execute("SELECT doc FROM commitments WHERE id = ?", (cid,)).fetchall()
conn.execute("SELECT doc FROM events WHERE commitment_id = ? ORDER BY seq", (cid,)).fetchall()
now = dt.datetime.now(dt.UTC).isoformat()
doc = {"type": "update", "id": f"{cid}:b{n}", "commitment_id": cid, "status": "stalled",
       "on": "2026-06-30", "recorded_at": now}
conn.execute(
    "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc) "
    "VALUES (?, ?, 'update', 'stalled', '2026-06-30', ?, ?)",
    (doc["id"], cid, now, json.dumps(doc)),
)
conn.execute("COMMIT")
"""

BASELINE_OVERDUE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
day = sys.argv[2]
rows = conn.execute('''
    WITH live AS (
        SELECT e.commitment_id, e.status, row_number() OVER (
            PARTITION BY e.commitment_id ORDER BY e.on_date DESC, e.recorded_at DESC, e.seq DESC
        ) AS rn
        FROM events e JOIN commitments c ON c.id = e.commitment_id
        WHERE e.type = 'update' AND e.on_date <= ? AND c.deadline_latest < ?
          AND e.id NOT IN (SELECT update_id FROM events WHERE type = 'retraction')
    )
    SELECT c.id, c.doc FROM commitments c LEFT JOIN live l ON l.commitment_id = c.id AND l.rn = 1
    WHERE c.deadline_latest < ? AND c.made_on <= ?
      AND coalesce(l.status, 'pledged') IN ('pledged', 'in_progress', 'stalled')
    ORDER BY c.seq
''', (day, day, day, day)).fetchall()
for row in rows:
    sys.stdout.write(row[0] + "\\n")
"""

BASELINE_BATCH = """
import json, sqlite3, sys
path = sys.argv[1]
lines = [json.loads(line) for line in sys.stdin if line.strip()]
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA synchronous=FULL")
conn.execute("BEGIN IMMEDIATE")
for item in lines:
    conn.execute("SELECT doc FROM events WHERE commitment_id = ?", (item["commitment_id"],))
docs = [{"type": "update", "id": i["update_id"] + "b", "commitment_id": i["commitment_id"],
         "status": i["status"], "on": i["on"], "recorded_at": i["recorded_at"],
         "sources": [{"url": i["source"]}]} for i in lines]
conn.executemany(
    "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc) "
    "VALUES (?, ?, 'update', ?, ?, ?, ?)",
    [(d["id"], d["commitment_id"], d["status"], d["on"], d["recorded_at"], json.dumps(d))
     for d in docs],
)
conn.execute("COMMIT")
"""


def baseline_copy(path: Path) -> Path:
    """A copy of the store for the baselines.

    They write rows behind the library's back (without summaries), so they work on a
    copy of the same file and the store itself stays one the library wrote.
    """
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    copy = path.with_suffix(".baseline")
    shutil.copyfile(path, copy)
    # Write the copy out now, not while the timed processes run.
    with copy.open("rb") as handle:
        os.fsync(handle.fileno())
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"store-{args.commitments}-{args.updates}.db"
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        tmp = path.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        build(tmp, args.commitments, args.updates)
        tmp.replace(path)
    conn = sqlite3.connect(path)
    n_commitments = conn.execute("SELECT count(*) FROM commitments").fetchone()[0]
    n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    ids = open_ids(path, args.repeat * 2 + args.batch)
    stamp = int(time.time())
    store = str(path)
    base_copy = baseline_copy(path)
    base_store = str(base_copy)
    results: list[tuple[str, float, float, str, bool]] = []

    # 1. one `commitments record`, whole process.
    ours = [
        run(["-m", "commitments", "record", cid, "stalled", "--on", "2026-06-30", "--store", store])
        for cid in ids[: args.repeat]
    ]
    base = [
        run(["-c", BASELINE_RECORD, base_store, cid, f"{stamp}{k}"])
        for k, cid in enumerate(ids[args.repeat : 2 * args.repeat])
    ]
    startup = median([run(["-c", "pass"]) for _ in range(args.repeat)])
    results.append(("record one update (s)", median(ours), median(base), "<= 0.3 s", True))

    # 2. `commitments overdue`, whole process.
    day = AS_OF.isoformat()
    ours = [
        run(["-m", "commitments", "overdue", "--as-of", day, "--format", "csv", "--store", store])
        for _ in range(args.repeat)
    ]
    base = [run(["-c", BASELINE_OVERDUE, base_store, day]) for _ in range(args.repeat)]
    results.append(("overdue (s)", median(ours), median(base), "<= 3 s", True))

    # 3. `record --batch` of N updates (JSON lines), updates per second; each run
    # records its own update ids, so the runs can follow one another on the same store.
    batch_ids = ids[2 * args.repeat :][: args.batch]
    recorded = dt.datetime.now(dt.UTC).isoformat()
    cycle = (batch_ids * (args.batch // max(1, len(batch_ids)) + 1))[: args.batch]
    ours, base = [], []
    for attempt in range(args.repeat):
        text = "".join(
            json.dumps(
                {
                    "commitment_id": cid,
                    "status": "in_progress",
                    "on": "2026-06-30",
                    "recorded_at": recorded,
                    "update_id": f"{cid}:x{stamp}-{attempt}-{k}",
                    "source": "https://example.org/batch",
                }
            )
            + "\n"
            for k, cid in enumerate(cycle)
        )
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
            handle.write(text)
        ours.append(run(["-m", "commitments", "record", "--batch", handle.name, "--store", store]))
        base.append(run(["-c", BASELINE_BATCH, base_store], stdin=text))
        Path(handle.name).unlink()
    ours_s, base_s = median(ours), median(base)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{base_copy}{suffix}").unlink(missing_ok=True)
    results.append(
        (f"record --batch {args.batch:,} (updates/s)", args.batch / ours_s, args.batch / base_s,
         ">= 5,000/s", False)
    )  # fmt: skip

    print(f"store: {n_commitments:,} commitments, {n_events:,} events, {path.stat().st_size:,} B")
    print(f"python startup alone: {startup * 1000:.0f} ms (median of {args.repeat})")
    print()
    report(results)


def report(results: list[tuple[str, float, float, str, bool]]) -> None:
    print(
        f"| {'task':<34} | {'commitments':>12} | {'sqlite3':>10} | {'ratio':>6} | target     "
        "| met |"
    )
    print(f"|{'-' * 36}|{'-' * 14}|{'-' * 12}|{'-' * 8}|------------|-----|")
    for name, ours_v, base_v, target, lower_is_better in results:
        ratio = ours_v / base_v if lower_is_better else base_v / ours_v
        limit = float(target.split()[1].replace(",", "").rstrip("/s"))
        met = ours_v <= limit if lower_is_better else ours_v >= limit
        fmt = "{:>12.3f}" if lower_is_better else "{:>12,.0f}"
        bfmt = "{:>10.3f}" if lower_is_better else "{:>10,.0f}"
        print(
            f"| {name:<34} | {fmt.format(ours_v)} | {bfmt.format(base_v)} | {ratio:>5.1f}x | "
            f"{target:<10} | {'yes' if met else 'no':<3} |"
        )


if __name__ == "__main__":
    main()
