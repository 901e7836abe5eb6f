"""Feeds benchmark: the calendar feed of a 10,000-talk series, built and served.

In one run it prints:
- the time to build the full ICS feed in process, and its size, for two series of 10,000
  talks: a long history (one talk a week, so the 90-day window keeps few) and a worst case
  (every talk in the future, so all 10,000 are in the feed);
- the throughput of the conditional path (If-None-Match answered 304) as a ratio to
  `/healthz`, a trivial view served by the same gunicorn (target at least 0.8);
- the throughput of the full feed (200), also as a ratio to `/healthz`.

The server is the production one (gunicorn, 2 workers, `processes.server_command`) on a
throwaway SQLite data folder; load comes from wrk in a separate process.

    .venv/bin/python bench/feeds.py [--talks 10000] [--seconds 3] [--rounds 5]
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
import json, time
from datetime import UTC, datetime, timedelta
from podium.feeds.ical import series_ics_bytes
from podium.feeds.window import feed_window
from podium.seminars.models import Person, Series, Talk, TalkSpeaker, Visibility
from podium.seminars.text import render_markdown

COUNT = __COUNT__
ABSTRACT = ("We study how an adversary can *recover training data* from a deployed model, "
            "and what [defences](https://example.org/paper) cost. ") * 4
ABSTRACT_HTML = render_markdown(ABSTRACT)
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
result = {}
for series in (history, future):
    best, body = None, b""
    for _ in range(3):
        began = time.perf_counter()
        body = series_ics_bytes(series, window)
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    result[series.slug] = {"seconds": best, "bytes": len(body),
                           "events": body.count(b"BEGIN:VEVENT")}
print(json.dumps(result))
"""


def build(data_dir: Path, talks: int) -> dict:
    """A data folder with two series of `talks` talks; returns the in-process build times."""
    env = environment(data_dir, 60)
    podium(env, "migrate", "--verbosity", "0")
    podium(env, "collectstatic", "--noinput", "--verbosity", "0")
    script = LOAD_SCRIPT.replace("__COUNT__", str(talks))
    result = podium(env, "shell", "--no-imports", "-c", script)
    return json.loads(result.stdout.strip().splitlines()[-1])


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.headers["ETag"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="podium-bench-feeds-") as tmp:
        data_dir = Path(tmp)
        print(f"Building a data folder with 2 series of {options.talks} talks ...", flush=True)
        built = build(data_dir, options.talks)
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
            for _ in range(options.rounds):
                for name, (url, headers) in urls.items():
                    trivial_url, _ = urls["trivial view (/healthz)"]
                    trivial_rate, _ = wrk(trivial_url, options.seconds)
                    rate, _ = wrk(url, options.seconds, tuple(headers))
                    rates[name].append(rate)
                    ratios[name].append(rate / trivial_rate)
        finally:
            server.stop()
    print()
    print(f"Feeds benchmark: 2 series of {options.talks} talks, gunicorn 2 workers, wrk")
    print("\nBuilding the whole feed in process (best of 3):")
    for slug, figures in built.items():
        print(
            f"  {slug:<8} {figures['events']:>6} events  {figures['bytes'] / 1024:>9.0f} KiB"
            f"  {figures['seconds'] * 1000:>9.1f} ms"
        )
    print(
        f"\nServed, {options.rounds} rounds of {options.seconds} s per URL, each run paired "
        "with one of /healthz just before it (median and range of the pairs' ratios):"
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


if __name__ == "__main__":
    main()
