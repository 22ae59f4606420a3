"""Damaged stores (issue item): every damage ends in one clear `StoreError`.

A damaged derived row, a damaged event row, a page of noise or a misplaced page, a
truncated file, a damaged settings table or schema: opening the store and every query
and command either works or raises `StoreError` (one line naming the store), never
another exception, and the command line never shows a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import commitments as cm
from store_support import run, sample_tracker

Damage = Callable[[Path], object]
PAGE = 4096  # SQLite's default page size, which a store keeps


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("damaged") / "base.db"
    cm.create_store(path, sample_tracker()).close()
    return path


def _operations(path: Path) -> Iterator[tuple[str, Callable[[], object]]]:
    """Opening, every kind of query, and the commands, reads and a write."""

    def query(ask: Callable[[cm.Tracker], object]) -> Callable[[], object]:
        def asked() -> object:
            with cm.open_store(path) as t:
                return ask(t)

        return asked

    yield "open_store", query(lambda _: None)
    yield "len", query(len)
    yield "overdue", query(lambda t: t.overdue())
    yield "assess_all", query(lambda t: t.assess_all())
    yield "select all", query(lambda t: t.select("all"))
    yield "select overdue", query(lambda t: t.select("overdue"))
    yield "events", query(lambda t: t.events())
    yield "dumps", query(cm.dumps)
    yield "commitment", query(lambda t: (t.commitment("ndc"), t.commitment("fund-2")))
    yield "assess", query(lambda t: t.assess("ndc"))

    def unknown(t: cm.Tracker) -> None:
        with contextlib.suppress(cm.UnknownCommitmentError):  # the answer if ids read back
            t.commitment("nope")

    yield "unknown id", query(unknown)
    yield "changes", query(lambda t: t.changes("2024-01-01", "2024-12-31"))

    def in_force(t: cm.Tracker) -> str | None:  # read thin from a snapshot, whole from a log
        found = t.in_force("ndc", "in_progress", dt.date(2024, 2, 1))
        return None if found is None else found.id

    yield "in_force", query(in_force)
    yield "where party", query(lambda t: t.where(party="CN").assess_all())

    def parties(t: cm.Tracker) -> set[str]:  # the index where it answers, else every pledge
        listed = t.recorder.parties()
        return {p for c in t.commitments for p in c.parties} if listed is None else listed

    yield "parties", query(parties)

    def record(t: cm.Tracker) -> None:
        # The last two come after ndc's updates (its snapshot suffices), the first before
        # them (its whole log is checked again).
        for cid, day in (
            ("ndc", dt.date(2024, 1, 20)),
            ("fund-2", dt.date(2024, 6, 1)),
            ("ndc", dt.date(2024, 6, 2)),
        ):
            with contextlib.suppress(cm.UpdateError):  # a refusal is an answer too
                t.record(cid, "in_progress", on=day)

    yield "record", query(record)
    commands = (
        ("status",),
        ("status", "--format", "json"),
        ("overdue", "--format", "json"),
        ("show", "ndc"),
        ("show", "fund-2"),
        ("export",),
        ("verify",),
        ("record", "fund-2", "in_progress", "--on", "2024-06-01"),
        ("record", "ndc", "in_progress", "--on", "2024-06-02"),
    )
    for argv in commands:
        yield f"`{' '.join(argv)}`", lambda argv=argv: run(*argv, "--store", str(path))


# The queries (all before the first write) whose answers an undamaged copy must match.
ANSWERS = (
    *("len", "overdue", "assess_all", "select all", "select overdue", "events", "dumps"),
    *("commitment", "assess", "unknown id", "changes", "in_force", "where party", "parties"),
)


def _escapes(path: Path, expected: dict[str, object] | None = None) -> list[str]:
    """What went wrong otherwise than by a clear `StoreError`, one entry per operation.

    With `expected` (the undamaged store's answers), a query that answers must answer so.
    """
    found = []
    for name, operation in _operations(path):
        try:
            outcome = operation()
        except cm.StoreError as exc:
            text = str(exc)
            if "\n" in text or str(path) not in text:
                found.append(f"{name}: unclear StoreError {text!r}")
            continue
        except Exception as exc:  # noqa: BLE001 - what this test looks for
            found.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if expected is not None and name in ANSWERS and outcome != expected[name]:
            found.append(f"{name}: a wrong answer, not a refusal")
        if name.startswith("`"):  # a command: it answered (0) or refused in one line (1)
            code, _, err = outcome  # type: ignore[misc]
            if code not in (0, 1) or "Traceback" in err or err.count("\n") > 1:
                found.append(f"{name}: exit {code}, stderr {err!r}")
    return found


def _damaged(base: Path, folder: Path, damage: Damage) -> Path:
    path = folder / "damaged.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, path)
    damage(path)
    return path


# Damage to what queries trust without reading further, the indexed columns and the
# derived parties index, or to an event's JSON behind its chain link: the answers go
# wrong, silently, and `verify` (which refolds every log and checks every link) finds it.
SEEN_BY_VERIFY = {
    "snapshot deadline number": {"overdue", "select overdue"},
    "snapshot commitment NULL": {"parties"},
    "snapshot commitment: parties a string": {"parties"},
    "snapshot rows gone": {"parties"},
    "schema root page wrong": {"overdue", "select overdue", "parties"},
    "recorded_at NULL": {"changes"},
    "doc: a party the commitment lacks": {
        *("assess_all", "events", "dumps", "assess", "changes", "where party"),
    },
}


def _verify_refuses(path: Path) -> bool:
    try:
        with cm.open_store(path) as t:
            t.recorder.verify()
    except cm.StoreError:
        return True
    return False


def _answers(base: Path, folder: Path) -> dict[str, object]:
    """The queries' answers on an undamaged copy."""
    path = _damaged(base, folder, lambda _: None)
    return {name: operation() for name, operation in _operations(path) if name in ANSWERS}


def _check_all(
    base: Path, folder: Path, damages: dict[str, Damage], *, answers: bool = True
) -> None:
    """Each damage: every operation answers right or refuses clearly.

    Without `answers` (random pages, truncation) an answer is not compared: what such a
    damage changes silently is for `verify` and the event chain to find.
    """
    expected = _answers(base, folder) if answers else None
    failures = []
    for label, damage in damages.items():
        path = _damaged(base, folder, damage)
        wrong = {f"{name}: a wrong answer, not a refusal" for name in SEEN_BY_VERIFY.get(label, ())}
        found = _escapes(path, expected)
        failures += [f"{label} / {e}" for e in found if e not in wrong]
        if answers and label in SEEN_BY_VERIFY:
            # Listed because it answers wrong: it still does, and verify sees the damage.
            assert wrong <= set(found), f"{label}: answers right now; take it off the list"
            assert _verify_refuses(_damaged(base, folder, damage)), f"{label}: verify passes"
    assert not failures, "\n".join(failures)


# -- damaging a copy -------------------------------------------------------------------


def _sql(*statements: str) -> Damage:
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        for statement in statements:
            conn.execute(statement)
        conn.close()

    return damage


def _set(table: str, column: str, value: object, where: str = "1") -> Damage:
    """Write `value` into a column, past the table's types, NOT NULL and triggers."""

    def damage(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        (schema,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,),
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        loose = schema.replace(" NOT NULL", "").replace(") STRICT", ")")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (loose, table))
        conn.close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (value,))  # noqa: S608
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (schema, table))
        conn.close()
        conn = sqlite3.connect(path, isolation_level=None)
        for _, sql in triggers:
            conn.execute(sql)
        conn.close()

    return damage


