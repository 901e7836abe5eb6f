"""Subscribing and signed links: bad input and abuse are refused, nothing half-written."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from podium.mailing import delivery, tokens
from podium.mailing.models import OutboxMessage, RateLimitHit, Subscriber, SubscriberState
from podium.mailing.subscriptions import (
    confirm_subscription,
    forget_unconfirmed,
    preferences_url,
    request_subscription,
)
from tests.factories import SeriesFactory
from tests.mailing.conftest import link_in

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def series():
    return SeriesFactory(short_name="PriSec-ML")


def post(client, series, headers=ORIGIN, **fields):
    data = {
        "email": "reader@example.org",
        "name": "",
        "website": "",
        "lists": [series.mailing_lists.get(slug="seminar").pk],
    }
    data.update(fields)
    return client.post(f"/{series.slug}/subscribe/", data, **headers)


def test_the_answer_is_the_same_for_new_pending_and_active_addresses(client, series):
    new = post(client, series, email="new@example.org")
    Subscriber.objects.create(
        series=series,
        email="active@example.org",
        state=SubscriberState.ACTIVE,
        consent_source="form",
    )
    active = post(client, series, email="active@example.org")
    pending = post(client, series, email="new@example.org")
    assert new.status_code == active.status_code == pending.status_code == 302
    assert new.url == active.url == pending.url == f"/{series.slug}/subscribe/sent/"
    sent = client.get(new.url)
    assert "Check your inbox" in sent.content.decode()
    assert not sent.cookies
    subjects = sorted(OutboxMessage.objects.values_list("content__subject", flat=True))
    assert subjects == [
        "[PriSec-ML] Please confirm your subscription",
        "[PriSec-ML] Please confirm your subscription",
        "[PriSec-ML] You are already subscribed",
    ]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "Enter a valid email address"),
        ("a" * 250 + "@example.org", "at most 254 characters"),
        ("reader@example.org\r\nBcc: victim@example.org", "Enter a valid email address"),
    ],
)
def test_bad_addresses_are_refused_with_a_message(client, series, address, message):
    response = post(client, series, email=address)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists() and not OutboxMessage.objects.exists()


def test_a_line_break_in_the_name_is_refused(client, series):
    response = post(client, series, name="Eve\r\nBcc: victim@example.org")
    assert response.status_code == 400
    assert "Keep this on one line" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_post_from_another_site_is_refused(client, series):
    assert post(client, series, headers={"HTTP_ORIGIN": "https://evil.example"}).status_code == 403
    assert post(client, series, headers={}).status_code == 403  # neither Origin nor Referer
    referer = {"HTTP_REFERER": f"http://testserver/{series.slug}/"}
    assert post(client, series, headers=referer).status_code == 302
    assert Subscriber.objects.count() == 1


def test_a_post_from_a_trusted_site_is_taken(client, series, settings):
    # The static copy on GitHub Pages posts its sign-up form here (PODIUM_EXPORT_FORMS=live).
    copy = {"HTTP_ORIGIN": "https://user.github.io"}
    assert post(client, series, headers=copy).status_code == 403  # until the server trusts it
    settings.CSRF_TRUSTED_ORIGINS = ["https://user.github.io", "https://*.example.org"]
    assert post(client, series, headers=copy).status_code == 302
    assert Subscriber.objects.count() == 1
    for origin, status in [
        ("https://seminars.example.org", 302),
        ("https://example.org", 302),
        ("http://seminars.example.org", 403),  # another scheme
        ("https://example.org.evil.example", 403),
        ("https://user.github.io.evil.example", 403),
    ]:
        response = post(client, series, headers={"HTTP_ORIGIN": origin}, email=f"{status}@x.org")
        assert response.status_code == status, origin


def test_the_honeypot_pretends_and_does_nothing(client, series):
    response = post(client, series, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and not OutboxMessage.objects.exists()


def test_a_flood_from_one_client_is_refused(client, series):
    for n in range(10):
        assert post(client, series, email=f"r{n}@example.org").status_code == 302
    response = post(client, series, email="r10@example.org")
    assert response.status_code == 429
    assert "too many" in response.content.decode().lower()
    assert Subscriber.objects.count() == 10
    assert RateLimitHit.objects.count() == 10 + 10  # per client and per address; digests only
    assert not RateLimitHit.objects.filter(digest__contains="example").exists()


def test_one_address_gets_at_most_three_confirmations_a_day(client, series):
    for _ in range(5):
        post(client, series)
    assert OutboxMessage.objects.count() == 3


def test_confirmation_link_works_once(client, series, smtp_server):
    post(client, series)
    delivery.deliver_due()
    path = link_in(smtp_server.messages()[0], "confirm")
    assert client.post(path).status_code == 200
    replay = client.post(path)
    assert replay.status_code == 400
    assert "already used" in replay.content.decode()


def test_a_newer_confirmation_voids_the_older_link(series):
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    old = tokens.confirm_token(subscriber.pk, subscriber.confirm_nonce)
    request_subscription(series, "r@example.org", series.mailing_lists.all())
    with pytest.raises(tokens.BadLink, match="replaced by a newer one"):
        confirm_subscription(series, old)
    assert Subscriber.objects.get().state == SubscriberState.PENDING


def test_confirmation_links_expire_after_seven_days(client, series):
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    token = tokens.confirm_token(subscriber.pk, subscriber.confirm_nonce)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.post(f"/{series.slug}/mail/confirm/{token}/")
        assert response.status_code == 400
        assert "expired" in response.content.decode()
        assert Subscriber.objects.get().state == SubscriberState.PENDING
        assert forget_unconfirmed() == 1
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("kind", ["confirm", "preferences", "unsubscribe"])
def test_forged_and_damaged_links_are_refused(client, series, kind):
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    forged = f"{subscriber.pk}.{subscriber.key}.1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    response = client.post(f"/{series.slug}/mail/{kind}/{forged}/")
    assert response.status_code == 400
    assert "not one Podium made" in response.content.decode()
    assert Subscriber.objects.get().state == SubscriberState.PENDING


def test_a_link_for_another_series_is_refused(client, series):
    other = SeriesFactory()
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    token = tokens.preferences_token(subscriber.pk, subscriber.key)
    assert client.get(f"/{other.slug}/mail/preferences/{token}/").status_code == 400


def test_preferences_change_lists_download_and_delete(client, series):
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    subscriber.state = SubscriberState.ACTIVE
    subscriber.save()
    path = preferences_url(subscriber).removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200 and not page.cookies
    jobs = series.mailing_lists.get(slug="jobs")
    response = client.post(path, {"lists": [jobs.pk], "action": "save"}, **ORIGIN)
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert list(subscriber.lists.all()) == [jobs]

    data = client.get(path + "data.json").json()
    assert data["email"] == "r@example.org"
    assert [event["state"] for event in data["consent_record"]] == ["pending", "active"]

    response = client.post(path, {"action": "delete"}, **ORIGIN)
    assert "deleted" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert OutboxMessage.objects.get().to_address == ""  # the confirmation row keeps no address
    assert client.get(path).status_code == 400


def test_an_international_domain_is_kept_in_its_ascii_form(series):
    subscriber = request_subscription(series, "Reader@Bücher.example", series.mailing_lists.all())
    assert subscriber.email == "reader@xn--bcher-kva.example"


def test_links_in_mail_carry_the_base_path_once(series, settings):
    """A server mounted under a path (PODIUM_BASE_URL with it): the path is in the link once."""
    from django.urls import set_script_prefix

    settings.BASE_URL = "https://example.org/seminars"
    subscriber = request_subscription(series, "r@example.org", series.mailing_lists.all())
    set_script_prefix("/seminars/")
    try:
        link = preferences_url(subscriber)
    finally:
        set_script_prefix("/")
    assert link.startswith(f"https://example.org/seminars/{series.slug}/mail/preferences/")
