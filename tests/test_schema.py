"""The JSON Schema of catalogs (docs/catalog.schema.json), checked against the library.

Both ways: every catalog the library writes validates against the schema, and every
document the schema refuses, the loader refuses too (with `CatalogError`). The schema
cannot state rules that span values (known ids, allowed transitions, event order, the
digest), so the loader refuses more than the schema; the converse must never happen.
Cases the loader once took although the schema refuses them are kept as
`test_former_gaps`; what it still takes (workflow statuses in any spelling) is a strict
xfail, so that tightening the loader shows up here.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commitments as cm
from commitments import testing as kit
from test_output_fuzz import trackers as hostile_trackers

jsonschema = pytest.importorskip("jsonschema")  # 4.18 or later: the test extra pins it

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "catalog.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
NOW = dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC)  # after anything a test records

# Examples as the profile says (HYPOTHESIS_PROFILE=thorough: 1000).
properties = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def errors(doc: object) -> list[str]:
    """The schema's complaints about `doc`, empty when it validates."""
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def written(tracker: cm.Tracker) -> dict:
    return json.loads(cm.dumps(tracker))


def load(doc: object) -> cm.Tracker:
    return cm.loads(json.dumps(doc), clock=lambda: NOW)


def seed_document() -> dict:
    return written(cm.seed_catalog())


SEED = seed_document()


def first(doc: dict, kind: str) -> dict:
    """The first event of `kind` in a version-2 document."""
    return next(e for e in doc["events"] if e["type"] == kind)


def commitment(doc: dict) -> dict:
    """The commitment of the first addition whose commitment has no recurrence."""
    return next(
        e["commitment"]
        for e in doc["events"]
        if e["type"] == "added" and "recurrence" not in e["commitment"]
    )


def recurring(doc: dict) -> dict:
    return next(
        e["commitment"]
        for e in doc["events"]
        if e["type"] == "added" and "recurrence" in e["commitment"]
    )


def version_1(doc: dict) -> dict:
    """A version-1 document of the same pledges and updates (no additions, no digest)."""
    events = doc["events"]
    return {
        "schema_version": 1,
        "workflow": doc["workflow"],
        "commitments": [e["commitment"] for e in events if e["type"] == "added"],
        "events": [e for e in events if e["type"] in ("update", "retraction")],
    }


# -- the schema itself ------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"]
    assert "date" in VALIDATOR.format_checker.checkers


def test_schema_names_every_status():
    assert SCHEMA["$defs"]["status"]["enum"] == [s.value for s in cm.Status]


# -- every catalog the library writes validates -------------------------------------------


def test_seed_catalog_validates():
    assert errors(seed_document()) == []


def test_version_1_document_validates_and_loads():
    doc = version_1(SEED)
    assert errors(doc) == []
    # As first added: the seed's amendments are not in this version-1 form.
    assert [c.id for c in load(doc).commitments] == [c.id for c in cm.seed_catalog().commitments]


@pytest.mark.parametrize(
    "offset",
    [
        dt.timedelta(0),
        dt.timedelta(hours=9),
        dt.timedelta(hours=-3, minutes=-30),
        dt.timedelta(hours=5, minutes=53, seconds=28),  # local mean time, as zoneinfo has
        dt.timedelta(seconds=1, microseconds=5),
    ],
)
def test_recorded_at_offsets_validate(offset, two_plus_two):
    """Offsets with seconds, which isoformat() writes and RFC 3339 lacks, validate too."""
    t = cm.Tracker(clock=lambda: NOW)
    at = dt.datetime(2024, 6, 18, 9, 30, 15, 250, tzinfo=dt.timezone(offset))
    t.add(two_plus_two, recorded_at=at)
    t.record(two_plus_two.id, "in_progress", on=dt.date(2024, 6, 18), recorded_at=at)
    doc = written(t)
    assert errors(doc) == []
    assert load(doc).events() == t.events()


