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


def _entries(count: int) -> dict:
    from podium.export.output import Entry

    return {
        f"t/{n}/index.html": Entry(f"{n:032x}", n, "f" * 32, ["/", f"/t/{n}/"], n % 2 == 0)
        for n in range(count)
    }


def test_the_manifest_is_json_with_a_line_a_file_in_name_order():
    import json

    from podium.export.output import manifest_bytes

    entries = _entries(12)
    text = manifest_bytes(entries).decode()
    assert json.loads(text) == {
        "format": 3,
        "files": [
            [name, e.sha256, e.size, e.fingerprint, e.links, *([1] if e.in_sitemap else [])]
            for name, e in sorted(entries.items())
        ],
    }
    lines = text.splitlines()
    assert len(lines) == 2 + len(entries)
    assert [json.loads(line.rstrip(","))[0] for line in lines[1:-1]] == sorted(entries)


def test_a_manifest_read_back_gives_its_entries_and_writes_the_same_bytes_again():
    from podium.export.output import manifest_bytes, read_manifest

    entries = _entries(12)
    written = manifest_bytes(entries)
    read = read_manifest(written.decode())
    assert read == entries
    assert all(entry.row for entry in read.values()), "each line is kept as its row"
    assert manifest_bytes(read) == written
    read["t/3/index.html"] = _entries(12)["t/3/index.html"]  # one entry made anew
    read["t/30/index.html"] = _entries(31)["t/30/index.html"]
    assert manifest_bytes(read) == manifest_bytes(
        {k: v for k, v in _entries(31).items() if k in read}
    )


def test_rows_that_are_not_as_podium_wrote_them_are_made_again():
    import json

    from podium.export.output import manifest_bytes, read_manifest

    entries = _entries(4)
    # The same data written otherwise: indented (the lines are not the rows), and one
    # name that JSON escapes on the line where it is found.
    data = json.loads(manifest_bytes(entries))
    read = read_manifest(json.dumps(data, indent=1))
    assert read == entries and not any(entry.row for entry in read.values())
    # Saved by an editor with CR LF line ends: the same rows, written back as Podium writes.
    read = read_manifest(manifest_bytes(entries).decode().replace("\n", "\r\n"))
    assert read == entries and all(entry.row for entry in read.values())
    assert manifest_bytes(read) == manifest_bytes(entries)
    entries["t/é/index.html"] = entries.pop("t/3/index.html")
    read = read_manifest(manifest_bytes(entries).decode())
    assert read == entries and not read["t/é/index.html"].row
    assert manifest_bytes(read) == manifest_bytes(entries)


def test_manifests_of_earlier_formats_are_still_read():
    import json

    from podium.export.output import Entry, read_manifest

    format_2 = {
        "format": 2,
        "links": ["/", "/a/"],
        "files": [["a/index.html", "a" * 32, 3, "f", [0, 1], 1], ["b.ics", "b" * 32, 4, "", []]],
    }
    assert read_manifest(json.dumps(format_2)) == {
        "a/index.html": Entry("a" * 32, 3, "f", ["/", "/a/"], True),
        "b.ics": Entry("b" * 32, 4, "", [], False),
    }


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
