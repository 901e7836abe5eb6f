"""The worker's side of the outbox: claim rows, send them over kept-open connections, record.

A batch is claimed with one conditional UPDATE (only rows still "queued" change hands), so
two workers never take the same row; the rows are "sending" before a byte goes out. A worker
killed mid-batch leaves its rows "sending": after the lease they are queued again, which is
the only way a message can go out twice (at most the rows in flight at the crash).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from podium.mailing.email_url import EmailTransport
from podium.mailing.models import (
    MailContent,
    OutboxMessage,
    OutboxState,
    StoredMail,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
)
from podium.mailing.outbox import build_message

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BOUNCING_AFTER = 3  # permanent failures in a row
CLAIM_TRIES = 5  # another worker may take the rows we saw; look again


class DeliveryError(Exception):
    """The server did not take the message; `temporary` says whether to try again."""

    def __init__(self, text: str, temporary: bool) -> None:
        super().__init__(text)
        self.text = text[:500]
        self.temporary = temporary


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


class SmtpTransport:
    """One SMTP connection, opened on first use and kept open across messages."""

    def __init__(self, config: EmailTransport) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            if config.ssl:
                smtp = smtplib.SMTP_SSL(
                    config.host,
                    config.port,
                    timeout=config.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
                if config.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, config.password)
            smtp.ehlo_or_helo_if_needed()
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(f"Login refused: {error.smtp_code}", temporary=True) from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"Cannot connect: {error}", temporary=True) from None
        return smtp

    def send(self, sender: str, recipient: str, message: bytes, **_) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            if sender.isascii() and recipient.isascii():
                self._send_checked(sender, recipient, message)
            else:  # internationalized addresses: smtplib negotiates SMTPUTF8
                self.smtp.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise DeliveryError(_reply(code, text), temporary=code < 500) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            if error.smtp_code == 421:
                self.close()
            raise DeliveryError(
                _reply(error.smtp_code, error.smtp_error), temporary=error.smtp_code < 500
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryError(f"Connection lost: {error}", temporary=True) from None
        except UnicodeError:
            self.close()
            raise DeliveryError("The server cannot take this address.", temporary=False) from None

    def _send_checked(self, sender: str, recipient: str, message: bytes) -> None:
        """MAIL, RCPT and DATA through smtplib's own calls, without parsing the addresses
        again (`queue_mail` checked them): about a quarter less work than `sendmail`."""
        smtp = self.smtp
        smtp.putcmd("mail", f"FROM:<{sender}>")
        code, reply = smtp.getreply()
        if code != 250:
            self._reset(code)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        smtp.putcmd("rcpt", f"TO:<{recipient}>")
        code, reply = smtp.getreply()
        if code not in (250, 251):
            self._reset(code)
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = smtp.data(message)
        if code != 250:
            self._reset(code)
            raise smtplib.SMTPDataError(code, reply)

    def _reset(self, code: int) -> None:
        # As smtplib does: 421 means the server is closing; otherwise start the next message.
        if code == 421:
            self.close()
            return
        try:
            self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


class StoredTransport:
    """Keeps messages in Podium's own mailbox (`StoredMail`), readable at /organize/."""

    def send(self, sender: str, recipient: str, message: bytes, **row) -> None:
        StoredMail.objects.create(
            series_id=row.get("series_id"),
            to_address=recipient,
            subject=row.get("subject", "")[:250],
            message_id=row.get("message_id", ""),
            raw=message,
        )

    def close(self) -> None:
        pass


def open_transport(config: EmailTransport | None = None):
    """The transport `PODIUM_EMAIL_URL` names."""
    config = config or settings.PODIUM_EMAIL
    return StoredTransport() if config.is_stored else SmtpTransport(config)


def release_stuck(now: datetime | None = None, lease: timedelta | None = None) -> int:
    """Queue again rows left "sending" longer than the lease (their worker died)."""
    now = now or timezone.now()
    lease = lease if lease is not None else timedelta(seconds=settings.PODIUM_MAIL_LEASE_SECONDS)
    return OutboxMessage.objects.filter(
        state=OutboxState.SENDING, claimed_at__lt=now - lease
    ).update(state=OutboxState.QUEUED, claimed_by="", next_attempt_at=now)


def claim_batch(size: int, now: datetime | None = None) -> list[dict]:
    """Take up to `size` due rows for this worker; return them with what sending needs."""
    now = now or timezone.now()
    token = secrets.token_hex(8)
    # Oldest due first, in the order of the (state, next_attempt_at) index: no sort.
    due = OutboxMessage.objects.filter(state=OutboxState.QUEUED, next_attempt_at__lte=now)
    due = due.order_by("next_attempt_at")
    for _ in range(CLAIM_TRIES):
        ids = list(due.values_list("id", flat=True)[:size])
        if not ids:
            return []
        # The condition on state makes the claim safe: a row another worker took is skipped.
        claimed = OutboxMessage.objects.filter(id__in=ids, state=OutboxState.QUEUED).update(
            state=OutboxState.SENDING,
            claimed_at=now,
            claimed_by=token,
            attempts=F("attempts") + 1,
        )
        if claimed:
            break
    return list(
        # By primary key: the claim token alone has no index to find the rows by.
        OutboxMessage.objects.filter(id__in=ids, claimed_by=token, state=OutboxState.SENDING)
        .order_by("id")
        .values(
            "id",
            "content_id",
            "to_address",
            "to_name",
            "message_id",
            "attempts",
            "subscriber_id",
            "subscriber__key",
            "claimed_by",
        )
    )


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    temporary: list[tuple[dict, str]] = field(default_factory=list)
    permanent: list[tuple[dict, str]] = field(default_factory=list)