def test_hand_written_spellings_the_loader_takes_validate():
    """Forms the library does not write but documents: deadline words, Z, null optionals."""
    doc = copy.deepcopy(SEED)
    pledge = commitment(doc)
    pledge["deadline"] = "by the end of 2030"
    pledge["superseded_by"] = None
    update = first(doc, "update")
    update.update(recorded_at=update["recorded_at"].replace("+00:00", "Z"), party=None)
    update.update(reason=None, progress=None, recorded_by=None, sources=[])
    first(doc, "amendment")["on"] = None
    doc["policy"] = {"kind": "keep_open"}
    doc["digest"] = None
    assert errors(doc) == []
    load(doc)
    assert errors({"schema_version": 2}) == []
    load({"schema_version": 2})


@st.composite
def moments(draw: st.DrawFn, after: dt.datetime) -> dt.datetime:
    """A moment after `after`, in one of a few zones (one with an offset in seconds)."""
    step = dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 90)))
    zone = draw(
        st.sampled_from(
            [
                dt.UTC,
                dt.timezone(dt.timedelta(hours=9)),
                dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
                dt.timezone(dt.timedelta(hours=5, minutes=53, seconds=28)),
            ]
        )
    )
    return (after + step).astimezone(zone)


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
recorders = st.none() | st.sampled_from(["ana", "Bo Lee", "data desk"])


@st.composite
def rich_trackers(draw: st.DrawFn) -> cm.Tracker:
    """Trackers that use every part of the format: workflows, policies, every event type.

    Operations are drawn freely; those the tracker refuses change nothing and are skipped.
    """
    workflow = draw(st.just(cm.DEFAULT_WORKFLOW) | kit.workflows())
    policy = draw(st.sampled_from([cm.KeepOpen(), cm.BreakAfter(0), cm.BreakAfter(100)]))
    t = cm.Tracker(workflow, policy=policy, clock=lambda: NOW)
    moment = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    ids = []
    for n in range(draw(st.integers(1, 3))):
        pledge = draw(kit.commitments(commitment_id=f"c{n}", recurring=None))
        t.add(pledge, recorded_at=moment, recorded_by=draw(recorders))
        ids.append(pledge.id)
    # Later than every made_on drawn, so that updates take effect before they are recorded.
    moment = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    for _ in range(draw(st.integers(0, 8))):
        moment = draw(moments(moment))
        cid = draw(st.sampled_from(ids))
        pledge = t[cid]
        operation = draw(st.sampled_from(["record", "record", "amend", "retract"]))
        try:
            if operation == "record":
                t.record(
                    cid,
                    draw(kit.statuses(workflow)),
                    on=draw(kit.dates(min_date=pledge.made_on, max_date=moment.date())),
                    party=draw(st.none() | st.sampled_from(pledge.parties or ("CN",))),
                    note=draw(texts),
                    sources=draw(st.lists(kit.sources(), max_size=2)),
                    reason=draw(st.none() | st.sampled_from(["blocked", "re-run", "x_1"])),
                    progress=draw(
                        st.none()
                        | st.builds(cm.Progress, st.integers(0, 3), st.integers(3, 5), texts)
                        | st.just(cm.Progress(0.25, 1.5))
                    ),
                    recorded_at=moment,
                    recorded_by=draw(recorders),
                )
            elif operation == "amend":
                changes = draw(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "title": st.just("Amended title"),
                            "description": texts,
                            "deadline": st.none() | kit.deadlines(),
                            "parties": st.lists(
                                st.sampled_from(["CN", "JP", "KR", "EU"]), unique=True
                            ),
                            "superseded_by": st.none() | st.sampled_from(ids),
                            "sources": st.lists(kit.sources(), max_size=2),
                        },
                    ).filter(bool)
                )
                t.amend(
                    cid,
                    reason="corrected",
                    on=draw(st.none() | kit.dates(min_date=pledge.made_on, max_date=moment.date())),
                    source=draw(st.none() | kit.sources()),
                    recorded_at=moment,
                    recorded_by=draw(recorders),
                    **changes,
                )
            else:
                withdrawable = [e.id for e in t.events() if not isinstance(e, cm.Addition)]
                if withdrawable:
                    t.retract(
                        draw(st.sampled_from(withdrawable)),
                        reason="misread",
                        recorded_at=moment,
                        recorded_by=draw(recorders),
                    )
        except cm.CommitmentsError:
            pass
    return t


