"""The `podium` console script (podium/cli.py), run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path


def podium(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PODIUM_DATA_DIR"] = str(data)
    command = [str(Path(sys.executable).parent / "podium"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_an_export_ends_at_once_with_its_summary_said(tmp_path):
    data = tmp_path / "data"
    assert podium("migrate", "--verbosity", "0", data=data).returncode == 0
    done = podium("export", str(tmp_path / "site"), "--no-progress", data=data)
    # No public series yet: a clear message and status 1, not a traceback.
    assert done.returncode == 1 and "no public series" in done.stderr
    assert podium("demo", "--no-serve", data=data).returncode == 0
    done = podium("export", str(tmp_path / "site"), "--no-progress", data=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Exported to {tmp_path / 'site'}: ")
    assert (tmp_path / "site" / "index.html").is_file()
    assert not list(tmp_path.glob(".site.podium-staging-*"))
