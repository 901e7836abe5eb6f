"""The background file writer: files are there after `flush`, and failures are not lost."""

import multiprocessing

import pytest

from podium.export.writer import FileWriter


def test_files_are_written_in_their_folders_by_the_time_flush_returns(tmp_path):
    writer = FileWriter(str(tmp_path))
    pages = {f"series/talks/talk-{n}/index.html": f"page {n}".encode() for n in range(200)}
    for relative, body in pages.items():
        writer.write(relative, body)
    writer.write("robots.txt", b"User-agent: *\n")
    writer.flush()
    for relative, body in pages.items():
        assert (tmp_path / relative).read_bytes() == body
    assert (tmp_path / "robots.txt").read_bytes() == b"User-agent: *\n"


def test_a_failed_write_is_raised_by_flush_and_stops_the_writing(tmp_path):
    (tmp_path / "series").write_text("a file where a folder should be")
    writer = FileWriter(str(tmp_path))
    writer.write("series/index.html", b"page")
    writer.write("later.html", b"after the failure")
    with pytest.raises(OSError):
        writer.flush()
    assert not (tmp_path / "later.html").exists()
    with pytest.raises(OSError):
        writer.flush()  # the export stays failed


def _write_in_child(writer: FileWriter) -> None:
    writer.write("child/index.html", b"from the forked process")
    writer.flush()


def test_a_forked_process_writes_with_its_own_thread(tmp_path):
    writer = FileWriter(str(tmp_path))
    writer.write("parent/index.html", b"from the parent")
    writer.flush()
    child = multiprocessing.get_context("fork").Process(target=_write_in_child, args=(writer,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert (tmp_path / "child/index.html").read_bytes() == b"from the forked process"
    assert (tmp_path / "parent/index.html").read_bytes() == b"from the parent"
