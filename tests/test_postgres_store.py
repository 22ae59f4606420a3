"""The PostgreSQL store from the outside: the CLI, copies, roles, and connection problems.

Each test gets fresh databases on the throwaway server (`postgres_support`); roles are
made per test and dropped after it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

import commitments as cm
from commitments.postgres import shown_url
from commitments.records import listing_row, record_of
from postgres_support import Databases, database_url
from store_support import run, sample_tracker
from test_output_fuzz import trackers as fuzz_trackers

PASSWORD = "hunter2-not-for-logs"  # noqa: S105 - the throwaway server's test role `commitments_pw` signs in with it (pg_hba)


class Roles:
    """Login roles made for one test; dropped, with the test's databases, after it."""

    def __init__(self, databases: Databases) -> None:
        self.databases = databases
        self.made: list[str] = []

    def new(self, prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.databases.sql(f'CREATE ROLE "{name}" LOGIN')
        self.made.append(name)
        return name

    def drop_all(self) -> None:
        self.databases.drop_all()
        for name in self.made:
            self.databases.sql(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def roles(databases: Databases) -> Iterator[Roles]:
    made = Roles(databases)
    try:
        yield made
    finally:
        made.drop_all()


def name_of(url: str) -> str:
    """The database a URL names."""
    return urlsplit(url).path.lstrip("/")


def as_role(url: str, role: str) -> str:
    """The same database, signed in as `role`."""
    return database_url(url, name_of(url), role)


def sql_as(url: str, statement: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[call-overload]


# -- the same answers as SQLite ----------------------------------------------------------


QUERIES = [
    ["status", "--as-of", "2025-06-30"],
    ["status", "--as-of", "2025-06-30", "--known-on", "2024-12-31", "--format", "json"],
    ["overdue", "--as-of", "2026-11-30", "--format", "csv"],
    ["due", "--as-of", "2024-06-01", "--within", "60d"],
    ["fulfilled", "--as-of", "2026-11-30"],
    ["compliance", "--as-of", "2025-12-31", "--by", "party"],
    ["show", "cjk-10th-summit-japan", "--known-on", "2025-06-30"],
    ["export"],
]


def test_every_query_answers_as_the_sqlite_store_does(pg_url, tmp_path):
    """The seed catalog in both stores: each command prints the same, byte for byte."""
    db = str(tmp_path / "t.db")
    assert run("init", "--seed", "--store", db)[0] == 0
    code, out, err = run("init", "--seed", "--store", pg_url)
    assert (code, err) == (0, "")
    assert out.startswith(f"created store {pg_url} with 18 commitments")
    for query in QUERIES:
        sqlite_answer = run(*query, "--store", db)
        assert sqlite_answer[0] == 0, (query, sqlite_answer)
        assert run(*query, "--store", pg_url) == sqlite_answer, query


def test_a_write_through_the_cli_is_read_back(pg_url):
    run("init", "--seed", "--store", pg_url)
    code, _, err = run(
        "record", "cjk-10th-summit-japan", "stalled", "--on", "2026-11-20", "--by", "min-jun",
        "--store", pg_url,
    )  # fmt: skip
    assert (code, err) == (0, "")
    with cm.open_store(pg_url) as t:
        update = t.events("cjk-10th-summit-japan")[-1]
        assert isinstance(update, cm.StatusUpdate)
        assert (update.status, update.recorded_by) == (cm.Status.STALLED, "min-jun")
    code, out, _ = run("verify", "--store", pg_url)
    assert code == 0
    assert out.startswith(f"ok: store {pg_url} (18 commitments); digest ")


def test_recorded_by_defaults_to_the_database_role_and_recorded_at_to_the_server(pg_url):
    """No --by and no $COMMITMENTS_USER: the role, not this machine's login name."""
    run("init", "--seed", "--store", pg_url)
    with psycopg.connect(pg_url) as conn:
        before = conn.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]
    assert (
        run("record", "cjk-10th-summit-japan", "stalled", "--on", "2026-11-20", "--store", pg_url)[
            0
        ]
        == 0
    )
    with psycopg.connect(pg_url) as conn:
        after = conn.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]
    with cm.open_store(pg_url) as t:
        update = t.events("cjk-10th-summit-japan")[-1]
        assert update.recorded_by == "postgres"
        assert before <= update.recorded_at <= after
        assert t.recorder.recorded_by == "postgres"
    # $COMMITMENTS_USER still names someone else when set.
    code, _, _ = run(
        "record", "cjk-10th-summit-japan", "in_progress", "--on", "2026-11-21", "--store", pg_url,
        environ={"COMMITMENTS_USER": "ana"},
    )  # fmt: skip
    assert code == 0
    with cm.open_store(pg_url) as t:
        assert t.events("cjk-10th-summit-japan")[-1].recorded_by == "ana"


# -- copies --------------------------------------------------------------------------------


def test_copy_sqlite_to_postgres_and_back_is_exact(databases, tmp_path):
    first, back = tmp_path / "first.db", tmp_path / "back.db"
    cm.create_store(first, sample_tracker()).close()
    url = databases.new()
    code, out, err = run("copy", "--from", str(first), "--to", url)
    assert (code, err) == (0, "")
    assert "copied 3 commitments" in out
    assert run("copy", "--from", url, "--to", str(back))[0] == 0
    with cm.open_store(first) as a, cm.open_store(url) as b, cm.open_store(back) as c:
        assert cm.dumps(a) == cm.dumps(b) == cm.dumps(c)
    digests = {run("verify", "--store", where)[1].rpartition(" ")[2] for where in (str(first), url)}
    assert len(digests) == 1


def test_copy_into_an_initialised_empty_database(databases, tmp_path):
    first = tmp_path / "first.db"
    cm.create_store(first, sample_tracker()).close()
    url = databases.new()
    cm.create_store(url).close()
    assert run("copy", "--from", str(first), "--to", url)[0] == 0
    with cm.open_store(first) as a, cm.open_store(url) as b:
        assert cm.dumps(a) == cm.dumps(b)


def test_copy_refuses_a_destination_that_holds_anything(databases, tmp_path):
    first = tmp_path / "first.db"
    cm.create_store(first, sample_tracker()).close()
    url = databases.new()
    cm.create_store(url, cm.seed_catalog()).close()
    code, _, err = run("copy", "--from", str(first), "--to", url)
    assert code == 1
    assert "already holds 18 commitments" in err
    assert err.count("\n") == 1
    with cm.open_store(url) as t:  # untouched
        assert cm.dumps(t) == cm.dumps(cm.seed_catalog())
    code, _, err = run("copy", "--from", url, "--to", str(first))
    assert code == 1
    assert "already exists" in err
    other = databases.new()
    narrow = cm.Workflow.from_pairs([("pledged", "fulfilled")], name="narrow")
    cm.create_store(other, workflow=narrow).close()
    code, _, err = run("copy", "--from", str(first), "--to", other)
    assert code == 1
    assert "workflow" in err


# -- roles ---------------------------------------------------------------------------------


def test_a_reader_reads_and_cannot_write(databases, roles):
    url = databases.new()
    run("init", "--seed", "--store", url)
    reader = roles.new("reader")
    code, out, _ = run("grant", reader, "--read", "--store", url)
    assert code == 0
    assert out == f"role {reader} may now read store {url}\n"
    as_reader = as_role(url, reader)
    assert run("overdue", "--as-of", "2026-11-30", "--store", as_reader)[0] == 0
    code, _, err = run(
        "record", "cjk-10th-summit-japan", "stalled", "--on", "2026-11-20", "--store", as_reader
    )
    assert code == 1
    assert err.count("\n") == 1
    assert f"role {reader!r} may not write here" in err
    with cm.open_store(url) as t:
        assert len(t.events()) == len(cm.seed_catalog().events())


def test_a_writer_appends_under_its_own_name(databases, roles):
    url = databases.new()
    run("init", "--seed", "--store", url)
    writer = roles.new("writer")
    assert run("grant", writer, "--write", "--store", url)[0] == 0
    as_writer = as_role(url, writer)
    code, out, err = run(
        "record", "cjk-10th-summit-japan", "stalled", "--on", "2026-11-20", "--store", as_writer
    )
    assert (code, out, err) == (0, "cjk-10th-summit-japan:3\n", "")
    code, _, err = run(
        "add", "--id", "new-pledge", "--title", "Meet again", "--made-on", "2026-11-01",
        "--party", "JP", "--store", as_writer,
    )  # fmt: skip
    assert (code, err) == (0, "")
    with cm.open_store(url) as t:
        assert t.events("cjk-10th-summit-japan")[-1].recorded_by == writer
        assert t.events("new-pledge")[0].recorded_by == writer
    assert run("verify", "--store", url)[0] == 0


def test_granting_read_to_a_writer_takes_its_writes_away(databases, roles):
    url = databases.new()
    run("init", "--seed", "--store", url)
    role = roles.new("demoted")
    assert run("grant", role, "--write", "--store", url)[0] == 0
    assert run("grant", role, "--read", "--store", url)[0] == 0
    code, _, err = run(
        "record", "cjk-10th-summit-japan", "stalled", "--on", "2026-11-20",
        "--store", as_role(url, role),
    )  # fmt: skip
    assert code == 1
    assert "may not write here" in err
    assert run("status", "--store", as_role(url, role))[0] == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE commitments.events SET doc = doc",
        "DELETE FROM commitments.events",
        "TRUNCATE commitments.events",
        "UPDATE commitments.commitments SET doc = doc",
        "DELETE FROM commitments.commitments",
        "TRUNCATE commitments.commitments CASCADE",
    ],
)
def test_no_role_changes_or_deletes_what_was_recorded(databases, roles, statement):
    """The owner (privileges revoked), a writer and even the superuser (triggers) are refused."""
    owner = roles.new("owner")
    url = databases.new(owner=owner)
    cm.create_store(url, sample_tracker()).close()
    writer = roles.new("writer")
    assert run("grant", writer, "--write", "--store", url)[0] == 0
    superuser = database_url(databases.admin, name_of(url))
    for who in (url, as_role(url, writer), superuser):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql_as(who, statement)
    with cm.open_store(url) as t:
        assert cm.dumps(t) == cm.dumps(sample_tracker())


