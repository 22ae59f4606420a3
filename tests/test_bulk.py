from __future__ import annotations

import gc
import json
import weakref

import pytest

import commitments as cm
from commitments import _bulk
from commitments._bulk import paused_gc


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def big_document(*, bad_last: bool) -> dict[str, object]:
    commitments = [
        {"id": f"c{i}", "title": "t", "made_on": "2024-01-01"} for i in range(_bulk.BULK_OBJECTS)
    ]
    if bad_last:
        commitments[-1]["made_on"] = "2024-13-01"
    return {"schema_version": 1, "commitments": commitments}


@pytest.fixture
def pauses(monkeypatch):
    """One entry per bulk pause: whether the GC was off just before its closing collection."""
    seen: list[bool] = []
    enable = gc.enable

    def spy() -> None:
        seen.append(gc.isenabled())
        enable()

    monkeypatch.setattr(_bulk.gc, "enable", spy)
    return seen


def test_a_big_load_pauses_collection_and_turns_it_back_on(pauses):
    tracker = cm.from_document(big_document(bad_last=False))
    assert len(tracker) == _bulk.BULK_OBJECTS
    assert pauses == [False]
    assert gc.isenabled()


def test_a_failed_big_load_turns_collection_back_on(pauses):
    with pytest.raises(cm.CatalogError, match=r"commitments\[19999\]\.made_on"):
        cm.loads(json.dumps(big_document(bad_last=True)))
    assert len(pauses) == 1
    assert gc.isenabled()


def test_small_loads_leave_the_gc_alone(pauses):
    """Small loads neither pause the GC nor run a full collection."""
    cm.loads(cm.dumps(cm.seed_catalog()))
    assert pauses == []


def test_a_gc_switched_off_by_the_caller_stays_off(pauses):
    gc.disable()
    try:
        cm.from_document(big_document(bad_last=False))
        assert not gc.isenabled()
        assert pauses == []
    finally:
        gc.enable()


def test_nested_pauses_leave_it_to_the_outer_one():
    with paused_gc(bulk=True):
        with paused_gc(bulk=True):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_closing_collection_frees_cycles_from_before_and_during_the_pause():
    """Garbage cycles left before or made during a big load are gone when it returns."""
    before = Node()
    before.other = Node()
    before.other.other = before
    gone_before = weakref.ref(before)
    with paused_gc(bulk=True):
        during = Node()
        during.other = during
        gone_during = weakref.ref(during)
        del during
        del before
    assert gone_before() is None
    assert gone_during() is None
