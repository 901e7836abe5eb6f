"""When the garbage collector runs during an export (it allocates millions of objects)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off_the_loaded_code() -> Iterator[None]:
    """Keep the garbage collector off what was loaded before the export (Django, the apps).

    An export allocates hundreds of thousands of objects, and each collection of the oldest
    generation would walk everything loaded before it too. Forked workers inherit this.
    (Collecting less often as well saved a little more time but held on to 80 MB more at
    the peak of a 10,000-talk export.)
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection in the exporting process while it only keeps records (results,
    manifest entries: no cycles among them), which it shares the cores with the renderers
    for: collections walked its 20,000 entries again and again (a quarter of the commit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def keeping_records() -> Iterator[None]:
    """No garbage collection while the exporting process makes records it keeps until the
    export ends (the last manifest's entries, the plan, the rendered pages' results: no
    cycles among them), and none of them after: they are set aside with the loaded code
    (`collector_off_the_loaded_code`, whose end puts everything back in reach).

    With the collector simply turned back on, the next allocation sets off a collection
    of the youngest objects, which walks every record made meanwhile: 15 ms for the
    20,000 entries of a manifest, about 50 ms for a first export's results, while the
    renderers wait or have finished.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # before the collector is back on: no allocation may come between
        if enabled:
            gc.enable()


@contextmanager
def one_collection_after() -> Iterator[None]:
    """No garbage collection while a batch renders, then one of the youngest objects.

    A batch frees its garbage as it goes (reference counts) but for a few cycles; the
    collections its allocations would set off, hundreds a batch, cost 1% of an export's
    instructions. The peak memory of a 10,000-talk export stayed the same.
    """
    with no_collection():
        yield
    if gc.isenabled():
        gc.collect(0)
