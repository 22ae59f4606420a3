"""Benchmark the SQLite store and the command line against a plain sqlite3 floor.

Builds (once, cached under benchmarks/out/) a store of N commitments with about ten
updates each, then times whole processes on it, each next to a floor measured in the
same run on a copy of the same data:

- the floor of a query is a plain `sqlite3` process answering from an indexed table of
  current statuses (built on the copy, not timed);
- the floor of a write is one `BEGIN IMMEDIATE`, a select, an insert and a commit with
  `synchronous=FULL`.

    python benchmarks/bench_store.py                         # 20,000 and 100,000
    python benchmarks/bench_store.py --sizes 2000 --repeat 3 # a quick run

Each timing is the median of --repeat runs of a fresh process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
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
TODAY = dt.datetime.now(dt.UTC).date()
PAST = dt.date(2022, 6, 30)


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
        added = dt.datetime.combine(made, dt.time(9), tzinfo=dt.UTC)
        t.add(
            cm.Commitment(id=cid, title=f"Commitment {i}", made_on=made, deadline=deadline),
            recorded_at=added,
        )
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


def build(path: Path, commitments: int) -> None:
    """Create the benchmark store at `path` in chunks (validated as usual)."""
    rng = random.Random(20240618)
    chunk = 5000
    cm.create_store(path).close()
    started = time.perf_counter()
    for first in range(0, commitments, chunk):
        part = generate(rng, first, min(chunk, commitments - first), 10)
        with cm.open_store(path) as store:
            store.extend(part.events())
        print(f"  built {min(first + chunk, commitments):,}", file=sys.stderr, flush=True)
    print(f"  build took {time.perf_counter() - started:.0f} s", file=sys.stderr)


def run(args: list[str], *, stdin: str | None = None) -> tuple[float, str]:
    """(seconds, stdout) of a whole process of this interpreter."""
    # Let Python cache bytecode, as an installed package does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = SRC
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:  # a floor or a command that failed would time nothing real
        raise SystemExit(f"{args[:4]} failed: {done.stderr}")
    return elapsed, done.stdout


def median_of(repeat: int, args: list[str], *, stdin: str | None = None) -> float:
    return statistics.median(run(args, stdin=stdin)[0] for _ in range(repeat))


FLOOR_TABLE = """
CREATE TABLE current (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, made_on TEXT NOT NULL,
    deadline_text TEXT, deadline_latest TEXT, status TEXT NOT NULL
);
CREATE INDEX current_latest ON current (deadline_latest, status);
CREATE UNIQUE INDEX current_id ON current (id);
"""


def floor_query(connect: str, mark: str) -> str:
    """The overdue floor's program: open rows past their deadline, printed as CSV.

    `connect` sets `conn` from sys.argv[1]; `mark` is the driver's parameter mark.
    """
    return f"""
import csv, sys
{connect}
day = sys.argv[2]
rows = conn.execute(
    "SELECT id, title, status, deadline_text, deadline_latest FROM current "
    "WHERE deadline_latest < {mark} AND made_on <= {mark} "
    "AND status IN ('pledged', 'in_progress', 'stalled') ORDER BY seq",
    (day, day),
)
out = csv.writer(sys.stdout)
for row in rows:
    out.writerow(row)
"""  # noqa: S608 - the benchmark's own program text


def floor_write(connect: str, begin: str, mark: str) -> str:
    """The write floor's program: a transaction with a select, an insert and a commit.

    `begin` opens the transaction on `conn`; argv: the database, the id, a unique suffix.
    """
    return f"""
import hashlib, json, sys, datetime as dt
{connect}
cid, n = sys.argv[2], sys.argv[3]
{begin}
conn.execute("SELECT status FROM current WHERE id = {mark}", (cid,)).fetchall()
now = dt.datetime.now(dt.UTC).isoformat()
doc = {{"type": "update", "id": f"{{cid}}:f{{n}}", "commitment_id": cid, "status": "stalled",
       "on": "2026-06-30", "recorded_at": now}}
