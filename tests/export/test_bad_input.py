"""Bad input to `podium export`: a clear message, and the previous export left as it was."""

import contextlib
import os
import resource
import signal
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from podium.export.output import ExportError
from tests.export.conftest import BASE_URL, tree
from tests.factories import TalkFactory


def run_export(*args: str) -> None:
    call_command("export", *args, "--no-progress", "--jobs", "1")


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "github.io/repo",
        "ftp://example.org/",
        "https://",
        "https://ex ample.org/",
        "https://example.org/?page=1",
        "https://example.org:port/",
    ],
)
def test_a_base_url_that_is_not_a_web_address_is_refused(site, tmp_path, url):
    with pytest.raises(CommandError, match=r"web address|query or fragment|port|spaces"):
        run_export(str(tmp_path / "site"), "--base-url", url)
    assert not (tmp_path / "site").exists()


def test_an_unknown_series_is_named_with_the_ones_that_exist(site, tmp_path):
    with pytest.raises(CommandError) as raised:
        run_export(str(tmp_path / "site"), "--base-url", BASE_URL, "--series", "prisec", "nope")
    message = str(raised.value)
    assert "No public series called prisec, nope" in message
    assert "crypto-club, prisec-ml" in message


def test_a_draft_series_cannot_be_exported(site, tmp_path):
    site.other.visibility = "draft"
    site.other.save()
    with pytest.raises(CommandError, match=r"No public series called crypto-club"):
        run_export(str(tmp_path / "site"), "--base-url", BASE_URL, "--series", "crypto-club")


def test_a_file_in_place_of_the_folder_is_refused(site, tmp_path):
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(CommandError, match=r"is not a folder"):
        run_export(str(tmp_path / "site"), "--base-url", BASE_URL)


@contextlib.contextmanager
def read_only_folder(path: Path):
    """A folder nobody may write in: a read-only tmpfs as root (root ignores modes)."""
    path.mkdir()
    if os.geteuid() == 0:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], capture_output=True
        )
        if mounted.returncode != 0:
            pytest.skip(f"root cannot mount a read-only tmpfs here: {mounted.stderr.decode()}")
        try:
            yield path
        finally:
            subprocess.run(["umount", str(path)], check=True)
    else:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)


def test_an_unwritable_folder_is_refused_with_a_message(site, tmp_path):
    with read_only_folder(tmp_path / "locked") as locked:
        with pytest.raises(CommandError, match=r"cannot write in .*locked.*permissions"):
            run_export(str(locked / "site"), "--base-url", BASE_URL)
        with pytest.raises(CommandError, match=r"cannot write in .*locked.*permissions"):
            run_export(str(locked), "--base-url", BASE_URL)


def test_the_command_reports_what_it_did(site, tmp_path, capsys):
    run_export(str(tmp_path / "site"), "--base-url", BASE_URL)
    assert "files written, 0 unchanged, 0 removed" in capsys.readouterr().out
    run_export(str(tmp_path / "site"), "--base-url", BASE_URL)
    assert " 0 files written, " in capsys.readouterr().out


def _fill_then_fail(site, export, folder: Path, limit=None) -> None:
    """Export once, change the data, then export into a disk that cannot take the change."""
    export(folder)
    before = tree(folder)
    for n in range(30):
        TalkFactory(
            series=site.series,
            title=f"Padding {n} " + "x" * 40,
            abstract="Long abstract. " * 400,
            start=site.upcoming.start,
        )
    with (
        limit or contextlib.nullcontext(),
        pytest.raises(ExportError, match=r"disk is full.*previous export in .* is unchanged"),
    ):
        export(folder)
    assert tree(folder) == before, "the previous export must be left exactly as it was"
    assert not [p for p in folder.parent.iterdir() if "podium-staging" in p.name]


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KB tmpfs, when this machine lets us mount one (as root; CI runs as root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); "
            "test_a_file_size_limit_mid_export covers the same path"
        )
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_disk_that_fills_up_mid_export_leaves_the_previous_export(site, export, small_disk):
    _fill_then_fail(site, export, small_disk / "site")


@contextlib.contextmanager
def file_size_limit():
    """No file over 16 KB: a write past it fails with EFBIG, like a full disk (no root needed).

    Only around the export itself: the limit is the whole process's, and pytest's own
    report (a file in CI) must not meet it.
    """
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


def test_a_file_size_limit_mid_export_leaves_the_previous_export(site, export, tmp_path):
    _fill_then_fail(site, export, tmp_path / "site", limit=file_size_limit())