def test_grant_is_refused_for_a_file_store(tmp_path):
    db = str(tmp_path / "t.db")
    run("init", "--store", db)
    code, _, err = run("grant", "someone", "--read", "--store", db)
    assert code == 1
    assert "grant is for PostgreSQL stores" in err


# -- connection problems: one line, never a password ----------------------------------------


@pytest.fixture
def password_role(databases: Databases) -> str:
    """The role pg_hba makes sign in with a password (created here for this test)."""
    databases.sql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'commitments_pw') "
        f"THEN CREATE ROLE commitments_pw LOGIN PASSWORD '{PASSWORD}'; END IF; END $$"
    )
    return "commitments_pw"


def _one_line_refusal(argv: list[str]) -> str:
    code, out, err = run(*argv)
    assert code == 1, (code, out, err)
    assert err.startswith("commitments: refused: ")
    assert err.count("\n") == 1
    assert PASSWORD not in err
    assert "Traceback" not in err
    return err


def test_a_wrong_password_is_one_line_without_the_password(databases, password_role):
    url = databases.new()
    cm.create_store(url).close()
    host = url.partition("@")[2]
    wrong = f"postgresql://{password_role}:{PASSWORD}x@{host}"
    err = _one_line_refusal(["overdue", "--store", wrong])
    assert "password authentication failed" in err
    assert f"postgresql://{password_role}@{host}" in err
    in_query = f"{url}&user={password_role}&password={PASSWORD}x"
    err = _one_line_refusal(["overdue", "--store", in_query])
    assert "password" not in err.replace("password authentication failed", "")


