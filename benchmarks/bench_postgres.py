"""Benchmark the PostgreSQL store and the command line against a plain psycopg floor.

Copies the cached SQLite benchmark store (benchmarks/out/store3-N.db, built by
bench_store.py if missing) into a fresh database on the server --admin names, then times
whole processes on it, each next to a floor measured in the same run on the same server:

- the floor of a query is a plain psycopg process answering from an indexed table of
  current statuses in a second database (built from the same data, not timed);
- the floor of a write is one transaction: BEGIN, the advisory lock, a select, an insert
  and COMMIT;
- concurrent writers: --writers processes at once, each recording --updates single
  updates through `cm.open_store(url)`, next to the same number of plain psycopg writers;
  afterwards no acknowledged update may be missing and the store must verify.

    python benchmarks/bench_postgres.py                      # 20,000, 8 writers x 500
    python benchmarks/bench_postgres.py --sizes 2000 --repeat 3 --writers 4 --updates 50

Each timing is the median of --repeat runs of a fresh process. Both databases are
dropped at the end, also when the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import bench_store
import psycopg
from psycopg import sql

import commitments as cm

HERE = Path(__file__).resolve().parent
ADMIN = "postgresql://postgres@/postgres?host=/tmp/cm-pg"
TODAY = bench_store.TODAY
ON = "2026-06-30"
SHARED = 4  # commitments every writer also updates now and then (every tenth update)

FLOOR_TABLES = """
CREATE TABLE current (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL, title text NOT NULL, made_on text COLLATE "C" NOT NULL,
    deadline_text text, deadline_latest text COLLATE "C", status text NOT NULL
);
CREATE INDEX current_latest ON current (deadline_latest, status);
CREATE UNIQUE INDEX current_id ON current (id);
CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE, commitment_id text COLLATE "C" NOT NULL,
    type text NOT NULL, status text, on_date text COLLATE "C",
    recorded_at text COLLATE "C" NOT NULL, doc text NOT NULL, chain text NOT NULL
);
CREATE INDEX events_commitment ON events (commitment_id, seq)
"""

PSYCOPG_CONNECT = "import psycopg\nconn = psycopg.connect(sys.argv[1], autocommit=True)"
FLOOR_QUERY = bench_store.floor_query(PSYCOPG_CONNECT, "%s")
FLOOR_WRITE = bench_store.floor_write(
    PSYCOPG_CONNECT,
    'conn.execute("BEGIN")\nconn.execute("SELECT pg_advisory_xact_lock(1129141331)")',
    "%s",
)

# A writer: prints "ready" once connected, waits for a line on stdin, then writes and
# prints a JSON summary. argv: the URL, the ids to update in order (comma-separated).
WRITER = """
import datetime as dt, json, sys, time
import commitments as cm
url, plan = sys.argv[1], sys.argv[2].split(",")
day = dt.date(2026, 6, 30)
acked, retries, errors = [], 0, []
with cm.open_store(url) as t:
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    for cid in plan:
        for _ in range(50):
            try:
                update = t.record(cid, "in_progress", on=day)
            except cm.ConflictError:
                retries += 1
                continue
            except cm.CommitmentsError as exc:
                errors.append(f"{cid}: {type(exc).__name__}: {exc}")
                break
            acked.append(update.id)
            break
        else:
            errors.append(f"{cid}: still conflicting after 50 tries")
    ended = time.time()
print(json.dumps({"acked": acked, "retries": retries, "errors": errors,
                  "started": started, "ended": ended}))
"""

FLOOR_WRITER = """
import datetime as dt, hashlib, json, os, sys, time, psycopg
url, plan = sys.argv[1], sys.argv[2].split(",")
conn = psycopg.connect(url, autocommit=True)
print("ready", flush=True)
sys.stdin.readline()
started = time.time()
acked = []
for k, cid in enumerate(plan):
    conn.execute("BEGIN")
    conn.execute("SELECT pg_advisory_xact_lock(1129141331)")
    conn.execute("SELECT status FROM current WHERE id = %s", (cid,)).fetchall()
    now = dt.datetime.now(dt.UTC).isoformat()
    uid = f"{cid}:w{os.getpid()}-{k}"
    doc = {"type": "update", "id": uid, "commitment_id": cid, "status": "in_progress",
           "on": "2026-06-30", "recorded_at": now}
    text = json.dumps(doc)
    conn.execute(
        "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, doc, chain) "
        "VALUES (%s, %s, 'update', 'in_progress', '2026-06-30', %s, %s, %s)",
        (uid, cid, now, text, hashlib.sha256(text.encode()).hexdigest()),
    )
    conn.execute("COMMIT")
    acked.append(uid)
