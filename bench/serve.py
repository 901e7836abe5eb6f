"""Serving benchmark: public pages of a 10,000-talk series under load, against a trivial view.

Runs the production server (gunicorn, 2 workers) on throwaway SQLite data folders and loads
it with wrk from a separate process. Everything is measured in this run and printed as
ratios: each page's throughput against `/healthz` (a trivial view through the same stack),
the home page with 10,000 talks against 10 talks, p99 latency at 50 connections, and the
peak memory (VmHWM) of each gunicorn worker. Both the default (page cache on) and the
uncached rendering path (PODIUM_PAGE_CACHE_SECONDS=0) are measured.

    .venv/bin/python bench/serve.py [--talks 10000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = 50

LOAD_SCRIPT = """
import sys
from datetime import UTC, datetime, timedelta
from podium.seminars.models import Person, Series, Talk, TalkSpeaker, Visibility
from podium.seminars.talks import talk_slug_base

count = int(sys.argv[1])
series = Series.objects.create(
    slug="bench", name="Benchmark Seminars", short_name="Bench", visibility=Visibility.PUBLIC,
    description="A series with a long history.", time_zone="Europe/London",
)
now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
people = Person.objects.bulk_create(
    Person(name=f"Speaker {i}", affiliation="University", bio=f"Bio of *speaker* {i}.",
           bio_html=f"<p>Bio of <em>speaker</em> {i}.</p>")
    for i in range(count)
)
talks = []
for i in range(count):
    # Two upcoming talks; the rest are the archive, one a week back in time.
    start = now + timedelta(days=7 * (2 - i))
    talk = Talk(series=series, title=f"Talk number {i} on privacy", start=start,
                abstract=f"Abstract {i}.", abstract_html=f"<p>Abstract {i}.</p>",
                abstract_text=f"Abstract {i}.",
                recording_url=f"https://video.example/{i}")
    talk.slug = f"{talk_slug_base(talk)}-{i}"
    talks.append(talk)
talks = Talk.objects.bulk_create(talks, batch_size=2000)
TalkSpeaker.objects.bulk_create(
    (TalkSpeaker(talk=t, person=p, position=0) for t, p in zip(talks, people)), batch_size=2000
)
print(talks[-1].get_absolute_url())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir: Path, cache_seconds: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_PAGE_CACHE_SECONDS=str(cache_seconds),
        PODIUM_LOG_LEVEL="WARNING",
    )
    return env


def podium(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podium", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def build(data_dir: Path, talks: int) -> str:
    """Create a data folder with one series of `talks` talks; return a talk's path."""
    env = environment(data_dir, 60)
    podium(env, "migrate", "--verbosity", "0")
    podium(env, "collectstatic", "--noinput", "--verbosity", "0")
    result = podium(
        env, "shell", "--no-imports", "-c", LOAD_SCRIPT.replace("sys.argv[1]", str(talks))
    )
    return result.stdout.strip().splitlines()[-1]


class Server:
    """gunicorn with 2 workers on a data folder, as `podium serve` runs it."""

    def __init__(self, data_dir: Path, cache_seconds: int):
        sys.path.insert(0, str(ROOT))
        from podium.seminars.processes import server_command

        self.port = free_port()
        command = server_command("127.0.0.1", self.port, workers=2)
        command = [c for c in command if c not in ("--access-logfile", "-")]
        self.process = subprocess.Popen(
            command,
            env=environment(data_dir, cache_seconds),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def peak_memory_mb(self) -> list[float]:
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return peaks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url: str, seconds: int, headers: tuple[str, ...] = ()) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) at 50 connections (`headers`: wrk -H args)."""
    urllib.request.urlopen(url, timeout=60).read()  # warm the page (and its cache)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rate, float(p99.group(1)) * scale


def measure(base: str, pages: dict, seconds: int, rounds: int) -> dict:
    """Best of `rounds` interleaved runs per URL: the machine's other load hits all alike."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for name, path in pages.items():
            rate, p99 = wrk(base + path, seconds)
            if name not in best or rate > best[name][0]:
                best[name] = (rate, p99)
    return best


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="podium-bench-") as tmp:
        big, small = Path(tmp, "big"), Path(tmp, "small")
        print(f"Building data folders: {options.talks} talks and 10 talks ...", flush=True)
        talk_path = build(big, options.talks)
        build(small, 10)
        rows = []
        peaks: list[float] = []
        for cache_seconds, label in ((60, "page cache on (default)"), (0, "page cache off")):
            server = Server(big, cache_seconds)
            try:
                pages = {
                    "trivial view (/healthz)": "/healthz",
                    "home page": "/bench/",
                    "archive page 1": "/bench/past/",
                    "talk page": talk_path,
                }
                results = measure(server.base, pages, options.seconds, options.rounds)
                peaks += server.peak_memory_mb()
            finally:
                server.stop()
            server = Server(small, cache_seconds)
            try:
                small_home = measure(
                    server.base, {"home": "/bench/"}, options.seconds, options.rounds
                )["home"]
            finally:
                server.stop()
            rows.append((label, results, small_home))
    print()
    print(
        f"Serving benchmark: {options.talks} talks, gunicorn 2 workers, "
        f"wrk {CONNECTIONS} connections, best of {options.rounds} x {options.seconds} s per URL"
    )
    for label, results, small_home in rows:
        trivial = results["trivial view (/healthz)"][0]
        print(f"\n[{label}]")
        print(f"  {'URL':<26}{'req/s':>9}{'p99 ms':>9}{'ratio to trivial':>18}")
        for name, (rate, p99) in results.items():
            print(f"  {name:<26}{rate:>9.0f}{p99:>9.1f}{rate / trivial:>18.2f}")
        home = results["home page"][0]
        print(f"  home page, 10 talks       {small_home[0]:>9.0f}{small_home[1]:>9.1f}")
        print(
            f"  home page, {options.talks} vs 10 talks: "
            f"ratio {home / small_home[0]:.2f} (target >= 0.9)"
        )
        worst_p99 = max(p99 for _, p99 in results.values())
        print(f"  worst p99 at {CONNECTIONS} connections: {worst_p99:.1f} ms (target < 50 ms)")
    print(f"\nPeak memory per worker: {', '.join(f'{p:.0f} MB' for p in peaks)} (target < 150 MB)")


if __name__ == "__main__":
    main()
