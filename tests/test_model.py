from __future__ import annotations

import datetime as dt

import attrs
import pytest

import commitments as cm

D = dt.date


class TestStatus:
    def test_open_and_closed(self):
        """pledged, in_progress and stalled are open; the rest are closed."""
        assert {s for s in cm.Status if s.is_open} == {"pledged", "in_progress", "stalled"}
        assert all(s.is_closed != s.is_open for s in cm.Status)

    def test_values_are_stable_strings(self):
        """Status values are the strings written to files."""
        assert [s.value for s in cm.Status] == [
            "pledged",
            "in_progress",
            "stalled",
            "fulfilled",
            "partially_fulfilled",
            "broken",
            "withdrawn",
            "superseded",
        ]


class TestWorkflow:
    def test_default_rules(self):
        """Open statuses go anywhere; partial goes on to fulfilled; the rest are terminal."""
        w = cm.Workflow.default()
        for s in cm.OPEN_STATUSES:
            assert w.targets(s) == frozenset(cm.Status)
        assert w.targets(cm.Status.PARTIALLY_FULFILLED) == {"partially_fulfilled", "fulfilled"}
        for s in ("fulfilled", "broken", "withdrawn", "superseded"):
            assert w.is_terminal(cm.Status(s))

    def test_missing_pledged_refused(self):
        """A workflow must include pledged, the starting status."""
        with pytest.raises(cm.WorkflowError, match="must include 'pledged'"):
            cm.Workflow({"in_progress": {"fulfilled"}, "fulfilled": set()})

    def test_undefined_target_refused(self):
        """Every target must itself be a state of the workflow."""
        with pytest.raises(cm.WorkflowError, match="does not define"):
            cm.Workflow({"pledged": {"fulfilled"}})

    def test_from_pairs_builds_terminal_states(self):
        """from_pairs adds the targets as states, terminal unless they lead on."""
        w = cm.Workflow.from_pairs([("pledged", "in_progress"), ("in_progress", "fulfilled")])
        assert w.states == {"pledged", "in_progress", "fulfilled"}
        assert w.is_terminal(cm.Status.FULFILLED)
        assert not w.allows(cm.Status.PLEDGED, cm.Status.FULFILLED)

    def test_duplicate_labels_refused(self):
        """Two states cannot share a label."""
        with pytest.raises(cm.WorkflowError, match="names both"):
            cm.Workflow(
                {"pledged": {"fulfilled"}, "fulfilled": set()},
                labels={"pledged": "Open", "fulfilled": "open"},
            )

    def test_status_outside_workflow_refused(self):
        """parse_status refuses statuses the workflow does not define."""
        w = cm.Workflow.from_pairs([("pledged", "fulfilled")], name="two")
        with pytest.raises(cm.ValidationError, match="not part of workflow 'two'"):
            w.parse_status(cm.Status.STALLED)


class TestDeadline:
    def test_constructors_and_text(self):
        """Each constructor sets the window and a default text that names it."""
        assert str(cm.Deadline.exact(D(2024, 6, 18))) == "2024-06-18"
        assert cm.Deadline.by(D(2024, 6, 30)).earliest is None
        assert str(cm.Deadline.by(D(2024, 6, 30))) == "by 2024-06-30"
        w = cm.Deadline.window(D(2024, 6, 11), D(2024, 6, 20), "in mid-June")
        assert (w.earliest, w.latest, str(w)) == (D(2024, 6, 11), D(2024, 6, 20), "in mid-June")
        assert str(cm.Deadline.window(D(2024, 6, 11), D(2024, 6, 20))) == "2024-06-11 to 2024-06-20"

    def test_inverted_window_refused(self):
        """A window that ends before it starts raises DeadlineError."""
        with pytest.raises(cm.DeadlineError, match="earliest 2024-06-20 > latest 2024-06-11"):
            cm.Deadline.window(D(2024, 6, 20), D(2024, 6, 11))

    def test_datetime_refused(self):
        """Deadlines are calendar dates, never datetimes."""
        with pytest.raises(cm.DeadlineError, match="calendar date"):
            cm.Deadline.exact(dt.datetime(2024, 6, 18, tzinfo=dt.UTC))

    def test_words_only_needs_text(self):
        """A deadline with no dates must keep its words."""
        with pytest.raises(cm.DeadlineError, match="needs its text"):
            cm.Deadline.window(None, None)
        assert str(cm.Deadline.unspecified("as soon as appropriate")) == "as soon as appropriate"

    def test_contains_is_inclusive(self):
        """contains() includes both bounds."""
        w = cm.Deadline.window(D(2024, 6, 11), D(2024, 6, 20))
        assert w.contains(D(2024, 6, 11))
        assert w.contains(D(2024, 6, 20))
        assert not w.contains(D(2024, 6, 10))
        assert not w.contains(D(2024, 6, 21))