ended = time.time()
print(json.dumps({"acked": acked, "retries": 0, "errors": [],
                  "started": started, "ended": ended}))
"""


def database_url(admin: str, name: str) -> str:
    """The admin URL with its database replaced by `name` (host, user, query kept)."""
    parts = urlsplit(admin)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def admin_do(admin: str, statement: sql.Composable) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def create_database(admin: str, name: str) -> None:
    admin_do(admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin: str, name: str) -> None:
    admin_do(admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def sqlite_store(size: int, out: Path) -> Path:
    """The cached SQLite store of `size` commitments, built by bench_store if missing."""
    path = out / f"store3-{size}.db"
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        tmp = path.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        bench_store.build(tmp, size)
        tmp.replace(path)
    return path


def fill_floor(store_url: str, floor_url: str) -> None:
    """Current statuses and a copy of the event rows, as plain indexed tables (not timed)."""
    rows = bench_store.current_rows(store_url)
    with psycopg.connect(floor_url) as dst:
        for statement in FLOOR_TABLES.split(";\n"):
            dst.execute(statement)
        with dst.cursor() as cur:
            cur.executemany(
                "INSERT INTO current (id, title, made_on, deadline_text, deadline_latest, "
                "status) VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )
        with (
            psycopg.connect(store_url) as src,
            src.cursor().copy(
                "COPY (SELECT id, commitment_id, type, status, on_date, recorded_at, doc, "
                "chain FROM commitments.events ORDER BY seq) TO STDOUT"
            ) as reading,
            dst.cursor().copy(
                "COPY events (id, commitment_id, type, status, on_date, recorded_at, doc, "
                "chain) FROM STDIN"
            ) as writing,
        ):
            for block in reading:
                writing.write(block)
        dst.commit()
    with psycopg.connect(floor_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def open_ids(url: str) -> list[str]:
    """Ids of commitments whose snapshot holds no closed status (any open update fits)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.id FROM commitments.commitments AS c "
            "JOIN commitments.snapshots AS s ON s.seq = c.seq "
            "WHERE s.closed_from IS NULL AND s.recurring = 0 "
            "AND s.deadline_latest IS NOT NULL ORDER BY c.seq"
        ).fetchall()
    return [r[0] for r in rows]


def event_count(url: str, table: str = "commitments.events") -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table))).fetchone()
    assert row is not None
    return int(row[0])


def missing_ids(url: str, table: str, ids: list[str]) -> list[str]:
    """Those of `ids` that the events table does not hold."""
    with psycopg.connect(url) as conn:
        found = {
            r[0]
            for r in conn.execute(
                sql.SQL("SELECT id FROM {} WHERE id = ANY(%s)").format(sql.SQL(table)), (ids,)
            )
        }
    return [i for i in ids if i not in found]


