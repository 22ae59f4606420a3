"""Registers strategies for the model's types with hypothesis, through its entry point.

pyproject names `_hypothesis_setup_hook` under `[project.entry-points.hypothesis]`;
hypothesis calls it when it is imported, so `st.from_type(cm.Commitment)` works
wherever the package is installed with the `testing` extra.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each model type users ask `st.from_type` for."""
    # Imported here: the hook runs inside hypothesis' own import.
    from hypothesis import strategies as st  # noqa: PLC0415

    import commitments as cm  # noqa: PLC0415
    from commitments.testing import strategies as kit  # noqa: PLC0415

    st.register_type_strategy(cm.Commitment, kit.commitments(recurring=None))
    st.register_type_strategy(cm.Deadline, kit.deadlines())
    st.register_type_strategy(cm.Recurrence, kit.recurrences())
    st.register_type_strategy(cm.Source, kit.sources())
    st.register_type_strategy(cm.Workflow, kit.workflows())
