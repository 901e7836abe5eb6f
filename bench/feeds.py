"""Feeds benchmark: the calendar feed of a 10,000-talk series, built and served.

In one run it prints:
- the time to build the full ICS feed in process, and its size, for two series of 10,000
  talks: a long history (one talk a week, so the 90-day window keeps few) and a worst case
  (every talk in the future, so all 10,000 are in the feed); then 1,000 single-talk files;
  each against the icalendar library building the same calendars in the same run (ratio);
- the throughput of the conditional path (If-None-Match answered 304) as a ratio to
  `/healthz`, a trivial view served by the same gunicorn (target at least 0.8);
- the throughput of the full feed (200), also as a ratio to `/healthz`.

The server is the production one (gunicorn, 2 workers, `processes.server_command`) on a
throwaway SQLite data folder; load comes from wrk in a separate process.

    .venv/bin/python bench/feeds.py [--talks 10000] [--seconds 3] [--rounds 5] [--build-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import Server, ensure_wrk, environment, podium, wrk

LOAD_SCRIPT = """
import json, sys, time
from datetime import UTC, datetime, timedelta
sys.path.insert(0, __REPO__)
from podium.feeds.ical import series_ics_bytes, talk_ics_bytes
from podium.feeds.window import calendar_talks, feed_window
from tests.feeds import icalendar_reference as reference
from podium.seminars.models import Person, Series, Talk, TalkSpeaker, Visibility
from podium.seminars.text import html_to_text, render_markdown

COUNT = __COUNT__
ABSTRACT = ("We study how an adversary can *recover training data* from a deployed model, "
            "and what [defences](https://example.org/paper) cost. ") * 4
ABSTRACT_HTML = render_markdown(ABSTRACT)
ABSTRACT_TEXT = html_to_text(ABSTRACT_HTML)
now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def make_series(slug, start_of):
    series = Series.objects.create(
        slug=slug, name=f"Benchmark {slug}", short_name=slug, visibility=Visibility.PUBLIC,
        description="A series with a long history.", time_zone="Europe/London",
    )
    people = Person.objects.bulk_create(
        Person(name=f"Speaker {slug} {i}", affiliation="University of Somewhere")
        for i in range(COUNT)
    )
    talks = Talk.objects.bulk_create(
        (
            Talk(series=series, title=f"Talk number {i} on privacy", start=start_of(i),
                 slug=f"talk-{i}", abstract=ABSTRACT, abstract_html=ABSTRACT_HTML,
                 abstract_text=ABSTRACT_TEXT,
                 registration_url="https://example.org/register",
                 livestream_url="https://example.org/live")
            for i in range(COUNT)
        ),
        batch_size=2000,
    )
    TalkSpeaker.objects.bulk_create(
        (TalkSpeaker(talk=t, person=p, position=0) for t, p in zip(talks, people)),
        batch_size=2000,
    )
    return series


history = make_series("history", lambda i: now + timedelta(days=7 * (2 - i)))
future = make_series("future", lambda i: now + timedelta(hours=6 * (i + 1)))
window = feed_window()


def best_of(rounds, build):
    best, body = None, None
    for _ in range(rounds):
        began = time.perf_counter()
        body = build()
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    return best, body


result = {}
for series in (history, future):
    seconds, body = best_of(3, lambda: series_ics_bytes(series, window))
    reference_seconds, reference_body = best_of(
        3, lambda: reference.series_ics_bytes(series, window))
    result[series.slug] = {"seconds": seconds, "reference_seconds": reference_seconds,
                           "identical": body == reference_body, "bytes": len(body),
                           "events": body.count(b"BEGIN:VEVENT")}
# Single-talk files, from talks already loaded with their relations (as the export has them).
talks = list(calendar_talks(future, window)[:1000])
files = lambda build: [build(talk) for talk in talks]
seconds, bodies = best_of(3, lambda: files(talk_ics_bytes))
reference_seconds, reference_bodies = best_of(3, lambda: files(reference.talk_ics_bytes))
result["talk files"] = {"seconds": seconds, "reference_seconds": reference_seconds,
                        "identical": bodies == reference_bodies, "events": len(talks),
                        "bytes": sum(map(len, bodies))}