@pytest.mark.parametrize("problem", ["server down", "database missing", "not a store"])
def test_connection_problems_are_one_line(databases, tmp_path, problem):
    url = databases.new()
    if problem == "server down":
        url = f"postgresql://postgres:{PASSWORD}@/postgres?host={tmp_path}"
        expected = "cannot connect to postgresql://postgres@/postgres"
    elif problem == "database missing":
        url = url.replace("/cm_", "/missing_")
        expected = "does not exist"
    else:
        expected = "is not a commitments database"
    err = _one_line_refusal(["status", "--store", url])
    assert expected in err


def test_a_newer_schema_is_refused_clearly(pg_url):
    cm.create_store(pg_url).close()
    sql_as(pg_url, "UPDATE commitments.meta SET value = '99' WHERE key = 'schema'")
    err = _one_line_refusal(["status", "--store", pg_url])
    assert "schema version 99, newer than this library's" in err


def test_create_refuses_a_database_that_holds_a_store(pg_url):
    cm.create_store(pg_url, cm.seed_catalog()).close()
    err = _one_line_refusal(["init", "--store", pg_url])
    assert "already holds a commitments store" in err
    with cm.open_store(pg_url) as t:
        assert len(t) == 18


def test_the_password_never_reaches_repr_or_messages(databases, password_role):
    """A right password: the tracker's repr and a refusal's message both leave it out."""
    url = databases.new()
    databases.sql(f'GRANT ALL ON DATABASE "{name_of(url)}" TO {password_role}')
    host = url.partition("@")[2]
    secret = f"postgresql://{password_role}:{PASSWORD}@{host}"
    with cm.create_store(secret) as t:
        assert PASSWORD not in repr(t)
        assert PASSWORD not in t.recorder.describe()
        t.add(cm.Commitment(id="c", title="T", made_on=dt.date(2024, 1, 1)))
        assert t.events("c")[0].recorded_by == password_role
    empty = databases.new()
    databases.sql(f'GRANT ALL ON DATABASE "{name_of(empty)}" TO {password_role}')
    with pytest.raises(cm.StoreError) as caught:
        cm.open_store(as_role(empty, f"{password_role}:{PASSWORD}"))
    assert "is not a commitments database" in str(caught.value)
    assert f"{password_role}@" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert shown_url(secret) == f"postgresql://{password_role}@{host}"
    assert PASSWORD not in json.dumps(run("status", "--store", secret))


