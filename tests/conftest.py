from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments.testing import TickingClock
from store_support import sample_tracker

pytest_plugins = ["postgres_support"]  # its fixtures: databases, pg_url

# `HYPOTHESIS_PROFILE=thorough pytest` runs every property with 1000 examples.
settings.register_profile("thorough", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def _unicode_tables() -> None:
    """On a fresh machine hypothesis builds its Unicode tables (about 1.5 s) on the first
    draw of text; done once here, that time does not count against whichever test
    comes first (and trip its too-slow health check)."""

    @settings(max_examples=1, database=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=1))
    def draw_text(_: str) -> None:
        pass

    draw_text()


MADE = dt.date(2024, 5, 26)
SEOUL = "Seoul summit bilateral meeting"


@pytest.fixture
def clock() -> TickingClock:
    """A clock in the past, so catalogs of the trackers below load with today's clock."""
    return TickingClock(dt.datetime(2025, 6, 1, tzinfo=dt.UTC))


@pytest.fixture
def two_plus_two() -> cm.Commitment:
    """The China-ROK 2+2 diplomatic-security dialogue, pledged for mid-June 2024."""
    return cm.Commitment(
        id="cn-kr-2plus2",
        title="Launch a China-ROK 2+2 diplomatic-security dialogue",
        parties=("CN", "KR"),
        made_on=MADE,
        occasion=SEOUL,
        areas=("security",),
        deadline=cm.Deadline.window(dt.date(2024, 6, 11), dt.date(2024, 6, 20), "in mid-June"),
    )


@pytest.fixture
def fta_phase_two() -> cm.Commitment:
    """The China-ROK FTA phase-two talks, to resume in early June 2024."""
    return cm.Commitment(
        id="cn-kr-fta-phase-two",
        title="Resume China-ROK FTA phase-two negotiations",
        parties=("CN", "KR"),
        made_on=MADE,
        occasion=SEOUL,
        areas=("trade",),
        deadline=cm.Deadline.window(dt.date(2024, 6, 1), dt.date(2024, 6, 10), "in early June"),
    )


@pytest.fixture
def tracker(
    clock: TickingClock, two_plus_two: cm.Commitment, fta_phase_two: cm.Commitment
) -> cm.Tracker:
    t = cm.Tracker(clock=clock)
    # Added on the day they were pledged, as a tracker kept at the time would have them.
    added = dt.datetime.combine(MADE, dt.time(12), tzinfo=dt.UTC)
    t.add(two_plus_two, recorded_at=added)
    t.add(fta_phase_two, recorded_at=added)
    return t


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store file holding the sample tracker of the store tests."""
    path = tmp_path / "t.db"
    cm.create_store(path, sample_tracker()).close()
    return path