def plans(ids: list[str], writers: int, updates: int) -> list[list[str]]:
    """Each writer's ids in order: its own commitments, and every tenth update a shared one."""
    shared, rest = ids[:SHARED], ids[SHARED:]
    own = max(1, min(50, updates, len(rest) // writers))
    result = []
    for w in range(writers):
        mine = rest[w * own : (w + 1) * own]
        result.append(
            [
                shared[(k // 10 + w) % len(shared)] if k % 10 == 9 else mine[k % len(mine)]
                for k in range(updates)
            ]
        )
    return result


def concurrent(script: str, url: str, plan: list[list[str]]) -> dict[str, Any]:
    """Start one process per plan, let them all go at once; their summed outcome."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = bench_store.SRC
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, ",".join(ids)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ids in plan
    ]
    summaries = []
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                raise SystemExit(f"a writer did not start: {line!r} {proc.stderr.read()}")  # type: ignore[union-attr]
        go = time.time()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            printed, errors = proc.communicate(timeout=1800)
            if proc.returncode != 0:
                raise SystemExit(f"a writer failed ({proc.returncode}): {errors}")
            summaries.append(json.loads(printed.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    ended = max(s["ended"] for s in summaries)
    return {
        "acked": [i for s in summaries for i in s["acked"]],
        "retries": sum(s["retries"] for s in summaries),
        "errors": [e for s in summaries for e in s["errors"]],
        "seconds": ended - go,
    }


def bench(size: int, args: argparse.Namespace, notes: list[str]) -> list[dict[str, Any]]:
    path = sqlite_store(size, args.out)
    tag = f"bench_pg_{size}_{os.getpid()}"
    store_db, floor_db = tag, f"{tag}_floor"
    store_url = database_url(args.admin, store_db)
    floor_url = database_url(args.admin, floor_db)
    results: list[dict[str, Any]] = []
    try:
        create_database(args.admin, store_db)
        started = time.perf_counter()
        digest = cm.copy_store(path, store_url)
        copied = time.perf_counter() - started
        held = event_count(store_url)
        print(f"copy_store {path.name} -> {store_db}: {copied:.1f} s ({held:,} events, {digest})")
        results.append(row("`copy_store` from the SQLite store (once)", copied, 0.0, ""))
        create_database(args.admin, floor_db)
        fill_floor(store_url, floor_url)
        ids = open_ids(store_url)
        need = 2 * args.repeat + SHARED + args.writers
        if len(ids) < need:
            raise SystemExit(f"only {len(ids)} open commitments; {need} needed")
        results.append(bench_overdue(store_url, floor_url, args.repeat, notes))
        results.append(bench_record(store_url, floor_url, ids, args.repeat, notes))
        plan = plans(ids[2 * args.repeat :], args.writers, args.updates)
        results.append(bench_writers(store_url, floor_url, plan, notes))
    finally:
        for name in (store_db, floor_db):
            drop_database(args.admin, name)
    return results


def bench_overdue(store_url: str, floor_url: str, repeat: int, notes: list[str]) -> dict[str, Any]:
    today = TODAY.isoformat()
    ours_args = ["-m", "commitments", "overdue", "--format", "csv", "--store", store_url]
    floor_args = ["-c", FLOOR_QUERY, floor_url, today]
    ours_lines = len(bench_store.run(ours_args)[1].splitlines())
    floor_lines = len(bench_store.run(floor_args)[1].splitlines())
    print(f"overdue: ours printed {ours_lines:,} lines, the floor {floor_lines:,}")
    if abs(ours_lines - floor_lines) > 1:  # a header line at most
        notes.append(f"overdue printed {ours_lines} lines, its floor {floor_lines}")
    ours = bench_store.median_of(repeat, ours_args)
    floor = bench_store.median_of(repeat, floor_args)
    return row("`commitments overdue --format csv`, today", ours, floor, "<= 5x")


def bench_record(
    store_url: str, floor_url: str, ids: list[str], repeat: int, notes: list[str]
) -> dict[str, Any]:
    before = event_count(store_url)
    timings = [
        bench_store.run(
            ["-m", "commitments", "record", cid, "stalled", "--on", ON, "--store", store_url]
        )[0]
        for cid in ids[:repeat]
    ]
    appended = event_count(store_url) - before
    if appended != repeat:
        notes.append(f"`record` x{repeat}: {appended} events appended, {repeat} expected")
    stamp = int(time.time())
    floors = [
        bench_store.run(["-c", FLOOR_WRITE, floor_url, cid, f"{stamp}{k}"])[0]
        for k, cid in enumerate(ids[repeat : 2 * repeat])
    ]
    return row(
        "`commitments record ID stalled`, one",
        statistics.median(timings),
        statistics.median(floors),
        "<= 7x",
    )


def bench_writers(
    store_url: str, floor_url: str, plan: list[list[str]], notes: list[str]
) -> dict[str, Any]:
    writers, updates = len(plan), len(plan[0])
    total = writers * updates
    before = event_count(store_url)
    ours = concurrent(WRITER, store_url, plan)
    after = event_count(store_url)
    floor_before = event_count(floor_url, "events")
    floor = concurrent(FLOOR_WRITER, floor_url, plan)
    floor_after = event_count(floor_url, "events")
    acked = len(ours["acked"])
    print(
        f"writers: {acked:,} of {total:,} updates acknowledged in {ours['seconds']:.2f} s, "
        f"{ours['retries']} conflict retries, {len(ours['errors'])} errors; events "
        f"{before:,} -> {after:,}; floor {floor['seconds']:.2f} s, events "
        f"{floor_before:,} -> {floor_after:,}"
    )
    if acked != total:
        notes.append(f"writers: {total - acked} of {total} updates not acknowledged")
    notes.extend(f"writer error: {e}" for e in ours["errors"][:10])
    if after != before + acked:
        notes.append(f"writers: LOST/EXTRA events: {after - before} appended, {acked} acknowledged")
    lost = missing_ids(store_url, "commitments.events", ours["acked"])
    if lost:
        notes.append(f"writers: {len(lost)} acknowledged update ids missing, e.g. {lost[:3]}")
    if floor_after != floor_before + len(floor["acked"]):
        notes.append("floor writers: event count does not match")
    with cm.open_store(store_url) as t:
        try:
            t.recorder.verify()  # type: ignore[attr-defined]
            verified = "verify() passes"
        except cm.StoreError as exc:
            verified = f"verify() FAILS: {exc}"
            notes.append(verified)
    print(f"after the writers: {verified}")
    result = row(
        f"{writers} writers x {updates:,} `record` (updates/s)",
        acked / ours["seconds"],
        len(floor["acked"]) / floor["seconds"],
        "no loss; verifies",
    )
    result.update(
        acknowledged=acked,
        retries=ours["retries"],
        errors=len(ours["errors"]),
        events_before=before,
        events_after=after,
        verified=verified,
    )
    return result


def row(what: str, ours: float, floor: float, target: str) -> dict[str, Any]:
    return {"what": what, "ours": ours, "floor": floor, "target": target}


def table(results: list[dict[str, Any]]) -> list[str]:
    lines = ["| what | ours | floor | ratio | target |", "|---|---:|---:|---:|---|"]
    for r in results:
        name, ours, floor, target = r["what"], r["ours"], r["floor"], r["target"]
        if floor:
            per_second = "/s" in name
            ratio = floor / ours if per_second else ours / floor
            r["ratio"] = ratio
            shown = (f"{ours:,.0f}", f"{floor:,.0f}") if per_second else (
                f"{ours:.3f} s", f"{floor:.3f} s")  # fmt: skip
            lines.append(f"| {name} | {shown[0]} | {shown[1]} | {ratio:.1f}x | {target} |")
        else:
            lines.append(f"| {name} | {ours:.3f} s | | | {target} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin", default=os.environ.get("COMMITMENTS_BENCH_POSTGRES", ADMIN),
        help="URL of a database where this role may CREATE DATABASE",
    )  # fmt: skip
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(args.admin) as conn:
        server = {
            name: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0]  # type: ignore[index]
            for name in ("server_version", "fsync", "synchronous_commit")
        }
    startup = bench_store.median_of(args.repeat, ["-c", "pass"])
    print(f"python startup alone: {startup * 1000:.0f} ms; today: {TODAY}; server: {server}")
    report: dict[str, Any] = {"today": TODAY.isoformat(), "server": server, "sizes": {}}
    for size in args.sizes:
        notes: list[str] = []
        results = bench(size, args, notes)
        print(f"\n{size:,} commitments x about 10 updates, PostgreSQL")
        print("\n".join(table(results)))
        for note in notes:
            print(f"PROBLEM: {note}")
        report["sizes"][str(size)] = {
            "writers": args.writers,
            "updates": args.updates,
            "repeat": args.repeat,
            "results": results,
            "problems": notes,
        }
    (args.out / "bench_postgres.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