def test_a_store_url_without_psycopg_names_the_extra(pg_url, monkeypatch):
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "psycopg", None)
    err = _one_line_refusal(["status", "--store", pg_url])
    assert "pip install 'commitments[postgres]'" in err


def test_a_sqlite_path_still_opens_as_a_file(tmp_path: Path):
    """Only postgresql:// and postgres:// URLs go to the server; a path is a file."""
    db = tmp_path / "postgresql:"
    cm.create_store(db).close()
    assert run("status", "--store", str(db))[0] == 0


# -- the same answers as SQLite, on any history ------------------------------------------

ASKED = [dt.date(2024, 6, 30), dt.date(2025, 12, 31), dt.date(2031, 1, 1)]


def answers(t: cm.Tracker) -> list[object]:
    """What analysts ask of a tracker, at several dates and states of knowledge."""
    found: list[object] = [cm.dumps(t)]
    for day in ASKED:
        for known_on in (None, day):
            found += [
                [(a.commitment.id, a.status, a.overdue, a.due) for a in t.assess_all(
                    as_of=day, known_on=known_on)],
                [c.id for c in t.overdue(as_of=day, known_on=known_on)],
                [c.id for c in t.due(as_of=day, known_on=known_on)],
                [c.id for c in t.due(as_of=day, known_on=known_on, within=dt.timedelta(90))],
                [c.id for c in t.fulfilled(as_of=day, known_on=known_on)],
                repr(t.compliance(as_of=day, known_on=known_on)),
            ]  # fmt: skip
    return found


