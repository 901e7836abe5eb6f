"""The whole flow over real SMTP: subscribe, confirm, announcement, one-click unsubscribe."""

from datetime import UTC, datetime

import pytest

from podium.mailing import announcements, delivery
from podium.mailing.models import OutboxMessage, Subscriber, SubscriberState
from tests.factories import PersonFactory, SeriesFactory, TalkFactory
from tests.mailing.conftest import header_path, link_in

pytestmark = pytest.mark.django_db


def subscribe(client, series, address, lists=None):
    lists = lists or [series.mailing_lists.get(slug="seminar").pk]
    return client.post(
        f"/{series.slug}/subscribe/",
        {"email": address, "lists": lists, "name": "", "website": ""},
        HTTP_ORIGIN="http://testserver",
    )


def test_subscribe_confirm_announce_and_one_click_unsubscribe(client, smtp_server):
    series = SeriesFactory(short_name="PriSec-ML", time_zone="Europe/London")
    response = subscribe(client, series, "Reader@Example.org")
    assert response.status_code == 302
    assert not response.cookies, "the subscribe endpoint must set no cookie"
    assert delivery.deliver_due() == 1
    [confirmation] = smtp_server.messages_to("reader@example.org")
    assert "confirm" in confirmation["Subject"].lower()
    assert confirmation["List-Unsubscribe"] is None  # not list mail: nothing to leave yet

    confirm_path = link_in(confirmation, "confirm")
    assert client.get(confirm_path).status_code == 200  # a page with a button, no change
    assert Subscriber.objects.get().state == SubscriberState.PENDING
    response = client.post(confirm_path)
    assert response.status_code == 200
    assert not response.cookies
    assert Subscriber.objects.get().state == SubscriberState.ACTIVE

    speaker = PersonFactory(name="Konrad Rieck")
    talk = TalkFactory(
        series=series,
        title="Adversarial Preprocessing",
        start=datetime(2031, 10, 13, 12, 0, tzinfo=UTC),
        speakers=[speaker],
    )
    announcement = announcements.draft_announcement(talk)
    assert announcement.subject == (
        "[PriSec-ML] Mon 13 Oct, 13:00 UK: Konrad Rieck — Adversarial Preprocessing"
    )
    assert announcements.queue_announcement(announcement) == 1
    smtp_server.clear()
    assert delivery.deliver_due() == 1
    [mail] = smtp_server.messages()
    assert mail["Subject"] == announcement.subject
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Id"].endswith(f"<seminar.{series.slug}.localhost>")
    assert (
        mail["Message-ID"]
        == OutboxMessage.objects.get(content__announcement=announcement).message_id
    )
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Monday 13 October 2031, 13:00 UK time (BST)" in text
    assert "Monday 13 October 2031, 12:00 UTC" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "<h2>Adversarial Preprocessing</h2>" in html or "Adversarial Preprocessing" in html

    # One click, as Gmail does it: a POST with no cookie and the RFC 8058 body.
    unsubscribe_path = header_path(mail["List-Unsubscribe"])
    client.cookies.clear()
    response = client.post(
        unsubscribe_path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies
    subscriber = Subscriber.objects.get()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert [e.state for e in subscriber.events.all()] == ["pending", "active", "unsubscribed"]

    second = announcements.draft_announcement(talk)
    assert announcements.queue_announcement(second) == 0
