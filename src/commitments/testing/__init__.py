"""A property-based testing kit: strategies and a state machine for your own workflows.

Needs the `testing` extra (`pip install 'commitments[testing]'`), which brings
hypothesis. With the extra installed, hypothesis also knows how to build the model's
types: `st.from_type(cm.Commitment)` works without importing this module.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401 - only checks that the extra is installed
except ImportError as exc:  # pragma: no cover - the test environment has hypothesis
    from commitments.exceptions import MissingExtraError

    raise MissingExtraError(
        "commitments.testing needs hypothesis, which is not installed; "
        "install the extra with: pip install 'commitments[testing]'"
    ) from exc

from commitments.testing.machine import TrackerMachine
from commitments.testing.reference import (
    TickingClock,
    reference_combine,
    reference_statuses,
    reference_valid,
    reference_valid_as_known,
    reference_version,
    track_statuses,
)
from commitments.testing.strategies import (
    DEFAULT_END,
    DEFAULT_PARTIES,
    DEFAULT_START,
    DeadlineCase,
    UpdateRequest,
    commitments,
    dates,
    deadline_cases,
    deadline_texts,
    deadlines,
    invalid_updates,
    recurrences,
    sources,
    statuses,
    update_requests,
    update_sequences,
    valid_updates,
    workflows,
)

__all__ = [
    "DEFAULT_END",
    "DEFAULT_PARTIES",
    "DEFAULT_START",
    "DeadlineCase",
    "TickingClock",
    "TrackerMachine",
    "UpdateRequest",
    "commitments",
    "dates",
    "deadline_cases",
    "deadline_texts",
    "deadlines",
    "invalid_updates",
    "recurrences",
    "reference_combine",
    "reference_statuses",
    "reference_valid",
    "reference_valid_as_known",
    "reference_version",
    "sources",
    "statuses",
    "track_statuses",
    "update_requests",
    "update_sequences",
    "valid_updates",
    "workflows",
]
