"""Subscribing, confirming, changing lists, unsubscribing, and a subscriber's own data.

Double opt-in: an address gets nothing but one confirmation mail until its owner follows the
link in it. Every state change is recorded with when and how (the consent record).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from podium.mailing import tokens
from podium.mailing.models import (
    MailContent,
    MailingList,
    OutboxMessage,
    OutboxState,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
)
from podium.mailing.outbox import (
    Recipient,
    UnsafeHeader,
    check_address,
    check_header_value,
    queue_mail,
)
from podium.seminars.addresses import absolute
from podium.seminars.models import Series

FORM_SOURCE = "the form on the series page"


def normalize_address(raw: str) -> str:
    """The address as Podium keeps it: trimmed, lower-cased, an international domain in its
    ASCII form (bücher.example → xn--bcher-kva.example); raises `UnsafeHeader` if bad."""
    address = check_address(raw.strip().lower())
    local, _, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise UnsafeHeader(f"“{raw}” has a domain name that cannot be used.") from None
    return f"{local}@{domain}"


def offered_lists(series: Series) -> QuerySet[MailingList]:
    """The lists a reader may subscribe to on the series page."""
    return series.mailing_lists.filter(offered=True)


def record_state(subscriber: Subscriber, state: str, how: str, now: datetime | None = None) -> None:
    """Move a subscriber to `state` and add the step to their consent record."""
    now = now or timezone.now()
    subscriber.state = state
    subscriber.state_changed_at = now
    if state == SubscriberState.ACTIVE and subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
    subscriber.save()
    SubscriberEvent.objects.create(subscriber=subscriber, at=now, state=state, how=how[:300])


def preferences_url(subscriber: Subscriber) -> str:
    """The signed address of the subscriber's preferences page."""
    token = tokens.preferences_token(subscriber.pk, subscriber.key)
    return absolute(reverse("mailing:preferences", args=[subscriber.series.slug, token]))


def _queue_notice(subscriber: Subscriber, subject: str, text: str) -> None:
    content = MailContent(series=subscriber.series, subject=subject, text=text)
    queue_mail(content, [Recipient(subscriber.email, subscriber.name, subscriber.pk)])


def _queue_confirmation(subscriber: Subscriber) -> None:
    subscriber.confirm_nonce = secrets.token_urlsafe(12)
    subscriber.save(update_fields=["confirm_nonce"])
    token = tokens.confirm_token(subscriber.pk, subscriber.confirm_nonce)
    link = absolute(reverse("mailing:confirm", args=[subscriber.series.slug, token]))
    names = ", ".join(f"“{item.name}”" for item in subscriber.lists.all())
    series = subscriber.series
    text = (
        f"Someone, hopefully you, asked to subscribe {subscriber.email} to {names} of "
        f"{series.name}.\n\nTo confirm, open this link within 7 days:\n\n{link}\n\n"
        "If it was not you, ignore this message: without a confirmation you will get "
        "nothing more from us, and the request is forgotten after 7 days.\n"
    )
    _queue_notice(subscriber, f"[{series.short_name}] Please confirm your subscription", text)


def _queue_already_subscribed(subscriber: Subscriber) -> None:
    series = subscriber.series
    text = (
        f"Someone, hopefully you, asked to subscribe {subscriber.email} to lists of "
        f"{series.name}. This address is already subscribed.\n\nTo change your lists or "
        f"unsubscribe, open:\n\n{preferences_url(subscriber)}\n"
    )
    _queue_notice(subscriber, f"[{series.short_name}] You are already subscribed", text)


@transaction.atomic
def request_subscription(
    series: Series,
    address: str,
    lists: Iterable[MailingList],
    name: str = "",
    how: str = FORM_SOURCE,
    now: datetime | None = None,
) -> Subscriber:
    """Ask an address to confirm a subscription to `lists` (double opt-in).

    New, pending, unsubscribed and bouncing addresses get one confirmation mail; an active
    one gets a note with its preferences link. The caller answers the same in every case.
    """
    now = now or timezone.now()
    address = normalize_address(address)
    check_header_value(name, "name")
    chosen = [item for item in lists if item.series_id == series.pk]
    subscriber, _ = Subscriber.objects.get_or_create(
        series=series,
        email=address,
        defaults={"name": name, "consent_source": how[:300], "created_at": now},
    )
    if subscriber.state == SubscriberState.ACTIVE:
        _queue_already_subscribed(subscriber)
        return subscriber
    if name:
        subscriber.name = name
    subscriber.consent_source = how[:300]
    subscriber.lists.set(chosen)
    record_state(subscriber, SubscriberState.PENDING, f"asked to subscribe via {how}", now)
    _queue_confirmation(subscriber)
    return subscriber


def _subscriber_for(claim: tokens.LinkClaim, series: Series) -> Subscriber:
    subscriber = Subscriber.objects.filter(pk=claim.subscriber_id, series=series).first()
    if subscriber is None:
        raise tokens.BadLink(
            "We hold no subscription for this link any more: it may have been deleted."
        )
    return subscriber


