"""The outbox: the one way Podium sends email. Every message is first a row here.

`queue_mail` is the only function that sends mail: it writes one `OutboxMessage` per
recipient, in the caller's transaction, and the worker (`delivery.py`) delivers the rows.
`build_message` turns a row into the bytes put on the wire; the parts every recipient shares
are encoded once per content and kept, so 100,000 recipients cost one render, not 100,000.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from podium.mailing import tokens
from podium.mailing.models import MailContent, OutboxMessage, OutboxState
from podium.seminars.addresses import absolute

CRLF = "\r\n"
# Rows per INSERT: 11 values each stays under SQLite's 32,766 variables.
BULK_SIZE = 2500
MAX_ADDRESS_LENGTH = 254


class UnsafeHeader(ValueError):
    """A value bound for a mail header holds a line break or is otherwise unusable."""


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""
    subscriber_id: int | None = None


def check_header_value(value: str, what: str) -> str:
    """Refuse a header value that could inject headers (CR, LF or other control characters)."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise UnsafeHeader(f"The {what} contains a line break or control character.")
    return value


def check_address(address: str) -> str:
    """Refuse an address that is malformed, too long, or could inject headers."""
    check_header_value(address, "address")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise UnsafeHeader(f"The address is longer than {MAX_ADDRESS_LENGTH} characters.")
    try:
        validate_email(address)
    except ValidationError:
        raise UnsafeHeader(f"“{address}” is not a valid email address.") from None
    return address


def mail_domain() -> str:
    """The domain of Podium's own Message-IDs (that of the sending address)."""
    return settings.PODIUM_MAIL_FROM.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return f"<{secrets.token_hex(12)}@{mail_domain()}>"


def queue_mail(content: MailContent, recipients: Iterable[Recipient]) -> int:
    """Queue `content` for each recipient; return how many rows were written.

    Call it inside the transaction that decides to send, so the decision and the rows
    commit together. Every address and name is checked first: nothing is written if one
    is unsafe (raises `UnsafeHeader`).
    """
    check_header_value(content.subject, "subject")
    checked = []
    for recipient in recipients:
        check_address(recipient.address)
        check_header_value(recipient.name, "name")
        checked.append(recipient)
    with transaction.atomic():
        if content.pk is None:
            content.save()
        _insert_rows(content, checked)
    return len(checked)


_COLUMNS = (
    "content_id", "subscriber_id", "to_address", "to_name", "message_id", "state",
    "attempts", "next_attempt_at", "claimed_by", "last_error", "created_at",
)  # fmt: skip


def _insert_rows(content: MailContent, recipients: list[Recipient]) -> None:
    """One multi-row INSERT per chunk: 100,000 rows in seconds, not minutes of ORM objects."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    row_marks = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(recipients), BULK_SIZE):
            chunk = recipients[start : start + BULK_SIZE]
            values: list = []
            for r in chunk:
                values += [
                    content.pk, r.subscriber_id, r.address, r.name, new_message_id(),
                    OutboxState.QUEUED, 0, now, "", "", now,
                ]  # fmt: skip
            marks = ", ".join([row_marks] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {marks}", values)  # noqa: S608


# --- Building the bytes ------------------------------------------------------------------


@dataclass
class Prepared:
    """The parts of a content's message that are the same for every recipient."""

    head: str  # From, Subject, MIME headers, List-Id
    is_list_mail: bool
    series_slug: str
    list_id: int | None
    text: str  # quoted-printable, ends with a line break
    html_head: str  # quoted-printable: the page up to where the footer goes
    html_tail: str  # quoted-printable: the end of the page
    attachment: str  # the encoded attachment part, with its boundary line, or ""
    boundary: str
    prefs_prefix: str
    unsubscribe_prefix: str
    list_name: str
    series_name: str


# Keyed by id and creation time: a test database that rolls back may reuse an id.
_prepared: OrderedDict[tuple, Prepared] = OrderedDict()
_prepared_lock = threading.Lock()
PREPARED_CACHE = 64


def _encoded_header(name: str, value: str) -> str:
    if value.isascii():
        return f"{name}: {value}"
    return f"{name}: " + Header(value, "utf-8", header_name=name).encode(linesep=CRLF)


def _qp(text: str) -> str:
    data = text.replace("\r\n", "\n").encode("utf-8")
    encoded = binascii.b2a_qp(data, istext=True).decode("ascii")
    return encoded.replace("\n", CRLF)


