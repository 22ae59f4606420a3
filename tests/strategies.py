"""Hypothesis strategies for the core model, shared by the test modules."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

import commitments as cm

START = dt.date(2023, 1, 1)
END = dt.date(2026, 12, 31)
PARTIES = ("CN", "JP", "KR")
EPOCH = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def days(lo: dt.date = START, hi: dt.date = END) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=lo, max_value=hi)


@st.composite
def deadlines(draw: st.DrawFn, after: dt.date = START) -> cm.Deadline | None:
    kind = draw(st.sampled_from(["none", "exact", "window", "by", "words", "from"]))
    a = draw(days(after, END))
    b = draw(days(a, END))
    match kind:
        case "none":
            return None
        case "exact":
            return cm.Deadline.exact(a)
        case "window":
            return cm.Deadline.window(a, b)
        case "by":
            return cm.Deadline.by(b)
        case "from":
            return cm.Deadline.window(a, None)
        case _:
            return cm.Deadline.unspecified("as soon as appropriate")


@st.composite
def commitments(draw: st.DrawFn, cid: str | None = None) -> cm.Commitment:
    made_on = draw(days(START, dt.date(2025, 6, 30)))
    parties = draw(st.lists(st.sampled_from(PARTIES), unique=True, max_size=3))
    return cm.Commitment(
        id=cid or draw(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)),
        title=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        made_on=made_on,
        parties=tuple(parties),
        deadline=draw(deadlines(after=made_on)),
        areas=tuple(draw(st.lists(st.sampled_from(["trade", "security", "culture"]), max_size=2))),
    )


@st.composite
def update_requests(draw: st.DrawFn, commitment: cm.Commitment) -> dict[str, object]:
    """Keyword arguments for one `Tracker.record` call on `commitment` (maybe invalid)."""
    on = draw(days(commitment.made_on, min(END, commitment.made_on + dt.timedelta(days=900))))
    party = draw(st.none() | st.sampled_from(commitment.parties)) if commitment.parties else None
    # Recorded after it takes effect, at some moment of a later day.
    lag = draw(st.integers(0, 400))
    recorded_at = dt.datetime.combine(
        on + dt.timedelta(days=lag), dt.time(draw(st.integers(0, 23))), tzinfo=dt.UTC
    )
    return {
        "status": draw(st.sampled_from(list(cm.Status))),
        "on": on,
        "party": party,
        "recorded_at": recorded_at,
    }


class FixedClock:
    """A clock that moves forward one minute each time it is read."""

    def __init__(self, start: dt.datetime = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now
