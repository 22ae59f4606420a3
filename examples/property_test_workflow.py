"""Property-test a custom workflow with the kit's state machine.

Run as a script (`python examples/property_test_workflow.py`) it drives a tracker
through random histories and prints a one-line summary; under pytest,
`TestReviewWorkflow` runs the same machine.
"""

from __future__ import annotations

import time

from hypothesis import settings
from hypothesis.stateful import invariant

import commitments as cm
from commitments.testing import TrackerMachine

# A review board's workflow: work starts, then it is delivered in full or in part,
# or abandoned; a partial delivery may still be completed.
REVIEW = cm.Workflow.from_pairs(
    [
        ("pledged", "in_progress"),
        ("pledged", "withdrawn"),
        ("in_progress", "in_progress"),
        ("in_progress", "partially_fulfilled"),
        ("in_progress", "fulfilled"),
        ("in_progress", "broken"),
        ("partially_fulfilled", "fulfilled"),
    ],
    name="review",
)


class ReviewMachine(TrackerMachine):
    """The library's machine, over the review workflow, plus one invariant of our own."""

    workflow = REVIEW
    parties = ("EU", "UK")

    @invariant()
    def kept_means_delivered(self) -> None:
        """A fulfilled commitment had work in progress on record first."""
        for commitment in self.tracker.fulfilled(as_of=self.today):
            seen = [u.status for u in self.tracker.history(commitment.id)]
            assert cm.Status.IN_PROGRESS in seen


TestReviewWorkflow = ReviewMachine.TestCase
TestReviewWorkflow.settings = settings(max_examples=25, stateful_step_count=20)

if __name__ == "__main__":
    started = time.perf_counter()
    TestReviewWorkflow().runTest()
    took = time.perf_counter() - started
    print(
        f"review workflow: {TestReviewWorkflow.settings.max_examples} random histories, "
        f"no invariant broken ({took:.1f} s)"
    )
