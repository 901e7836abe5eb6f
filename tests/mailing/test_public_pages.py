"""Public pages: the subscribe block on the cached series page, the archive, no cookies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.mailing import announcements
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_series_page_has_the_same_subscribe_form_for_everyone_and_no_cookie(client):
    series = SeriesFactory()
    first = client.get(f"/{series.slug}/")
    assert first.status_code == 200
    page = first.content.decode()
    assert f'action="/{series.slug}/subscribe/"' in page
    assert "Seminar announcements" in page and "Job announcements" in page
    assert "csrfmiddlewaretoken" not in page
    assert not first.cookies
    client.cookies.clear()
    second = client.get(f"/{series.slug}/", REMOTE_ADDR="10.1.2.3")
    assert second.content == first.content
    assert not second.cookies


def test_subscribe_page_and_sent_page_set_no_cookie(client):
    series = SeriesFactory()
    for path in (f"/{series.slug}/subscribe/", f"/{series.slug}/subscribe/sent/"):
        response = client.get(path)
        assert response.status_code == 200 and not response.cookies
    form = client.get(f"/{series.slug}/subscribe/").content.decode()
    assert form.count(" checked>") == 1  # the seminar list, ticked for the reader


def sent_announcements(series, count):
    for _ in range(count):
        announcements.queue_announcement(
            announcements.draft_announcement(TalkFactory(series=series))
        )


def archive_queries(client, count) -> int:
    series = SeriesFactory()
    sent_announcements(series, count)
    draft = announcements.draft_announcement(TalkFactory(series=series))  # not sent: not shown
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{series.slug}/announcements/")
    page = response.content.decode()
    assert page.count('<li class="announcement">') == count
    assert draft.subject not in page
    assert not response.cookies
    return len(queries)


def test_archive_lists_sent_announcements_in_constant_queries(client):
    assert archive_queries(client, 1) == archive_queries(client, 3)


def test_archived_announcement_shows_the_body_without_personal_links(client):
    series = SeriesFactory()
    sent_announcements(series, 1)
    announcement = series.announcements.get()
    response = client.get(f"/{series.slug}/announcements/{announcement.pk}/")
    page = response.content.decode()
    assert announcement.talk.title in page
    assert "/mail/preferences/" not in page and "/mail/unsubscribe/" not in page
    draft = announcements.draft_announcement(TalkFactory(series=series))
    assert client.get(f"/{series.slug}/announcements/{draft.pk}/").status_code == 404


def test_the_series_page_links_past_announcements_once_there_are_some(client):
    series = SeriesFactory()
    page = client.get(f"/{series.slug}/").content.decode()
    assert 'class="subscribe-form"' in page and "Past announcements" not in page
    sent_announcements(series, 1)
    page = client.get(f"/{series.slug}/").content.decode()
    assert f'href="/{series.slug}/announcements/">Past announcements' in page
