#!/usr/bin/env python3
"""Podium's static export from PostgreSQL against the same export from SQLite.

The talks of ../shared/bench/gen_talks.py (default 10,000), with their dates moved so that
the archive ends two weeks from now (bench/export.py's "archive ends now"; `--dates as-is`
keeps gen_talks' own), loaded once into a SQLite data folder (the reference) and once into
a throwaway PostgreSQL server (scripts/with-postgres, which this script runs itself under).
Then, `--repeat` times and interleaved: a full export of each into an empty folder, and an
export after one talk changed. It prints the fastest runs, PostgreSQL's ratios to SQLite,
and the CPU time of the exporting processes and of the PostgreSQL server (which shares the
machine's cores with the export, so its work shows in the wall time too).

Usage: bench/export_postgres.py [--talks N] [--dates archive|as-is] [--jobs J] [--repeat R]
                                [--workdir DIR]
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from export import EDIT, LOAD, ROOT, VENV_PODIUM, best, compile_podium, generate, spread, timed

WITH_POSTGRES = ROOT / "scripts" / "with-postgres"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def environment(data_dir: Path, database_url: str | None) -> dict:
    """Podium's settings for one database: SQLite in the data folder, or PostgreSQL."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PODIUM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="podium.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def server_cpu() -> float:
    """CPU seconds of every PostgreSQL process so far, with the backends that have ended
    (the server collects their time when it reaps them)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        if name.startswith("postgres"):
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / CLOCK_TICKS


def exports(env: dict, out: Path, jobs: int) -> dict:
    """A full export into an empty folder, then one after a talk changed; each with the
    server's CPU time over it."""
    base_url = "https://user.github.io/seminars/"
    command = [str(VENV_PODIUM), "export", str(out), "--base-url", base_url, "--jobs", str(jobs)]
    command.append("--no-progress")
    runs = {}
    for name in ("full", "one"):
        if name == "one":
            subprocess.run([sys.executable, "-c", EDIT], check=True, env=env, cwd=ROOT)
        before = server_cpu()
        runs[name] = (*timed(command, env=env), server_cpu() - before)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--dates", choices=["archive", "as-is"], default="archive")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default=None, help="where to work (e.g. /dev/shm)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        # Again, under a throwaway PostgreSQL server that sets DATABASE_URL.
        command = [str(WITH_POSTGRES), sys.executable, __file__, *sys.argv[1:]]
        sys.exit(subprocess.run(command).returncode)
    compile_podium()
    with tempfile.TemporaryDirectory(prefix="podium-bench-pg-", dir=args.workdir) as tmp:
        work = Path(tmp)
        talks = generate(args.talks, work / "gen") / "talks.json"
        envs = {
            "SQLite": environment(work / "sqlite-data", None),
            "PostgreSQL": environment(work / "pg-data", database_url),
        }
        load = LOAD.format(
            bench=str(ROOT / "bench" / "helpers"), talks=str(talks), shift=args.dates == "archive"
        )
        for env in envs.values():
            subprocess.run([sys.executable, "-c", load], check=True, env=env, cwd=ROOT)
        runs: dict[str, list[dict]] = {name: [] for name in envs}
        for repeat in range(args.repeat):
            for name, env in envs.items():
                runs[name].append(exports(env, work / f"site-{name}-{repeat}", args.jobs))
        print(f"{args.talks} talks ({args.dates} dates), --jobs {args.jobs}, best of {args.repeat}")
        reference: dict[str, tuple] = {}
        for name in envs:
            for kind, label in (("full", "full export"), ("one", "one talk changed")):
                measured = [run[kind] for run in runs[name]]
                fastest = best([m[:4] for m in measured])
                server = min(measured, key=lambda m: m[0])[4]
                reference.setdefault(kind, fastest)
                ratio = fastest[0] / reference[kind][0]
                on_server = f" + {server:.2f} s (server)" if name == "PostgreSQL" else ""
                print(
                    f"{name:10s} {label:17s} {fastest[0]:6.2f} s  ratio to SQLite {ratio:.2f}  "
                    f"peak {fastest[1]:4d} MB  cpu {fastest[2]:.2f} s{on_server}  "
                    f"runs {spread(measured)}"
                )


if __name__ == "__main__":
    main()
