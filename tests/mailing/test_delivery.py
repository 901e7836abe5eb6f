"""Delivery over real SMTP: retries, permanent failures, bouncing, claims, leases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from podium.mailing import delivery
from podium.mailing.email_url import parse_email_url
from podium.mailing.models import (
    MailContent,
    OutboxMessage,
    OutboxState,
    Subscriber,
    SubscriberState,
)
from podium.mailing.outbox import Recipient, UnsafeHeader, queue_mail
from podium.mailing.subscriptions import set_lists
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db


def active(series, email):
    subscriber = Subscriber.objects.create(
        series=series, email=email, state=SubscriberState.ACTIVE, consent_source="test"
    )
    subscriber.lists.add(series.mailing_lists.get(slug="seminar"))
    return subscriber


def queue_to(series, *subscribers, subject="News"):
    content = MailContent(
        series=series,
        mailing_list=series.mailing_lists.get(slug="seminar"),
        subject=subject,
        text="Hello.",
        html="<p>Hello.</p>",
    )
    queue_mail(content, [Recipient(s.email, s.name, s.pk) for s in subscribers])
    return content


def test_temporary_421_is_retried_with_backoff_then_sent(smtp_server):
    series = SeriesFactory()
    reader = active(series, "a@example.org")
    queue_to(series, reader)
    smtp_server.handler.data_replies = ["421 Service not available, try later"]
    now = timezone.now()
    delivery.deliver_due(now=now)
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.QUEUED
    assert row.attempts == 1 and row.last_error.startswith("421")
    assert row.next_attempt_at > now
    assert delivery.deliver_due(now=now) == 0  # not due yet
    assert delivery.deliver_due(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.attempts == 2
    [mail] = smtp_server.messages()
    assert mail["Message-ID"] == row.message_id


def test_dropped_connection_is_temporary(smtp_server):
    series = SeriesFactory()
    queue_to(series, active(series, "a@example.org"))
    smtp_server.controller.stop()
    delivery.deliver_due()
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.QUEUED and "connect" in row.last_error.lower()
    smtp_server.restart()
    delivery.deliver_due(now=row.next_attempt_at)
    row.refresh_from_db()
    assert row.state == OutboxState.SENT


def test_permanent_550_stops_and_repeated_failures_mark_bouncing(smtp_server):
    series = SeriesFactory()
    reader, other = active(series, "gone@example.org"), active(series, "ok@example.org")
    smtp_server.handler.rcpt_replies["gone@example.org"] = "550 No such user"
    for n in range(delivery.BOUNCING_AFTER):
        queue_to(series, reader, other, subject=f"News {n}")
        delivery.deliver_due()
    failed = OutboxMessage.objects.filter(to_address="gone@example.org")
    assert set(failed.values_list("state", flat=True)) == {OutboxState.FAILED}
    assert all(row.attempts == 1 for row in failed)  # never retried
    assert failed.first().last_error.startswith("550")
    reader.refresh_from_db()
    assert reader.state == SubscriberState.BOUNCING
    assert "permanent delivery failures" in reader.events.last().how
    assert len(smtp_server.messages_to("ok@example.org")) == delivery.BOUNCING_AFTER
    from podium.mailing.subscriptions import active_recipients

    assert list(active_recipients(series.mailing_lists.get(slug="seminar"))) == [other]


def test_unsubscribe_stops_queued_rows_at_once(smtp_server):
    series = SeriesFactory()
    reader = active(series, "a@example.org")
    queue_to(series, reader)
    set_lists(reader, [], "unsubscribed in a test")
    assert delivery.deliver_due() == 0
    assert OutboxMessage.objects.get().state == OutboxState.CANCELLED
    assert smtp_server.messages() == []


def test_two_claims_never_share_a_row():
    series = SeriesFactory()
    people = [active(series, f"p{i}@example.org") for i in range(5)]
    queue_to(series, *people)
    first = delivery.claim_batch(3)
    second = delivery.claim_batch(3)
    assert len(first) == 3 and len(second) == 2
    assert not {r["id"] for r in first} & {r["id"] for r in second}
    assert delivery.claim_batch(3) == []
    assert OutboxMessage.objects.filter(state=OutboxState.SENDING).count() == 5


def test_rows_left_sending_by_a_dead_worker_return_after_the_lease(settings):
    series = SeriesFactory()
    queue_to(series, active(series, "a@example.org"))
    now = timezone.now()
    [row] = delivery.claim_batch(10, now=now)  # ... and the worker dies here
    lease = timedelta(seconds=settings.PODIUM_MAIL_LEASE_SECONDS)
    assert delivery.release_stuck(now + lease / 2) == 0  # a live worker keeps its rows
    assert delivery.release_stuck(now + lease + timedelta(seconds=1)) == 1
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.QUEUED and row.attempts == 1


def test_a_header_injection_in_a_name_queues_nothing():
    series = SeriesFactory()
    content = MailContent(series=series, subject="Hello", text="Hi")
    with pytest.raises(UnsafeHeader):
        queue_mail(
            content,
            [Recipient("a@example.org"), Recipient("b@example.org", "B\r\nBcc: c@example.org")],
        )
    assert not OutboxMessage.objects.exists()
    with pytest.raises(UnsafeHeader):
        queue_mail(MailContent(series=series, subject="Hi\nBcc: x@example.org", text="x"), [])


def test_message_ids_are_stable_across_retries(smtp_server):
    series = SeriesFactory()
    queue_to(series, active(series, "a@example.org"))
    smtp_server.handler.data_replies = ["451 try again"]
    delivery.deliver_due()
    row = OutboxMessage.objects.get()
    delivery.deliver_due(now=row.next_attempt_at)
    assert [m["Message-ID"] for m in smtp_server.messages()] == [row.message_id]


def test_a_slow_batch_keeps_renewing_its_lease(settings):
    settings.PODIUM_MAIL_LEASE_SECONDS = 0  # renew before every message
    settings.PODIUM_EMAIL = parse_email_url("podium:")
    series = SeriesFactory()
    queue_to(series, active(series, "a@example.org"), active(series, "b@example.org"))
    long_ago = timezone.now() - timedelta(hours=1)
    rows = delivery.claim_batch(10)
    OutboxMessage.objects.update(claimed_at=long_ago)  # as if the batch began an hour ago
    delivery.send_batch(rows, delivery.open_transport(), delivery.ContentCache())
    claimed = OutboxMessage.objects.filter(state=OutboxState.SENDING)
    assert claimed.count() == 2
    assert all(row.claimed_at > long_ago + timedelta(minutes=59) for row in claimed)


def test_long_non_ascii_bodies_survive_the_encoding(smtp_server):
    series = SeriesFactory(name="Séminaire — Privacy")
    reader = active(series, "a@example.org")
    paragraph = "Ünïcödé words — with “quotes” and a trailing space " * 40
    content = MailContent(
        series=series,
        mailing_list=series.mailing_lists.get(slug="seminar"),
        subject="Ünïcödé — subject",
        text=f"{paragraph}\n\n-- not a signature\n",
        html=f"<p>{paragraph}</p>",
    )
    queue_mail(content, [Recipient(reader.email, "Zoë Ünïcödé", reader.pk)])
    delivery.deliver_due()
    [mail] = smtp_server.messages()
    assert mail["Subject"] == "Ünïcödé — subject"
    assert str(mail["To"]) == "Zoë Ünïcödé <a@example.org>"
    assert "Séminaire — Privacy" in str(mail["From"])
    text = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith(f"{paragraph}\n\n-- not a signature\n\n-- \nYou get this")
    assert "/mail/preferences/" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f"<p>{paragraph}</p>" in html and "Change your lists" in html
    assert html.rstrip().endswith("</body></html>")
    head, _, body = smtp_server.handler.received[0][1].partition(b"\r\n\r\n")
    assert max(len(line) for line in head.split(b"\r\n")) <= 998  # a long URL may pass 78
    assert max(len(line) for line in body.split(b"\r\n")) <= 78