@properties
@given(hostile_trackers())
def test_written_catalogs_validate_hostile_texts(tracker):
    """Catalogs of the output fuzz's trackers (hostile texts, edge dates) validate."""
    assert errors(written(tracker)) == []


@properties
@given(rich_trackers())
def test_written_catalogs_validate_every_event_type(tracker):
    """Catalogs of trackers with workflows, policies and all four events validate."""
    doc = written(tracker)
    assert errors(doc) == []
    assert cm.dumps(load(doc)) == cm.dumps(tracker)


# -- what the schema refuses, the loader refuses -------------------------------------------


def as_version_1(doc: dict) -> dict:
    """Turn `doc` (the seed's document) into its version-1 form, in place."""
    doc.clear()
    doc.update(copy.deepcopy(version_1(SEED)))
    return doc


def change(doc: dict, where, **values) -> None:
    where(doc).update(values)


def drop(doc: dict, where, key: str) -> None:
    del where(doc)[key]


def top(doc: dict) -> dict:
    return doc


def workflow(doc: dict) -> dict:
    return doc["workflow"]


def added(doc: dict) -> dict:
    return first(doc, "added")


def amendment(doc: dict) -> dict:
    return first(doc, "amendment")


def update(doc: dict) -> dict:
    return first(doc, "update")


def retraction(doc: dict) -> dict:
    return first(doc, "retraction")


def deadline(doc: dict) -> dict:
    """The deadline of the first addition whose commitment has one."""
    return next(
        e["commitment"]["deadline"]
        for e in doc["events"]
        if e["type"] == "added" and "deadline" in e["commitment"]
    )


def source(doc: dict) -> dict:
    return update(doc)["sources"][0]


def transitions(doc: dict) -> dict:
    return doc["workflow"]["transitions"]


