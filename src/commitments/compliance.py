"""Compliance scores per party, per commitment and per area, in the G7/G20 manner.

Each (commitment, party) pair assessed on a date gets a score from its status: by
default +1 fulfilled, 0 partially fulfilled or in progress, -1 pledged, stalled, broken
or withdrawn; superseded is not scored. Averages are exact fractions, never rounded
here; `percent` rescales an average to 0..100 (for -1..+1: (average + 1) / 2 x 100).

Rules:

- A commitment is assessed on D when it was made on or before D (inclusive).
- A party is assessed only on the commitments that name it, from its own status
  (updates naming it, or naming no party). A commitment without parties is scored
  once, from its overall status, and counts for no party.
- A pair whose status the scoring leaves out (None) counts nowhere.
- `by_commitment` averages a commitment's pairs; `by_party` a party's pairs;
  `by_area` and `overall` every pair in scope (a pair counts once per area of its
  commitment).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from commitments.assessment import Assessment
from commitments.exceptions import ValidationError
from commitments.status import Status

Number = int | Fraction


def _fraction(name: str, value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ValidationError(f"scoring: {name} must be an int or a Fraction, got {value!r}")
    return Fraction(value)


def _low(value: object) -> Fraction:
    return _fraction("low", value)


def _high(value: object) -> Fraction:
    return _fraction("high", value)


def _freeze_points(value: Mapping[Status | str, Number | None]) -> Mapping[Status, Fraction | None]:
    points: dict[Status, Fraction | None] = {}
    for key, raw in value.items():
        status = Status.coerce(key)
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, (int, Fraction))):
            raise ValidationError(
                f"scoring: the score of {status} must be an int, a Fraction or None, got {raw!r}"
            )
        points[status] = None if raw is None else Fraction(raw)
    return MappingProxyType(points)


@attrs.frozen
class Scoring:
    """How statuses become scores: `points[status]` (None: not scored).

    `low` and `high` are the ends of the scale, used by `percent`; every score must
    lie between them (inclusive). A status missing from `points` is not scored.
    """

    points: Mapping[Status, Fraction | None] = attrs.field(converter=_freeze_points)
    name: str = "custom"
    low: Fraction = attrs.field(default=Fraction(-1), converter=_low)
    high: Fraction = attrs.field(default=Fraction(1), converter=_high)

    def __attrs_post_init__(self) -> None:
        if self.low >= self.high:
            raise ValidationError(
                f"scoring {self.name!r}: low ({self.low}) must be below high ({self.high})"
            )
        for status, points in self.points.items():
            if points is not None and not self.low <= points <= self.high:
                raise ValidationError(
                    f"scoring {self.name!r}: the score of {status} ({points}) lies outside "
                    f"the scale {self.low}..{self.high}"
                )

    def score(self, status: Status) -> Fraction | None:
        """The score of `status`, or None when it is not scored."""
        return self.points.get(status)


G7_SCORING = Scoring(
    {
        Status.FULFILLED: 1,
        Status.PARTIALLY_FULFILLED: 0,
        Status.IN_PROGRESS: 0,
        Status.PLEDGED: -1,
        Status.STALLED: -1,
        Status.BROKEN: -1,
        Status.WITHDRAWN: -1,
        Status.SUPERSEDED: None,
    },
    name="g7",
)
"""The default scoring: +1 full compliance, 0 partial or under way, -1 none."""


@attrs.frozen
class Score:
    """The mean of `count` scores adding up to `total`, on a scoring's scale."""

    total: Fraction
    count: int
    low: Fraction = Fraction(-1)
    high: Fraction = Fraction(1)

    @property
    def average(self) -> Fraction | None:
        """The exact mean; None when nothing was assessed."""
        return self.total / self.count if self.count else None

    @property
    def percent(self) -> Fraction | None:
        """The exact mean rescaled to 0..100 ((average + 1) / 2 x 100 on -1..+1)."""
        average = self.average
        if average is None:
            return None
        return (average - self.low) / (self.high - self.low) * 100

    def __repr__(self) -> str:
        return (
            f"<Score {format_number(self.average)} ({format_percent(self.percent)}) "
            f"over {self.count}>"
        )


@attrs.frozen
class Cell:
    """One scored pair: a commitment, a party (None: the commitment has no parties)."""

    commitment_id: str
    party: str | None
    status: Status
    score: Fraction | None


@attrs.frozen
class ScoreChange:
    """One score at two cut-offs; `delta` is None unless both have an average."""

    before: Score
    after: Score

    @property
    def delta(self) -> Fraction | None:
        """after.average - before.average, exact."""
        if self.before.average is None or self.after.average is None:
            return None
        return self.after.average - self.before.average


@attrs.frozen
class ComplianceChange:
    """The change between two compliance reports (an interim and a final one)."""

    before: ComplianceReport
    after: ComplianceReport
    by_party: Mapping[str, ScoreChange]
    by_commitment: Mapping[str, ScoreChange]
    by_area: Mapping[str, ScoreChange]
    overall: ScoreChange


