"""Running `podium` commands in child processes, on a data folder of their own, as a user
runs them (`podium serve`, `podium export --watch`)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

PODIUM = [sys.executable, "-m", "podium"]


def environment(data: Path) -> dict[str, str]:
    """This process's environment for a child on the SQLite data folder `data`."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.pop("DATABASE_URL", None)
    env.pop("PODIUM_BASE_URL", None)
    env["PODIUM_DATA_DIR"] = str(data)
    return env


def podium(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    """Run a command to its end; it must succeed."""
    return subprocess.run(
        [*PODIUM, *arguments], env=env, capture_output=True, text=True, timeout=120, check=True
    )


def rename_last_talk(env: dict[str, str], title: str) -> None:
    """Give the last public talk a new title, as an organizer's edit does (`save_talk`)."""
    podium(
        env,
        "shell",
        "-c",
        "from podium.seminars.models import Talk\n"
        "from podium.seminars.talks import save_talk\n"
        "talk = Talk.objects.exclude(status='draft').order_by('start').last()\n"
        f"talk.title = {title!r}\n"
        "save_talk(talk)\n",
    )


def start(env: dict[str, str], *arguments: str) -> subprocess.Popen:
    """Start a command that runs until stopped (`serve`, `demo`), its output piped as one."""
    return subprocess.Popen(
        [*PODIUM, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def start_watcher(env: dict[str, str], site: Path) -> subprocess.Popen:
    """`podium export SITE --watch`, looking for changes every 0.1 s, its output piped."""
    return subprocess.Popen(
        [*PODIUM, "export", str(site), "--watch", "--interval", "0.1", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen, how: int = signal.SIGINT) -> str:
    """Stop a started command as a user (Ctrl-C) or a service manager (SIGTERM) does; what
    it printed. One that has not stopped 30 s later is killed."""
    try:
        process.send_signal(how)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return output
