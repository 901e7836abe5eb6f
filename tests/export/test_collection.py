"""When the garbage collector runs during an export (podium/export/collection.py)."""

import gc
import weakref

from podium.export.collection import (
    collector_off_the_loaded_code,
    keeping_records,
    one_collection_after,
)


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


def test_reading_a_large_manifest_sets_off_no_collection(tmp_path):
    from podium.export.output import MANIFEST, Entry, OutputFolder, manifest_bytes

    site = tmp_path / "site"
    site.mkdir()
    entries = {f"t/{n}/index.html": Entry("ab" * 16, n, "f", [f"/t/{n}/"]) for n in range(5000)}
    (site / MANIFEST).write_bytes(manifest_bytes(entries))
    collections = []

    def heard(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        folder = OutputFolder(site)
    finally:
        gc.callbacks.remove(heard)
    try:
        assert len(folder.previous) == 5000
        # Reading 5,000 entries and their lists with the collector on set off 28 collections;
        # preparing the folder itself (paths, the staging folder) may set off one.
        assert len(collections) <= 1
    finally:
        folder.discard()


def test_records_kept_set_off_no_collection_after_and_are_collected_once_the_export_ends():
    collections = []

    def heard(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    with collector_off_the_loaded_code():
        gc.callbacks.append(heard)
        try:
            with keeping_records():
                assert not gc.isenabled()
                records = [[n] for n in range(20_000)]  # far past the youngest generation's limit
                node = Node()
                node.itself = node
                alive = weakref.ref(node)
                del node
            assert gc.isenabled()
            more = [[n] for n in range(100)]  # with the collector simply back on: a collection
        finally:
            gc.callbacks.remove(heard)
        assert collections == [], "the records are not walked again"
    assert len(records) + len(more) == 20_100
    gc.collect()
    assert alive() is None, "once the export ends, its garbage is in reach again"
