"""The cyclic garbage collector, paused around work that builds many long-lived objects.

Below every stage (it imports only the standard library): parsing a corpus, reading one back
from the database and running the conflict engine all allocate hundreds of thousands of
small objects and free none of them in cycles, yet each collection the allocations set off
walks everything built so far: on a 10k-provision corpus that was half the check time, half
the read and 40% of an every-country conflict sweep (RECIPES gotcha 11).
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Run the block with the collector off, then move what it built to the oldest generation.

    Left in the young generation, the new objects would all be walked by the first collection
    after the block (150 ms for a 10k corpus read back); ``gc.freeze()`` then ``gc.unfreeze()``
    moves them to the oldest generation unwalked (two list splices), where a long-lived corpus
    ends up anyway, and a later full collection still frees any cycle among them. Nothing stays
    frozen. Nested blocks are cheap: the collector comes back as the outermost found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
