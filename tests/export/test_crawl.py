"""The crawl's order: the calendar feeds last, from the events the talks' files were built with."""

from collections import Counter

from podium.export import crawl
from podium.export.output import OutputFolder
from podium.feeds import ical
from podium.feeds.window import calendar_talks, feed_window
from podium.seminars.talks import save_talk
from podium.seminars.visibility import public_series
from tests.factories import PersonFactory


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


def counting_events(monkeypatch) -> Counter:
    built = Counter()
    talk_event = ical.talk_event
    monkeypatch.setattr(
        ical, "talk_event", lambda talk, *a: built.update([talk.pk]) or talk_event(talk, *a)
    )
    return built


def test_after_a_change_the_feeds_read_the_other_events_from_the_kept_files(
    site, export, tmp_path, monkeypatch
):
    export()
    site.upcoming.title = "Membership Inference, Revisited"
    save_talk(site.upcoming)
    built = counting_events(monkeypatch)
    export()
    # Only the changed talk's event is built again (for its calendar file); the feeds take
    # the others from the files the last export wrote, and are what a fresh export makes.
    assert built == Counter([site.upcoming.pk])
    export(tmp_path / "fresh")
    for feed in ("calendar.ics", "prisec-ml/calendar.ics", "crypto-club/calendar.ics"):
        assert (tmp_path / "site" / feed).read_bytes() == (tmp_path / "fresh" / feed).read_bytes()


def test_a_kept_file_that_was_altered_is_not_read_for_the_feeds(
    site, export, tmp_path, monkeypatch
):
    export()
    other = site.other.talks.get()
    path = tmp_path / "site" / "crypto-club" / "talks" / other.slug / "calendar.ics"
    altered = path.read_bytes().replace(b"SUMMARY:", b"SUMMARX:")  # the same size
    path.write_bytes(altered)
    built = counting_events(monkeypatch)
    export()
    assert other.pk in built  # built again, not read from the altered file
    export(tmp_path / "fresh")
    feed = "crypto-club/calendar.ics"
    assert (tmp_path / "site" / feed).read_bytes() == (tmp_path / "fresh" / feed).read_bytes()


def test_a_process_that_exports_again_keeps_the_events_instead_of_reading_them_back(
    site, export, tmp_path, monkeypatch
):
    # `podium export --watch`: the events of the last export's files are kept, by file and
    # digest; the next export's feeds take the kept files' events from there.
    export(again=True)
    site.upcoming.title = "Membership Inference, Revisited"
    save_talk(site.upcoming)
    read = []
    read_back = OutputFolder.read_back
    monkeypatch.setattr(
        OutputFolder, "read_back", lambda self, *a: read.append(a[0]) or read_back(self, *a)
    )
    built = counting_events(monkeypatch)
    export(again=True)
    assert built == Counter([site.upcoming.pk]) and read == []
    export(tmp_path / "fresh")
    for feed in ("calendar.ics", "prisec-ml/calendar.ics", "crypto-club/calendar.ics"):
        assert (tmp_path / "site" / feed).read_bytes() == (tmp_path / "fresh" / feed).read_bytes()
    # A process that exports once reads the files back.
    save_talk(site.upcoming, speakers=[PersonFactory(name="Bo Example")])
    export()
    assert read
