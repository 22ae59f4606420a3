from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm

D = dt.date
KST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def full(tracker):
    """A tracker using every field: sources, parties, progress, reasons, retractions."""
    tracker.add(
        cm.Commitment(
            id="fta-restated",
            title="Speed up FTA phase two",
            made_on=D(2025, 3, 22),
            parties=("CN", "KR"),
            description="Restated in Tokyo.",
            occasion="Foreign ministers, Tokyo",
            areas=("trade", "economy"),
            deadline=cm.Deadline.by(D(2025, 12, 31), "by the end of 2025"),
            sources=(cm.Source("https://x.test/t", "Tokyo meeting", "CGTN", D(2025, 3, 23)),),
            restates=("cn-kr-fta-phase-two",),
        )
    )
    u = tracker.record(
        "cn-kr-2plus2",
        "fulfilled",
        on=D(2024, 6, 18),
        recorded_at=dt.datetime(2024, 6, 18, 20, 0, tzinfo=KST),
        sources=["https://x.test/a", cm.Source(title="Yonhap report", publisher="Yonhap")],
        note="Vice-ministerial 2+2 held in Seoul",
    )
    tracker.record(
        "cn-kr-fta-phase-two",
        "partially_fulfilled",
        on=D(2025, 1, 15),
        party="KR",
        progress=cm.Progress(1, 3, "rounds"),
        reason="partial",
    )
    tracker.retract(u.id, reason="check the level of the meeting")
    return tracker


class TestRoundTrip:
    def test_dumps_loads_identity(self, full):
        """A dumped tracker loads back to the same commitments, events and workflow."""
        again = cm.loads(cm.dumps(full))
        assert again.commitments == full.commitments
        assert again.events() == full.events()
        assert again.workflow == full.workflow
        assert cm.dumps(again) == cm.dumps(full)

    def test_recorded_at_offsets_survive(self, full):
        """Recorded-at times keep their instant and UTC offset."""
        again = cm.loads(cm.dumps(full))
        first = again.events()[3]
        assert first.recorded_at == dt.datetime(2024, 6, 18, 11, 0, tzinfo=dt.UTC)
        assert first.recorded_at.utcoffset() == dt.timedelta(hours=9)

    def test_file_round_trip(self, full, tmp_path):
        """dump() and load() round-trip through a file, written atomically."""
        path = tmp_path / "catalog.json"
        cm.dump(full, path)
        assert cm.to_document(cm.load(path)) == cm.to_document(full)
        assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]

    def test_custom_workflow_round_trips(self, clock, two_plus_two):
        """A tracker's own workflow, labels included, is saved with it."""
        w = cm.Workflow.from_pairs(
            [("pledged", "fulfilled")], name="kept", labels={"fulfilled": "Promise Kept"}
        )
        t = cm.Tracker(w, clock=clock)
        t.add(two_plus_two)
        assert cm.loads(cm.dumps(t)).workflow == w

    def test_ids_continue_after_load(self, full):
        """Generated ids keep counting after a reload, never reusing one."""
        again = cm.loads(cm.dumps(full))
        later = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # after the fixture's retraction
        u = again.record("cn-kr-2plus2", "in_progress", on=D(2024, 7, 1), recorded_at=later)
        assert u.id not in {e.id for e in full.events()}

    def test_answers_unchanged_after_reload(self, full):
        """Queries answer the same on the reloaded tracker, as known on any date."""
        again = cm.loads(cm.dumps(full))
        for known_on in (None, D(2024, 6, 1), D(2027, 6, 1)):
            for day in (D(2024, 6, 12), D(2024, 7, 1), D(2025, 6, 1)):
                assert again.assess_all(as_of=day, known_on=known_on) == full.assess_all(
                    as_of=day, known_on=known_on
                )


def document(t: cm.Tracker) -> dict:
    return json.loads(cm.dumps(t))


def refused(doc: object) -> cm.CatalogError:
    with pytest.raises(cm.CatalogError) as info:
        cm.from_document(doc)
    return info.value


# The fixture's log: 0-2 add the three commitments; 3 and 4 are updates; 5 a retraction.
ADDED, UPDATE, PARTIAL, RETRACTION = 0, 3, 4, 5


