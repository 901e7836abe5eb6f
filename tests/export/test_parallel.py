"""Rendering in forked worker processes gives the same files as rendering in one process.

Workers need a database of their own to connect to, so this runs `podium export` as a
command over a SQLite file loaded from `podium dumppublic`, as a deployment would.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command

from tests.export.conftest import tree
from tests.factories import TalkFactory


def podium(*args: str, data: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PODIUM_DATA_DIR"] = str(data)
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
