"""Addresses in feeds: the talk page's address is the one its page is served at (what
`reverse` gives, though `Talk.get_absolute_url` reverses once per prefix, not per talk)."""

import pytest
from django.urls import reverse, set_script_prefix

from podium.feeds import links
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["/", "/repo/", "/a/b/"])
def test_talk_page_url_is_the_reversed_page_under_any_script_prefix(settings, prefix):
    settings.BASE_URL = f"https://example.org{prefix}".rstrip("/")
    talks = [TalkFactory(series=SeriesFactory(slug=slug)) for slug in ("talk", "series-x_1")]
    set_script_prefix(prefix)
    try:
        for talk in talks:
            path = reverse("seminars:talk", args=[talk.series.slug, talk.slug])
            expected = links.absolute(path)
            assert links.talk_page_url(talk) == expected
            calendar = reverse("feeds:talk_calendar", args=[talk.series.slug, talk.slug])
            assert links.talk_calendar_url(talk) == links.absolute(calendar)
            assert expected.startswith(f"{settings.BASE_URL}/{talk.series.slug}/talks/")
    finally:
        set_script_prefix("/")


def test_query_strings_are_what_urlencode_writes():
    from urllib.parse import urlencode

    generator = __import__("random").Random(3986)
    alphabet = "aZ09 _.-~!\"#$%&'()*+,/:;<=>?@[\\]^`{|}\t\néü漢🙂"
    for _ in range(500):
        pairs = {
            generator.choice(["text", "a b", "det&ails"]): "".join(
                generator.choice(alphabet[: generator.choice([40, len(alphabet)])])
                for _ in range(generator.randrange(0, 60))
            )
            for _ in range(3)
        }
        assert links.query_string(pairs) == urlencode(pairs), pairs


def test_add_to_calendar_links_give_the_instant_in_utc_whatever_the_zone():
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2026, 3, 4, 17, 30, tzinfo=ZoneInfo("Europe/London"))  # 17:30 UTC
    local = datetime(2026, 3, 4, 12, 30, tzinfo=ZoneInfo("America/New_York"))  # the same
    for moment in (start, local, start.astimezone(UTC)):
        event = links.CalendarEvent("Title: a talk", moment, moment + timedelta(hours=1), "", "")
        assert "dates=20260304T173000Z%2F20260304T183000Z" in links.google_add_url(event)
        outlook = links.outlook_add_url(event)
        assert "startdt=2026-03-04T17%3A30%3A00Z&enddt=2026-03-04T18%3A30%3A00Z" in outlook


def test_add_to_calendar_links_are_the_query_urlencode_writes():
    # Both links are written key by key, each text quoted once for both: the same query as
    # `urlencode` of every pair, in order.
    from datetime import UTC, datetime, timedelta
    from urllib.parse import urlencode

    start = datetime(2026, 3, 4, 17, 30, 5, tzinfo=UTC)
    texts = ["Ada: a talk", "Zoë & “Σ” 漢 🙂", "a+b=c?&d#e/f%20", "", " \t\n~._-"]
    for title in texts:
        for details, location in ((texts[2], texts[1]), (title, ""), ("", title)):
            event = links.CalendarEvent(title, start, start + timedelta(hours=1), details, location)
            google = {
                "action": "TEMPLATE",
                "text": title,
                "dates": "20260304T173005Z/20260304T183005Z",
                "details": details,
                "location": location,
            }
            assert links.google_add_url(event) == f"{links.GOOGLE_TEMPLATE}?{urlencode(google)}"
            outlook = {
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "subject": title,
                "startdt": "2026-03-04T17:30:05Z",
                "enddt": "2026-03-04T18:30:05Z",
                "body": details,
                "location": location,
            }
            assert links.outlook_add_url(event) == f"{links.OUTLOOK_COMPOSE}?{urlencode(outlook)}"
