"""Rendering in forked worker processes gives the same files as rendering in one process.

Workers need a database of their own to connect to, so this runs `podium export` as a
command over a SQLite file loaded from `podium dumppublic`, as a deployment would.
"""

import os
import pty
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command

from tests.export.conftest import tree
from tests.factories import TalkFactory


def podium_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NO_COLOR")}
    env["PODIUM_DATA_DIR"] = str(data)
    return env


def podium(*args: str, data: Path) -> str:
    env = podium_env(data)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "podium"), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_workers_write_the_same_site_as_one(site, tmp_path):
    # Enough talks for the export to fork its renderers (more than IN_PROCESS_JOBS pages),
    # an archive of three pages, and batches that cut across an archive page's talks.
    # Upcoming talks too: the feeds, rendered last, are built from events sent back by the
    # workers that rendered the talks' calendar files.
    for number in range(130):
        start = site.past.start - timedelta(days=7 * (number + 1))
        TalkFactory(series=site.series, title=f"Archived talk {number}", start=start)
    for number in range(40):
        start = site.upcoming.start + timedelta(days=7 * (number + 1))
        TalkFactory(series=site.series, title=f"Upcoming talk {number}", start=start)
    call_command("dumppublic", str(tmp_path / "snapshot"))
    data = tmp_path / "data"
    podium("migrate", "--verbosity", "0", data=data)
    podium("loaddata", str(tmp_path / "snapshot" / "series.json"), data=data)
    (data / "media").mkdir(exist_ok=True)
    subprocess.run(
        ["cp", "-R", f"{tmp_path / 'snapshot' / 'media'}/.", str(data / "media")], check=True
    )
    base = ["--base-url", "https://user.github.io/repo/", "--no-progress"]
    podium("export", str(tmp_path / "one"), "--jobs", "1", *base, data=data)
    out = podium("export", str(tmp_path / "two"), "--jobs", "2", *base, data=data)
    assert "0 removed" in out
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(one) > 2 * 170
    assert (tmp_path / "one" / "calendar.ics").read_bytes().count(b"BEGIN:VEVENT") > 40
    assert one == two
    # On a terminal: a progress bar in the terminal's own colours, whose total never goes
    # down while batches are out being rendered.
    shown = on_a_terminal([*base[:-1], "--jobs", "2"], tmp_path / "three", data)
    assert "\x1b[" not in shown
    bar = r"\rRendering \[[#.]{30}\] (\d+)/(\d+)"
    bars = [(int(done), int(total)) for done, total in re.findall(bar, shown)]
    assert len(bars) > 10
    assert [total for _, total in bars] == sorted(total for _, total in bars)
    # Every file but the manifest, the sitemap, robots.txt and .nojekyll, written after.
    assert bars[-1][0] == bars[-1][1] == len(one) - 4
    assert all(done <= total for done, total in bars)
    assert tree(tmp_path / "three") == one


def on_a_terminal(args: list[str], directory: Path, data: Path) -> str:
    """What `podium export` writes to a terminal (stdout and stderr both)."""
    controller, terminal = pty.openpty()
    env = {**podium_env(data), "TERM": "xterm"}
    command = [str(Path(sys.executable).parent / "podium"), "export", str(directory), *args]
    with subprocess.Popen(command, env=env, stdout=terminal, stderr=terminal) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            chunks.append(chunk)
    os.close(controller)
    assert process.returncode == 0, b"".join(chunks)
    return b"".join(chunks).decode()
