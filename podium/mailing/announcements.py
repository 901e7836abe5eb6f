"""Announcements: drafted from a talk, read and sent (or scheduled) by organizers; reminders
and corrections planned by the worker from each talk's current time and status."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from podium.mailing import drafting
from podium.mailing.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementState,
    ListKind,
    MailContent,
    MailingList,
    MailingSettings,
    OutboxMessage,
    OutboxState,
    SubscriberState,
)
from podium.mailing.outbox import Recipient, queue_mail
from podium.mailing.subscriptions import active_recipients
from podium.seminars.models import Series, Talk, TalkStatus
from podium.seminars.talks import public_talk, touch_series
from podium.seminars.text import markdown_to_text

_OFFSET = re.compile(r"^\s*(\d{1,4})\s*([dhm])\s*$")
_UNIT_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}
# A talk this long over gets no more corrections.
CORRECTIONS_UNTIL = timedelta(days=1)


def parse_offsets(text: str) -> list[int]:
    """“1d, 1h” → [1440, 60] (minutes before the talk, largest first)."""
    minutes = set()
    for piece in filter(None, (part.strip() for part in text.split(","))):
        match = _OFFSET.match(piece)
        if match is None:
            raise ValidationError(
                f"“{piece}” is not a reminder time. Write a number and d, h or m: “1d, 1h”."
            )
        value = int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
        if not 5 <= value <= 30 * 24 * 60:
            raise ValidationError(f"“{piece}”: reminders go between 5 minutes and 30 days ahead.")
        minutes.add(value)
    return sorted(minutes, reverse=True)


DEFAULT_LISTS = [
    (ListKind.SEMINAR, "seminar", "Seminar announcements", "Talks, reminders and changes."),
    (ListKind.JOBS, "jobs", "Job announcements", "Positions from the community."),
]


def ensure_mailing_setup(series: Series) -> None:
    """Give a series its default lists and mail settings if it has none yet."""
    MailingSettings.objects.get_or_create(series=series)
    if not series.mailing_lists.exists():
        MailingList.objects.bulk_create(
            MailingList(
                series=series, kind=kind, slug=slug, name=name, description=text, position=i
            )
            for i, (kind, slug, name, text) in enumerate(DEFAULT_LISTS)
        )


def seminar_list(series: Series) -> MailingList:
    """The list talk announcements go to."""
    ensure_mailing_setup(series)
    return series.mailing_lists.filter(kind=ListKind.SEMINAR).order_by("position", "id").first()


def calendar_attachment(talk: Talk) -> tuple[str, str, bytes] | None:
    """The talk's .ics file (name, type, bytes) from the feeds app, when it is installed."""
    try:
        from podium.feeds.ical import talk_ics_bytes
    except ImportError:  # the feeds app is not installed: announcements go without it
        return None
    return ("talk.ics", "text/calendar", talk_ics_bytes(talk))


def draft_announcement(talk: Talk) -> Announcement:
    """Draft the announcement of a talk to the series' seminar list (not sent)."""
    talk = public_talk(talk.pk)
    return Announcement.objects.create(
        series=talk.series,
        talk=talk,
        kind=AnnouncementKind.ANNOUNCEMENT,
        mailing_list=seminar_list(talk.series),
        subject=drafting.announcement_subject(talk),
        body=drafting.announcement_body(talk),
    )


def redraft(announcement: Announcement) -> Announcement:
    """Write the draft again from the talk as it is now."""
    talk = public_talk(announcement.talk_id)
    announcement.subject = drafting.announcement_subject(talk)
    announcement.body = drafting.announcement_body(talk)
    announcement.save()
    return announcement


def schedule(announcement: Announcement, send_at: datetime) -> None:
    """Send the announcement at `send_at` (the worker sends it then)."""
    if announcement.state == AnnouncementState.QUEUED:
        raise ValidationError("This announcement was already sent.")
    announcement.send_at = send_at
    announcement.state = AnnouncementState.SCHEDULED
    announcement.save(update_fields=["send_at", "state"])


def _recipients_of(announcement: Announcement):
    if announcement.kind == AnnouncementKind.CORRECTION:
        # Everyone who got (or is getting) the announcement, while still subscribed.
        rows = OutboxMessage.objects.filter(
            content__announcement__talk_id=announcement.talk_id,
            content__announcement__kind=AnnouncementKind.ANNOUNCEMENT,
            subscriber__state=SubscriberState.ACTIVE,
            subscriber__lists=announcement.mailing_list,
        ).exclude(state__in=[OutboxState.CANCELLED, OutboxState.FAILED])
        people = rows.values_list("subscriber_id", "subscriber__email", "subscriber__name")
        seen = set()
        for subscriber_id, email, name in people.iterator(chunk_size=5000):
            if subscriber_id not in seen:
                seen.add(subscriber_id)
                yield Recipient(email, name, subscriber_id)
        return
    people = active_recipients(announcement.mailing_list).order_by("id")
    for subscriber_id, email, name in people.values_list("id", "email", "name").iterator(
        chunk_size=5000
    ):
        yield Recipient(email, name, subscriber_id)


