"""Building many long-lived objects at once, without the cyclic GC in the way.

While a big catalog loads, CPython's cyclic garbage collector rescans the young heap
over and over and the whole heap each time it grows by a quarter, which cost more than
building the objects. A load creates no reference cycles, so those passes find
nothing. `paused_gc` stops collection while a big load builds, then runs one full
collection: the heap is scanned once, inside the load, and nothing is left for the
program's next queries to pay.

Only big loads do this: a full collection scans the program's whole heap, which is
worth it against the many passes of a big load but not for a small one. The switch is
process-wide, so other threads' garbage cycles also wait for the end of the load.
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
    """No cyclic collection inside when `bulk`, one full collection after it.

    A no-op when not `bulk`, when nested in another pause, or when the program has
    switched the GC off itself.
    """
    if not bulk or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()
