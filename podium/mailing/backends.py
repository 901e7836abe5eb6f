"""Django's own mail (password resets, error reports) goes through the outbox too."""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from podium.mailing.models import MailContent
from podium.mailing.outbox import Recipient, queue_mail


class OutboxBackend(BaseEmailBackend):
    """`EMAIL_BACKEND`: turns each Django `EmailMessage` into outbox rows for the worker."""

    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            html = next(
                (
                    body
                    for body, kind in getattr(message, "alternatives", [])
                    if kind == "text/html"
                ),
                "",
            )
            content = MailContent(subject=message.subject, text=message.body, html=html)
            recipients = [Recipient(address) for address in message.recipients()]
            try:
                with transaction.atomic():
                    queue_mail(content, recipients)
            except ValueError:
                if not self.fail_silently:
                    raise
                continue
            count += 1
        return count
