"""Building many long-lived objects at once, without the cyclic GC in the way.

While a big catalog loads, CPython's cyclic garbage collector rescans the whole young
heap every time it grows by a quarter, which cost more than building the objects. A
load creates no reference cycles, so collecting during it finds nothing. `paused_gc`
stops collection for the duration and then moves every object to the oldest
generation: the heap is scanned once, at some later full collection, instead of many
times while it grows.

Only big loads do this. Moving objects to the oldest generation also moves a
program's own young garbage there, where only a full collection frees it; done on
every small load of a long-running program, that would let cyclic garbage pile up.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

BULK_OBJECTS = 20_000
"""Records (commitments plus events) from which a load pauses the GC."""

BULK_BYTES = 4_000_000
"""JSON text size from which parsing a catalog pauses the GC (about 10,000 events)."""


@contextlib.contextmanager
def paused_gc(*, bulk: bool) -> Iterator[None]:
    """No cyclic collection inside when `bulk`; a no-op otherwise, nested, or GC off."""
    if not bulk or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # freeze + unfreeze: every tracked object to the oldest generation, none lost.
        gc.freeze()
        gc.unfreeze()
        gc.enable()
