"""The calendar blocks on the public pages, the embed page, and /healthz."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.seminars.talks import cancel_talk
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_series_home_has_the_subscribe_block(client, frozen, settings):
    settings.BASE_URL = "https://seminars.example.org"
    series = SeriesFactory()
    html = client.get(f"/{series.slug}/").content.decode()
    feed = f"https://seminars.example.org/{series.slug}/calendar.ics"
    assert 'id="subscribe"' in html
    assert f'href="webcal://seminars.example.org/{series.slug}/calendar.ics"' in html
    assert f'value="{feed}"' in html
    assert "feeds/copy.js" in html
    assert "onclick" not in html
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert app in html
    # Feed readers and browsers discover the feeds from the page's head.
    atom = f'title="{series.name}: talks (Atom)" href="/{series.slug}/feed.atom"'
    assert f'type="application/atom+xml" {atom}' in html
    assert (
        f'type="text/calendar" title="{series.name}: calendar" href="/{series.slug}/calendar.ics"'
        in html
    )


def test_talk_page_has_add_to_calendar_links(client, frozen):
    talk = TalkFactory(title="Model Stealing")
    html = client.get(f"/{talk.series.slug}/talks/{talk.slug}/").content.decode()
    assert 'id="add-to-calendar"' in html
    assert f"/{talk.series.slug}/talks/{talk.slug}/calendar.ics" in html
    google = next(
        part.split('"')[0]
        for part in html.split('href="')[1:]
        if part.startswith("https://calendar.google.com/")
    )
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["dates"] == [f"{talk.start:%Y%m%dT%H%M%SZ}/{talk.end:%Y%m%dT%H%M%SZ}"]
    assert query["text"] == [f"{talk.talk_speakers.get().person.name}: Model Stealing"]
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html


def test_no_add_to_calendar_for_past_or_cancelled_talks(client, frozen):
    past = TalkFactory(start=frozen - timedelta(days=3))
    cancelled = cancel_talk(TalkFactory())
    for talk in (past, cancelled):
        html = client.get(f"/{talk.series.slug}/talks/{talk.slug}/").content.decode()
        assert 'id="add-to-calendar"' not in html


def test_embed_page_may_be_framed_by_any_site_and_sets_no_cookie(client, frozen):
    talk = TalkFactory(title="Embedded talk")
    for _ in range(2):  # the second answer comes from the page cache
        response = client.get(f"/{talk.series.slug}/embed/")
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not response.cookies
        assert "Embedded talk" in response.content.decode()


def test_embed_shows_the_next_five_talks(client, frozen):
    series = SeriesFactory()
    TalkFactory(series=series, title="Already over", start=frozen - timedelta(hours=3))
    for day in range(1, 8):
        TalkFactory(series=series, title=f"Talk on day {day}", start=frozen + timedelta(days=day))
    html = client.get(f"/{series.slug}/embed/").content.decode()
    assert "Already over" not in html
    assert [f"Talk on day {d}" in html for d in range(1, 8)] == [True] * 5 + [False] * 2


def test_embed_query_count_is_the_same_for_one_and_three(client, frozen):
    counts = []
    for size in (1, 3):
        series = SeriesFactory()
        for _ in range(size):
            TalkFactory(series=series)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/{series.slug}/embed/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