class TestCommitment:
    def test_frozen(self, two_plus_two):
        """Commitments are immutable values."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            two_plus_two.title = "changed"  # type: ignore[misc]

    @pytest.mark.parametrize("bad", ["", "has space", "colon:id", "-leading", "ü"])
    def test_bad_ids_refused(self, bad):
        """Ids are slugs: letters, digits, '.', '_' and '-'."""
        with pytest.raises(cm.ValidationError, match="not a valid id"):
            cm.Commitment(id=bad, title="x", made_on=D(2024, 1, 1))

    def test_field_errors_name_the_commitment(self):
        """Field errors name the commitment and what is allowed."""
        with pytest.raises(cm.ValidationError, match="commitment x: title"):
            cm.Commitment(id="x", title=" ", made_on=D(2024, 1, 1))
        with pytest.raises(cm.ValidationError, match="commitment x: made_on"):
            cm.Commitment(id="x", title="t", made_on=dt.datetime(2024, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(cm.ValidationError, match="party 'c n' is not a short code"):
            cm.Commitment(id="x", title="t", made_on=D(2024, 1, 1), parties=("c n",))
        with pytest.raises(cm.ValidationError, match="repeat a party"):
            cm.Commitment(id="x", title="t", made_on=D(2024, 1, 1), parties=("CN", "CN"))
        with pytest.raises(cm.ValidationError, match="cannot restate itself"):
            cm.Commitment(id="x", title="t", made_on=D(2024, 1, 1), restates=("x",))

    def test_single_strings_become_tuples(self):
        """A lone party, area or source string is not split into characters."""
        c = cm.Commitment(
            id="x",
            title="t",
            made_on=D(2024, 1, 1),
            parties="EU",
            areas="trade",
            sources="https://x.test",
        )
        assert c.parties == ("EU",)
        assert c.areas == ("trade",)
        assert c.sources == (cm.Source(url="https://x.test"),)

    def test_organisation_parties(self):
        """Organisations such as EU or AFU are valid party codes."""
        c = cm.Commitment(id="x", title="t", made_on=D(2024, 1, 1), parties=("EU", "AFU", "G7"))
        assert c.parties == ("EU", "AFU", "G7")


class TestSource:
    def test_needs_one_field(self):
        """An empty source is refused."""
        with pytest.raises(cm.ValidationError, match="at least one"):
            cm.Source()
        with pytest.raises(cm.ValidationError, match="at least one"):
            cm.Source(url="   ")

    def test_str_reads_well(self):
        """A source prints publisher, title, date and url."""
        s = cm.Source("https://x.test/a", "Talks resume", "Xinhua", D(2024, 6, 5))
        assert str(s) == "Xinhua, Talks resume, 2024-06-05, https://x.test/a"


class TestProgress:
    @pytest.mark.parametrize(
        ("done", "total"), [(-1, 5), (6, 5), (1, 0), (float("nan"), 5), (True, 5)]
    )
    def test_bad_progress_refused(self, done, total):
        """Progress must be finite with 0 <= done <= total and total > 0."""
        with pytest.raises(cm.ValidationError):
            cm.Progress(done, total)

    def test_ratio_and_text(self):
        """Progress reads as 'done of total unit' and knows its ratio."""
        p = cm.Progress(15, 52, "measures")
        assert str(p) == "15 of 52 measures"
        assert p.ratio == pytest.approx(15 / 52)


class TestBadInputIsNamed:
    def test_text_fields_must_be_strings(self):
        """Non-text descriptions, occasions, notes and reasons are refused up front."""
        with pytest.raises(cm.ValidationError, match="description must be a string"):
            cm.Commitment("c", "t", D(2024, 1, 1), description=5)  # type: ignore[arg-type]
        with pytest.raises(cm.ValidationError, match="occasion must be a string"):
            cm.Commitment("c", "t", D(2024, 1, 1), occasion=None)  # type: ignore[arg-type]
        t = cm.Tracker()
        t.add(cm.Commitment("c", "t", D(2024, 1, 1)))
        with pytest.raises(cm.UpdateError, match="note must be a string"):
            t.record("c", "stalled", on=D(2024, 2, 1), note=None)  # type: ignore[arg-type]
        with pytest.raises(cm.UpdateError, match="reason 5 must be a short code"):
            t.record("c", "stalled", on=D(2024, 2, 1), reason=5)  # type: ignore[arg-type]
        assert [type(e) for e in t.events()] == [cm.Addition]

    def test_lone_sources_string_is_one_source(self):
        """record(sources="url") records one source, not one per character."""
        t = cm.Tracker()
        t.add(cm.Commitment("c", "t", D(2024, 1, 1)))
        u = t.record("c", "stalled", on=D(2024, 2, 1), sources="https://x.test/a")
        assert u.sources == (cm.Source(url="https://x.test/a"),)

    def test_none_collections_are_empty(self):
        """parties=None and friends mean none, not a TypeError."""
        c = cm.Commitment("c", "t", D(2024, 1, 1), parties=None, areas=None, sources=None)  # type: ignore[arg-type]
        assert (c.parties, c.areas, c.sources) == ((), (), ())

    @pytest.mark.parametrize(
        ("call", "error", "message"),
        [
            (lambda: cm.Deadline(D(2024, 1, 1), D(2024, 1, 2), 5), cm.DeadlineError, "text"),
            (lambda: cm.Workflow([("pledged", "fulfilled")]), cm.WorkflowError, "from_pairs"),
            (lambda: cm.Workflow({"pledged": "fulfilled"}), cm.WorkflowError, "collection"),
            (lambda: cm.Tracker("default"), cm.ValidationError, "Workflow"),
            (lambda: cm.Tracker().assess_all(as_of="01/02/2024"), cm.ValidationError, "date"),
            (lambda: cm.Tracker()[["a"]], cm.ValidationError, "string"),
        ],
    )
    def test_wrong_types_raise_our_errors(self, call, error, message):
        """Wrong argument types raise a commitments error naming what is expected."""
        with pytest.raises(error, match=message):
            call()

    def test_bad_progress_tuple(self):
        """A progress tuple of the wrong shape is refused with an example."""
        t = cm.Tracker()
        t.add(cm.Commitment("c", "t", D(2024, 1, 1)))
        with pytest.raises(cm.UpdateError, match=r"\(done, total\)"):
            t.record("c", "partially_fulfilled", on=D(2024, 2, 1), progress=(1,))  # type: ignore[arg-type]

    def test_known_on_end_of_time(self):
        """known_on at the end of the calendar means everything recorded."""
        t = cm.Tracker()
        t.add(cm.Commitment("c", "t", D(2024, 1, 1)))
        t.record("c", "stalled", on=D(2024, 2, 1))
        assert t.status("c", as_of=D(2024, 3, 1), known_on=dt.date.max) == "stalled"

    def test_unhashable_id_is_simply_absent(self):
        """Asking whether a list is tracked answers no instead of raising TypeError."""
        t = cm.Tracker()
        t.add(cm.Commitment("c", "t", D(2024, 1, 1)))
        assert (["c"] in t) is False
        assert ("c" in t) is True

    def test_label_naming_another_state_refused(self):
        """A label may not be the name of a different state."""
        with pytest.raises(cm.WorkflowError, match="names no other state"):
            cm.Workflow(
                {"pledged": {"in_progress", "stalled"}, "in_progress": set(), "stalled": set()},
                labels={"in_progress": "stalled"},
            )