BAD = {
    # the document
    "no schema_version": lambda d: drop(d, top, "schema_version"),
    "schema_version 3": lambda d: change(d, top, schema_version=3),
    "schema_version as text": lambda d: change(d, top, schema_version="2"),
    "unknown top-level key": lambda d: change(d, top, comment="hi"),
    "commitments key in version 2": lambda d: change(d, top, commitments=[]),
    "digest in upper case": lambda d: change(d, top, digest=d["digest"].upper()),
    "digest too short": lambda d: change(d, top, digest="ab12"),
    "events not an array": lambda d: change(d, top, events={}),
    "events null": lambda d: change(d, top, events=None),
    # workflow
    "workflow null": lambda d: change(d, top, workflow=None),
    "workflow without transitions": lambda d: drop(d, workflow, "transitions"),
    "workflow without pledged": lambda d: drop(d, transitions, "pledged"),
    "workflow unknown status": lambda d: change(d, transitions, done=[]),
    "workflow unknown target": lambda d: change(d, transitions, fulfilled=["done"]),
    "workflow targets not an array": lambda d: change(d, transitions, fulfilled="broken"),
    "workflow name not text": lambda d: change(d, workflow, name=7),
    "workflow label not text": lambda d: change(d, workflow, labels={"fulfilled": 1}),
    "workflow label of unknown status": lambda d: change(d, workflow, labels={"done": "Done"}),
    "workflow unknown key": lambda d: change(d, workflow, states=["pledged"]),
    # policy
    "policy null": lambda d: change(d, top, policy=None),
    "policy unknown kind": lambda d: change(d, top, policy={"kind": "break_now"}),
    "policy negative days": lambda d: change(d, top, policy={"kind": "break_after", "days": -1}),
    "policy fractional days": lambda d: change(d, top, policy={"kind": "break_after", "days": 1.5}),
    "policy without days": lambda d: change(d, top, policy={"kind": "break_after"}),
    "policy days as text": lambda d: change(d, top, policy={"kind": "break_after", "days": "9"}),
    "keep_open with days": lambda d: change(d, top, policy={"kind": "keep_open", "days": 1}),
    # events
    "event not an object": lambda d: d["events"].append("update"),
    "event without type": lambda d: drop(d, update, "type"),
    "event of unknown type": lambda d: change(d, update, type="status"),
    # addition
    "addition without commitment": lambda d: drop(d, added, "commitment"),
    "addition unknown key": lambda d: change(d, added, note="x"),
    "addition bad id": lambda d: change(d, added, id=":0"),
    "addition naive recorded_at": lambda d: change(d, added, recorded_at="2008-12-13T00:00:00"),
    "addition recorded_at as a date": lambda d: change(d, added, recorded_at="2008-12-13"),
    "addition recorded_by empty": lambda d: change(d, added, recorded_by=""),
    "addition recorded_by too long": lambda d: change(d, added, recorded_by="a" * 201),
    "addition recorded_by with a newline": lambda d: change(d, added, recorded_by="a\nb"),
    # commitment
    "commitment without title": lambda d: drop(d, commitment, "title"),
    "commitment without made_on": lambda d: drop(d, commitment, "made_on"),
    "commitment blank title": lambda d: change(d, commitment, title="  "),
    "commitment id with a space": lambda d: change(d, commitment, id="a b"),
    "commitment id with a colon": lambda d: change(d, commitment, id="a:b"),
    "made_on not a day": lambda d: change(d, commitment, made_on="2024-02-30"),
    "made_on without zero padding": lambda d: change(d, commitment, made_on="2024-6-1"),
    "made_on as a date-time": lambda d: change(d, commitment, made_on="2024-06-01T00:00:00+00:00"),
    "made_on as a week date": lambda d: change(d, commitment, made_on="2024-W22-6"),
    "made_on as a number": lambda d: change(d, commitment, made_on=20240601),
    "party repeated": lambda d: change(d, commitment, parties=["CN", "CN"]),
    "party not a code": lambda d: change(d, commitment, parties=["C N"]),
    "party too long": lambda d: change(d, commitment, parties=["C" * 33]),
    "parties as text": lambda d: change(d, commitment, parties="CN"),
    "description null": lambda d: change(d, commitment, description=None),
    "area blank": lambda d: change(d, commitment, areas=[" "]),
    "deadline words blank": lambda d: change(d, commitment, deadline=" "),
    "deadline as a number": lambda d: change(d, commitment, deadline=2030),
    "deadline without latest": lambda d: drop(d, deadline, "latest"),
    "deadline unknown key": lambda d: change(d, deadline, due="2030-01-01"),
    "deadline bad day": lambda d: change(d, deadline, latest="2025-13-01"),
    "deadline open both ways, no words": lambda d: change(
        d, deadline, earliest=None, latest=None, text=""
    ),
    "recurrence and deadline": lambda d: change(
        d, recurring, deadline={"text": "2030", "earliest": None, "latest": "2030-01-01"}
    ),
    "recurrence as text": lambda d: change(d, recurring, recurrence="every year"),
    "recurrence without rule": lambda d: drop(d, lambda d: recurring(d)["recurrence"], "rule"),
    "recurrence unknown key": lambda d: change(
        d, lambda d: recurring(d)["recurrence"], start="2008"
    ),
    "restates a bad id": lambda d: change(d, commitment, restates=["a b"]),
    "superseded_by empty": lambda d: change(d, commitment, superseded_by=""),
    "commitment unknown key": lambda d: change(d, commitment, status="pledged"),
    # update
    "update without status": lambda d: drop(d, update, "status"),
    "update without on": lambda d: drop(d, update, "on"),
    "update unknown status": lambda d: change(d, update, status="done"),
    "update status spelt with capitals": lambda d: change(d, update, status="Fulfilled"),
    "update status null": lambda d: change(d, update, status=None),
    "update on with a time": lambda d: change(d, update, on="2008-12-13T00:00:00+00:00"),
    "update on in basic form": lambda d: change(d, update, on="20081213"),
    "update naive recorded_at": lambda d: change(d, update, recorded_at="2008-12-13T09:00:00"),
    "update recorded_at lower-case z": lambda d: change(
        d, update, recorded_at="2008-12-13T09:00:00z"
    ),
    "update recorded_at not a moment": lambda d: change(d, update, recorded_at="yesterday"),
    "update recorded_at as a number": lambda d: change(d, update, recorded_at=1229158800),
    "update party empty": lambda d: change(d, update, party=""),
    "update reason not a code": lambda d: change(d, update, reason="Blocked by X"),
    "update note null": lambda d: change(d, update, note=None),
    "update sources null": lambda d: change(d, update, sources=None),
    "update source as a URL string": lambda d: change(d, update, sources=["https://x.test"]),
    "update source empty": lambda d: change(d, update, sources=[{}]),
    "update source all null": lambda d: change(d, update, sources=[{"url": None, "title": None}]),
    "update source blank title only": lambda d: change(d, update, sources=[{"title": " "}]),
    "source url with a space": lambda d: change(d, source, url="https://x.test/a b"),
    "source bad published_on": lambda d: change(d, source, published_on="2024-02-30"),
    "source unknown key": lambda d: change(d, source, author="A. N. Other"),
    "progress total zero": lambda d: change(d, update, progress={"done": 0, "total": 0}),
    "progress negative done": lambda d: change(d, update, progress={"done": -1, "total": 2}),
    "progress without total": lambda d: change(d, update, progress={"done": 1}),
    "progress done as text": lambda d: change(d, update, progress={"done": "1", "total": 2}),
    "progress done as a boolean": lambda d: change(d, update, progress={"done": True, "total": 2}),
    "progress unknown key": lambda d: change(d, update, progress={"done": 1, "total": 2, "x": 1}),
    "update unknown key": lambda d: change(d, update, comment="x"),
    "update id with a space": lambda d: change(d, update, id="u 1"),
    # amendment
    "amendment without changes": lambda d: drop(d, amendment, "changes"),
    "amendment without reason": lambda d: drop(d, amendment, "reason"),
    "amendment blank reason": lambda d: change(d, amendment, reason=" "),
    "amendment no changes": lambda d: change(d, amendment, changes={}),
    "amendment changes the id": lambda d: change(d, amendment, changes={"id": "x"}),
    "amendment changes an unknown field": lambda d: change(d, amendment, changes={"status": "x"}),
    "amendment title null": lambda d: change(d, amendment, changes={"title": None}),
    "amendment made_on null": lambda d: change(d, amendment, changes={"made_on": None}),
    "amendment deadline as a number": lambda d: change(d, amendment, changes={"deadline": 7}),
    "amendment on not a day": lambda d: change(d, amendment, on="2024-06-31"),
    "amendment unknown key": lambda d: change(d, amendment, status="fulfilled"),
    # retraction
    "retraction without update_id": lambda d: drop(d, retraction, "update_id"),
    "retraction without reason": lambda d: drop(d, retraction, "reason"),
    "retraction blank reason": lambda d: change(d, retraction, reason=""),
    "retraction reason null": lambda d: change(d, retraction, reason=None),
    "retraction unknown key": lambda d: change(d, retraction, on="2024-01-01"),
    # version 1
    "version 1 with a digest": lambda d: change(d, top, schema_version=1),
    "version 1 commitments not an array": lambda d: as_version_1(d).update(commitments={}),
    "version 1 commitment without title": lambda d: as_version_1(d)["commitments"][0].pop("title"),
    "version 1 commitment unknown key": lambda d: as_version_1(d)["commitments"][0].update(x=1),
}


