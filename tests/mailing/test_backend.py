"""Django's own mail goes through the outbox too, and the stored mailbox keeps it."""

import pytest
from django.core.mail import EmailMultiAlternatives

from podium.mailing import delivery
from podium.mailing.backends import OutboxBackend
from podium.mailing.email_url import parse_email_url
from podium.mailing.models import OutboxMessage, StoredMail

pytestmark = pytest.mark.django_db


def test_django_mail_is_queued_and_kept_in_the_podium_mailbox(settings):
    settings.PODIUM_EMAIL = parse_email_url("podium:")
    message = EmailMultiAlternatives("Password reset", "Your link.", to=["o@example.org"])
    message.attach_alternative("<p>Your link.</p>", "text/html")
    assert OutboxBackend().send_messages([message]) == 1
    assert OutboxMessage.objects.get().state == "queued"
    assert delivery.deliver_due() == 1
    stored = StoredMail.objects.get()
    assert stored.to_address == "o@example.org" and stored.subject == "Password reset"
    assert b"Your link." in bytes(stored.raw)


def test_an_injected_header_is_refused():
    message = EmailMultiAlternatives("Hi\r\nBcc: x@example.org", "x", to=["o@example.org"])
    with pytest.raises(ValueError):
        OutboxBackend().send_messages([message])
    assert not OutboxMessage.objects.exists()
