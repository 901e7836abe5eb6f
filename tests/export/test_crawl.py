"""The crawl's order: the calendar feeds last, from the events the talks' files were built with."""

from collections import Counter

from podium.export import crawl
from podium.feeds import ical
from podium.feeds.window import calendar_talks, feed_window
from podium.seminars.talks import public_series


def test_the_calendar_feeds_come_last_built_from_the_talks_events(site, export, monkeypatch):
    batches, built = [], Counter()
    render, talk_event = crawl.render_batch, ical.talk_event
    monkeypatch.setattr(crawl, "render_batch", lambda jobs: batches.append(jobs) or render(jobs))
    monkeypatch.setattr(
        ical, "talk_event", lambda talk, *a: built.update([talk.pk]) or talk_event(talk, *a)
    )
    export()
    feeds = {"/calendar.ics", "/prisec-ml/calendar.ics", "/crypto-club/calendar.ics"}
    assert {job.site_path for job in batches[-1]} == feeds
    assert not any(job.site_path in feeds for batch in batches[:-1] for job in batch)
    # Each talk's event is built once, for its own calendar file, and reused by the feeds.
    in_feeds = set(calendar_talks(public_series(), feed_window()).values_list("pk", flat=True))
    assert in_feeds and in_feeds <= set(built)
    assert set(built.values()) == {1}