text = json.dumps(doc)
conn.execute(
    "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc, chain) "
    "VALUES ({mark}, {mark}, 'update', 'stalled', '2026-06-30', {mark}, {mark}, {mark})",
    (doc["id"], cid, now, text, hashlib.sha256(text.encode()).hexdigest()),
)
conn.execute("COMMIT")
"""  # noqa: S608 - the benchmark's own program text


SQLITE_CONNECT = "import sqlite3\nconn = sqlite3.connect(sys.argv[1], isolation_level=None)"
FLOOR_QUERY = floor_query(SQLITE_CONNECT, "?")
FLOOR_WRITE = floor_write(
    SQLITE_CONNECT, 'conn.execute("PRAGMA synchronous=FULL")\nconn.execute("BEGIN IMMEDIATE")', "?"
)

FLOOR_BATCH = """
import hashlib, json, sqlite3, sys
lines = [json.loads(line) for line in sys.stdin if line.strip()]
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA synchronous=FULL")
conn.execute("BEGIN IMMEDIATE")
for item in lines:
    conn.execute("SELECT status FROM current WHERE id = ?", (item["commitment_id"],)).fetchall()
rows = []
for i in lines:
    text = json.dumps(i)
    rows.append((i["update_id"] + "f", i["commitment_id"], i["status"], i["on"],
                 i["recorded_at"], text, hashlib.sha256(text.encode()).hexdigest()))
conn.executemany(
    "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc, chain) "
    "VALUES (?, ?, 'update', ?, ?, ?, ?, ?)",
    rows,
)
conn.execute("COMMIT")
"""

PYTHON_OVERDUE = """
import datetime as dt, resource, sys
import commitments as cm
with cm.open_store(sys.argv[1]) as t:
    found = t.overdue(as_of=dt.date.fromisoformat(sys.argv[2]))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(found), rss)
"""


def current_rows(store: str | os.PathLike[str]) -> list[tuple[str | None, ...]]:
    """The floors' table of current statuses: (id, title, made_on, deadline text, its
    latest day, status) per commitment of `store` today (computed once, not timed)."""
    rows = []
    with cm.open_store(store) as t:
        for a in t.select("all", as_of=TODAY):
            c, deadline = a.commitment, a.commitment.deadline
            latest = None if deadline is None or deadline.latest is None else deadline.latest
            rows.append((
                c.id, c.title, c.made_on.isoformat(), None if deadline is None else deadline.text,
                None if latest is None else latest.isoformat(), a.status.value,
            ))  # fmt: skip
    return rows


def floor_copy(path: Path) -> Path:
    """A copy of the store with a plain table of current statuses, for the floors."""
    copy = path.with_suffix(".floor")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(path, copy)
    rows = current_rows(path)
    conn = sqlite3.connect(copy)
    conn.executescript(FLOOR_TABLE)
    conn.executemany(
        "INSERT INTO current (id, title, made_on, deadline_text, deadline_latest, status) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()
    with copy.open("rb") as handle:
        os.fsync(handle.fileno())
    return copy


def open_ids(path: Path, count: int) -> list[str]:
    """Ids of commitments whose history holds no closed status (any open update fits)."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT c.id FROM commitments AS c JOIN snapshots AS s ON s.seq = c.seq "
        "WHERE s.closed_from IS NULL AND NOT s.recurring AND s.deadline_latest IS NOT NULL "
        "ORDER BY c.seq LIMIT ?",
        (count,),
    ).fetchall()
    conn.close()
    return [r[0] for r in rows]