def added(doc: dict, i: int) -> dict:
    """The commitment of the i-th event of a version-2 document, an addition."""
    assert doc["events"][i]["type"] == "added"
    return doc["events"][i]["commitment"]


class TestStrictLoading:
    def test_wrong_type_names_path(self, full):
        """A wrong type is refused with the JSON path of the field."""
        doc = document(full)
        added(doc, 2)["deadline"]["latest"] = 20251231
        err = refused(doc)
        assert err.path == "$.events[2].commitment.deadline.latest"
        assert "date" in err.problem

    def test_string_where_number_refused(self, full):
        """Numbers are not read from strings, nor strings from numbers."""
        doc = document(full)
        doc["events"][PARTIAL]["progress"]["done"] = "1"
        assert refused(doc).path == f"$.events[{PARTIAL}].progress.done"
        doc = document(full)
        added(doc, 0)["title"] = 5
        assert refused(doc).path == "$.events[0].commitment.title"

    def test_unknown_key_refused(self, full):
        """Unknown keys are refused, at the top and inside records."""
        doc = document(full)
        added(doc, 1)["colour"] = "red"
        err = refused(doc)
        assert err.path == "$.events[1].commitment"
        assert "colour" in str(err)
        doc = document(full)
        doc["extra"] = 1
        assert "extra" in str(refused(doc))
        doc = document(full)
        doc["commitments"] = []
        assert "commitments" in str(refused(doc))  # version 2 carries additions as events

    def test_missing_required_field(self, full):
        """A missing required field is refused with its path."""
        doc = document(full)
        del doc["events"][UPDATE]["on"]
        err = refused(doc)
        assert err.path == f"$.events[{UPDATE}].on"
        assert "missing" in err.problem
        doc = document(full)
        del doc["events"][0]["recorded_at"]
        assert refused(doc).path == "$.events[0].recorded_at"

    def test_model_rules_apply(self, full):
        """The model's own checks run on load, with the path of the record."""
        doc = document(full)
        added(doc, 0)["deadline"] = {
            "text": "x",
            "earliest": "2024-07-01",
            "latest": "2024-06-01",
        }
        err = refused(doc)
        assert err.path.startswith("$.events[0].commitment")
        assert "starts after it ends" in str(err)

    def test_naive_recorded_at_refused(self, full):
        """Recorded-at times without a UTC offset are refused."""
        for i in (ADDED, UPDATE):
            doc = document(full)
            doc["events"][i]["recorded_at"] = "2024-06-18T20:00:00"
            err = refused(doc)
            assert err.path == f"$.events[{i}].recorded_at"
            assert "offset" in str(err)

    def test_bad_status_value(self, full):
        """An unknown status is refused, listing the allowed ones."""
        doc = document(full)
        doc["events"][UPDATE]["status"] = "done"
        err = refused(doc)
        assert err.path == f"$.events[{UPDATE}].status"
        assert "fulfilled" in str(err)

    def test_references_checked(self, full):
        """Events must name known commitments and earlier updates; links known ids."""
        doc = document(full)
        doc["events"][UPDATE]["commitment_id"] = "ghost"
        assert refused(doc).path == f"$.events[{UPDATE}].commitment_id"
        doc = document(full)
        doc["events"][RETRACTION]["update_id"] = "ghost:1"
        assert refused(doc).path == f"$.events[{RETRACTION}].update_id"
        doc = document(full)
        added(doc, 2)["restates"] = ["ghost"]
        assert refused(doc).path == "$.events[2].commitment.restates[0]"

    def test_duplicate_ids_refused(self, full):
        """Commitment ids and event ids are unique in a document."""
        doc = document(full)
        added(doc, 1)["id"] = added(doc, 0)["id"]
        assert refused(doc).path == "$.events[1].commitment.id"
        doc = document(full)
        doc["events"][PARTIAL]["id"] = doc["events"][UPDATE]["id"]
        assert refused(doc).path == f"$.events[{PARTIAL}].id"

    def test_forbidden_history_refused(self, full):
        """A history the workflow forbids is refused, pointing at the bad event."""
        doc = document(full)
        extra = copy.deepcopy(doc["events"][PARTIAL])
        extra.update(
            id="late",
            on="2025-02-01",
            status="in_progress",
            party="KR",
            recorded_at="2025-02-02T00:00:00+00:00",
        )
        extra.pop("progress")
        extra.pop("reason")
        doc["events"].append(extra)
        err = refused(doc)
        assert err.path == "$.events[6].status"
        assert "from partially_fulfilled to in_progress" in str(err)

    def test_schema_version_checked(self, full):
        """A document of another schema version is refused."""
        doc = document(full)
        doc["schema_version"] = 99
        err = refused(doc)
        assert err.path == "$.schema_version"
        assert "99" in str(err)

    def test_not_json(self, tmp_path):
        """A file that is not JSON gives a CatalogError with its position."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"schema_version": 1,,}')
        with pytest.raises(cm.CatalogError, match="not valid JSON.*line 1"):
            cm.load(bad)
        with pytest.raises(cm.CatalogFileError, match="cannot read"):
            cm.load(tmp_path / "missing.json")

    @pytest.mark.parametrize("doc", [[], "x", None, {"schema_version": 1, "commitments": {}}])
    def test_wrong_shapes(self, doc):
        """Documents of the wrong shape are refused, never a TypeError."""
        refused(doc)


class TestDeadlineText:
    def test_text_deadline_is_parsed_against_made_on(self):
        """A deadline given as text alone is read as its window, relative to made_on."""
        doc = {
            "schema_version": 1,
            "commitments": [
                {
                    "id": "two-plus-two",
                    "title": "2+2",
                    "made_on": "2024-05-26",
                    "deadline": "in mid-June",
                }
            ],
        }
        deadline = cm.from_document(doc)["two-plus-two"].deadline
        assert deadline == cm.Deadline(D(2024, 6, 11), D(2024, 6, 20), "in mid-June")
        written = json.loads(cm.dumps(cm.from_document(doc)))["events"][0]["commitment"]
        written = written["deadline"]
        assert written == {"text": "in mid-June", "earliest": "2024-06-11", "latest": "2024-06-20"}

    def test_unreadable_text_names_the_path(self):
        """A deadline text the parser cannot read is refused with its path."""
        doc = {
            "schema_version": 1,
            "commitments": [
                {"id": "x", "title": "x", "made_on": "2024-05-26", "deadline": "soonish"}
            ],
        }
        err = refused(doc)
        assert err.path == "$.commitments[0].deadline"
        assert "soonish" in str(err)


class TestLinks:
    def test_forward_links_refused_like_add(self):
        """A link must name an earlier commitment, on load as in Tracker.add."""
        doc = {
            "schema_version": 1,
            "commitments": [
                {"id": "a", "title": "old", "made_on": "2024-01-01", "superseded_by": "b"},
                {"id": "b", "title": "new", "made_on": "2024-06-01", "restates": ["a"]},
            ],
        }
        err = refused(doc)
        assert err.path == "$.commitments[0].superseded_by"
        assert "superseded' update" in str(err)
        del doc["commitments"][0]["superseded_by"]
        t = cm.from_document(doc)
        assert t["b"].restates == ("a",)


_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.lists(st.just("x"))
)
# A few letters and white space: what matters here is blank and padded text.
_SHORT_TEXT = st.text(alphabet="ab \t", max_size=8)
# Each field: plausible values, and near misses that only a mutation brings in.
_SOURCE_FIELDS = {
    "url": (st.just("https://x.test/a"), st.sampled_from(["a b", " https://x.test/b", " "])),
    "title": (_SHORT_TEXT, st.just(" padded ")),
    "publisher": (st.just("Yonhap"), st.sampled_from([" Yonhap ", ""])),
    "published_on": (st.just("2024-06-18"), st.sampled_from(["2024-6-18", "20240618"])),
    "extra": (st.nothing(), st.just("x")),
}
_UPDATE_FIELDS = {
    "id": (st.just("c:1"), st.just("")),
    "commitment_id": (st.just("c"), st.just("")),
    "status": (st.sampled_from(["fulfilled", "in_progress"]), st.just("done")),
    "on": (st.just("2024-06-18"), st.sampled_from(["2024-06-31", "2024-06-18T00:00"])),
    "recorded_at": (
        st.sampled_from(["2024-06-18T09:00:00+09:00", "2024-06-18T09:00:00Z"]),
        st.just("2024-06-18T09:00:00"),
    ),
    "party": (st.just("CN"), st.just("")),
    "note": (_SHORT_TEXT, st.just(" ")),
    "reason": (st.just("blocked"), st.just("Not A Code")),
    "progress": (st.nothing(), st.just({"done": 1, "total": 2, "unit": ""})),
    "unknown": (st.nothing(), st.just("x")),
}
_REQUIRED = ("id", "commitment_id", "status", "on", "recorded_at")


@st.composite
def _mutated(draw, fields, required=()):
    """A dict of plausible values, then up to two fields dropped, off by a little, or junk."""
    doc = {}
    for key, (good, _) in fields.items():
        if (key in required or draw(st.booleans())) and not good.is_empty:
            doc[key] = draw(good)
    for key in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2)):
        change = draw(st.sampled_from(["drop", "near miss", "junk"]))
        if change == "drop":
            doc.pop(key, None)
        elif change == "near miss":
            doc[key] = draw(fields[key][1])
        else:
            doc[key] = draw(_JUNK)
    return doc


@st.composite
def _update_documents(draw):
    doc = draw(_mutated(_UPDATE_FIELDS, _REQUIRED))
    if draw(st.integers(0, 3)):
        doc["sources"] = draw(st.lists(_mutated(_SOURCE_FIELDS), max_size=3))
    return {"type": "update", **doc}


@given(raw=_update_documents())
def test_quick_update_path_agrees_with_cattrs(raw):
    """The cattrs-free path for plain updates builds exactly what cattrs builds, or nothing."""
    from commitments import catalog  # noqa: PLC0415

    body = {k: v for k, v in raw.items() if k != "type"}
    try:
        expected = catalog.converter().structure(body, cm.StatusUpdate)
    except Exception:  # noqa: BLE001 - any refusal: the quick path must refuse too
        expected = None
    quick = catalog._plain_update(raw)
    if quick is not None:
        assert quick == expected
    elif expected is not None:
        assert "progress" in raw


@given(raw=_update_documents())
def test_quick_update_document_agrees_with_cattrs(raw):
    """The cattrs-free document of an update is exactly what cattrs writes."""
    from commitments import catalog  # noqa: PLC0415

    update = catalog._plain_update(raw)
    if update is None:
        return
    expected = {"type": "update", **catalog.converter().unstructure(update)}
    assert catalog._update_document(update) == expected
    assert list(catalog._update_document(update)) == list(expected)


_COMMITMENT_FIELDS = {
    "id": (st.just("c-1"), st.just("c 1")),
    "title": (st.just("Hold talks"), st.just(" ")),
    "made_on": (st.just("2024-05-26"), st.just("2024-5-26")),
    "parties": (st.just(["CN", "KR"]), st.just(["CN", "CN"])),
    "description": (_SHORT_TEXT, st.just(5)),
    "occasion": (_SHORT_TEXT, st.none()),
    "areas": (st.just(["trade"]), st.just([" "])),
    "deadline": (
        st.just({"text": "by 2025", "earliest": None, "latest": "2025-12-31"}),
        st.just({"text": "x", "earliest": "2025-02-01", "latest": "2025-01-01"}),
    ),
    "restates": (st.just(["c-0"]), st.just(["c-1"])),
    "superseded_by": (st.just("c-2"), st.just("")),
}


@given(raw=_mutated(_COMMITMENT_FIELDS, ("id", "title", "made_on")))
def test_quick_commitment_path_agrees_with_cattrs(raw):
    """The cattrs-free path for commitments builds exactly what cattrs builds, or nothing."""
    from commitments import catalog  # noqa: PLC0415

    try:
        expected = catalog.converter().structure(raw, cm.Commitment)
    except Exception:  # noqa: BLE001 - any refusal: the quick path must refuse too
        expected = None
    quick = catalog._plain_commitment(raw)
    if quick is not None:
        assert quick == expected


def test_dump_gives_the_file_a_plain_files_permissions(tmp_path, full):
    """An atomically written catalog gets the mode a plain write gets, or keeps the old one."""
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    target = tmp_path / "catalog.json"
    cm.dump(full, target)
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    target.chmod(0o640)
    cm.dump(full, target)
    assert target.stat().st_mode & 0o777 == 0o640
