"""What a talk's page is made of: its context, summary and structured data."""

import json
from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from podium.seminars.models import Person, Series, Talk
from podium.seminars.pages import talk_page_context, talk_summary
from podium.seminars.talks import public_talk, save_talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory


def _talk() -> Talk:
    series = Series(slug="s", name="S", time_zone="Europe/London")
    return Talk(series=series, title="T", start=datetime(2021, 10, 13, 12, tzinfo=UTC))


def _summary_in_full(head: str, abstract: str, limit: int = 200) -> str:
    """The summary worked out on the whole abstract: what the page must show."""
    text = f"{head} {' '.join(abstract.split())}".strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@pytest.mark.parametrize(
    "abstract",
    [
        "",
        "Short.",
        "word " * 39 + "end",  # right around the limit
        "word " * 500,
        " \n\t " * 300 + "late start " * 50,  # whitespace longer than what is looked at first
        "a" * 1000,
        ("x" * 197 + "  \n  ") * 5,
        "αβγ δεζ\u00a0ηθ " * 100,  # unicode words and a no-break space (whitespace to split)
    ],
)
def test_summary_is_that_of_the_whole_abstract(abstract):
    talk, speaker = _talk(), Person(name="Ada Lovelace", honorific="Dr.")
    head = f"Dr. Ada Lovelace, {talk.start_local_date}."

    assert talk_summary(talk, [speaker], abstract) == _summary_in_full(head, abstract)
    assert talk_summary(talk, [], abstract) == _summary_in_full(
        f"{talk.start_local_date}.", abstract
    )


@pytest.mark.django_db
def test_talk_page_context_shares_one_address_speakers_and_links(settings):
    # Addresses are the public ones (PODIUM_BASE_URL), whatever host the request came by.
    settings.ALLOWED_HOSTS = ["internal.example"]
    settings.BASE_URL = "https://seminars.example.org"
    series = SeriesFactory(slug="prisec")
    first, second = PersonFactory(name="Zoe"), PersonFactory(name="Adam")
    talk = TalkFactory(series=series, speakers=[first, second])
    save_talk(talk, links=[("Paper", "https://example.org/paper"), ("Code", "https://c.org")])
    talk = public_talk(talk.pk)
    request = RequestFactory().get("/", HTTP_HOST="internal.example")

    context = talk_page_context(request, series, talk)

    page_url = f"https://seminars.example.org/prisec/talks/{talk.slug}/"
    assert context["page_url"] == page_url
    assert context["series_url"] == "/prisec/"
    assert context["speakers"] == [first, second]
    assert [link.label for link in context["links"]] == ["Paper", "Code"]
    data = json.loads(context["json_ld"])
    assert data["url"] == page_url
    assert data["organizer"]["url"] == "https://seminars.example.org/prisec/"
    assert [p["name"] for p in data["performer"]] == ["Zoe", "Adam"]
