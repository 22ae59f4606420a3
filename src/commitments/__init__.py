"""Track commitments: who pledged what, by when, and what became of it.

`import commitments as cm` gives the domain model, the `Tracker` and JSON catalogs.
The command line, the SQLite store and the hypothesis testing kit live in submodules
that this package does not import.
"""

from __future__ import annotations

import importlib.metadata

from commitments.assessment import Assessment, assess
from commitments.catalog import dump, dumps, from_document, load, loads, to_document
from commitments.commitment import Commitment
from commitments.deadline import Deadline
from commitments.events import Progress, Retraction, StatusUpdate
from commitments.exceptions import (
    CatalogError,
    CommitmentsError,
    DeadlineError,
    DuplicateError,
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
from commitments.source import Source
from commitments.status import OPEN_STATUSES, Status
from commitments.tracker import Tracker
from commitments.workflow import DEFAULT_WORKFLOW, Workflow

try:
    __version__ = importlib.metadata.version("commitments")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_WORKFLOW",
    "OPEN_STATUSES",
    "Assessment",
    "CatalogError",
    "Commitment",
    "CommitmentsError",
    "Deadline",
    "DeadlineError",
    "DuplicateError",
    "NotYetMadeError",
    "Progress",
    "RecurrenceError",
    "Retraction",
    "Source",
    "Status",
    "StatusUpdate",
    "StoreError",
    "Tracker",
    "TransitionError",
    "UnknownCommitmentError",
    "UnknownEventError",
    "UpdateError",
    "ValidationError",
    "Workflow",
    "WorkflowError",
    "__version__",
    "assess",
    "combine",
    "dump",
    "dumps",
    "from_document",
    "load",
    "loads",
    "to_document",
]
