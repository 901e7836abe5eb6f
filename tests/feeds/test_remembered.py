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
