"""Hypothesis strategies for the model: statuses, sources, deadlines, commitments, updates.

Every strategy takes keyword bounds (dates, parties, sizes) and only builds values the
model accepts, except `update_requests` and `invalid_updates`, which exist to test
refusals. Dates default to `DEFAULT_START`..`DEFAULT_END`, both inclusive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

import commitments as cm
from commitments.testing._deadline_texts import DeadlineCase, deadline_cases, deadline_texts
from commitments.testing.reference import reference_valid

__all__ = [
    "DEFAULT_END",
    "DEFAULT_PARTIES",
    "DEFAULT_START",
    "DeadlineCase",
    "UpdateRequest",
    "commitments",
    "dates",
    "deadline_cases",
    "deadline_texts",
    "deadlines",
    "invalid_updates",
    "recurrences",
    "sources",
    "statuses",
    "update_requests",
    "update_sequences",
    "valid_updates",
    "workflows",
]

DEFAULT_START = dt.date(2023, 1, 1)
"""The earliest date strategies draw unless told otherwise (inclusive)."""
DEFAULT_END = dt.date(2026, 12, 31)
"""The latest date strategies draw unless told otherwise (inclusive)."""
DEFAULT_PARTIES = ("CN", "JP", "KR")
"""The party codes commitments draw from unless told otherwise."""

_MINUTE = dt.timedelta(minutes=1)
_RECURRENCE_PHRASES = (
    "every year from {year}",
    "annually since {year}",
    "every two years from {year}",
    "twice a year from {year}",
    "every six months from {year}",
    "quarterly from {year}",
    "monthly from {year}-{month:02d}",
)


def dates(
    *, min_date: dt.date = DEFAULT_START, max_date: dt.date = DEFAULT_END
) -> st.SearchStrategy[dt.date]:
    """Calendar dates in `[min_date, max_date]`, both inclusive."""
    return st.dates(min_value=min_date, max_value=max_date)


def statuses(
    workflow: cm.Workflow | None = None, *, open_only: bool = False
) -> st.SearchStrategy[cm.Status]:
    """Statuses of `workflow` (default: every status), only open ones if `open_only`."""
    pool = [s for s in cm.Status if workflow is None or s in workflow.states]
    if open_only:
        pool = [s for s in pool if s.is_open]
    return st.sampled_from(pool)


@st.composite
def sources(
    draw: st.DrawFn, *, min_date: dt.date = DEFAULT_START, max_date: dt.date = DEFAULT_END
) -> cm.Source:
    """Sources with at least one field set; `published_on` within the date bounds."""
    url = draw(st.none() | st.from_regex(r"https://example\.org/[a-z0-9-]{1,20}", fullmatch=True))
    title = draw(
        st.none()
        | st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=30)
    )
    publisher: str | None = draw(st.sampled_from(["MOFA", "Xinhua", "Yonhap", "Kyodo"]))
    if url is not None or title is not None:
        publisher = draw(st.none() | st.just(publisher))
    published_on = draw(st.none() | dates(min_date=min_date, max_date=max_date))
    return cm.Source(url=url, title=title, publisher=publisher, published_on=published_on)


@st.composite
def deadlines(
    draw: st.DrawFn,
    *,
    min_date: dt.date = DEFAULT_START,
    max_date: dt.date = DEFAULT_END,
    words: bool = True,
) -> cm.Deadline:
    """Deadline values: exact days, windows, "by", "from", and words only (if `words`).

    Every date bound lies in `[min_date, max_date]`. For deadlines as text, with the
    window each states, see `deadline_texts` and `deadline_cases`.
    """
    kinds = ["exact", "window", "by", "from", *(["words"] if words else [])]
    kind = draw(st.sampled_from(kinds))
    first = draw(dates(min_date=min_date, max_date=max_date))
    last = draw(dates(min_date=first, max_date=max_date))
    if kind == "exact":
        return cm.Deadline.exact(first)
    if kind == "window":
        return cm.Deadline.window(first, last)
    if kind == "by":
        return cm.Deadline.by(last)
    if kind == "from":
        return cm.Deadline.window(first, None)
    return cm.Deadline.unspecified(draw(st.sampled_from(["as soon as appropriate", "soon"])))


@st.composite
def recurrences(draw: st.DrawFn, *, min_year: int = 2000, max_year: int = 2030) -> cm.Recurrence:
    """Recurrences in the wordings `Recurrence.parse` reads, starting in the years given."""
    phrase = draw(st.sampled_from(_RECURRENCE_PHRASES))
    year = draw(st.integers(min_year, max_year))
    return cm.Recurrence.parse(phrase.format(year=year, month=draw(st.integers(1, 12))))


@st.composite
def workflows(draw: st.DrawFn) -> cm.Workflow:
    """Valid workflows: `pledged` plus some statuses, with random transitions between them."""
    others = draw(st.lists(st.sampled_from(list(cm.Status)[1:]), unique=True, max_size=7))
    states = [cm.Status.PLEDGED, *others]
    table: dict[cm.Status | str, set[cm.Status | str]] = {
        s: set(draw(st.sets(st.sampled_from(states)))) for s in states
    }
    return cm.Workflow(table, name=draw(st.sampled_from(["custom", "drawn"])))


@st.composite
def commitments(
    draw: st.DrawFn,
    *,
    commitment_id: str | None = None,
    min_date: dt.date = DEFAULT_START,
    max_date: dt.date = DEFAULT_END,
    parties: Sequence[str] = DEFAULT_PARTIES,
    min_parties: int = 0,
    max_parties: int = 3,
    recurring: bool | None = False,
) -> cm.Commitment:
    """Commitments made in `[min_date, max_date]` with deadlines no earlier than `made_on`.

    `recurring`: False (default) gives a deadline or none; True a recurrence; None either.
    Parties are drawn from `parties`, between `min_parties` and `max_parties` of them.
    """
    made_on = draw(dates(min_date=min_date, max_date=max_date))
    chosen = draw(
        st.lists(
            st.sampled_from(tuple(parties)),
            unique=True,
            min_size=min_parties,
            max_size=min(max_parties, len(parties)),
        )
        if parties
        else st.just([])
    )
    if recurring is None:
        recurring = draw(st.booleans())
    deadline = None
    recurrence = None
    if recurring:
        recurrence = draw(recurrences(min_year=made_on.year - 1, max_year=made_on.year))
    else:
        later = max(max_date, made_on + dt.timedelta(days=730))
        deadline = draw(st.none() | deadlines(min_date=made_on, max_date=later))
    return cm.Commitment(
        id=commitment_id or draw(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)),
        title=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        made_on=made_on,
        parties=tuple(chosen),
        deadline=deadline,
        recurrence=recurrence,
        areas=tuple(draw(st.lists(st.sampled_from(["trade", "security", "culture"]), max_size=2))),
        sources=tuple(draw(st.lists(sources(), max_size=1))),
    )


@attrs.frozen
class UpdateRequest:
    """The arguments of one `Tracker.record` call (status, effective day, party, moment)."""

    status: cm.Status
    on: dt.date
    party: str | None
    recorded_at: dt.datetime

    def record(self, tracker: cm.Tracker, commitment_id: str) -> cm.StatusUpdate:
        """Record this request on `tracker`; raises what `Tracker.record` raises."""
        return tracker.record(
            commitment_id,
            self.status,
            on=self.on,
            party=self.party,
            recorded_at=self.recorded_at,
        )

    def as_update(self, commitment_id: str, update_id: str = "candidate") -> cm.StatusUpdate:
        """The update this request would record, for reference checks."""
        return cm.StatusUpdate(
            id=update_id,
            commitment_id=commitment_id,
            status=self.status,
            on=self.on,
            party=self.party,
            recorded_at=self.recorded_at,
        )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


@st.composite
def update_requests(
    draw: st.DrawFn,
    commitment: cm.Commitment,
    *,
    workflow: cm.Workflow | None = None,
    max_date: dt.date | None = None,
    max_lag_days: int = 400,
) -> UpdateRequest:
    """Any update of `commitment` with a status of `workflow`, valid or not.

    It takes effect in `[made_on, max_date]` (default: 900 days on) and is recorded
    0 to `max_lag_days` days later. Whether the tracker accepts it depends on the
    history; see `reference_valid`.
    """
    last = max_date if max_date is not None else commitment.made_on + dt.timedelta(days=900)
    on = draw(dates(min_date=commitment.made_on, max_date=max(last, commitment.made_on)))
    party = draw(st.none() | st.sampled_from(commitment.parties)) if commitment.parties else None
    lag = dt.timedelta(days=draw(st.integers(0, max_lag_days)), hours=draw(st.integers(0, 23)))
    return UpdateRequest(draw(statuses(workflow)), on, party, _midnight(on) + lag)


def _candidates(
    commitment: cm.Commitment,
    workflow: cm.Workflow,
    history: Sequence[cm.StatusUpdate],
    on: dt.date,
    recorded_at: dt.datetime,
    *,
    valid: bool,
) -> list[UpdateRequest]:
    found = []
    for party in (None, *commitment.parties):
        for status in cm.Status:
            if status not in workflow.states:
                continue
            request = UpdateRequest(status, on, party, recorded_at)
            ok = reference_valid(commitment, [*history, request.as_update(commitment.id)], workflow)
            if ok is valid:
                found.append(request)
    return found


def _next_moment(
    draw: st.DrawFn,
    commitment: cm.Commitment,
    history: Sequence[cm.StatusUpdate],
    max_date: dt.date | None,
    recorded_after: dt.datetime | None,
) -> tuple[dt.date, dt.datetime]:
    first = max([commitment.made_on, *(u.on for u in history)])
    last = max(first, max_date or first + dt.timedelta(days=900))
    on = draw(dates(min_date=first, max_date=last))
    after = max([_midnight(on), *(u.recorded_at + _MINUTE for u in history)])
    if recorded_after is not None:
        after = max(after, recorded_after + _MINUTE)
    return on, after + dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))


@st.composite
def valid_updates(
    draw: st.DrawFn,
    commitment: cm.Commitment,
    workflow: cm.Workflow = cm.DEFAULT_WORKFLOW,
    *,
    history: Sequence[cm.StatusUpdate] = (),
    max_date: dt.date | None = None,
    recorded_after: dt.datetime | None = None,
) -> UpdateRequest | None:
    """An update the workflow allows after `history`, or None when nothing is allowed.

    It takes effect on or after the last update of `history` (and up to `max_date`),
    and is recorded after every update of `history` and after `recorded_after`.
    """
    on, recorded_at = _next_moment(draw, commitment, history, max_date, recorded_after)
    found = _candidates(commitment, workflow, history, on, recorded_at, valid=True)
    return draw(st.sampled_from(found)) if found else None


@st.composite
def invalid_updates(
    draw: st.DrawFn,
    commitment: cm.Commitment,
    workflow: cm.Workflow = cm.DEFAULT_WORKFLOW,
    *,
    history: Sequence[cm.StatusUpdate] = (),
    max_date: dt.date | None = None,
    recorded_after: dt.datetime | None = None,
) -> UpdateRequest:
    """An update a tracker holding `history` must refuse.

    A transition the workflow forbids when there is one; otherwise (or at random) an
    update dated before the commitment was made, or naming a party it does not have.
    """
    on, recorded_at = _next_moment(draw, commitment, history, max_date, recorded_after)
    forbidden = _candidates(commitment, workflow, history, on, recorded_at, valid=False)
    kinds = ["early", "stranger", *(["transition"] * 3 if forbidden else [])]
    kind = draw(st.sampled_from(kinds))
    if kind == "transition":
        return draw(st.sampled_from(forbidden))
    status = draw(statuses(workflow))
    if kind == "early":
        before = commitment.made_on - dt.timedelta(days=draw(st.integers(1, 365)))
        return UpdateRequest(status, before, None, recorded_at)
    stranger = draw(st.sampled_from(["ZZ", "XX-9"]))
    return UpdateRequest(status, on, stranger, recorded_at)


@st.composite
def update_sequences(
    draw: st.DrawFn,
    commitment: cm.Commitment,
    workflow: cm.Workflow = cm.DEFAULT_WORKFLOW,
    *,
    min_size: int = 0,
    max_size: int = 8,
    max_date: dt.date | None = None,
) -> list[UpdateRequest]:
    """Updates that a tracker following `workflow` accepts when recorded in this order.

    Effective days never decrease and recording moments increase. The sequence is
    shorter than `min_size` only when the workflow leaves nothing to record.
    """
    size = draw(st.integers(min_size, max_size))
    history: list[cm.StatusUpdate] = []
    requests: list[UpdateRequest] = []
    while len(requests) < size:
        request = draw(valid_updates(commitment, workflow, history=history, max_date=max_date))
        if request is None:
            break
        requests.append(request)
        history.append(request.as_update(commitment.id, f"u{len(requests)}"))
    return requests
