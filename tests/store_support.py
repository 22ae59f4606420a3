"""Helpers of the store and CLI tests: a sample tracker and child processes."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import commitments as cm
from commitments import cli

TODAY = dt.date(2025, 1, 15)


SEED_NOTICE = (
    "commitments: notice: no store given (--store or $COMMITMENTS_STORE); answering from the "
    "bundled seed catalog\n"
)


def run(*argv: str, environ=None, stdin: str = "") -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(
        list(argv),
        out=out,
        err=err,
        stdin=io.StringIO(stdin),
        environ={} if environ is None else environ,
        today=TODAY,
    )
    return code, out.getvalue(), err.getvalue()


T0 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)


def thin_update(update: cm.StatusUpdate | None) -> object:
    """What a store's thin read of an update keeps (see `Tracker.select`)."""
    if update is None:
        return None
    return (update.id, update.status, update.on, update.recorded_at, update.party)


def fixed_clock() -> dt.datetime:
    """A clock frozen at a known moment, so recorded_at values are reproducible."""
    return T0


def sample_tracker() -> cm.Tracker:
    """Three commitments, parties, sources, progress, a retraction and a restatement."""
    t = cm.Tracker(clock=fixed_clock)
    t.add(
        cm.Commitment(
            id="ndc",
            title="Cut emissions",
            made_on=dt.date(2024, 1, 10),
            parties=("EU", "CN"),
            deadline=cm.Deadline.by(dt.date(2024, 12, 31)),
            sources=(cm.Source(url="https://example.org/ndc", title="NDC"),),
            areas=("climate",),
        )
    )
    t.add(
        cm.Commitment(
            id="fund",
            title="Fund the facility",
            made_on=dt.date(2024, 2, 1),
            deadline=cm.Deadline.window(dt.date(2024, 3, 1), dt.date(2024, 9, 30)),
        )
    )
    t.add(
        cm.Commitment(id="fund-2", title="Fund again", made_on=dt.date(2024, 3, 1), restates="fund")
    )
    t.record("ndc", "in_progress", on=dt.date(2024, 2, 1), source="https://example.org/a")
    t.record("ndc", "stalled", on=dt.date(2024, 3, 1), party="CN", note="paused")
    t.record("fund", "partially_fulfilled", on=dt.date(2024, 4, 1), progress=(3, 10))
    t.record("fund", "fulfilled", on=dt.date(2024, 5, 1))
    t.retract("fund:2", reason="report withdrawn")
    return t


SRC = str(Path(__file__).resolve().parents[1] / "src")


def spawn(*args: str) -> subprocess.Popen[str]:
    """Start this interpreter (with this source tree first on the path), piping output."""
    return subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, "PYTHONPATH": SRC},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def python(*args: str, timeout: float = 60) -> tuple[int, str, str]:
    """Run this interpreter to completion: (exit code, stdout, stderr)."""
    proc = spawn(*args)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


# Processes the store tests of every backend run; argv[1] is a store path or URL.
RACER = """
import datetime as dt, sys
import commitments as cm
store, day = sys.argv[1], int(sys.argv[2])
with cm.open_store(store) as t:
    try:
        t.record("race", "fulfilled", on=dt.date(2024, 6, day))
    except cm.UpdateError as exc:
        print("refused", exc)
    else:
        print("recorded")
"""
"""Marks commitment "race" fulfilled on day argv[2] of June 2024; prints the outcome."""

CRASHER = """
import datetime as dt, sys
import commitments as cm
with cm.open_store(sys.argv[1]) as t:
    for i in range(100000):
        u = t.record("c0", ("in_progress", "stalled")[i % 2], on=dt.date(2024, 6, 1),
                     note="x" * 2000)
        print(u.id, flush=True)
"""
"""Records updates to "c0" one by one, printing each id once acknowledged, until killed."""
