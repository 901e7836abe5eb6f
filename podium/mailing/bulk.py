"""Subscribers in bulk: import from CSV (a JISCMail export: address and name), export to CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from podium.mailing.models import MailingList, Subscriber, SubscriberEvent, SubscriberState
from podium.mailing.outbox import UnsafeHeader, check_header_value
from podium.mailing.subscriptions import normalize_address, request_subscription
from podium.seminars.models import Series

HEADER_WORDS = {"email", "e-mail", "email address", "address", "mail"}
MAX_ROWS = 200_000


class ImportRefused(ValueError):
    """The file cannot be imported; `problems` lists each one with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    skipped_unsubscribed: list[str] = field(default_factory=list)
    confirmations_sent: int = 0


def read_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(line, address, name) for each row of a CSV file; raise `ImportRefused` on any bad row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["The file is not UTF-8 text. Save it as CSV (UTF-8)."]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS:
        raise ImportRefused([f"The file has more than {MAX_ROWS:,} rows; split it."])
    email_at, name_at, start = 0, 1, 0
    if rows and rows[0] and "@" not in rows[0][0]:
        header = [cell.strip().lower() for cell in rows[0]]
        email_at = next((i for i, cell in enumerate(header) if cell in HEADER_WORDS), 0)
        name_at = next((i for i, cell in enumerate(header) if "name" in cell), -1)
        start = 1
    result, problems, seen = [], [], set()
    for line, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        raw = row[email_at] if email_at < len(row) else ""
        name = row[name_at].strip() if 0 <= name_at < len(row) else ""
        try:
            address = normalize_address(raw)
            check_header_value(name, "name")
        except UnsafeHeader as error:
            problems.append(f"Line {line}: {error}")
            continue
        if len(name) > 200:
            problems.append(f"Line {line}: the name is longer than 200 characters.")
            continue
        if address not in seen:
            seen.add(address)
            result.append((line, address, name))
    if problems:
        raise ImportRefused(problems)
    if not result:
        raise ImportRefused(["The file holds no email addresses."])
    return result


@transaction.atomic
def import_subscribers(
    series: Series,
    data: bytes,
    lists: Iterable[MailingList],
    *,
    confirm_by_email: bool,
    consent_source: str,
    by: str,
) -> ImportReport:
    """Add the file's addresses to `lists`: active with the consent source recorded, or
    pending with a confirmation mail each. All or nothing: a bad row refuses the file.
    Addresses that unsubscribed or bounce are never added back."""
    rows = read_rows(data)
    chosen = [item for item in lists if item.series_id == series.pk]
    report = ImportReport()
    existing = {
        s.email: s for s in Subscriber.objects.filter(series=series, email__in=[r[1] for r in rows])
    }
    now = timezone.now()
    how = f"imported from CSV by {by}: {consent_source}"[:300]
    for _line, address, name in rows:
        subscriber = existing.get(address)
        if subscriber and subscriber.state in (
            SubscriberState.UNSUBSCRIBED,
            SubscriberState.BOUNCING,
        ):
            report.skipped_unsubscribed.append(address)
            continue
        if confirm_by_email:
            if subscriber and subscriber.state == SubscriberState.ACTIVE:
                report.already += 1
                continue
            request_subscription(series, address, chosen, name, how=how, now=now)
            report.confirmations_sent += 1
            continue
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                series=series,
                email=address,
                name=name,
                state=SubscriberState.ACTIVE,
                consent_source=how,
                created_at=now,
                confirmed_at=now,
            )
            SubscriberEvent.objects.create(
                subscriber=subscriber, at=now, state=SubscriberState.ACTIVE, how=how
            )
            report.added += 1
        else:
            if subscriber.state == SubscriberState.ACTIVE:
                report.already += 1
            else:
                subscriber.state = SubscriberState.ACTIVE
                subscriber.state_changed_at = now
                subscriber.confirm_nonce = ""
                subscriber.save()
                SubscriberEvent.objects.create(
                    subscriber=subscriber, at=now, state=SubscriberState.ACTIVE, how=how
                )
                report.added += 1
        subscriber.lists.add(*chosen)
    return report


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


EXPORT_COLUMNS = ["email", "name", "state", "lists", "subscribed via", "created", "confirmed"]


def export_csv(series: Series) -> str:
    """Every subscriber of the series as CSV, for organizers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    subscribers = Subscriber.objects.filter(series=series).prefetch_related("lists")
    for s in subscribers.order_by("email"):
        writer.writerow(
            _cell(value)
            for value in [
                s.email,
                s.name,
                s.state,
                "; ".join(item.name for item in s.lists.all()),
                s.consent_source,
                s.created_at.isoformat(timespec="seconds"),
                s.confirmed_at.isoformat(timespec="seconds") if s.confirmed_at else "",
            ]
        )
    return out.getvalue()