print(json.dumps(result))
"""


def build(data_dir: Path, talks: int) -> dict:
    """A data folder with two series of `talks` talks; returns the in-process build times."""
    env = environment(data_dir, 60)
    podium(env, "migrate", "--verbosity", "0")
    podium(env, "collectstatic", "--noinput", "--verbosity", "0")
    repo = str(Path(__file__).resolve().parents[1])
    script = LOAD_SCRIPT.replace("__COUNT__", str(talks)).replace("__REPO__", repr(repo))
    result = podium(env, "shell", "--no-imports", "-c", script)
    return json.loads(result.stdout.strip().splitlines()[-1])


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.headers["ETag"]


def print_built(built: dict, talks: int) -> None:
    """The in-process build times, ours against icalendar's."""
    print(
        f"\nBuilding in process, 2 series of {talks} talks (best of 3): Podium's writer against "
        "the icalendar library building the same calendars (tests/feeds/icalendar_reference.py)"
    )
    print(
        f"  {'':<11}{'events':>7}{'KiB':>9}{'ms':>10}{'icalendar ms':>14}{'ratio':>8}"
        f"{'ms/event':>10}{'same bytes':>12}"
    )
    for name, figures in built.items():
        ratio = figures["seconds"] / figures["reference_seconds"]
        print(
            f"  {name:<11}{figures['events']:>7}{figures['bytes'] / 1024:>9.0f}"
            f"{figures['seconds'] * 1000:>10.1f}{figures['reference_seconds'] * 1000:>14.1f}"
            f"{ratio:>8.3f}{figures['seconds'] * 1000 / max(figures['events'], 1):>10.3f}"
            f"{'yes' if figures['identical'] else 'NO':>12}"
        )


def serve(data_dir: Path, seconds: int, rounds: int) -> None:
    """Serve the data folder with gunicorn and print the feeds' throughput against /healthz."""
    server = Server(data_dir, 60)
    try:
        base = server.base
        urls = {
            "trivial view (/healthz)": (f"{base}/healthz", []),
            "history feed, 304": (
                f"{base}/history/calendar.ics",
                ["-H", f"If-None-Match: {etag_of(base + '/history/calendar.ics')}"],
            ),
            "history feed, 200": (f"{base}/history/calendar.ics", []),
            "future feed, 304": (
                f"{base}/future/calendar.ics",
                ["-H", f"If-None-Match: {etag_of(base + '/future/calendar.ics')}"],
            ),
            "future feed, 200": (f"{base}/future/calendar.ics", []),
        }
        # Each measurement runs right after one of the trivial view, and the ratio of the
        # pair is kept: on a shared machine the load drifts between runs, less within one.
        rates: dict[str, list[float]] = {name: [] for name in urls}
        ratios: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(rounds):
            for name, (url, headers) in urls.items():
                trivial_url, _ = urls["trivial view (/healthz)"]
                trivial_rate, _ = wrk(trivial_url, seconds)
                rate, _ = wrk(url, seconds, tuple(headers))
                rates[name].append(rate)
                ratios[name].append(rate / trivial_rate)
    finally:
        server.stop()
    print(
        f"\nServed by gunicorn (2 workers), wrk: {rounds} rounds of {seconds} s per URL, "
        "each run paired with one of /healthz just before it (median and range of the "
        "pairs' ratios):"
    )
    print(f"  {'URL':<26}{'median req/s':>14}{'ratio to trivial':>18}{'range':>14}")
    for name in urls:
        low, high = min(ratios[name]), max(ratios[name])
        print(
            f"  {name:<26}{statistics.median(rates[name]):>14.0f}"
            f"{statistics.median(ratios[name]):>18.2f}{f'{low:.2f}-{high:.2f}':>14}"
        )
    for slug in ("history", "future"):
        ratio = statistics.median(ratios[f"{slug} feed, 304"])
        print(f"  {slug} 304 path vs trivial view: {ratio:.2f} (target >= 0.8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--build-only", action="store_true", help="skip the served part")
    options = parser.parse_args()
    if not options.build_only:
        ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="podium-bench-feeds-") as tmp:
        data_dir = Path(tmp)
        print(f"Building a data folder with 2 series of {options.talks} talks ...", flush=True)
        built = build(data_dir, options.talks)
        print_built(built, options.talks)
        if not options.build_only:
            serve(data_dir, options.seconds, options.rounds)


if __name__ == "__main__":
    main()
