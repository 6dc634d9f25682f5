"""Pausing Python's cyclic garbage collector around work that makes many objects but no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused inside the block, and restored (if it was on) after it.

    For work that allocates many objects and makes no reference cycles, so that reference counting frees
    everything: the collections its allocations trigger would only walk the growing heap again and again.
    Used for a batch's screening (tests/test_batch.py checks that it leaves nothing for the collector to
    find; the collector's passes took about 40% of a batch's time, bench/batch.py) and for indexing a
    watch list."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
