"""The export folder: runs that take turns, and what a run that died leaves behind."""

import fcntl
import os
import threading
import time

from podium.export.output import OutputFolder
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