@attrs.frozen
class ComplianceReport:
    """Compliance scores on `as_of`, as known on `known_on`, under `scoring`."""

    as_of: dt.date
    known_on: dt.date | dt.datetime | None
    scoring: Scoring
    cells: tuple[Cell, ...]
    by_party: Mapping[str, Score]
    by_commitment: Mapping[str, Score]
    by_area: Mapping[str, Score]
    overall: Score

    def change_since(self, earlier: ComplianceReport) -> ComplianceChange:
        """How scores moved from `earlier` (say an interim report) to this one."""
        return compare(earlier, self)

    def __repr__(self) -> str:
        known = "" if self.known_on is None else f" known on {self.known_on}"
        return (
            f"<ComplianceReport on {self.as_of}{known}, scoring {self.scoring.name!r}: "
            f"{format_number(self.overall.average)} over {self.overall.count} "
            f"(commitment, party) pairs, {len(self.by_party)} parties>"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: scores by party, then overall."""
        from commitments._notebook import compliance_html  # noqa: PLC0415 - only notebooks

        return compliance_html(self)


def _scored_status(assessment: Assessment, status: Status) -> Status:
    """The status a (commitment, party) pair is scored on.

    A commitment the deadline policy broke is broken for every party still open. An
    open recurring commitment counts as fulfilled while its streak runs (the latest
    completed period, or the current one, was met), and as recorded otherwise.
    """
    if not status.is_open:
        return status
    if assessment.by_policy:
        return Status.BROKEN
    if assessment.commitment.recurrence is not None and assessment.streak:
        return Status.FULFILLED
    return status


def score_assessments(
    assessments: Iterable[Assessment],
    *,
    as_of: dt.date,
    known_on: dt.date | dt.datetime | None = None,
    scoring: Scoring | None = None,
) -> ComplianceReport:
    """Score assessments (all on `as_of`) into a report; see the module rules."""
    scoring = G7_SCORING if scoring is None else scoring
    cells: list[Cell] = []
    party_scores: dict[str, list[Fraction]] = {}
    commitment_scores: dict[str, list[Fraction]] = {}
    area_scores: dict[str, list[Fraction]] = {}
    every: list[Fraction] = []
    for assessment in assessments:
        commitment = assessment.commitment
        if assessment.as_of != as_of:
            raise ValidationError(
                f"{commitment.id}: assessed on {assessment.as_of}, but the report is on {as_of}"
            )
        pairs: list[tuple[str | None, Status]] = (
            [
                (p, _scored_status(assessment, assessment.party_statuses[p]))
                for p in commitment.parties
            ]
            if commitment.parties
            else [(None, _scored_status(assessment, assessment.status))]
        )
        scored = commitment_scores.setdefault(commitment.id, [])
        for party, status in pairs:
            points = scoring.score(status)
            cells.append(Cell(commitment.id, party, status, points))
            if party is not None:
                party_scores.setdefault(party, [])
            if points is None:
                continue
            scored.append(points)
            every.append(points)
            if party is not None:
                party_scores[party].append(points)
            for area in commitment.areas:
                area_scores.setdefault(area, []).append(points)
        for area in commitment.areas:
            area_scores.setdefault(area, [])

    def make(values: list[Fraction]) -> Score:
        return Score(sum(values, Fraction(0)), len(values), scoring.low, scoring.high)

    def table(groups: dict[str, list[Fraction]], *, ordered: bool) -> Mapping[str, Score]:
        keys = sorted(groups) if ordered else list(groups)
        return MappingProxyType({key: make(groups[key]) for key in keys})

    return ComplianceReport(
        as_of=as_of,
        known_on=known_on,
        scoring=scoring,
        cells=tuple(cells),
        by_party=table(party_scores, ordered=True),
        by_commitment=table(commitment_scores, ordered=False),
        by_area=table(area_scores, ordered=True),
        overall=make(every),
    )


def _changes(
    before: Mapping[str, Score], after: Mapping[str, Score], empty: Score
) -> Mapping[str, ScoreChange]:
    keys = list(before) + [k for k in after if k not in before]
    return MappingProxyType(
        {k: ScoreChange(before.get(k, empty), after.get(k, empty)) for k in keys}
    )


def compare(before: ComplianceReport, after: ComplianceReport) -> ComplianceChange:
    """The change from `before` to `after`; a key missing on one side counts as empty."""
    if before.scoring != after.scoring:
        raise ValidationError(
            f"cannot compare reports scored by {before.scoring.name!r} and "
            f"{after.scoring.name!r}; score both with the same scoring"
        )
    empty = Score(Fraction(0), 0, before.scoring.low, before.scoring.high)
    return ComplianceChange(
        before=before,
        after=after,
        by_party=_changes(before.by_party, after.by_party, empty),
        by_commitment=_changes(before.by_commitment, after.by_commitment, empty),
        by_area=_changes(before.by_area, after.by_area, empty),
        overall=ScoreChange(before.overall, after.overall),
    )


def rounded(value: Fraction, digits: int = 2) -> Fraction:
    """`value` rounded to `digits` places, halves away from zero (as spreadsheets do)."""
    scale = 10**digits
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def format_number(value: Fraction | None, digits: int = 2) -> str:
    """A score for display, rounded by `rounded`; "n/a" for None."""
    if value is None:
        return "n/a"
    return f"{float(rounded(value, digits)):.{digits}f}"


def format_percent(value: Fraction | None) -> str:
    """A percentage for display, one decimal and a % sign; "n/a" for None."""
    return "n/a" if value is None else f"{format_number(value, 1)}%"