def bad(name: str) -> dict:
    doc = copy.deepcopy(SEED)
    BAD[name](doc)
    return doc


def test_bad_documents_change_what_they_say():
    """Each hand-made bad document differs from the seed (its mutation took effect)."""
    for name in BAD:
        assert bad(name) != SEED, name


@pytest.mark.parametrize("name", list(BAD))
def test_schema_and_loader_refuse(name):
    doc = bad(name)
    assert errors(doc), f"the schema takes {name!r}"
    with pytest.raises(cm.CatalogError):
        load(doc)


def test_refused_top_level_values():
    """Not a JSON object at all: both refuse."""
    for doc in ([], "catalog", 2, None):
        assert errors(doc)
        with pytest.raises(cm.CatalogError):
            load(doc)


# Documents the schema refuses but the loader, as it stands, takes (or crashes on). Each is
# a finding about the loader, kept here so that a fix turns it into an unexpected pass.


def version_true(doc: dict) -> None:
    as_version_1(doc)["schema_version"] = True


def status_alias(doc: dict) -> None:
    doc["workflow"]["transitions"]["pledged"][-1] = "Withdrawn"
    doc["workflow"]["transitions"]["In Progress"] = doc["workflow"]["transitions"].pop(
        "in_progress"
    )


def recorded_at(spelling: str):
    return lambda doc: change(doc, update, recorded_at=spelling)