def prepare(content: MailContent) -> Prepared:
    """Encode once what every recipient of `content` shares (cached per content)."""
    key = (content.pk, content.created_at)
    with _prepared_lock:
        if key in _prepared:
            _prepared.move_to_end(key)
            return _prepared[key]
    series = content.series
    mailing_list = content.mailing_list
    sender_name = series.name if series else settings.PODIUM_SITE_NAME
    head = [
        _encoded_header("From", formataddr((sender_name, settings.PODIUM_MAIL_FROM), "utf-8")),
        _encoded_header("Subject", content.subject),
        "MIME-Version: 1.0",
    ]
    prefs_prefix = unsubscribe_prefix = ""
    if mailing_list is not None and series is not None:
        list_host = f"{mailing_list.slug}.{series.slug}.{mail_domain()}"
        phrase = mailing_list.name
        if not phrase.isascii():
            phrase = Header(phrase, "utf-8").encode()
        head.append(f"List-Id: {phrase} <{list_host}>")
        prefs_prefix = absolute(
            reverse("mailing:preferences", args=[series.slug, "TOKEN"])
        ).removesuffix("TOKEN/")
        unsubscribe_prefix = absolute(
            reverse("mailing:unsubscribe", args=[series.slug, "TOKEN"])
        ).removesuffix("TOKEN/")
    boundary = f"=_podium_{secrets.token_hex(8)}"
    attachment = ""
    if content.attachment:
        data = base64.encodebytes(bytes(content.attachment)).decode("ascii").replace("\n", CRLF)
        attachment = CRLF.join(
            [
                f"--{boundary}",
                f'Content-Type: {content.attachment_type}; charset="utf-8"',
                "Content-Transfer-Encoding: base64",
                f'Content-Disposition: attachment; filename="{content.attachment_name}"',
                "",
                data,
            ]
        )
    prepared = Prepared(
        head=CRLF.join(head),
        is_list_mail=bool(prefs_prefix),
        series_slug=series.slug if series else "",
        list_id=mailing_list.pk if mailing_list else None,
        # Encoded once; a footer encoded per recipient joins at a line break, which
        # quoted-printable allows (it encodes line by line).
        text=_qp(content.text.rstrip() + "\n"),
        html_head=_qp(f"<!doctype html><html><body>\n{content.html}\n") if content.html else "",
        html_tail=_qp("</body></html>\n") if content.html else "",
        attachment=attachment,
        boundary=boundary,
        prefs_prefix=prefs_prefix,
        unsubscribe_prefix=unsubscribe_prefix,
        list_name=mailing_list.name if mailing_list else "",
        series_name=series.name if series else "",
    )
    with _prepared_lock:
        _prepared[key] = prepared
        while len(_prepared) > PREPARED_CACHE:
            _prepared.popitem(last=False)
    return prepared


def _text_part(encoded: str, subtype: str) -> str:
    return CRLF.join(
        [
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            encoded,
        ]
    )


def _footers(prepared: Prepared, prefs_url: str) -> tuple[str, str]:
    text = (
        f"\n-- \nYou get this as a subscriber to {prepared.list_name} of "
        f"{prepared.series_name}.\nChange your lists or unsubscribe: {prefs_url}\n"
    )
    html = (
        f"<hr><p>You get this as a subscriber to {escape(prepared.list_name)} of "
        f'{escape(prepared.series_name)}. <a href="{escape(prefs_url)}">Change your lists '
        f"or unsubscribe</a>.</p>"
    )
    return text, html


def build_message(
    content: MailContent,
    *,
    to_address: str,
    to_name: str,
    message_id: str,
    subscriber_id: int | None,
    subscriber_key: str | None,
) -> bytes:
    """The complete message for one recipient, as bytes with CRLF line ends."""
    prepared = prepare(content)
    headers = [
        _encoded_header("To", formataddr((to_name, to_address), "utf-8")),
        prepared.head,
        f"Date: {formatdate(localtime=False)}",
        f"Message-ID: {message_id}",
    ]
    text, html = prepared.text, prepared.html_head
    if prepared.is_list_mail and subscriber_id is not None and subscriber_key:
        prefs_url = prepared.prefs_prefix + tokens.preferences_token(subscriber_id, subscriber_key)
        unsubscribe_url = prepared.unsubscribe_prefix + tokens.unsubscribe_token(
            subscriber_id, subscriber_key, prepared.list_id or 0
        )
        headers.append(f"List-Unsubscribe: <{unsubscribe_url}/>")
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        text_footer, html_footer = _footers(prepared, prefs_url + "/")
        text += _qp(text_footer)
        html = html + _qp(html_footer + "\n") if html else ""
    alternative = f"{prepared.boundary}_alt"
    if html:
        body = CRLF.join(
            [
                f'Content-Type: multipart/alternative; boundary="{alternative}"',
                "",
                f"--{alternative}",
                _text_part(text, "plain"),
                f"--{alternative}",
                _text_part(html + prepared.html_tail, "html"),
                f"--{alternative}--",
                "",
            ]
        )
    else:
        body = _text_part(text, "plain")
    if prepared.attachment:
        body = CRLF.join(
            [
                f'Content-Type: multipart/mixed; boundary="{prepared.boundary}"',
                "",
                f"--{prepared.boundary}",
                body,
                prepared.attachment,
                f"--{prepared.boundary}--",
                "",
            ]
        )
    return (CRLF.join(headers) + CRLF + body).encode("utf-8")