@transaction.atomic
def confirm_subscription(series: Series, token: str, now: datetime | None = None) -> Subscriber:
    """Activate the subscription a confirmation link names; a link works once, for 7 days."""
    claim = tokens.read_confirm_token(token)
    subscriber = _subscriber_for(claim, series)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if not subscriber.confirm_nonce or not secrets.compare_digest(
        subscriber.confirm_nonce, claim.key
    ):
        if subscriber.state == SubscriberState.ACTIVE:
            raise tokens.BadLink("This link was already used: your subscription is active.")
        raise tokens.BadLink(
            "This confirmation link was replaced by a newer one or already used. Use the "
            "latest confirmation email, or subscribe again on the series page."
        )
    subscriber.confirm_nonce = ""
    record_state(
        subscriber, SubscriberState.ACTIVE, "confirmed by the link in the confirmation email", now
    )
    return subscriber


def subscriber_from_preferences(series: Series, token: str) -> Subscriber:
    """The subscriber a preferences link names, or `BadLink`."""
    claim = tokens.read_preferences_token(token)
    subscriber = _subscriber_for(claim, series)
    if not secrets.compare_digest(subscriber.key, claim.key):
        raise tokens.BadLink("This link no longer works. Use the link from your latest email.")
    return subscriber


def cancel_queued(subscriber: Subscriber, mailing_list: MailingList | None = None) -> int:
    """Stop queued messages to the subscriber (of one list, or all) at once."""
    rows = OutboxMessage.objects.filter(subscriber=subscriber, state=OutboxState.QUEUED)
    if mailing_list is not None:
        rows = rows.filter(content__mailing_list=mailing_list)
    return rows.update(state=OutboxState.CANCELLED, last_error="Unsubscribed.")


@transaction.atomic
def set_lists(
    subscriber: Subscriber, lists: Iterable[MailingList], how: str, now: datetime | None = None
) -> None:
    """Keep the subscriber on exactly `lists`; no list left means unsubscribed."""
    chosen = [item for item in lists if item.series_id == subscriber.series_id]
    for dropped in subscriber.lists.exclude(pk__in=[item.pk for item in chosen]):
        cancel_queued(subscriber, dropped)
    subscriber.lists.set(chosen)
    if not chosen and subscriber.state != SubscriberState.UNSUBSCRIBED:
        cancel_queued(subscriber)
        record_state(subscriber, SubscriberState.UNSUBSCRIBED, how, now)
    elif chosen:
        SubscriberEvent.objects.create(
            subscriber=subscriber,
            at=now or timezone.now(),
            state=subscriber.state,
            how=f"{how}: now on {', '.join(item.name for item in chosen)}"[:300],
        )


@transaction.atomic
def unsubscribe_one_click(series: Series, token: str, now: datetime | None = None) -> Subscriber:
    """RFC 8058 one-click: leave the list the message came from, at once."""
    claim = tokens.read_unsubscribe_token(token)
    subscriber = _subscriber_for(claim, series)
    if not secrets.compare_digest(subscriber.key, claim.key):
        raise tokens.BadLink("This link no longer works. Use the link from your latest email.")
    remaining = subscriber.lists.exclude(pk=int(claim.extra or 0))
    set_lists(subscriber, list(remaining), "unsubscribed with the one-click link", now)
    return subscriber


def unsubscribe_everything(subscriber: Subscriber, now: datetime | None = None) -> None:
    """Leave every list of the series."""
    set_lists(subscriber, [], "unsubscribed on the preferences page", now)


def personal_data(subscriber: Subscriber) -> dict:
    """Everything Podium holds about a subscriber, for them to download."""
    messages = subscriber.messages.select_related("content").order_by("id")
    return {
        "series": subscriber.series.name,
        "email": subscriber.email,
        "name": subscriber.name,
        "state": subscriber.state,
        "lists": [item.name for item in subscriber.lists.all()],
        "subscribed_via": subscriber.consent_source,
        "created_at": subscriber.created_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "consent_record": [
            {"at": event.at.isoformat(), "state": event.state, "how": event.how}
            for event in subscriber.events.all()
        ],
        "messages": [
            {
                "subject": message.content.subject,
                "state": message.state,
                "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            }
            for message in messages
        ],
    }


@transaction.atomic
def forget(subscriber: Subscriber) -> None:
    """Delete the subscriber and every trace of their address in the outbox."""
    cancel_queued(subscriber)
    subscriber.messages.update(to_address="", to_name="")
    subscriber.delete()


def forget_unconfirmed(now: datetime | None = None) -> int:
    """Delete pending subscriptions whose confirmation link has expired (never confirmed)."""
    now = now or timezone.now()
    stale = Subscriber.objects.filter(
        Q(state=SubscriberState.PENDING) & Q(confirmed_at__isnull=True),
        state_changed_at__lt=now - tokens.CONFIRM_MAX_AGE,
    )
    count = 0
    for subscriber in stale:
        forget(subscriber)
        count += 1
    return count


def active_recipients(mailing_list: MailingList) -> QuerySet[Subscriber]:
    """Who gets a message sent to the list: active subscribers on it."""
    return mailing_list.subscribers.filter(state=SubscriberState.ACTIVE)
