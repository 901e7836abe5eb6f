"""The JSON API: what it shows, its filters and pages, CORS, and pinned query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.seminars.models import Series, TalkStatus
from podium.seminars.talks import save_talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_series_list_shows_public_series_only(client, frozen):
    public = SeriesFactory(name="Alpha")
    SeriesFactory(visibility="unlisted")
    SeriesFactory(visibility="draft")
    public.links.create(label="Slack", url="https://example.org/slack")
    response = client.get("/api/v1/series")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    data = response.json()
    assert data["count"] == 1
    [series] = data["items"]
    assert series["slug"] == public.slug
    assert series["calendar_url"] == f"http://127.0.0.1:8000/{public.slug}/calendar.ics"
    assert series["links"] == [{"label": "Slack", "url": "https://example.org/slack"}]


def test_unlisted_series_is_open_by_slug_draft_is_not(client, frozen):
    unlisted = SeriesFactory(visibility="unlisted")
    draft = SeriesFactory(visibility="draft")
    assert client.get(f"/api/v1/series/{unlisted.slug}").status_code == 200
    response = client.get(f"/api/v1/series/{draft.slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no series with this slug."}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_talk_detail_has_times_with_offset_zone_speakers_and_links(client, frozen):
    series = SeriesFactory(time_zone="America/New_York")
    talk = TalkFactory(
        series=series,
        speakers=[PersonFactory(name="Grace Hopper", honorific="Dr."), PersonFactory()],
    )
    save_talk(talk, links=[("Paper", "https://example.org/paper")])
    data = client.get(f"/api/v1/talks/{talk.uid}").json()
    assert data["time_zone"] == "America/New_York"
    assert data["start"] == talk.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["local_start"].endswith("-05:00")  # January in New York
    second = talk.talk_speakers.all()[1].person.name
    assert [s["name"] for s in data["speakers"]] == ["Grace Hopper", second]
    assert data["speakers"][0]["honorific"] == "Dr."
    assert data["links"] == [{"label": "Paper", "url": "https://example.org/paper"}]
    assert data["url"].endswith(f"/{series.slug}/talks/{talk.slug}/")


def test_drafts_never_appear(client, frozen):
    draft = TalkFactory(status=TalkStatus.DRAFT)
    assert client.get(f"/api/v1/talks/{draft.uid}").status_code == 404
    assert client.get("/api/v1/talks").json()["count"] == 0


def test_talk_filters(client, frozen):
    series = SeriesFactory()
    other = SeriesFactory()
    past = TalkFactory(series=series, start=frozen - timedelta(days=10))
    running = TalkFactory(series=series, start=frozen - timedelta(minutes=30))
    soon = TalkFactory(series=series, start=frozen + timedelta(days=3))
    later = TalkFactory(series=series, start=frozen + timedelta(days=30))
    elsewhere = TalkFactory(series=other, start=frozen + timedelta(days=1))

    def uids(query: str) -> list[str]:
        response = client.get(f"/api/v1/talks?{query}")
        assert response.status_code == 200, response.content
        return [item["uid"] for item in response.json()["items"]]

    upcoming = [str(running.uid), str(soon.uid), str(later.uid)]
    assert uids(f"series={series.slug}&when=upcoming") == upcoming
    assert uids(f"series={series.slug}&when=past") == [str(running.uid), str(past.uid)]
    window = "start_after=2027-01-14T00:00:00Z&start_before=2027-02-01"
    assert uids(f"series={series.slug}&{window}") == [str(soon.uid)]
    assert str(elsewhere.uid) in uids("when=upcoming")
    assert uids(f"series={other.slug}") == [str(elsewhere.uid)]
    assert uids("updated_since=2027-01-14T00:00:00%2B00:00") == []
    assert len(uids("updated_since=2027-01-13T00:00:00")) == 5
    assert client.get("/api/v1/talks?series=nope").status_code == 404
    assert client.get("/api/v1/talks?when=tomorrow").status_code == 422
    assert client.get("/api/v1/talks?start_after=0.5").status_code == 422
    # Not a slug (a NUL byte: PostgreSQL cannot even compare it): refused, not a 500.
    assert client.get("/api/v1/talks?series=a%00b").status_code == 422
    assert client.get("/api/v1/series/a%00b").status_code == 422
    # Instants beyond the calendar's ends in UTC are its ends: the filter still means "all".
    assert len(uids("updated_since=0001-01-01T00:00:00%2B01:01")) == 5
    assert uids("start_before=0001-01-01T00:00:00%2B01:00") == []
    assert uids("start_after=9999-12-31T23:59:59-01:00") == []


def test_pagination(client, frozen):
    series = SeriesFactory()
    talks = [TalkFactory(series=series, start=frozen + timedelta(days=d)) for d in (1, 2, 3)]
    page = client.get("/api/v1/talks?limit=2&offset=1").json()
    assert page["count"] == 3 and page["limit"] == 2 and page["offset"] == 1
    assert [item["uid"] for item in page["items"]] == [str(t.uid) for t in talks[1:]]
    assert client.get("/api/v1/talks?limit=101").status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/talks", "/api/v1/series"])
def test_list_query_count_is_the_same_for_one_and_three(client, frozen, path):
    counts = []
    for size in (1, 3):
        for _ in range(size):
            series = SeriesFactory()
            series.links.create(label="Slack", url="https://example.org/slack")
            series.organizers.create(name="Someone")
            TalkFactory(series=series, speakers=[PersonFactory(), PersonFactory()])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.json()["count"] == size
        counts.append(len(queries))
        Series.objects.all().delete()
    assert counts[0] == counts[1]


def test_openapi_document_is_served_with_cors(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/series",
        "/api/v1/series/{slug}",
        "/api/v1/talks",
        "/api/v1/talks/{uid}",
    }
    assert client.get("/api/v1/docs").status_code == 404  # would load a CDN's scripts