FORMER_GAPS = [
    pytest.param(
        version_true,
        id="schema_version true read as 1",
    ),
    *(
        pytest.param(
            recorded_at(spelling),
            id=f"recorded_at {spelling}",
        )
        for spelling in (
            "2008-12-13 00:00:00+00:00",
            "2008-12-13T00:00+00:00",
            "20081213T000000Z",
            "2008-12-13T00:00:00+0000",
            "2008-W50-6T00:00:00+00:00",
        )
    ),
    pytest.param(
        status_alias,
        id="workflow statuses spelt Withdrawn and In Progress",
        marks=pytest.mark.xfail(strict=True, reason="workflows read statuses by Status.coerce"),
    ),
    pytest.param(
        lambda doc: change(doc, amendment, changes={"deadline": "by 2030"}),
        id="amendment deadline as words",
    ),
]


@pytest.mark.parametrize("mutation", FORMER_GAPS)
def test_former_gaps(mutation):
    doc = copy.deepcopy(SEED)
    mutation(doc)
    assert errors(doc)
    with pytest.raises(cm.CatalogError):
        load(doc)


JUNK = [None, True, False, 0, -1, 2.5, "", "x", [], [None], {}, {"x": None}]


def places(value: object, path: tuple = ()) -> list[tuple]:
    """The path of every member and item inside `value`."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*path, key))
            found.extend(places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*path, index))
            found.extend(places(item, (*path, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[dict]) -> dict:
    """A written document with one key dropped, one value replaced or one key added."""
    doc = copy.deepcopy(draw(documents))
    path = draw(st.sampled_from(places(doc)))
    *outer, last = path
    container = doc
    for step in outer:
        container = container[step]
    operation = draw(st.sampled_from(["drop", "replace", "add"]))
    if operation == "drop" and isinstance(container, dict):
        del container[last]
    elif operation == "add" and isinstance(container[last], dict):
        container[last]["unexpected"] = draw(st.sampled_from(JUNK))
    else:
        junk = draw(st.sampled_from(JUNK))
        container[last] = junk
    return doc


written_documents = st.one_of(
    st.just(SEED), rich_trackers().map(written), hostile_trackers().map(written)
)


@properties
@given(mutated(written_documents))
def test_what_the_schema_refuses_the_loader_refuses(doc):
    if errors(doc):
        with pytest.raises(cm.CatalogError):
            load(doc)
