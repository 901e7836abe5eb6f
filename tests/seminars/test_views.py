"""The public pages: what they show, their status codes, and their query counts."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.seminars import views
from podium.seminars.models import Organizer, SeriesLink, TalkStatus, Visibility
from podium.seminars.talks import cancel_talk, save_talk
from podium.seminars.views import LIST_PAGE_SIZE, UPCOMING_CARDS
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def future(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(second=0, microsecond=0)


@pytest.fixture
def series():
    series = SeriesFactory(name="PriSec-ML Seminars", slug="prisec-ml", short_name="PriSec-ML")
    SeriesLink.objects.create(series=series, label="Join our Slack", url="https://slack.example")
    Organizer.objects.create(series=series, name="Emiliano De Cristofaro", affiliation="UCL")
    return series


def test_series_home_shows_everything_the_seed_page_had(client, series):
    konrad = PersonFactory(
        name="Konrad Rieck",
        honorific="Prof.",
        affiliation="Technische Universität Braunschweig",
        bio="Works on **security**.",
    )
    TalkFactory(
        series=series,
        speakers=[konrad],
        title="Adversarial Preprocessing",
        abstract="Image-scaling *attacks*.",
        start=datetime(2030, 10, 16, 12, 0, tzinfo=UTC),
    )
    html = client.get("/prisec-ml/").content.decode()
    assert "PriSec-ML Seminars" in html
    assert "Join our Slack" in html and "https://slack.example" in html
    assert "Emiliano De Cristofaro" in html and "UCL" in html
    assert "Prof. Konrad Rieck" in html
    assert "(Technische Universität Braunschweig)" in html
    assert "Wednesday 16 October 2030, 13:00 UK time (BST)" in html
    assert '<time datetime="2030-10-16T12:00:00+00:00" data-zone="Europe/London">' in html
    assert '<details class="abstract"><summary>Abstract</summary>' in html
    assert "<em>attacks</em>" in html
    assert "About Konrad Rieck" in html and "<strong>security</strong>" in html
    assert "https://example.org/register" in html and "Live stream" in html


def test_cancelled_talk_is_marked(client, series):
    talk = TalkFactory(series=series, start=future(5))
    cancel_talk(talk, "The speaker is ill.")
    html = client.get("/prisec-ml/").content.decode()
    assert "Cancelled." in html and "The speaker is ill." in html
    assert "is-cancelled" in html
    assert "Register" not in html


def test_draft_talks_are_not_shown(client, series):
    TalkFactory(series=series, title="Secret draft", status=TalkStatus.DRAFT, start=future(3))
    assert "Secret draft" not in client.get("/prisec-ml/").content.decode()


def test_single_public_series_is_the_front_page(client, series):
    TalkFactory(series=series, title="On the front page", start=future(3))
    response = client.get("/")
    assert response.status_code == 200
    assert "On the front page" in response.content.decode()


def test_several_series_are_listed_on_the_front_page(client, series):
    SeriesFactory(name="Students Seminars", slug="students")
    SeriesFactory(name="Hidden", slug="hidden", visibility=Visibility.UNLISTED)
    html = client.get("/").content.decode()
    assert "PriSec-ML Seminars" in html and "Students Seminars" in html
    assert "Hidden" not in html


def test_unlisted_series_opens_by_address_draft_series_does_not(client):
    SeriesFactory(slug="unlisted", visibility=Visibility.UNLISTED)
    SeriesFactory(slug="draft", visibility=Visibility.DRAFT)
    assert client.get("/unlisted/").status_code == 200
    assert client.get("/draft/").status_code == 404


def test_unknown_series_gets_a_helpful_404(client, series):
    response = client.get("/no-such-series/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "could not find" in html and 'href="/prisec-ml/"' in html


def test_a_404_names_the_missing_address_except_at_its_own(client, series):
    assert (
        "There is nothing at <code>/no-such-page/</code>."
        in client.get("/no-such-page/").content.decode()
    )
    # /404.html is what a static host serves for any missing address: it cannot name one.
    own = client.get("/404.html")
    assert own.status_code == 404
    assert "There is nothing at this address." in own.content.decode()
    assert "<code>" not in own.content.decode()


def test_unknown_talk_gets_a_helpful_404(client, series):
    response = client.get("/prisec-ml/talks/2020-01-01-nothing/")
    assert response.status_code == 404
    assert 'href="/prisec-ml/past/"' in response.content.decode()


def test_talk_page_has_opengraph_and_json_ld(client, series):
    talk = TalkFactory(
        series=series,
        title="Adversarial Preprocessing",
        abstract="A </script><script>alert(1)</script> attempt.",
        speakers=[PersonFactory(name="Konrad Rieck", affiliation="TU Braunschweig, 東京")],
    )
    html = client.get(talk.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Adversarial Preprocessing">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["name"] == "Adversarial Preprocessing"
    assert data["startDate"] == talk.start.isoformat()
    assert data["performer"][0] == {
        "@type": "Person",
        "name": "Konrad Rieck",
        "affiliation": "TU Braunschweig, 東京",
    }
    assert block.isascii()  # other characters as \u escapes
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "<script>alert" not in html


def test_old_talk_address_redirects_permanently(client, series):
    talk = TalkFactory(series=series, title="Before", start=future(10))
    old = talk.get_absolute_url()
    talk.title = "After"
    talk = save_talk(talk)
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == talk.get_absolute_url()


def test_archive_groups_by_year_newest_first_with_recordings(client, series):
    TalkFactory(
        series=series,
        title="Older",
        start=datetime(2021, 1, 27, 13, tzinfo=UTC),
        recording_url="https://video.example/older",
    )
    TalkFactory(
        series=series,
        title="Newer",
        start=datetime(2022, 3, 2, 13, tzinfo=UTC),
        slides_url="https://slides.example/newer",
    )
    html = client.get("/prisec-ml/past/").content.decode()
    assert html.index("2022") < html.index("Newer") < html.index("2021") < html.index("Older")
    assert "https://video.example/older" in html and "https://slides.example/newer" in html


def test_archive_paginates_by_path(client, series):
    start = datetime(2020, 1, 1, 13, tzinfo=UTC)
    for i in range(LIST_PAGE_SIZE + 1):
        TalkFactory(series=series, title=f"Talk {i}", start=start + timedelta(days=i))
    first = client.get("/prisec-ml/past/").content.decode()
    assert 'href="/prisec-ml/past/page/2/"' in first
    second = client.get("/prisec-ml/past/page/2/")
    assert second.status_code == 200 and "Talk 0<" in second.content.decode()
    assert client.get("/prisec-ml/past/page/3/").status_code == 404
    assert client.get("/prisec-ml/past/page/1/")["Location"] == "/prisec-ml/past/"


def test_pages_follow_edits_at_once(client, series):
    talk = TalkFactory(series=series, title="First title", start=future(3))
    assert "First title" in client.get("/prisec-ml/").content.decode()
    talk.title = "Second title"
    save_talk(talk)
    assert "Second title" in client.get("/prisec-ml/").content.decode()


def test_upcoming_talks_beyond_the_cards_are_listed_compactly_and_linked(client, series):
    talks = [
        TalkFactory(series=series, title=f"Talk number {i}", start=future(3 + i))
        for i in range(UPCOMING_CARDS + 1)
    ]
    html = client.get("/prisec-ml/").content.decode()
    assert html.count('<article class="talk') == UPCOMING_CARDS
    later = html.split('<section class="later"', 1)[1].split("</section>", 1)[0]
    last = talks[-1]
    assert later.count("<li") == 1
    assert f'<a class="later-title" href="{last.get_absolute_url()}">Talk number 10</a>' in later
    assert f'<time datetime="{last.start.isoformat()}" data-zone="Europe/London">' in later
    assert last.series_time in later
    assert last.talk_speakers.get().person.display_name in later
    for talk in talks:
        assert f'href="{talk.get_absolute_url()}"' in html


def test_the_cards_show_all_of_a_talk_and_the_lines_do_not(client, series):
    talks = [
        TalkFactory(series=series, abstract=f"Abstract number {i}.", start=future(3 + i))
        for i in range(UPCOMING_CARDS + 1)
    ]
    save_talk(talks[0], links=[("Paper", "https://example.org/paper")])
    talks[0].status_note = "Moved to room 2"
    save_talk(talks[0])
    html = client.get("/prisec-ml/").content.decode()
    cards, later = html.split('<section class="later"', 1)
    assert "Moved to room 2" in cards
    for i in range(UPCOMING_CARDS):
        assert f"Abstract number {i}." in cards
    assert cards.count('href="https://example.org/register"') == UPCOMING_CARDS
    assert "Abstract number 10." not in later and "example.org/register" not in later


def test_ten_upcoming_talks_need_no_later_list(client, series):
    for i in range(UPCOMING_CARDS):
        TalkFactory(series=series, start=future(3 + i))
    html = client.get("/prisec-ml/").content.decode()
    assert html.count('<article class="talk') == UPCOMING_CARDS
    assert 'class="later"' not in html


def test_the_home_shows_the_next_talks_and_links_the_list_of_all(client, series, monkeypatch):
    monkeypatch.setattr(views, "UPCOMING_ON_HOME", UPCOMING_CARDS + 2)
    talks = [
        TalkFactory(series=series, title=f"Talk number {i}", start=future(3 + i))
        for i in range(UPCOMING_CARDS + 2)
    ]
    html = client.get("/prisec-ml/").content.decode()
    assert "upcoming talks →" not in html  # all of them are on the page
    talks.append(TalkFactory(series=series, title="Far ahead", start=future(400)))
    html = client.get("/prisec-ml/").content.decode()
    assert html.count('<article class="talk') == UPCOMING_CARDS
    later = html.split('<section class="later"', 1)[1].split("</section>", 1)[0]
    assert later.count("<li") == 2 and "Far ahead" not in html
    assert '<a href="/prisec-ml/upcoming/">All 13 upcoming talks →</a>' in html


def test_the_upcoming_talks_are_listed_soonest_first_in_pages(client, series, monkeypatch):
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)
    now = datetime.now(UTC)
    TalkFactory(series=series, title="Ended an hour ago", start=now - timedelta(hours=2))
    under_way = TalkFactory(
        series=series, title="Under way", start=now - timedelta(minutes=10), duration=60
    )
    soon = TalkFactory(series=series, title="Talk in two days", start=future(2))
    cancelled = cancel_talk(TalkFactory(series=series, title="Called off", start=future(9)))
    first = client.get("/prisec-ml/upcoming/").content.decode()
    assert "Ended an hour ago" not in first
    assert first.index("Under way") < first.index("Talk in two days") and "Called off" not in first
    assert f'href="{soon.get_absolute_url()}"' in first and "3 talks in all" in first
    assert 'href="/prisec-ml/upcoming/page/2/"' in first
    assert f'data-zone="{series.time_zone}">{under_way.series_time}</time>' in first
    second = client.get("/prisec-ml/upcoming/page/2/").content.decode()
    assert 'class="is-cancelled"' in second and f'href="{cancelled.get_absolute_url()}"' in second
    assert '<a rel="prev" href="/prisec-ml/upcoming/">← Sooner</a>' in second
    assert client.get("/prisec-ml/upcoming/page/3/").status_code == 404
    assert client.get("/prisec-ml/upcoming/page/1/")["Location"] == "/prisec-ml/upcoming/"


def test_with_no_upcoming_talk_the_list_says_so(client, series):
    html = client.get("/prisec-ml/upcoming/").content.decode()
    assert "No talks are scheduled right now." in html
    assert 'href="/prisec-ml/past/"' in html


def test_with_no_upcoming_talk_the_home_says_so_and_links_the_archive_once(client, series):
    TalkFactory(series=series, start=future(-30))
    html = client.get("/prisec-ml/").content.decode()
    assert "No talks are scheduled right now." in html
    assert html.count('href="/prisec-ml/past/"') == 2  # the navigation and the message
    assert "Times are shown" not in html  # no time on the page to explain
    TalkFactory(series=series, start=future(3))
    html = client.get("/prisec-ml/").content.decode()
    assert "Times are shown in the series' time zone" in html
    assert "All past talks and recordings" in html


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["home", "archive", "index", "upcoming"])
def test_query_count_is_the_same_for_one_and_three_talks(client, page):
    counts = []
    for n, slug in ((1, "one"), (3, "three")):
        series = SeriesFactory(slug=slug)
        SeriesFactory(slug=f"other-{slug}")
        when = future(3) if page != "archive" else datetime(2021, 1, 1, tzinfo=UTC)
        for i in range(n):
            TalkFactory(
                series=series,
                start=when + timedelta(days=i),
                speakers=[PersonFactory(), PersonFactory()],
            )
        url = {
            "home": f"/{slug}/",
            "archive": f"/{slug}/past/",
            "index": "/",
            "upcoming": f"/{slug}/upcoming/",
        }[page]
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_home_query_count_is_the_same_for_one_and_three_later_talks(client):
    counts = []
    for n, slug in ((1, "one"), (3, "three")):
        series = SeriesFactory(slug=slug)
        for i in range(UPCOMING_CARDS + n):
            TalkFactory(
                series=series, start=future(3 + i), speakers=[PersonFactory(), PersonFactory()]
            )
        counts.append(_queries(client, f"/{slug}/"))
    assert counts[0] == counts[1]


def test_cached_page_costs_one_query(client, series):
    TalkFactory(series=series, start=future(3))
    client.get("/prisec-ml/")
    with CaptureQueriesContext(connection) as context:
        client.get("/prisec-ml/")
    assert len(context) == 1


def test_page_cache_can_be_turned_off(client, series, settings):
    settings.PODIUM_PAGE_CACHE_SECONDS = 0
    TalkFactory(series=series, start=future(3))
    client.get("/prisec-ml/")
    with CaptureQueriesContext(connection) as context:
        client.get("/prisec-ml/")
    assert len(context) > 1


def test_healthz_is_trivial(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_a_deleted_talk_leaves_the_cached_page_at_once(client, series):
    talk = TalkFactory(series=series, title="Soon to go", start=future(3))
    assert "Soon to go" in client.get("/prisec-ml/").content.decode()
    talk.delete()
    assert "Soon to go" not in client.get("/prisec-ml/").content.decode()
