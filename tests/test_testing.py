"""The property-based testing kit, `commitments.testing`, used on the library itself."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

import commitments as cm
from commitments.testing import (
    TickingClock,
    TrackerMachine,
    commitments,
    deadlines,
    invalid_updates,
    recurrences,
    reference_combine,
    reference_statuses,
    sources,
    statuses,
    update_sequences,
    workflows,
)
from commitments.testing._hypothesis_setup import _hypothesis_setup_hook

STRICT = cm.Workflow.from_pairs(
    [("pledged", "in_progress"), ("in_progress", "fulfilled"), ("in_progress", "broken")],
    name="strict",
)


class TestImportGuard:
    def test_missing_hypothesis_names_the_extra(self):
        """Without hypothesis, importing the kit raises MissingExtraError naming the extra."""
        code = (
            "import sys; sys.modules['hypothesis'] = None\n"
            "import commitments\n"
            "try:\n    import commitments.testing\n"
            "except commitments.MissingExtraError as e:\n    print('refused:', e)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.startswith("refused:")
        assert "pip install 'commitments[testing]'" in out

    def test_missing_extra_is_an_import_error(self):
        """Code that catches ImportError also catches the missing extra."""
        assert issubclass(cm.MissingExtraError, ImportError)


class TestRegistration:
    @given(st.data())
    def test_hook_registers_the_model_types(self, data):
        """After the entry-point hook ran, from_type builds every registered model type."""
        _hypothesis_setup_hook()
        for kind in (cm.Commitment, cm.Deadline, cm.Recurrence, cm.Source, cm.Workflow):
            assert isinstance(data.draw(st.from_type(kind)), kind)


class TestStrategies:
    @given(commitments(min_date=dt.date(2024, 1, 1), max_date=dt.date(2024, 3, 31), max_parties=2))
    def test_commitments_respect_their_bounds(self, commitment):
        """Commitments are made within the bounds, with at most the parties asked for."""
        assert dt.date(2024, 1, 1) <= commitment.made_on <= dt.date(2024, 3, 31)
        assert len(commitment.parties) <= 2
        assert commitment.recurrence is None
        if commitment.deadline is not None and commitment.deadline.earliest is not None:
            assert commitment.deadline.earliest >= commitment.made_on

    @given(deadlines(min_date=dt.date(2024, 1, 1), max_date=dt.date(2024, 12, 31), words=False))
    def test_deadlines_respect_their_bounds(self, deadline):
        """Every date bound of a deadline lies in the range; without words, one is set."""
        bounds = [d for d in (deadline.earliest, deadline.latest) if d is not None]
        assert bounds
        assert all(dt.date(2024, 1, 1) <= d <= dt.date(2024, 12, 31) for d in bounds)

    @given(recurrences(min_year=2010, max_year=2012))
    def test_recurrences_start_in_range(self, recurrence):
        """A recurrence starts in one of the years asked for."""
        assert 2010 <= recurrence.first_day.year <= 2012

    @given(sources())
    def test_sources_have_a_field(self, source):
        """A drawn source always names something."""
        assert str(source)

    @given(workflows(), st.data())
    def test_workflow_statuses_belong_to_it(self, workflow, data):
        """statuses(workflow) only draws the workflow's own states."""
        assert data.draw(statuses(workflow)) in workflow.states

    @given(st.data(), st.sampled_from([cm.DEFAULT_WORKFLOW, STRICT]))
    def test_update_sequences_are_accepted(self, data, workflow):
        """A tracker accepts every update of a valid sequence, and the status is the replay's."""
        commitment = data.draw(commitments(recurring=None))
        requests = data.draw(update_sequences(commitment, workflow))
        tracker = cm.Tracker(workflow, clock=TickingClock())
        tracker.add(commitment)
        recorded = [r.record(tracker, commitment.id) for r in requests]
        last = max([commitment.made_on, *(r.on for r in requests)])
        expected = reference_statuses(commitment, recorded)
        assert tracker.assess(commitment.id, as_of=last).recorded_status is expected

    @given(st.data(), st.sampled_from([cm.DEFAULT_WORKFLOW, STRICT]))
    def test_invalid_updates_are_refused(self, data, workflow):
        """After a valid history, an invalid update is refused and records nothing."""
        commitment = data.draw(commitments(recurring=None))
        tracker = cm.Tracker(workflow, clock=TickingClock())
        tracker.add(commitment)
        history = [
            r.record(tracker, commitment.id)
            for r in data.draw(update_sequences(commitment, workflow, max_size=4))
        ]
        bad = data.draw(invalid_updates(commitment, workflow, history=history))
        with pytest.raises(cm.UpdateError):
            bad.record(tracker, commitment.id)
        assert tracker.history(commitment.id) == tuple(history)


TestTrackerMachine = TrackerMachine.TestCase


class StrictMachine(TrackerMachine):
    """The machine over a workflow with terminal states and parties, recurring or not."""

    workflow = STRICT
    parties = ("A", "B")


TestStrictMachine = StrictMachine.TestCase
TestStrictMachine.settings = settings(max_examples=30)


def _lenient(workflow: cm.Workflow) -> cm.Tracker:  # noqa: ARG001 - ignores it on purpose
    return cm.Tracker(cm.DEFAULT_WORKFLOW, clock=TickingClock())


class LenientTrackerMachine(TrackerMachine):
    """A faulty factory: its tracker enforces the default workflow, not the strict one."""

    workflow = STRICT
    tracker_factory = _lenient


class TestMachineFindsBugs:
    def test_wrong_workflow_is_caught(self):
        """The machine fails when the tracker enforces another workflow than the one given."""
        case = LenientTrackerMachine.TestCase()
        # Finding the bug is the point; shrinking it would only take time.
        case.settings = settings(database=None, phases=[Phase.generate])
        with pytest.raises((AssertionError, Flaky)):
            case.runTest()


class TestReferenceCombine:
    @given(st.lists(st.sampled_from(list(cm.Status)), min_size=1, max_size=4))
    def test_agrees_with_the_library(self, statuses):
        """The reference reading of the README's table agrees with commitments.combine."""
        assert reference_combine(statuses) is cm.combine(statuses)
