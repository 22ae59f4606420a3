"""Track commitments: who pledged what, by when, and what became of it.

`import commitments as cm` gives the domain model, the `Tracker` and JSON catalogs.
The command line, the SQLite store and the hypothesis testing kit live in submodules
that this package does not import.
"""

from __future__ import annotations

import typing

from commitments.assessment import Assessment, assess
from commitments.catalog import dump, dumps, from_document, load, loads, to_document
from commitments.changes import Change
from commitments.commitment import Commitment
from commitments.compliance import (
    G7_SCORING,
    ComplianceChange,
    ComplianceReport,
    Score,
    ScoreChange,
    Scoring,
)
from commitments.crosswalk import G7_FINAL, G7_INTERIM, POLITIFACT, Crosswalk
from commitments.deadline import Deadline
from commitments.events import (
    AMENDABLE,
    Addition,
    Amendment,
    Event,
    Progress,
    Retraction,
    StatusUpdate,
)
from commitments.exceptions import (
    CatalogError,
    CatalogFileError,
    CommitmentsError,
    ConflictError,
    DeadlineError,
    DuplicateError,
    MissingExtraError,
    NotYetKnownError,
    NotYetMadeError,
    RecurrenceError,
    StoreError,
    TransitionError,
    UnknownCommitmentError,
    UnknownEventError,
    UpdateError,
    ValidationError,
    WorkflowError,
)
from commitments.history import combine
from commitments.policy import BreakAfter, DeadlinePolicy, KeepOpen
from commitments.recurrence import Occurrence, Recurrence
from commitments.seeds import seed_catalog
from commitments.source import Source
from commitments.status import OPEN_STATUSES, Status
from commitments.tracker import RECORDED_AT_SKEW, UNCHANGED, Tracker
from commitments.versions import Versions
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

if typing.TYPE_CHECKING:
    from commitments.store import StoreTracker, copy_store, create_store, open_store

# The stores are imported on first use, so `import commitments` stays light.
_LAZY_STORE = frozenset({"StoreTracker", "copy_store", "create_store", "open_store"})


def __getattr__(name: str) -> typing.Any:  # noqa: ANN401 - lazily imported objects of any type
    # importlib.metadata costs tens of milliseconds; pay it only when asked.
    if name == "__version__":
        import importlib.metadata  # noqa: PLC0415

        return importlib.metadata.version("commitments")
    if name in _LAZY_STORE:
        from commitments import store  # noqa: PLC0415 - keeps sqlite3 off `import commitments`

        return getattr(store, name)
    raise AttributeError(f"module 'commitments' has no attribute {name!r}")


__all__ = [
    "AMENDABLE",
    "DEFAULT_WORKFLOW",
    "G7_FINAL",
    "G7_INTERIM",
    "G7_SCORING",
    "OPEN_STATUSES",
    "POLITIFACT",
    "RECORDED_AT_SKEW",
    "UNCHANGED",
    "Addition",
    "Amendment",
    "Assessment",
    "BreakAfter",
    "CatalogError",
    "CatalogFileError",
    "Change",
    "Commitment",
    "CommitmentsError",
    "ComplianceChange",
    "ComplianceReport",
    "ConflictError",
    "Crosswalk",
    "Deadline",
    "DeadlineError",
    "DeadlinePolicy",
    "DuplicateError",
    "Event",
    "KeepOpen",
    "MissingExtraError",
    "NotYetKnownError",
    "NotYetMadeError",
    "Occurrence",
    "Progress",
    "Recurrence",
    "RecurrenceError",
    "Retraction",
    "Score",
    "ScoreChange",
    "Scoring",
    "Source",
    "Status",
    "StatusUpdate",
    "StoreError",
    "StoreTracker",
    "Tracker",
    "TransitionError",
    "UnknownCommitmentError",
    "UnknownEventError",
    "UpdateError",
    "ValidationError",
    "Versions",
    "Workflow",
    "WorkflowError",
    "__version__",
    "assess",
    "combine",
    "copy_store",
    "create_store",
    "dump",
    "dumps",
    "from_document",
    "load",
    "loads",
    "open_store",
    "seed_catalog",
    "to_document",
]
