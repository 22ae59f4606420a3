"""Which status changes are allowed, as data.

A `Workflow` is a set of states (a subset of `Status`), the transitions allowed between
them, and optional display labels, so a tracker can speak another vocabulary (such as
a promise tracker's "Promise Kept" / "In the Works") while its semantics stay those of
`Status`: open statuses can be overdue, `fulfilled` counts as kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from commitments.exceptions import ValidationError, WorkflowError
from commitments.status import OPEN_STATUSES, Status


def _freeze_transitions(
    value: Mapping[Status | str, Iterable[Status | str]],
) -> Mapping[Status, frozenset[Status]]:
    if not isinstance(value, Mapping):
        raise WorkflowError(
            "transitions must be a mapping of status -> statuses it may move to, "
            f"not {type(value).__name__}; use Workflow.from_pairs for (from, to) pairs"
        )
    for source, targets in value.items():
        if isinstance(targets, str) or not isinstance(targets, Iterable):
            raise WorkflowError(
                f"the targets of {source!r} must be a collection of statuses, got {targets!r}"
            )
    frozen = {
        Status.coerce(source): frozenset(Status.coerce(t) for t in targets)
        for source, targets in value.items()
    }
    return MappingProxyType(frozen)


def _freeze_labels(value: Mapping[Status | str, str]) -> Mapping[Status, str]:
    return MappingProxyType({Status.coerce(k): str(v) for k, v in value.items()})


@attrs.frozen
class Workflow:
    """The allowed transitions between statuses; a tracker validates every update by it.

    `transitions` maps each state of the workflow to the states it may move to; every
    state, terminal ones included, is a key. Moving to the same state is a transition
    like any other: allow it where repeated updates (new evidence, new progress) make
    sense.
    """

    transitions: Mapping[Status, frozenset[Status]] = attrs.field(converter=_freeze_transitions)
    name: str = "custom"
    labels: Mapping[Status, str] = attrs.field(factory=dict, converter=_freeze_labels, kw_only=True)

    def __attrs_post_init__(self) -> None:
        states = set(self.transitions)
        if Status.PLEDGED not in states:
            raise WorkflowError(
                f"workflow {self.name!r} must include 'pledged', the status of a new commitment"
            )
        for source, targets in self.transitions.items():
            unknown = targets - states
            if unknown:
                raise WorkflowError(
                    f"workflow {self.name!r}: {source} leads to "
                    f"{', '.join(sorted(unknown))}, which the workflow does not define; "
                    f"its states are {', '.join(sorted(states))}"
                )
        extra_labels = set(self.labels) - states
        if extra_labels:
            raise WorkflowError(
                f"workflow {self.name!r} labels states it does not define: "
                f"{', '.join(sorted(extra_labels))}"
            )
        for state, label in self.labels.items():
            clash = next(
                (s for s in states if s is not state and s.value == label.casefold()), None
            )
            if clash is not None:
                raise WorkflowError(
                    f"workflow {self.name!r}: label {label!r} of {state} is the name of "
                    f"another state, {clash}; choose a label that names no other state"
                )
        seen: dict[str, Status] = {}
        for state in states:
            key = self.label(state).casefold()
            if key in seen:
                raise WorkflowError(
                    f"workflow {self.name!r}: label {self.label(state)!r} names both "
                    f"{seen[key]} and {state}"
                )
            seen[key] = state

    @classmethod
    def default(cls) -> Workflow:
        """The default workflow.

        From any open status to any status; `partially_fulfilled` on to itself (new
        progress) or `fulfilled`; `fulfilled`, `broken`, `withdrawn` and `superseded`
        are terminal.
        """
        return DEFAULT_WORKFLOW

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[Status | str, Status | str]],
        *,
        name: str = "custom",
        states: Iterable[Status | str] = (),
        labels: Mapping[Status | str, str] | None = None,
    ) -> Workflow:
        """Build a workflow from (from, to) pairs; `states` adds terminal states."""
        table: dict[Status | str, set[Status | str]] = {Status.coerce(s): set() for s in states}
        for source, target in pairs:
            table.setdefault(Status.coerce(source), set()).add(Status.coerce(target))
            table.setdefault(Status.coerce(target), set())
        return cls(table, name=name, labels=labels or {})

    @property
    def states(self) -> frozenset[Status]:
        """Every status this workflow knows."""
        return frozenset(self.transitions)

    def targets(self, source: Status) -> frozenset[Status]:
        """The statuses `source` may move to (empty when terminal)."""
        return self.transitions.get(source, frozenset())

    def allows(self, source: Status, target: Status) -> bool:
        """Whether an update may move a commitment from `source` to `target`."""
        return target in self.targets(source)

    def is_terminal(self, status: Status) -> bool:
        """Whether nothing may follow `status`."""
        return not self.targets(status)

    def label(self, status: Status) -> str:
        """The display name of `status` in this workflow."""
        return self.labels.get(status, status.value)

    def parse_status(self, value: Status | str) -> Status:
        """Read a status given by its value, name or label in this workflow."""
        if isinstance(value, Status):
            return self._known(value, value)
        text = str(value).strip()
        for state in self.transitions:
            if text.casefold() in {self.label(state).casefold(), state.value}:
                return state
        try:
            status = Status.coerce(text)
        except ValidationError:
            raise ValidationError(
                f"unknown status {value!r}; workflow {self.name!r} allows "
                f"{', '.join(self._describe(s) for s in self._ordered())}"
            ) from None
        return self._known(status, value)

    def _known(self, status: Status, given: object) -> Status:
        if status not in self.transitions:
            raise ValidationError(
                f"status {given!r} is not part of workflow {self.name!r}; it allows "
                f"{', '.join(self._describe(s) for s in self._ordered())}"
            )
        return status

    def _ordered(self) -> list[Status]:
        return [s for s in Status if s in self.transitions]

    def _describe(self, status: Status) -> str:
        label = self.label(status)
        return status.value if label == status.value else f"{label!r} ({status.value})"


DEFAULT_WORKFLOW = Workflow(
    {
        **{source: set(Status) for source in OPEN_STATUSES},
        Status.PARTIALLY_FULFILLED: {Status.PARTIALLY_FULFILLED, Status.FULFILLED},
        Status.FULFILLED: set(),
        Status.BROKEN: set(),
        Status.WITHDRAWN: set(),
        Status.SUPERSEDED: set(),
    },
    name="default",
)
