#!/usr/bin/env python3
"""Podium's static export against Hugo and Jekyll on the same synthetic archive.

Uses ../shared/bench/gen_talks.py (see its README): N talks (default 10,000) as talks.json,
a Hugo site and a Jekyll site. In one run it times and prints, with ratios:
  - Hugo building N talks (the reference), and Jekyll building the 2,000-talk set (Jekyll
    needs minutes for 10,000; its ratio is against Hugo on the same 2,000);
  - Podium's full export of N talks into an empty folder;
  - Podium's export after one talk changed (same folder), beside what starting the
    command costs alone (`podium export --help`: Python, Django and the export's code);
each with the peak memory of its whole process tree (sampled: RSS summed over the
processes, and PSS, which shares the pages forked workers hold in common among them).

Podium's export is run on two loadings of the same talks: with gen_talks' own dates, which
run to the year 2398 (so almost every talk is "upcoming" and the series home page lists
9,700 of them), and moved so that the archive ends two weeks from now (a realistic series:
a handful upcoming, the rest in the archive).

A second Hugo reference builds the same content with templates that do what Podium's
pages do (bench/hugo_same_pages: full talk pages with OpenGraph, JSON-LD and calendar links,
a calendar file per talk, the archive in pages of 50): gen_talks' Hugo templates are one
line each and write one file per talk, so the first reference measures less work.

Each measure is taken --repeat times (default 3), Hugo's and Podium's runs interleaved, and
the fastest of each counts: creating 20,000 files moves by seconds from run to run on this
machine's disk (docs/benchmarks.md).

Usage: bench/export.py [--talks N] [--dates as-is|archive|both] [--jobs J] [--repeat R]
                       [--workdir DIR]
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
VENV_PODIUM = ROOT / ".venv" / "bin" / "podium"


def shared_generator() -> Path:
    """gen_talks.py from ../shared/bench (CI's layout), or from `PODIUM_SHARED_DIR`/bench
    (a git worktree is not next to `shared/`)."""
    shared = (
        Path(os.environ["PODIUM_SHARED_DIR"]) / "bench"
        if "PODIUM_SHARED_DIR" in os.environ
        else SHARED
    )
    if not (shared / "gen_talks.py").is_file():
        sys.exit(f"bench/export.py: {shared / 'gen_talks.py'} not found (set PODIUM_SHARED_DIR)")
    return shared / "gen_talks.py"


def ensure_tools() -> None:
    """Hugo and Jekyll from Debian, installed when missing."""
    missing = [tool for tool in ("hugo", "jekyll") if shutil.which(tool) is None]
    if missing:
        print(f"installing {' '.join(missing)} from Debian ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", *missing],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )


def compile_podium() -> None:
    """Podium's modules byte-compiled, as an installed package's are: an editable install
    (`make install`) leaves that to the first import, and where PYTHONDONTWRITEBYTECODE is
    set (as on CI) every `podium` process would compile them again."""
    subprocess.run([str(VENV_PYTHON), "-m", "compileall", "-q", str(ROOT / "podium")], check=True)


def podium_python() -> str:
    """The interpreter Podium runs on (its build matters: docs/benchmarks.md)."""
    probe = "import os, sys; print(sys.version.split()[0], os.path.realpath(sys.executable))"
    answer = subprocess.run([str(VENV_PYTHON), "-c", probe], capture_output=True, text=True)
    return answer.stdout.strip() or "unknown"


def _tree_memory_kb(root_pid: int) -> tuple[int, int]:
    """Memory of a process and all its descendants, in KB (from /proc): resident (RSS)
    summed, which counts twice the pages forked workers share with their parent, and
    proportional (PSS: each shared page divided among the processes that share it)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total_rss = total_pss = 0
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        total_rss += rss.get(pid, 0)
        total_pss += _pss_kb(pid)
        todo += children.get(pid, [])
    return total_rss, total_pss


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple:
    """Run a command; return wall seconds, peak RSS (MB) of its process tree, CPU seconds
    (user + system, its reaped workers included: the CPU figure moves less than the wall
    time when other work shares the machine) and peak PSS (MB) of the tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory_kb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, peak // 1024, cpu, peak_pss // 1024


def generate(count: int, folder: Path) -> Path:
    subprocess.run(
        [sys.executable, str(shared_generator()), str(count), str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder


def podium_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PODIUM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="podium.settings")
    return env


LOAD = """
import json, sys
from datetime import datetime, timedelta, UTC
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
sys.path.insert(0, {bench!r})
from archive_loader import load_archive
talks = json.load(open({talks!r}))
if {shift!r}:
    last = datetime.fromisoformat(talks[-1]["start"])
    shift = (datetime.now(UTC).replace(tzinfo=None) + timedelta(days=14)) - last
    shift = timedelta(weeks=shift.days // 7)  # whole weeks keep the weekday and the hour
    for talk in talks:
        talk["start"] = (datetime.fromisoformat(talk["start"]) + shift).isoformat()
    json.dump(talks, open({talks!r} + ".moved.json", "w"))
    load_archive({talks!r} + ".moved.json")
else:
    load_archive({talks!r})
"""

EDIT = """
import django
django.setup()
from podium.seminars.models import Talk
from podium.seminars.talks import save_talk
talk = Talk.objects.order_by("start")[len(Talk.objects.all()) // 2]
talk.abstract += " One more sentence, added for the benchmark."
save_talk(talk)
"""


def same_pages_site(generated: Path, work: Path) -> Path:
    """gen_talks' content under the templates of bench/hugo_same_pages."""
    site = work / "hugo-same-pages"
    shutil.copytree(ROOT / "bench" / "hugo_same_pages", site)
    (site / "content").symlink_to(generated / "hugo" / "content")
    return site


def load_podium(talks_json: Path, work: Path, shift: bool) -> Path:
    """A data folder holding the talks (loaded once; each repeat exports a copy of it)."""
    data = work / ("data-archive" if shift else "data-as-is")
    script = LOAD.format(bench=str(ROOT / "bench" / "helpers"), talks=str(talks_json), shift=shift)
    subprocess.run([sys.executable, "-c", script], check=True, env=podium_env(data), cwd=ROOT)
    return data


def podium_run(data: Path, work: Path, name: str, jobs: int) -> dict:
    """A full export of a fresh copy of the data, then one after a talk changed; then the
    same change brought in by a running exporter (`podium export --watch`)."""
    copy = work / f"{name}-data"
    shutil.copytree(data, copy)
    env = podium_env(copy)
    out = work / f"{name}-site"
    command = [
        str(VENV_PODIUM),
        "export",
        str(out),
        "--base-url",
        "https://user.github.io/seminars/",
        "--jobs",
        str(jobs),
        "--no-progress",
    ]
    full = timed(command, env=env)
    subprocess.run([sys.executable, "-c", EDIT], check=True, env=env, cwd=ROOT)
    one = timed(command, env=env)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    # What any `podium export` costs before it exports: Python, Django and the command's code.
    start = timed([str(VENV_PODIUM), "export", "--help"], env=env)
    return {
        "full": full,
        "one": one,
        "start": start,
        "files": files,
        "watched": watched_change(command, env),
    }


EXPORTED_IN = re.compile(r"^Exported to .*\((\d+) pages rendered\) in ([\d.]+) s\.$")


def watched_change(command: list[str], env: dict) -> tuple[float, float, int]:
    """A talk changed under a running exporter: the export's own time, the time from the
    change's commit to the export's report (the look for changes comes every 0.05 s), and
    the pages it rendered."""
    watcher = subprocess.Popen(
        [*command, "--watch", "--interval", "0.05"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        if not EXPORTED_IN.match(watcher.stdout.readline().strip()):  # the first export
            sys.exit("podium export --watch did not report its first export")
        subprocess.run([sys.executable, "-c", EDIT], check=True, env=env, cwd=ROOT)
        changed = time.perf_counter()
        report = EXPORTED_IN.match(watcher.stdout.readline().strip())
        latency = time.perf_counter() - changed
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=60)
    if report is None:
        sys.exit("podium export --watch did not report the export after the change")
    return float(report.group(2)), latency, int(report.group(1))


def best(runs: list[tuple]) -> tuple:
    """The fastest of repeated runs (wall time), with the highest peak memory of them all."""
    fastest = min(runs, key=lambda run: run[0])
    return fastest[0], max(run[1] for run in runs), fastest[2], max(run[3] for run in runs)


def spread(runs: list[tuple]) -> str:
    walls = sorted(run[0] for run in runs)
    return f"{walls[0]:.2f}-{walls[-1]:.2f} s" if len(walls) > 1 else f"{walls[0]:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--jekyll-talks", type=int, default=2_000)
    parser.add_argument("--dates", choices=["as-is", "archive", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of Hugo and of each Podium export, interleaved; the fastest of each counts "
        "(file creation on a busy disk moves both tools by seconds from run to run)",
    )
    parser.add_argument(
        "--workdir",
        default=None,
        help="where the sites are generated and built (default: the system's temporary "
        "folder); /dev/shm takes the disk out of the comparison",
    )
    args = parser.parse_args()
    ensure_tools()
    compile_podium()
    variants = {"as-is": [False], "archive": [True], "both": [False, True]}[args.dates]
    names = {False: "gen_talks dates", True: "archive ends now"}
    with tempfile.TemporaryDirectory(prefix="podium-bench-export-", dir=args.workdir) as tmp:
        work = Path(tmp)
        big = generate(args.talks, work / f"gen-{args.talks}")
        small = generate(args.jekyll_talks, work / f"gen-{args.jekyll_talks}")
        hugo_small = timed(["hugo", "--quiet", "-d", str(work / "hugo-s")], cwd=small / "hugo")
        jekyll = timed(
            ["jekyll", "build", "-q", "-d", str(work / "jekyll-out")], cwd=small / "jekyll"
        )
        data = {shift: load_podium(big / "talks.json", work, shift) for shift in variants}
        load = os.getloadavg()[0]
        same_site = same_pages_site(big, work)
        hugo_runs: list[tuple] = []
        same_runs: list[tuple] = []
        podium: dict[bool, list[dict]] = {shift: [] for shift in variants}
        for repeat in range(args.repeat):
            out = work / f"hugo-out-{repeat}"
            hugo_runs.append(timed(["hugo", "--quiet", "-d", str(out)], cwd=big / "hugo"))
            same_out = work / f"hugo-same-out-{repeat}"
            same_runs.append(timed(["hugo", "--quiet", "-d", str(same_out)], cwd=same_site))
            for shift in variants:
                name = f"{'archive' if shift else 'as-is'}-{repeat}"
                podium[shift].append(podium_run(data[shift], work, name, args.jobs))
        hugo = best(hugo_runs)
        same = best(same_runs)
        print(f"machine: {os.cpu_count()} cores; Podium --jobs {args.jobs}; best of {args.repeat}")
        print(f"Podium's Python: {podium_python()}")
        print(f"load average before the timed runs: {load:.1f}")
        print(
            f"Hugo, {args.talks} talks:   {hugo[0]:7.2f} s  peak {hugo[1]:5d} MB  "
            f"pss {hugo[3]:5d} MB  cpu {hugo[2]:6.2f} s  (reference; runs {spread(hugo_runs)})"
        )
        print(
            f"Hugo, same pages as Podium: {same[0]:7.2f} s  peak {same[1]:5d} MB  "
            f"pss {same[3]:5d} MB  cpu {same[2]:6.2f} s  (runs {spread(same_runs)})"
        )
        print(
            f"Jekyll, {args.jekyll_talks} talks: {jekyll[0]:7.2f} s  peak {jekyll[1]:5d} MB  "
            f"({jekyll[0] / hugo_small[0]:.1f}x Hugo's {hugo_small[0]:.2f} s on the same set)"
        )
        results = {}
        for shift in variants:
            runs = podium[shift]
            full, one = best([r["full"] for r in runs]), best([r["one"] for r in runs])
            results[names[shift]] = runs
            print(f"Podium, {args.talks} talks, {names[shift]} ({runs[0]['files']} files):")
            print(
                f"  full export          {full[0]:7.2f} s  peak {full[1]:5d} MB  "
                f"ratio to Hugo {full[0] / hugo[0]:.2f} (target <= 1.0); "
                f"memory ratio {full[1] / max(hugo[1], 1):.2f} (target < 1.0); "
                f"by PSS {full[3]} MB, {full[3] / max(hugo[3], 1):.2f}; "
                f"cpu {full[2]:.2f} s, {full[2] / hugo[2]:.2f}x Hugo's; "
                f"runs {spread([r['full'] for r in runs])}"
            )
            print(
                f"  against Hugo building the same pages: time {full[0] / same[0]:.2f}, "
                f"memory {full[1] / max(same[1], 1):.2f}, cpu {full[2] / same[2]:.2f}"
            )
            start = best([r["start"] for r in runs])
            print(
                f"  one talk changed     {one[0]:7.2f} s  peak {one[1]:5d} MB  "
                f"ratio to full export {one[0] / full[0]:.3f} (target <= 0.1); "
                f"runs {spread([r['one'] for r in runs])}; "
                f"of it starting Python, Django and the command {start[0]:.2f} s "
                f"({start[0] / full[0]:.3f} of the full export)"
            )
            watched = min((r["watched"] for r in runs), key=lambda w: w[0])
            watched_runs = ", ".join(f"{r['watched'][0]:.2f}" for r in runs)
            print(
                f"  one talk changed, running exporter (--watch): export {watched[0]:.2f} s, "
                f"ratio to full export {watched[0] / full[0]:.3f} (target <= 0.1); "
                f"change to report {watched[1]:.2f} s; {watched[2]} pages rendered; "
                f"runs {watched_runs} s"
            )
        print(
            json.dumps(
                {
                    "hugo": hugo_runs,
                    "hugo_same_pages": same_runs,
                    "jekyll": jekyll,
                    "hugo_small": hugo_small,
                    "podium": results,
                }
            )
        )


if __name__ == "__main__":
    main()
