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
