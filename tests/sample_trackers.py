"""Trackers built for the report and compliance tests: realistic trilateral pledges."""

from __future__ import annotations

import datetime as dt

import commitments as cm

SEOUL = dt.date(2024, 5, 27)
INTERIM = dt.date(2025, 1, 31)
FINAL = dt.date(2025, 6, 30)


def at(day: dt.date) -> dt.datetime:
    """Noon UTC on `day`: when an update about `day` was written down."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def trilateral() -> cm.Tracker:
    """Four pledges of the 2024 Seoul China-Japan-ROK summit, with per-party updates.

    Scores on FINAL (G7 scoring):
    - fta:      CN in_progress 0, JP stalled -1, KR in_progress 0      -> -1/3
    - exchange: CN fulfilled +1, JP fulfilled +1, KR partially 0       -> 2/3
    - summit:   no parties, fulfilled +1                                -> 1
    - health:   CN, JP only; CN superseded (not scored), JP pledged -1 -> -1
    By party: CN (0 + 1) / 2 = 1/2; JP (-1 + 1 - 1) / 3 = -1/3; KR (0 + 0) / 2 = 0.
    Overall: (0 - 1 + 0 + 1 + 1 + 0 + 1 - 1) / 8 = 1/8.
    """
    t = cm.Tracker(clock=lambda: at(FINAL))
    source = cm.Source(url="https://www.mofa.go.jp/files/100676300.pdf", title="Joint Declaration")
    t.add(
        cm.Commitment(
            "seoul-2024-fta",
            "Accelerate negotiations on a trilateral free trade agreement",
            SEOUL,
            parties=("CN", "JP", "KR"),
            occasion="9th Trilateral Summit, Seoul",
            areas=("trade",),
            deadline=cm.Deadline.by(dt.date(2025, 12, 31), "by the end of 2025"),
            sources=(source,),
        ),
        recorded_at=at(SEOUL),
    )
    t.add(
        cm.Commitment(
            "seoul-2024-exchange",
            "Designate 2025-2026 as the Years of Cultural Exchange",
            SEOUL,
            parties=("CN", "JP", "KR"),
            areas=("culture", "people"),
            deadline=cm.Deadline.window(dt.date(2025, 1, 1), dt.date(2025, 3, 31), "early 2025"),
        ),
        recorded_at=at(SEOUL),
    )
    t.add(
        cm.Commitment(
            "seoul-2024-summit",
            "Hold the trilateral summit and ministerial meetings regularly",
            SEOUL,
            areas=("institutions",),
            deadline=cm.Deadline.by(dt.date(2024, 12, 31)),
        ),
        recorded_at=at(SEOUL),
    )
    t.add(
        cm.Commitment(
            "seoul-2024-health",
            "Cooperate on pandemic preparedness and ageing societies",
            dt.date(2024, 6, 10),
            parties=("CN", "JP"),
            areas=("health", "people"),
            deadline=cm.Deadline.by(dt.date(2025, 3, 1)),
        ),
        recorded_at=at(SEOUL),
    )
    rec = t.record
    rec(
        "seoul-2024-fta", "in_progress", on=dt.date(2024, 9, 1), recorded_at=at(dt.date(2024, 9, 2))
    )
    rec(
        "seoul-2024-fta",
        "stalled",
        on=dt.date(2025, 3, 1),
        party="JP",
        recorded_at=at(dt.date(2025, 3, 2)),
        note="Talks paused",
    )
    rec(
        "seoul-2024-exchange",
        "in_progress",
        on=dt.date(2024, 11, 1),
        recorded_at=at(dt.date(2024, 11, 1)),
    )
    rec(
        "seoul-2024-exchange",
        "fulfilled",
        on=dt.date(2025, 2, 10),
        party="CN",
        recorded_at=at(dt.date(2025, 2, 10)),
    )
    rec(
        "seoul-2024-exchange",
        "fulfilled",
        on=dt.date(2025, 2, 12),
        party="JP",
        recorded_at=at(dt.date(2025, 2, 12)),
    )
    rec(
        "seoul-2024-exchange",
        "partially_fulfilled",
        on=dt.date(2025, 4, 1),
        party="KR",
        recorded_at=at(dt.date(2025, 4, 1)),
    )
    rec(
        "seoul-2024-summit",
        "fulfilled",
        on=dt.date(2024, 11, 26),
        recorded_at=at(dt.date(2024, 11, 27)),
    )
    rec(
        "seoul-2024-health",
        "superseded",
        on=dt.date(2025, 5, 1),
        party="CN",
        recorded_at=at(dt.date(2025, 5, 2)),
    )
    return t
