"""Stores as earlier versions of the library wrote them, for the migration tests.

The schema text is frozen here as those versions shipped it; rows are written the way
they wrote them (no addition events; event documents without `recorded_by`).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import commitments as cm
from commitments import store as store_module
from commitments.catalog import commitment_document, event_document, workflow_document

SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE commitments (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    made_on TEXT NOT NULL,
    deadline_earliest TEXT,
    deadline_latest TEXT,
    doc TEXT NOT NULL
) STRICT;
CREATE INDEX commitments_deadline ON commitments (deadline_latest);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    commitment_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('update', 'retraction')),
    status TEXT,
    on_date TEXT,
    recorded_at TEXT NOT NULL,
    party TEXT,
    update_id TEXT,
    doc TEXT NOT NULL
) STRICT;
CREATE INDEX events_commitment ON events (commitment_id, seq);
CREATE TRIGGER commitments_append_only_u BEFORE UPDATE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER commitments_append_only_d BEFORE DELETE ON commitments
    BEGIN SELECT RAISE(ABORT, 'commitments are append-only'); END;
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""


def write_store(path: Path, tracker: cm.Tracker, version: int) -> None:
    """Write `tracker` (updates and retractions only) as a schema-1 or schema-2 store."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in SCHEMA_1.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id={store_module.APPLICATION_ID}")
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('workflow', ?)",
        (json.dumps(workflow_document(tracker.workflow)),),
    )
    for event in tracker.events():
        if isinstance(event, cm.Addition):
            c = event.commitment
            d = c.deadline
            conn.execute(
                "INSERT INTO commitments (id, made_on, deadline_earliest, deadline_latest, doc) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    c.id,
                    c.made_on.isoformat(),
                    None if d is None or d.earliest is None else d.earliest.isoformat(),
                    None if d is None or d.latest is None else d.latest.isoformat(),
                    json.dumps(commitment_document(c)),
                ),
            )
            continue
        assert isinstance(event, cm.StatusUpdate | cm.Retraction)
        update = isinstance(event, cm.StatusUpdate)
        conn.execute(
            "INSERT INTO events (id, commitment_id, type, status, on_date, recorded_at, party, "
            "update_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.commitment_id,
                "update" if update else "retraction",
                event.status.value if isinstance(event, cm.StatusUpdate) else None,
                event.on.isoformat() if isinstance(event, cm.StatusUpdate) else None,
                event.recorded_at.astimezone(dt.UTC).isoformat(),
                event.party if isinstance(event, cm.StatusUpdate) else None,
                event.update_id if isinstance(event, cm.Retraction) else None,
                json.dumps(event_document(event)),
            ),
        )
    if version >= 2:
        store_module._add_summaries(conn)
    conn.execute(f"PRAGMA user_version={version}")
    conn.execute("COMMIT")
    conn.close()
