"""The tracker contract, run against every recorder: memory, SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import commitments as cm
from contract import TrackerContract
from postgres_support import Databases


class TestMemoryTracker(TrackerContract):
    def make_tracker(self, workflow: cm.Workflow | None = None) -> cm.Tracker:
        return cm.Tracker(workflow)


class TestSQLiteTracker(TrackerContract):
    indexes_parties = True

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        self.opened: list[cm.Tracker] = []

    def make_tracker(self, workflow: cm.Workflow | None = None) -> cm.Tracker:
        path = self.folder / f"t{len(self.opened)}.db"
        tracker = cm.create_store(path, workflow=workflow)
        self.opened.append(tracker)
        return tracker

    def reopen(self, tracker: cm.Tracker) -> cm.Tracker:
        path = tracker.recorder.path  # type: ignore[attr-defined]
        tracker.close()
        again = cm.open_store(path)
        self.opened.append(again)
        return again

    @pytest.fixture(autouse=True)
    def _close(self):
        yield
        for tracker in self.opened:
            tracker.close()


class TestPostgresTracker(TrackerContract):
    indexes_parties = True

    def default_recorded_by(self) -> str | None:
        return urlsplit(self.databases.admin).username or getpass.getuser()

    @pytest.fixture(autouse=True)
    def _server(self, databases: Databases) -> Iterator[None]:
        self.databases = databases
        self.opened: list[cm.Tracker] = []
        self.urls: dict[int, str] = {}
        yield
        for tracker in self.opened:
            tracker.close()

    def make_tracker(self, workflow: cm.Workflow | None = None) -> cm.Tracker:
        url = self.databases.new()
        tracker = cm.create_store(url, workflow=workflow)
        self.opened.append(tracker)
        self.urls[id(tracker)] = url
        return tracker

    def reopen(self, tracker: cm.Tracker) -> cm.Tracker:
        url = self.urls[id(tracker)]
        tracker.close()
        again = cm.open_store(url)
        self.opened.append(again)
        self.urls[id(again)] = url
        return again