def _state(seq: int, **changes: object) -> Damage:
    """Change keys of a snapshot row's saved state (its JSON text)."""

    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        (text,) = conn.execute("SELECT state FROM snapshots WHERE seq = ?", (seq,)).fetchone()
        conn.close()
        doc = json.loads(text)
        for key, change in changes.items():
            doc[key] = change(doc[key]) if callable(change) else change
        _set("snapshots", "state", json.dumps(doc), f"seq = {seq}")(path)

    return damage


def _doc(table: str, seq: int, **changes: object) -> Damage:
    """Change keys of a row's JSON document (`doc` or, for a snapshot, `commitment`)."""
    column = "commitment" if table == "snapshots" else "doc"

    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        (text,) = conn.execute(
            f"SELECT {column} FROM {table} WHERE seq = ?",  # noqa: S608
            (seq,),
        ).fetchone()
        conn.close()
        doc = json.loads(text)
        doc.update(changes)
        _set(table, column, json.dumps(doc), f"seq = {seq}")(path)

    return damage


def _root(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    (page,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    conn.close()
    return int(page)


def _write(offset: int, data: bytes) -> Damage:
    def damage(path: Path) -> None:
        with path.open("r+b") as f:
            f.seek(offset)
            f.write(data)

    return damage


def _page_over(source: str, target: str) -> Damage:
    """Put a copy of the root page of `source` where the root page of `target` was."""

    def damage(path: Path) -> None:
        data = path.read_bytes()
        page = data[(_root(path, source) - 1) * PAGE : _root(path, source) * PAGE]
        _write((_root(path, target) - 1) * PAGE, page)(path)

    return damage


def _truncate(length: int) -> Damage:
    def damage(path: Path) -> None:
        with path.open("r+b") as f:
            f.truncate(length)

    return damage


def _noise(offset: int, length: int, seed: int) -> Damage:
    return _write(offset, random.Random(seed).randbytes(length))  # noqa: S311 - not a secret


# -- one test per class of damage --------------------------------------------------------


def test_damaged_derived_rows(base, tmp_path):
    """Snapshot rows (and the commitments index) damaged in their columns and JSON."""
    damages: dict[str, Damage] = {
        "snapshot commitment NULL": _set("snapshots", "commitment", None, "seq = 1"),
        "snapshot state NULL": _set("snapshots", "state", None, "seq = 2"),
        "snapshot state garbage": _set("snapshots", "state", "garbage", "seq = 1"),
        "snapshot state a number": _set("snapshots", "state", 7, "seq = 1"),
        "snapshot state a list": _set("snapshots", "state", "[]", "seq = 1"),
        "snapshot version text": _set("snapshots", "version", "x", "seq = 1"),
        "snapshot last_seq NULL": _set("snapshots", "last_seq", None),
        "snapshot closed_from text": _set("snapshots", "closed_from", "x"),
        "snapshot deadline number": _set("snapshots", "deadline_latest", 5),
        "snapshot rows gone": _sql("DELETE FROM snapshots"),
        "state: last effect empty": _state(1, l=[]),
        "state: days as text": _state(1, d=lambda days: [str(d) for d in days]),
        "state: days out of range": _state(1, d=lambda days: [10**12 + d for d in days]),
        "state: version huge": _state(1, v=1e308),
        "state: version zero": _state(3, v=0),
        "state: version too high": _state(1, v=5),
        "state: version too low": _state(2, v=2),
        "state: naive known_from": _state(1, k="2024-06-01T09:00:00"),
        "state: update recorded_at garbage": _state(
            1, u=lambda refs: [[*ref[:2], "x", *ref[3:]] for ref in refs]
        ),
        "state: update id invalid": _state(1, u=lambda refs: [["!", *ref[1:]] for ref in refs]),
        "state: update day huge": _state(
            1, u=lambda refs: [[ref[0], 10**20, *ref[2:]] for ref in refs]
        ),
        "state: party states short": _state(1, p=lambda states: [s[:1] for s in states]),
        "state: tracks renamed": _state(1, t=[["XX", "in_progress"], ["CN", "stalled"]]),
        "state: flags a number": _state(2, f=3),
        "snapshot commitment: parties a string": _doc("snapshots", 1, parties="x"),
        "snapshot commitment: another id": _doc("snapshots", 1, id="fund"),
        "commitments row renamed": _set("commitments", "id", "zzz", "seq = 3"),
        "commitments doc garbage": _set("commitments", "doc", "garbage"),
    }
    _check_all(base, tmp_path, damages)


def test_damaged_event_rows(base, tmp_path):
    """Event rows with broken JSON, wrong types, NULLs, or moved to another commitment."""
    damages: dict[str, Damage] = {
        "doc not JSON": _set("events", "doc", "{", "seq = 4"),
        "doc a list": _set("events", "doc", "[]", "seq = 1"),
        "doc NULL": _set("events", "doc", None, "seq = 8"),
        "doc a number": _set("events", "doc", 5, "seq = 2"),
        "doc: on a number": _doc("events", 4, on=5),
        "doc: status unknown": _doc("events", 5, status="nope"),
        "doc: a party the commitment lacks": _doc("events", 5, party="XX"),
        "type NULL": _set("events", "type", None, "seq = 5"),
        "status garbage": _set("events", "status", "nope", "seq = 4"),
        "on_date garbage": _set("events", "on_date", "x", "seq = 4"),
        "recorded_at NULL": _set("events", "recorded_at", None, "seq = 6"),
        "party a number": _set("events", "party", 5, "seq = 5"),
        "update_id NULL": _set("events", "update_id", None, "seq = 8"),
        "commitment_id NULL": _set("events", "commitment_id", None, "seq = 2"),
        "a commitment's events moved away": _set(
            "events", "commitment_id", "elsewhere", "commitment_id = 'fund-2'"
        ),
        "every commitment_id NULL": _set("events", "commitment_id", None),
    }
    _check_all(base, tmp_path, damages)


def test_pages_of_noise(base, tmp_path):
    """Random pages written over the file, and pages of the file put in the wrong place."""
    size = base.stat().st_size
    damages: dict[str, Damage] = {
        f"noise at {offset}": _noise(offset, PAGE, offset)
        for offset in [*range(0, size, PAGE), 100, 2000, PAGE + 700, size - 1000]
    }
    damages["the events page over the snapshots page"] = _page_over("events", "snapshots")
    damages["the meta index over the events index"] = _page_over(
        "sqlite_autoindex_meta_1", "events_commitment"
    )
    damages["the snapshots page over the events page"] = _page_over("snapshots", "events")
    damages["the snapshots page over the commitments page"] = _page_over("snapshots", "commitments")
    _check_all(base, tmp_path, damages, answers=False)


def test_truncated_files(base, tmp_path):
    """The file cut at many lengths: inside the header, on and off page boundaries."""
    size = base.stat().st_size
    lengths = {0, 1, 50, 99, 100, 101, 512, PAGE - 1, PAGE, PAGE + 1, size - PAGE, size - 1}
    lengths |= set(range(2 * PAGE, size, PAGE)) | set(range(1000, size, 3000))
    _check_all(
        base, tmp_path, {f"cut at {n}": _truncate(n) for n in sorted(lengths)}, answers=False
    )


def test_damaged_settings_and_schema(base, tmp_path):
    """The meta table (workflow, policy, snapshot mark) and the schema itself."""
    damages: dict[str, Damage] = {
        "snapshot mark garbage": _set("meta", "value", "garbage", "key = 'snapshots'"),
        "snapshot mark NULL": _set("meta", "value", None, "key = 'snapshots'"),
        "snapshot mark huge": _set("meta", "value", "9" * 30, "key = 'snapshots'"),
        "workflow garbage": _set("meta", "value", "garbage", "key = 'workflow'"),
        "workflow a number": _set("meta", "value", 5, "key = 'workflow'"),
        "workflow NULL": _set("meta", "value", None, "key = 'workflow'"),
        "workflow wrong shape": _set("meta", "value", '{"transitions": 5}', "key = 'workflow'"),
        "workflow gone": _sql("DELETE FROM meta WHERE key = 'workflow'"),
        "policy garbage": _sql("INSERT INTO meta (key, value) VALUES ('policy', '{\"x\": [')"),
        "policy wrong shape": _sql("INSERT INTO meta (key, value) VALUES ('policy', '[1]')"),
        "meta gone": _sql("DROP TABLE meta"),
        "snapshots gone": _sql("DROP TABLE snapshots"),
        "events renamed": _sql("ALTER TABLE events RENAME TO old_events"),
        "a column renamed": _sql("ALTER TABLE snapshots RENAME COLUMN state TO s"),
        "schema text garbage": _sql(
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = 'garbage' WHERE name = 'snapshots_deadline'",
        ),
        "schema root page wrong": _sql(
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET rootpage = 2 WHERE name = 'snapshots'",
        ),
        "schema version 2": _sql("PRAGMA user_version = 2"),
        "schema version 0": _sql("PRAGMA user_version = 0"),
        "schema version 99": _sql("PRAGMA user_version = 99"),
        "application id 0": _sql("PRAGMA application_id = 0"),
    }
    _check_all(base, tmp_path, damages)


def test_unknown_ids_stay_unknown(base):
    """Legitimate refusals keep their own types: a damaged store is not everything."""
    with cm.open_store(base) as t, pytest.raises(cm.UnknownCommitmentError):
        t.commitment("nope")
    code, _, err = run("show", "nope", "--store", str(base))
    assert code == 1
    assert "unknown commitment" in err


# -- any damage ------------------------------------------------------------------------

damage = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 11 * PAGE - 1), st.integers(0, 255)),
    st.tuples(st.just("noise"), st.integers(0, 11 * PAGE - 1), st.integers(1, PAGE)),
    st.tuples(st.just("truncate"), st.integers(0, 11 * PAGE), st.just(0)),
    st.tuples(st.just("page"), st.integers(0, 10), st.integers(0, 10)),
)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(damages=st.lists(damage, min_size=1, max_size=4), seed=st.integers(0, 2**32))
# A page of the ids' table copied over its unique index: the table lists an id that a
# lookup by id cannot find (once reported as an unknown commitment).
@example(damages=[("page", 2, 4), ("page", 2, 8)], seed=0)
def test_any_damage_ends_in_store_error(base, tmp_path, damages, seed):
    """Flipped bytes, noise, truncation, misplaced pages: each operation works or refuses."""

    def apply(path: Path) -> None:
        data = bytearray(path.read_bytes())
        for kind, a, b in damages:
            if kind == "flip" and a < len(data):
                data[a] = b
            elif kind == "noise":
                data[a : a + b] = random.Random(seed).randbytes(b)  # noqa: S311 - not a secret
            elif kind == "truncate":
                del data[a:]
            elif kind == "page" and (b + 1) * PAGE <= len(data):
                data[b * PAGE : (b + 1) * PAGE] = data[a * PAGE : (a + 1) * PAGE]
        path.write_bytes(bytes(data))

    assert _escapes(_damaged(base, tmp_path, apply)) == []
