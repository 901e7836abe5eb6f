"""Lists, subscribers, announcements and the outbox: every message is a row before it is sent."""

import secrets

from django.db import models
from django.utils import timezone

from podium.seminars.models import Series, Talk
from podium.seminars.text import render_markdown, validate_markdown_length


class ListKind(models.TextChoices):
    SEMINAR = "seminar", "Seminar announcements"
    JOBS = "jobs", "Job announcements"
    OTHER = "other", "Other"


class MailingList(models.Model):
    """A list of a series that readers subscribe to, e.g. “Seminar announcements”."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="mailing_lists")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, help_text="Used in the List-Id header.")
    kind = models.CharField(max_length=10, choices=ListKind.choices, default=ListKind.OTHER)
    description = models.CharField(max_length=300, blank=True)
    offered = models.BooleanField(
        "offered on the series page", default=True, help_text="Readers may subscribe to it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "slug"], name="list_slug_unique_in_series")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.series.short_name})"


class MailingSettings(models.Model):
    """Per-series mail settings: when reminders go out."""

    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="mailing")
    reminder_offsets = models.CharField(
        max_length=100,
        default="1d, 1h",
        blank=True,
        help_text="How long before each talk reminders go out, e.g. “1d, 1h” or “2h, 15m”. "
        "Empty: no reminders.",
    )

    class Meta:
        verbose_name = "mail settings"
        verbose_name_plural = "mail settings"

    def __str__(self) -> str:
        return f"Mail settings of {self.series}"


class SubscriberState(models.TextChoices):
    PENDING = "pending", "Pending confirmation"
    ACTIVE = "active", "Active"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCING = "bouncing", "Bouncing"


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(models.Model):
    """An address subscribed to lists of one series, with how it got there (consent)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    lists = models.ManyToManyField(MailingList, blank=True, related_name="subscribers")
    state = models.CharField(
        max_length=12, choices=SubscriberState.choices, default=SubscriberState.PENDING
    )
    consent_source = models.CharField(
        max_length=300, help_text="How the address came to be subscribed."
    )
    # Part of every signed link: changing it voids all links sent so far.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    # The one confirmation link that may still be used (a used link is a replay).
    confirm_nonce = models.CharField(max_length=32, blank=True, editable=False)
    permanent_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["series", "email"], name="subscriber_once_per_series")
        ]
        indexes = [models.Index(fields=["series", "state"], name="subscriber_series_state")]

    def __str__(self) -> str:
        return self.email


class SubscriberEvent(models.Model):
    """One step in a subscriber's consent record: which state, when, and how."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=SubscriberState.choices)
    how = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.state}: {self.how}"


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Talk announcement"
    REMINDER = "reminder", "Reminder"
    CORRECTION = "correction", "Correction"
    JOB = "job", "Job announcement"


class AnnouncementState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    QUEUED = "queued", "Sent to the outbox"


class Announcement(models.Model):
    """A message to a list: drafted from a talk (or written, for jobs), then sent or scheduled."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="announcements")
    talk = models.ForeignKey(
        Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="announcements"
    )
    kind = models.CharField(
        max_length=12, choices=AnnouncementKind.choices, default=AnnouncementKind.ANNOUNCEMENT
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.PROTECT, related_name="announcements", verbose_name="list"
    )
    subject = models.CharField(max_length=250)
    body = models.TextField(
        help_text="Markdown. A line with the subscriber's own unsubscribe link is added below.",
        validators=[validate_markdown_length],
    )
    body_html = models.TextField(blank=True, editable=False)
    state = models.CharField(
        max_length=10, choices=AnnouncementState.choices, default=AnnouncementState.DRAFT
    )
    send_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    # What the talk looked like when this went out: reminders and corrections key on it.
    talk_start = models.DateTimeField(null=True, blank=True, editable=False)
    talk_status = models.CharField(max_length=10, blank=True, editable=False)
    reminder_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "reminder_minutes", "talk_start"],
                condition=models.Q(kind="reminder"),
                name="one_reminder_per_offset_and_start",
            ),
        ]
        indexes = [models.Index(fields=["state", "send_at"], name="announcement_due")]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class MailContent(models.Model):
    """What a message says; one row shared by every recipient of an announcement."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, null=True, related_name="+")
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    announcement = models.ForeignKey(
        Announcement, on_delete=models.SET_NULL, null=True, blank=True, related_name="contents"
    )
    subject = models.CharField(max_length=250)
    text = models.TextField()
    html = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.subject


class OutboxState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class OutboxMessage(models.Model):
    """One message to one recipient: written with the decision to send, delivered by the worker."""

    content = models.ForeignKey(MailContent, on_delete=models.CASCADE, related_name="messages")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    to_address = models.CharField(max_length=254)
    to_name = models.CharField(max_length=200, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which claim (one batch of one worker) holds the row while it is "sending".
    claimed_by = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["state", "claimed_at"], name="outbox_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.content_id} ({self.state})"


class StoredMail(models.Model):
    """A message the in-Podium mailbox received (PODIUM_EMAIL_URL=podium:, the demo's default)."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=250)
    message_id = models.CharField(max_length=200)
    raw = models.BinaryField()
    delivered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = "delivered mail (in Podium)"
        verbose_name_plural = "mailbox (mail kept in Podium)"

    def __str__(self) -> str:
        return self.subject


class RateLimitHit(models.Model):
    """One counted attempt (a subscription), under a keyed digest: no address or IP is kept."""

    scope = models.CharField(max_length=20)
    digest = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "digest", "at"], name="ratelimit_lookup")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"
