"""Crosswalks between our statuses and other trackers' vocabularies, both ways.

A `Crosswalk` reads another vocabulary's ratings into `Status` (to import a tracker kept
in it) and names each `Status` in that vocabulary (to report in it). Reading is exact;
naming is many-to-one where the other vocabulary has fewer words, so a label always
reads back to a status that names itself with the same label.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from commitments.exceptions import ValidationError
from commitments.status import Status
from commitments.workflow import DEFAULT_WORKFLOW, Workflow


def _freeze_reading(value: Mapping[str, Status | str]) -> Mapping[str, Status]:
    return MappingProxyType({str(k): Status.coerce(v) for k, v in value.items()})


def _freeze_naming(value: Mapping[Status | str, str]) -> Mapping[Status, str]:
    return MappingProxyType({Status.coerce(k): str(v) for k, v in value.items()})


@attrs.frozen
class Crosswalk:
    """A two-way mapping between `Status` and another vocabulary's labels.

    `reading` maps each label (and any alias, such as "1" for "+1") to the status it
    imports as; `naming` maps every status to the label it exports as. Each label of
    `naming` must read back to a status named by that same label.
    """

    name: str
    reading: Mapping[str, Status] = attrs.field(converter=_freeze_reading)
    naming: Mapping[Status, str] = attrs.field(converter=_freeze_naming)

    def __attrs_post_init__(self) -> None:
        missing = [s.value for s in Status if s not in self.naming]
        if missing:
            raise ValidationError(
                f"crosswalk {self.name!r} names no label for {', '.join(missing)}; "
                "every status needs one"
            )
        for label in dict.fromkeys(self.naming.values()):
            if label not in self.reading:
                raise ValidationError(
                    f"crosswalk {self.name!r}: label {label!r} is never read; add it to reading"
                )
            status = self.reading[label]
            if self.naming[status] != label:
                raise ValidationError(
                    f"crosswalk {self.name!r}: {label!r} reads as {status}, which is "
                    f"named {self.naming[status]!r}; a label must read back to itself"
                )

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label the vocabulary exports, without aliases, in status order."""
        return tuple(dict.fromkeys(self.naming[s] for s in Status))

    def status(self, label: str) -> Status:
        """The status a label imports as (case, surrounding space and minus sign ignored).

        A Unicode minus sign (U+2212, as typeset score tables write -1) reads as "-".
        """
        wanted = str(label).strip().replace("\u2212", "-").casefold()
        for known, status in self.reading.items():
            if known.casefold() == wanted:
                return status
        raise ValidationError(
            f"{label!r} is not a {self.name} rating; allowed: {', '.join(self.reading)}"
        )

    def label(self, status: Status | str) -> str:
        """The label `status` exports as."""
        return self.naming[Status.coerce(status)]

    def workflow(self, base: Workflow = DEFAULT_WORKFLOW) -> Workflow:
        """`base` speaking this vocabulary: each label names the status it reads as.

        Statuses no label reads as keep their own names, so `tracker.record(id,
        "Promise Kept", ...)` works on a tracker built with this workflow.
        """
        labels: dict[Status | str, str] = {
            s: label
            for label, s in self.reading.items()
            if s in base.states and self.naming[s] == label
        }
        return attrs.evolve(base, name=f"{base.name}-{self.name}", labels=labels)


POLITIFACT = Crosswalk(
    "politifact",
    reading={
        "Not Yet Rated": Status.PLEDGED,
        "In the Works": Status.IN_PROGRESS,
        "Stalled": Status.STALLED,
        "Compromise": Status.PARTIALLY_FULFILLED,
        "Promise Kept": Status.FULFILLED,
        "Promise Broken": Status.BROKEN,
    },
    naming={
        Status.PLEDGED: "Not Yet Rated",
        Status.IN_PROGRESS: "In the Works",
        Status.STALLED: "Stalled",
        Status.PARTIALLY_FULFILLED: "Compromise",
        Status.FULFILLED: "Promise Kept",
        Status.BROKEN: "Promise Broken",
        # A dropped promise is a broken one; a replaced one was kept in part at most.
        Status.WITHDRAWN: "Promise Broken",
        Status.SUPERSEDED: "Compromise",
    },
)
"""The promise-tracker vocabulary (PolitiFact's Obameter style)."""

_G7_NAMING: dict[Status | str, str] = {
    Status.FULFILLED: "+1",
    Status.PARTIALLY_FULFILLED: "0",
    Status.IN_PROGRESS: "0",
    Status.PLEDGED: "-1",
    Status.STALLED: "-1",
    Status.BROKEN: "-1",
    Status.WITHDRAWN: "-1",
    Status.SUPERSEDED: "n/a",
}

G7_INTERIM = Crosswalk(
    "g7-interim",
    reading={
        "+1": Status.FULFILLED,
        "1": Status.FULFILLED,
        "0": Status.IN_PROGRESS,
        "-1": Status.PLEDGED,
        "n/a": Status.SUPERSEDED,
    },
    naming=_G7_NAMING,
)
"""G7/G20 scores read at an interim cut-off: 0 is work under way, -1 nothing yet."""

G7_FINAL = Crosswalk(
    "g7-final",
    reading={
        "+1": Status.FULFILLED,
        "1": Status.FULFILLED,
        "0": Status.PARTIALLY_FULFILLED,
        "-1": Status.BROKEN,
        "n/a": Status.SUPERSEDED,
    },
    naming=_G7_NAMING,
)
"""G7/G20 scores read at the final cut-off: 0 is partial delivery, -1 a failure."""