@given(tracker=fuzz_trackers())
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_history_answers_as_in_sqlite(databases, tmp_path_factory, tracker):
    """Messy text, recurring pledges, windows: both stores give every answer alike."""
    path = tmp_path_factory.mktemp("same") / "t.db"
    url = databases.new()
    with cm.create_store(path, tracker) as lite, cm.create_store(url, tracker) as server:
        assert answers(server) == answers(lite)
        assert server.recorder.verify() == lite.recorder.verify()  # type: ignore[attr-defined]


# -- a writer that hangs cannot hold the tracker --------------------------------------------


def test_every_session_limits_waiting_and_idling(pg_url):
    with cm.create_store(pg_url) as t:
        raw = t.recorder._pg.raw  # type: ignore[attr-defined]
        assert raw.execute("SHOW lock_timeout").fetchone()[0] == "1min"
        idle = raw.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0]
        assert idle == "2min"


def test_a_writer_waiting_too_long_is_told_the_store_is_busy(pg_url, monkeypatch):
    """Another session holds the writers' lock (a laptop mid-transaction): one clear line."""
    from commitments import postgres  # noqa: PLC0415

    cm.create_store(pg_url, sample_tracker()).close()
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT", "300ms")
    with psycopg.connect(pg_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.WRITER_LOCK,))
        code, _, err = run(
            "record", "fund-2", "in_progress", "--on", "2024-07-01", "--store", pg_url
        )
        assert code == 1
        assert err.count("\n") == 1
        assert "is busy: another writer held it for 300ms; try again" in err
    # The lock released, the same write goes through.
    assert run("record", "fund-2", "in_progress", "--on", "2024-07-01", "--store", pg_url)[0] == 0


def test_the_fiscal_year_start_is_kept_by_a_server_store(pg_url):
    cm.create_store(pg_url, fiscal_year_start=4).close()
    with cm.open_store(pg_url) as t:
        assert t.fiscal_year_start == 4
        assert t.deadline("FY2024-25").latest == dt.date(2025, 3, 31)


def _as_schema_1(url: str) -> None:
    """The store as schema 1 wrote it: snapshots without settled rows."""
    sql_as(
        url,
        "ALTER TABLE commitments.snapshots DROP COLUMN settled_from, "
        "DROP COLUMN settled_selects, DROP COLUMN settled, DROP COLUMN settled_seq",
    )
    sql_as(url, "UPDATE commitments.meta SET value = '1' WHERE key = 'schema'")


def test_a_schema_1_store_gains_settled_rows(databases, roles):
    """Its owner's first open upgrades it; a reader before that is told who can."""
    url = databases.new()
    seeds = cm.seed_catalog()
    cm.create_store(url, seeds).close()
    reader = roles.new("reader")
    assert run("grant", reader, "--read", "--store", url)[0] == 0
    _as_schema_1(url)
    err = _one_line_refusal(["status", "--store", as_role(url, reader)])
    assert "schema version 1" in err
    assert "owns the schema" in err
    day = dt.date(2026, 12, 1)
    with cm.open_store(url) as t:
        t.recorder.verify()  # type: ignore[attr-defined]
        expected = [listing_row(record_of(a)) for a in seeds.select("all", as_of=day)]
        assert t.listing_rows("all", as_of=day) == expected
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT value FROM commitments.meta WHERE key = 'schema'").fetchone()
    assert row == ("2",)
    assert run("status", "--store", as_role(url, reader))[0] == 0