def bench(size: int, repeat: int, batch: int, out: Path) -> list[tuple[str, float, float, str]]:
    path = out / f"store3-{size}.db"
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        tmp = path.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        build(tmp, size)
        tmp.replace(path)
    floor = floor_copy(path)
    # Writes go to a working copy: the cached history stays as built, run after run.
    work = path.with_suffix(".work")
    shutil.copyfile(path, work)
    store, base = str(work), str(floor)
    today = TODAY.isoformat()
    ids = open_ids(path, 3 * repeat + batch)
    stamp = int(time.time())
    results = []
    cli = ["-m", "commitments"]

    ours = median_of(repeat, [*cli, "overdue", "--format", "csv", "--store", store])
    floor_s = median_of(repeat, ["-c", FLOOR_QUERY, base, today])
    results.append(("`commitments overdue`, today", ours, floor_s, "<= 5x"))

    timings = [
        run([*cli, "record", cid, "stalled", "--on", "2026-06-30", "--store", store])[0]
        for cid in ids[:repeat]
    ]
    floors = [
        run(["-c", FLOOR_WRITE, base, cid, f"{stamp}{k}"])[0]
        for k, cid in enumerate(ids[repeat : 2 * repeat])
    ]
    results.append(
        ("`commitments record`, one", statistics.median(timings), statistics.median(floors),
         "<= 5x")
    )  # fmt: skip

    rss = []
    times = []
    for _ in range(repeat):
        elapsed, printed = run(["-c", PYTHON_OVERDUE, store, today])
        times.append(elapsed)
        rss.append(int(printed.split()[1]) / 1024)
    results.append(("open_store + overdue(), Python", statistics.median(times), floor_s, "<= 10x"))
    results.append(("  its peak resident memory (MB)", max(rss), 0.0, "< 300"))

    past = [*cli, "overdue", "--as-of", PAST.isoformat(), "--format", "csv", "--store", store]
    results.append(("`overdue --as-of` a past date", median_of(repeat, past), 0.0, "<= 2 s"))
    known = [*past, "--known-on", PAST.isoformat()]
    results.append(("... `--known-on` a past date", median_of(repeat, known), 0.0, "<= 2 s"))

    recorded = dt.datetime.now(dt.UTC).isoformat()
    chosen = ids[2 * repeat :][:batch]
    cycle = (chosen * (batch // max(1, len(chosen)) + 1))[:batch]
    ours_b, base_b = [], []
    for attempt in range(repeat):
        # A day of its own for each attempt, after every day of the history: a batch
        # repeating an update in force (same commitment, status and day) is refused.
        day = LAST + dt.timedelta(days=1 + attempt * (batch // max(1, len(chosen)) + 1))
        text = "".join(
            json.dumps(
                {
                    "commitment_id": cid,
                    "status": "in_progress",
                    "on": (day + dt.timedelta(days=k // max(1, len(chosen)))).isoformat(),
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
        elapsed, printed = run([*cli, "record", "--batch", handle.name, "--store", store])
        if not printed.startswith(f"recorded {batch} "):
            raise SystemExit(f"the batch was not recorded whole: {printed!r}")
        ours_b.append(elapsed)
        base_b.append(run(["-c", FLOOR_BATCH, base], stdin=text)[0])
        Path(handle.name).unlink()
    results.append(
        (f"`record --batch` {batch:,} (updates/s)", batch / statistics.median(ours_b),
         batch / statistics.median(base_b), ">= 10,000/s")
    )  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        Path(f"{floor}{suffix}").unlink(missing_ok=True)
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    startup = median_of(args.repeat, ["-c", "pass"])
    print(f"python startup alone: {startup * 1000:.0f} ms; today: {TODAY}")
    for size in args.sizes:
        results = bench(size, args.repeat, args.batch, args.out)
        print(f"\n{size:,} commitments x about 10 updates")
        print("| what | ours | floor | ratio | target |")
        print("|---|---:|---:|---:|---|")
        for name, ours, floor, target in results:
            if floor:
                per_second = "/s" in name
                ratio = floor / ours if per_second else ours / floor
                shown = (f"{ours:,.0f}", f"{floor:,.0f}") if per_second else (
                    f"{ours:.3f} s", f"{floor:.3f} s")  # fmt: skip
                print(f"| {name} | {shown[0]} | {shown[1]} | {ratio:.1f}x | {target} |")
            else:
                unit = "" if "MB" in name else " s"
                print(f"| {name} | {ours:.3f}{unit} | | | {target} |")
    print(f"\n(max RSS from getrusage; {resource.RUSAGE_SELF} is this process's own)")


if __name__ == "__main__":
    main()
