"""Feeds built while remembering events (ical.remembering_events): the same bytes, fewer
talks loaded."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.feeds import ical
from podium.feeds.window import feed_window
from tests.factories import PersonFactory, SeriesFactory, TalkFactory


def test_remembered_events_give_the_same_feeds(db, frozen):
    series = SeriesFactory()
    other = SeriesFactory()
    for days in (3, 10, 40):
        TalkFactory(series=series, start=frozen + timedelta(days=days), speakers=[PersonFactory()])
    TalkFactory(series=other, start=frozen + timedelta(days=5))
    window = feed_window()
    plain = (ical.site_ics_bytes("Podium", window), ical.series_ics_bytes(series, window))
    with ical.remembering_events():
        site = ical.site_ics_bytes("Podium", window)
        with CaptureQueriesContext(connection) as second:
            own = ical.series_ics_bytes(series, window)
    assert (site, own) == plain
    # The series' feed, after the site's: one query for its talks' keys, none to load them.
    assert len(second) == 1
    assert ical._REMEMBERED is None


def test_a_talks_calendar_file_remembers_its_event_for_the_feeds(db, frozen):
    series = SeriesFactory()
    talk = TalkFactory(series=series, start=frozen + timedelta(days=3), speakers=[PersonFactory()])
    other = TalkFactory(series=series, start=frozen + timedelta(days=4))
    window = feed_window()
    plain = ical.series_ics_bytes(series, window)
    assert ical.remembered_event(talk) is None  # nothing remembered outside the block
    with ical.remembering_events():
        own = ical.talk_ics_bytes(talk)
        event = ical.remembered_event(talk)
        assert event is not None and b"\r\n".join(event) in own
        assert ical.remembered_event(other) is None
    # Events built elsewhere (a rendering process), one block each, make the same feed;
    # the talk not known is loaded and built.
    known = {ical.event_key(talk): [b"\r\n".join(event)]}
    with ical.remembering_events(known):
        assert ical.series_ics_bytes(series, window) == plain
    assert ical.event_key(other) in known
    # With every event known, the feed loads no talk: one query, for the talks' keys.
    with ical.remembering_events(dict(known)), CaptureQueriesContext(connection) as queries:
        assert ical.series_ics_bytes(series, window) == plain
    assert len(queries) == 1
    # A talk changed since: its old event is not used.
    talk.sequence += 1
    talk.save()
    with ical.remembering_events(dict(known)):
        changed = ical.series_ics_bytes(series, window)
    assert changed != plain and b"SEQUENCE:%d" % talk.sequence in changed


def test_the_event_of_a_talks_calendar_file_is_found_in_it(db, frozen):
    talk = TalkFactory(start=frozen + timedelta(days=3), abstract="BEGIN:VEVENT in the text")
    with ical.remembering_events():
        data = ical.talk_ics_bytes(talk)
        event = ical.remembered_event(talk)
    assert ical.event_in_file(data) == b"\r\n".join(event)
    assert ical.event_in_file(data.replace(b"BEGIN:VEVENT", b"BEGIN:VTODO")) is None
    head = data.split(b"END:VEVENT\r\n")[0]
    twice = head + b"END:VEVENT\r\n" + data[data.index(b"BEGIN:VEVENT") :]
    assert ical.event_in_file(twice) is None
    assert ical.event_in_file(b"") is None
