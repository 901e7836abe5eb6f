"""When the garbage collector runs during an export (podium/export/collection.py)."""

import gc
import weakref

from podium.export.collection import one_collection_after


class Node:
    pass


def test_a_batch_runs_without_collections_and_its_cycles_are_collected_after_it():
    assert gc.isenabled()
    with one_collection_after():
        assert not gc.isenabled()
        node = Node()
        node.itself = node
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # a cycle: only a collection frees it
    assert gc.isenabled()
    assert alive() is None


def test_a_collector_turned_off_stays_off():
    gc.disable()
    try:
        with one_collection_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
