"""The export folder: runs that take turns, and what a run that died leaves behind."""

import fcntl
import os
import threading
import time

from podium.export.output import Entry, OutputFolder, digest
from tests.export.conftest import tree


def test_exports_into_one_folder_take_turns(tmp_path):
    other_export = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(other_export, fcntl.LOCK_EX)
    heard: list[str] = []
    started = threading.Event()

    def second_export() -> None:
        folder = OutputFolder(tmp_path / "site", on_wait=heard.append)
        started.set()
        folder.discard()

    thread = threading.Thread(target=second_export)
    thread.start()
    for _ in range(200):  # until the second run says it waits (not a timing assertion)
        if heard:
            break
        time.sleep(0.05)
    assert heard == [f"Another export is writing in {tmp_path}; waiting for it."]
    assert not started.is_set(), "it must not stage while the other run holds the folder"
    os.close(other_export)
    thread.join(timeout=30)
    assert started.is_set()


def test_a_staging_folder_left_by_a_run_that_died_is_removed(site, export, tmp_path):
    stale = tmp_path / ".site.podium-staging-999999"
    (stale / "prisec-ml").mkdir(parents=True)
    (stale / "prisec-ml" / "index.html").write_text("half an export")
    unrelated = tmp_path / ".other.podium-staging-999999"
    unrelated.mkdir()
    export()
    assert not stale.exists()
    assert unrelated.exists(), "another folder's staging is not this export's business"
    assert "prisec-ml/index.html" in tree(tmp_path / "site")


def test_a_manifest_written_again_after_a_small_change_has_the_bytes_of_a_fresh_one():
    import json

    from podium.export import output
    from podium.export.output import Entry, manifest_bytes

    def fresh(entries):  # what encoding every row at once gives
        links = sorted({link for entry in entries.values() for link in entry.links})
        place = {link: n for n, link in enumerate(links)}
        rows = [output._row(name, entry, place) for name, entry in sorted(entries.items())]
        body = output._ENCODE({"format": 2, "links": links, "files": rows})
        return (body + "\n").encode()

    entries = {
        f"t/{n}/index.html": Entry(f"{n:032x}", n, "f" * 32, ["/", f"/t/{n}/"], True)
        for n in range(10)
    }
    assert manifest_bytes(entries) == fresh(entries)
    entries["t/3/index.html"] = Entry("e" * 32, 99, "g" * 32, ["/", "/t/3/"], True)
    assert manifest_bytes(entries) == fresh(entries)  # nine rows reused, one new
    entries["t/4/index.html"] = Entry("d" * 32, 7, "", ["/new-link/"])  # the links change
    assert manifest_bytes(entries) == fresh(entries)
    pages = sorted(f"/t/{n}/" for n in range(10) if n != 4)
    assert json.loads(manifest_bytes(entries))["links"] == ["/", "/new-link/", *pages]


def test_a_file_is_read_back_only_while_it_holds_what_the_manifest_says(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.ics").write_bytes(b"kept")
    folder = OutputFolder(site, allow_nonempty=True)
    try:
        entry = Entry(digest(b"kept"), 4)
        assert folder.read_back("a.ics", entry) == b"kept"
        (site / "a.ics").write_bytes(b"edit")  # the same size, other bytes
        assert folder.read_back("a.ics", entry) is None
        (site / "a.ics").write_bytes(b"kept, and more")
        assert folder.read_back("a.ics", entry) is None
        (site / "a.ics").unlink()
        assert folder.read_back("a.ics", entry) is None
    finally:
        folder.discard()