class ContentCache:
    """Content rows by id, fetched once per worker thread."""

    def __init__(self) -> None:
        self.contents: dict[int, MailContent] = {}

    def get(self, content_id: int) -> MailContent:
        if content_id not in self.contents:
            if len(self.contents) > 64:
                self.contents.clear()
            self.contents[content_id] = MailContent.objects.select_related(
                "series", "mailing_list"
            ).get(pk=content_id)
        return self.contents[content_id]


def renew_claim(rows: list[dict]) -> int:
    """Extend the lease of a batch still being sent."""
    ids = [row["id"] for row in rows]
    token = rows[0]["claimed_by"]
    return OutboxMessage.objects.filter(
        id__in=ids, claimed_by=token, state=OutboxState.SENDING
    ).update(claimed_at=timezone.now())


def send_batch(rows: list[dict], transport, contents: ContentCache) -> BatchResult:
    """Send each claimed row; collect what happened (recorded by `record`)."""
    result = BatchResult()
    renew_every = settings.PODIUM_MAIL_LEASE_SECONDS / 3
    renewed = time.monotonic()
    for row in rows:
        if time.monotonic() - renewed > renew_every:
            # A slow server must not let the lease run out under a live worker.
            renew_claim(rows)
            renewed = time.monotonic()
        content = contents.get(row["content_id"])
        message = build_message(
            content,
            to_address=row["to_address"],
            to_name=row["to_name"],
            message_id=row["message_id"],
            subscriber_id=row["subscriber_id"],
            subscriber_key=row["subscriber__key"],
        )
        try:
            transport.send(
                settings.PODIUM_MAIL_FROM,
                row["to_address"],
                message,
                series_id=content.series_id,
                subject=content.subject,
                message_id=row["message_id"],
            )
        except DeliveryError as error:
            bucket = result.temporary if error.temporary else result.permanent
            bucket.append((row, error.text))
        else:
            result.sent.append(row["id"])
    return result


def record(result: BatchResult, now: datetime | None = None) -> None:
    """Write down what happened to a batch: sent, to retry later, or failed for good."""
    now = now or timezone.now()
    with transaction.atomic():
        if result.sent:
            OutboxMessage.objects.filter(id__in=result.sent).update(
                state=OutboxState.SENT, sent_at=now, claimed_by="", last_error=""
            )
        for row, error in result.temporary:
            give_up = row["attempts"] >= MAX_ATTEMPTS
            OutboxMessage.objects.filter(id=row["id"]).update(
                state=OutboxState.FAILED if give_up else OutboxState.QUEUED,
                next_attempt_at=now + backoff(row["attempts"]),
                claimed_by="",
                last_error=error,
            )
        for row, error in result.permanent:
            OutboxMessage.objects.filter(id=row["id"]).update(
                state=OutboxState.FAILED, claimed_by="", last_error=error
            )
            if row["subscriber_id"]:
                _count_permanent_failure(row["subscriber_id"], error, now)
        sent_to = [row_id for row_id in result.sent]
        if sent_to:
            Subscriber.objects.filter(messages__id__in=sent_to, permanent_failures__gt=0).update(
                permanent_failures=0
            )


def _count_permanent_failure(subscriber_id: int, error: str, now: datetime) -> None:
    Subscriber.objects.filter(pk=subscriber_id).update(
        permanent_failures=F("permanent_failures") + 1
    )
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if (
        subscriber
        and subscriber.permanent_failures >= BOUNCING_AFTER
        and subscriber.state == SubscriberState.ACTIVE
    ):
        subscriber.state = SubscriberState.BOUNCING
        subscriber.state_changed_at = now
        subscriber.save(update_fields=["state", "state_changed_at"])
        SubscriberEvent.objects.create(
            subscriber=subscriber,
            at=now,
            state=SubscriberState.BOUNCING,
            how=f"{BOUNCING_AFTER} permanent delivery failures in a row; last: {error[:200]}",
        )
        OutboxMessage.objects.filter(subscriber=subscriber, state=OutboxState.QUEUED).update(
            state=OutboxState.CANCELLED, last_error="Address is bouncing."
        )


def deliver_due(
    transport=None,
    batch_size: int | None = None,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Deliver every row due now, batch by batch, over one transport; return how many rows
    were handled. The transport stays open across batches and is closed here only if this
    function opened it. `stop` ends the loop between batches."""
    own = transport is None
    transport = transport or open_transport()
    contents = ContentCache()
    handled = 0
    try:
        while not (stop and stop.is_set()) and (
            rows := claim_batch(batch_size or settings.PODIUM_MAIL_BATCH, now)
        ):
            result = send_batch(rows, transport, contents)
            record(result, now)
            handled += len(rows)
    finally:
        if own:
            transport.close()
    return handled
