"""Feed views: conditional requests, query counts, redirects and headers."""

from datetime import timedelta
from email.utils import format_datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.seminars.models import TalkStatus
from podium.seminars.talks import save_talk
from tests.factories import SeriesFactory, TalkFactory
from tests.feeds.conftest import NOW

pytestmark = pytest.mark.django_db


def feed_url(series) -> str:
    return f"/{series.slug}/calendar.ics"


def test_series_feed_headers(client, frozen):
    talk = TalkFactory()
    response = client.get(feed_url(talk.series))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == format_datetime(NOW, usegmt=True)
    assert not response.cookies


def test_unchanged_feed_is_byte_identical_across_requests(client, frozen):
    talk = TalkFactory()
    first = client.get(feed_url(talk.series))
    cache.clear()  # built again, not served from the body cache
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        second = client.get(feed_url(talk.series))
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_a_built_body_is_reused_while_the_validators_hold(client, frozen):
    talk = TalkFactory()
    first = client.get(feed_url(talk.series))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(feed_url(talk.series))
    assert second.content == first.content
    assert len(queries) == 1  # the validators' query; no talk is loaded


def test_if_none_match_answers_304_without_building(client, frozen):
    talk = TalkFactory()
    etag = client.get(feed_url(talk.series))["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_url(talk.series), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # One query: the series with its window's newest change and size. No talk is loaded.
    assert len(queries) == 1


def test_if_modified_since_answers_304_without_building(client, frozen):
    talk = TalkFactory()
    last_modified = client.get(feed_url(talk.series))["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_url(talk.series), headers={"if-modified-since": last_modified})
    assert response.status_code == 304
    assert len(queries) == 1
    earlier = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert (
        client.get(feed_url(talk.series), headers={"if-modified-since": earlier}).status_code == 200
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"other", {etag}', 304),
        ("W/{etag}", 304),
        ("*", 304),
        ('"other"', 200),
    ],
)
def test_if_none_match_lists_weak_tags_and_star(client, frozen, header, expected):
    talk = TalkFactory()
    etag = client.get(feed_url(talk.series))["ETag"]
    response = client.get(
        feed_url(talk.series), headers={"if-none-match": header.format(etag=etag)}
    )
    assert response.status_code == expected


def test_if_none_match_wins_over_if_modified_since(client, frozen):
    talk = TalkFactory()
    first = client.get(feed_url(talk.series))
    headers = {"if-none-match": '"other"', "if-modified-since": first["Last-Modified"]}
    assert client.get(feed_url(talk.series), headers=headers).status_code == 200


def test_if_match_gets_the_full_precondition_evaluation(client, frozen):
    talk = TalkFactory()
    response = client.get(feed_url(talk.series), headers={"if-match": '"other"'})
    assert response.status_code == 412


def test_head_answers_like_get_without_a_body(client, frozen):
    talk = TalkFactory()
    etag = client.get(feed_url(talk.series))["ETag"]
    response = client.head(feed_url(talk.series))
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == etag
    assert client.head(feed_url(talk.series), headers={"if-none-match": etag}).status_code == 304


def test_an_edit_changes_etag_and_last_modified(client, frozen):
    talk = TalkFactory()
    before = client.get(feed_url(talk.series))
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        talk.title = "A new title"
        save_talk(talk)
        after = client.get(feed_url(talk.series), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    assert b"SEQUENCE:1\r\n" in after.content


def test_the_window_moving_a_day_changes_the_validators(client, frozen):
    talk = TalkFactory()
    before = client.get(feed_url(talk.series))
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        after = client.get(feed_url(talk.series), headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        modified = client.get(
            feed_url(talk.series), headers={"if-modified-since": before["Last-Modified"]}
        )
        assert modified.status_code == 200


def test_renaming_the_series_changes_the_etag_even_without_a_revision(client, frozen):
    talk = TalkFactory()
    before = client.get(feed_url(talk.series))["ETag"]
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        talk.series.name = "A new name"
        talk.series.save()  # a plain save, as an import might do: no touch_series
        after = client.get(feed_url(talk.series), headers={"if-none-match": before})
    assert after.status_code == 200
    assert b"X-WR-CALNAME:A new name" in after.content


def test_deleting_a_talk_changes_the_etag(client, frozen):
    talk = TalkFactory()
    TalkFactory(series=talk.series)
    before = client.get(feed_url(talk.series))["ETag"]
    talk.delete()
    assert client.get(feed_url(talk.series), headers={"if-none-match": before}).status_code == 200


@pytest.mark.parametrize("path", ["/{series}/calendar.ics", "/calendar.ics", "/{series}/feed.atom"])
def test_feed_query_count_is_the_same_for_one_and_three_talks(client, frozen, path):
    counts = []
    for size in (1, 3):
        series = SeriesFactory()
        for _ in range(size):
            TalkFactory(series=series)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(series=series.slug))
        assert response.status_code == 200
        counts.append(len(queries))
        series.talks.all().delete()
    assert counts[0] == counts[1]


def test_site_feed_304(client, frozen):
    TalkFactory()
    etag = client.get("/calendar.ics")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/calendar.ics", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert len(queries) == 2
    TalkFactory()
    assert client.get("/calendar.ics", headers={"if-none-match": etag}).status_code == 200


def test_talk_file_download_and_304(client, frozen):
    talk = TalkFactory()
    url = f"/{talk.series.slug}/talks/{talk.slug}/calendar.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{talk.slug}.ics"'
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_talk_file_etag_follows_base_url(client, frozen, settings):
    talk = TalkFactory()
    url = f"/{talk.series.slug}/talks/{talk.slug}/calendar.ics"
    etag = client.get(url)["ETag"]
    settings.BASE_URL = "https://seminars.example.org"
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert b"https://seminars.example.org/" in response.content


def test_talk_file_follows_a_changed_address(client, frozen):
    talk = TalkFactory(title="Old title")
    old = f"/{talk.series.slug}/talks/{talk.slug}/calendar.ics"
    talk.title = "New title"
    talk = save_talk(talk)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"/{talk.series.slug}/talks/{talk.slug}/calendar.ics"


def test_drafts_and_unknown_addresses_are_not_found(client, frozen):
    draft_series = SeriesFactory(visibility="draft")
    draft_talk = TalkFactory(status=TalkStatus.DRAFT)
    assert client.get(feed_url(draft_series)).status_code == 404
    assert client.get("/no-such-series/calendar.ics").status_code == 404
    url = f"/{draft_talk.series.slug}/talks/{draft_talk.slug}/calendar.ics"
    assert client.get(url).status_code == 404


def test_feeds_refuse_writes(client, frozen):
    talk = TalkFactory()
    assert client.post(feed_url(talk.series)).status_code == 405


def test_unlisted_series_has_a_feed_but_is_not_in_the_site_feed(client, frozen):
    talk = TalkFactory(series=SeriesFactory(visibility="unlisted"))
    assert client.get(feed_url(talk.series)).status_code == 200
    assert str(talk.uid).encode() not in client.get("/calendar.ics").content
