"""The Atom feed parses (feedparser), follows BASE_URL, and its links resolve."""

from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
import time_machine

from podium.seminars.models import TalkStatus
from podium.seminars.talks import save_talk
from tests.factories import SeriesFactory, TalkFactory
from tests.feeds.conftest import NOW

pytestmark = pytest.mark.django_db


def test_atom_parses_and_lists_changed_talks_first(client, frozen):
    series = SeriesFactory(name="PriSec-ML")
    first = TalkFactory(series=series, title="First talk")
    second = TalkFactory(series=series, title="Second talk")
    TalkFactory(series=series, status=TalkStatus.DRAFT, title="Secret draft")
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        first.abstract = "Now with <script>alert(1)</script> an abstract."
        save_talk(first)
        response = client.get(f"/{series.slug}/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "PriSec-ML: talks"
    titles = [entry.title for entry in feed.entries]
    assert titles[0].endswith("First talk") and titles[1].endswith("Second talk")
    assert not any("Secret draft" in title for title in titles)
    assert feed.entries[0].id == f"urn:uuid:{first.uid}"
    assert "<script" not in feed.entries[0].summary
    assert feed.entries[1].id == f"urn:uuid:{second.uid}"


def test_atom_links_resolve(client, frozen):
    series = SeriesFactory()
    TalkFactory(series=series)
    TalkFactory(series=series)
    feed = feedparser.parse(client.get(f"/{series.slug}/feed.atom").content)
    links = [feed.feed.link] + [entry.link for entry in feed.entries]
    links += [link.href for link in feed.feed.links if link.rel == "self"]
    assert len(links) == 4
    for link in links:
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:8000"
        assert client.get(parts.path).status_code == 200, link


def test_atom_of_unknown_series_is_not_found(client):
    assert client.get("/nobody/feed.atom").status_code == 404


def test_atom_answers_304_to_a_reader_whose_copy_is_current(client, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    series = SeriesFactory()
    talk = TalkFactory(series=series)
    url = f"/{series.slug}/feed.atom"
    first = client.get(url)
    etag = first["ETag"]
    assert first["Last-Modified"] and first["Cache-Control"] == "public, max-age=300"
    with CaptureQueriesContext(connection) as queries:
        current = client.get(url, headers={"if-none-match": etag})
    assert current.status_code == 304 and current.content == b""
    assert len(queries) == 1, "the series' state only; no talk is loaded"
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        talk.title = "A new title"
        save_talk(talk)
        changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"A new title" in changed.content
