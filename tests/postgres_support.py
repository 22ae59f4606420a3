"""A fresh PostgreSQL database per test, on the throwaway server `.ci/postgres` starts.

`COMMITMENTS_TEST_POSTGRES` is that server's admin URL. Without it the PostgreSQL tests
skip with a message; CI sets `COMMITMENTS_REQUIRE_POSTGRES=1`, which turns a skip into a
failure, so none of them can silently not run there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV_URL = "COMMITMENTS_TEST_POSTGRES"
ENV_REQUIRE = "COMMITMENTS_REQUIRE_POSTGRES"


def admin_url() -> str:
    """The server's admin URL, or skip (fail, where CI requires the server)."""
    url = os.environ.get(ENV_URL, "")
    problem = "" if url else f"${ENV_URL} is not set (start a server with .ci/postgres start DIR)"
    if not problem:
        try:
            import psycopg  # noqa: F401, PLC0415
        except ImportError:
            problem = "psycopg is not installed (pip install 'commitments[postgres]')"
    if problem:
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(f"PostgreSQL tests are required here, but {problem}")
        pytest.skip(f"no PostgreSQL server for the tests: {problem}")
    return url


def database_url(admin: str, name: str, user: str | None = None) -> str:
    """The URL of database `name` on the admin URL's server (as `user`, if given)."""
    parts = urlsplit(admin)
    netloc = parts.netloc if user is None else f"{user}@{parts.netloc.rpartition('@')[2]}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", parts.query, ""))


class Databases:
    """New databases on the test server, each dropped at the end of the test."""

    def __init__(self, admin: str) -> None:
        self.admin = admin
        self.made: list[str] = []

    def sql(self, statement: str) -> None:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[call-overload]

    def new(self, *, owner: str | None = None) -> str:
        """A new empty database's URL (owned by, and connected as, `owner` if given)."""
        name = f"cm_{uuid.uuid4().hex[:12]}"
        self.sql(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        self.made.append(name)
        return database_url(self.admin, name, owner)

    def drop_all(self) -> None:
        for name in self.made:
            self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def databases() -> Iterator[Databases]:
    made = Databases(admin_url())
    try:
        yield made
    finally:
        made.drop_all()


@pytest.fixture
def pg_url(databases: Databases) -> str:
    """A new, empty database's URL."""
    return databases.new()
