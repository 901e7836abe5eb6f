"""The parts a talk's page, its card and the archive share (`includes/talk_parts.html`)."""

from datetime import UTC, datetime, timedelta

import pytest

from podium.seminars.talks import cancel_talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db

SPEAKER_LINE = (
    '<p class="speakers"><span class="speaker"><a href="https://ada.example" rel="nofollow '
    'noopener">Dr. Ada</a> <span class="affiliation">(UCL)</span></span>, '
    '<span class="speaker">Bob</span> and <span class="speaker">Cy &amp; Co '
    '<span class="affiliation">(&#34;Lab&#34;)</span></span></p>'
)


def _talk(start: datetime):
    ada = PersonFactory(
        name="Ada", honorific="Dr.", affiliation="UCL", homepage="https://ada.example"
    )
    ada.photo.name = "people/ada.jpg"
    ada.save()
    bob = PersonFactory(name="Bob", affiliation="")
    cy = PersonFactory(name="Cy & Co", affiliation='"Lab"')
    series = SeriesFactory(slug="parts")
    talk = TalkFactory(series=series, start=start, speakers=[ada, bob, cy])
    return cancel_talk(talk, note="Moved <soon>")


def test_talk_page_shows_speakers_in_order_photos_and_status(client):
    talk = _talk(datetime.now(UTC) + timedelta(days=3))
    html = client.get(talk.get_absolute_url()).content.decode()

    assert SPEAKER_LINE in html
    assert html.count('<img class="photo"') == 1
    assert '<img class="photo" src="/media/people/ada.jpg" alt="Ada"' in html
    assert (
        '<p class="status status-cancelled"><strong>Cancelled.</strong> Moved &lt;soon&gt;</p>\n'
        in html
    )


def test_card_and_archive_show_the_same_speaker_line(client):
    upcoming = _talk(datetime.now(UTC) + timedelta(days=3))
    past = _talk(datetime.now(UTC) - timedelta(days=30))

    assert SPEAKER_LINE in client.get(upcoming.series.get_absolute_url()).content.decode()
    assert SPEAKER_LINE in client.get(f"/{past.series.slug}/past/").content.decode()