@transaction.atomic
def queue_announcement(announcement: Announcement, now: datetime | None = None) -> int:
    """Send an announcement now: one outbox row per recipient, written in this transaction.

    Sending twice is impossible: the announcement is locked and must not be queued yet.
    Returns the number of recipients.
    """
    now = now or timezone.now()
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.state == AnnouncementState.QUEUED:
        raise ValidationError("This announcement was already sent.")
    content = MailContent(
        series=announcement.series,
        mailing_list=announcement.mailing_list,
        announcement=announcement,
        subject=drafting.one_line(announcement.subject),
        text=markdown_to_text(announcement.body),
        html=announcement.body_html,
    )
    talk = announcement.talk
    if talk is not None and announcement.kind != AnnouncementKind.JOB:
        attachment = calendar_attachment(talk)
        if attachment:
            content.attachment_name, content.attachment_type, content.attachment = attachment
    content.save()
    count = queue_mail(content, _recipients_of(announcement))
    announcement.state = AnnouncementState.QUEUED
    announcement.queued_at = now
    announcement.recipients = count
    if talk is not None and announcement.kind == AnnouncementKind.ANNOUNCEMENT:
        announcement.talk_start = talk.start
        announcement.talk_status = talk.status
    announcement.save()
    touch_series(announcement.series)  # the public archive of announcements changed
    return count


def send_scheduled(now: datetime | None = None) -> int:
    """Queue every scheduled announcement whose time has come."""
    now = now or timezone.now()
    due = Announcement.objects.filter(state=AnnouncementState.SCHEDULED, send_at__lte=now)
    for announcement in due:
        queue_announcement(announcement, now)
    return len(due)


def archived_announcements(series: Series):
    """Sent seminar announcements of the series, newest first (the public archive)."""
    return Announcement.objects.filter(
        series=series,
        kind=AnnouncementKind.ANNOUNCEMENT,
        state=AnnouncementState.QUEUED,
        mailing_list__kind=ListKind.SEMINAR,
    ).order_by("-queued_at", "-id")


def has_archived_announcements(series: Series) -> bool:
    """Whether the series' public archive of announcements holds any."""
    return archived_announcements(series).exists()


def _sent_announcements():
    return Announcement.objects.filter(
        kind=AnnouncementKind.ANNOUNCEMENT, state=AnnouncementState.QUEUED, talk__isnull=False
    )


def _queue_generated(announcement: Announcement, now: datetime) -> bool:
    """Save and queue a reminder or correction once; False if it exists already."""
    try:
        with transaction.atomic():
            announcement.save()
            queue_announcement(announcement, now)
    except IntegrityError:
        return False
    return True


def plan_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now, computed from each announced talk's current start.

    Only the nearest due reminder of a talk goes out (a worker back from a day off sends
    the 1-hour reminder, not both), and none that the announcement itself made redundant.
    """
    now = now or timezone.now()
    queued = 0
    horizon = now + timedelta(days=31)
    announced = _sent_announcements().filter(
        talk__status=TalkStatus.SCHEDULED, talk__start__gt=now, talk__start__lte=horizon
    )
    for announcement in announced.select_related("talk__series__mailing", "mailing_list"):
        talk = announcement.talk
        settings_row = getattr(talk.series, "mailing", None)
        offsets = parse_offsets(settings_row.reminder_offsets) if settings_row else [1440, 60]
        due = [
            minutes
            for minutes in offsets
            if talk.start - timedelta(minutes=minutes) <= now
            and announcement.queued_at < talk.start - timedelta(minutes=minutes)
        ]
        if not due:
            continue
        minutes = min(due)
        if Announcement.objects.filter(
            kind=AnnouncementKind.REMINDER,
            talk=talk,
            reminder_minutes=minutes,
            talk_start=talk.start,
        ).exists():
            continue
        full = public_talk(talk.pk)
        reminder = Announcement(
            series=talk.series,
            talk=talk,
            kind=AnnouncementKind.REMINDER,
            mailing_list=announcement.mailing_list,
            subject=drafting.reminder_subject(full),
            body=drafting.reminder_body(full),
            reminder_minutes=minutes,
            talk_start=talk.start,
            talk_status=talk.status,
        )
        queued += _queue_generated(reminder, now)
    return queued


def plan_corrections(now: datetime | None = None) -> int:
    """Queue a correction for each announced talk that moved, or was cancelled or postponed,
    since subscribers were last told, to everyone who got its announcement."""
    now = now or timezone.now()
    queued = 0
    announced = _sent_announcements().filter(talk__start__gte=now - CORRECTIONS_UNTIL)
    for announcement_id in announced.values_list("id", flat=True):
        queued += _correct_if_changed(announcement_id, now)
    return queued


@transaction.atomic
def _correct_if_changed(announcement_id: int, now: datetime) -> bool:
    # The lock serializes planners: two workers never both send the same correction.
    announcement = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("talk__series", "mailing_list")
        .get(pk=announcement_id)
    )
    talk = announcement.talk
    if talk is None:
        return False
    last = (
        Announcement.objects.filter(kind=AnnouncementKind.CORRECTION, talk=talk)
        .order_by("-id")
        .values_list("talk_start", "talk_status")
        .first()
    ) or (announcement.talk_start, announcement.talk_status)
    if (talk.start, talk.status) == last or talk.status == TalkStatus.DRAFT:
        return False
    if talk.status == last[1] and talk.status != TalkStatus.SCHEDULED:
        return False  # still cancelled or postponed: a moved date says nothing new
    full = public_talk(talk.pk)
    correction = Announcement(
        series=talk.series,
        talk=talk,
        kind=AnnouncementKind.CORRECTION,
        mailing_list=announcement.mailing_list,
        subject=drafting.correction_subject(full),
        body=drafting.correction_body(full, last[0]),
        talk_start=talk.start,
        talk_status=talk.status,
    )
    correction.save()
    queue_announcement(correction, now)
    return True
