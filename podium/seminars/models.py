"""Series, people and talks: the one record per talk that everything else derives from."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from podium.seminars.addresses import slug_path
from podium.seminars.loading import FromRows
from podium.seminars.text import html_to_text, render_markdown, validate_markdown_length
from podium.seminars.timezones import format_date, format_series_time, is_valid_zone


def validate_zone(value: str) -> None:
    """Refuse a time zone name that is not in the IANA database."""
    if not is_valid_zone(value):
        raise ValidationError(
            f"“{value}” is not a time zone we know. Use an IANA name such as Europe/London."
        )


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: listed and open to everyone"
    UNLISTED = "unlisted", "Unlisted: open to anyone with the link"
    DRAFT = "draft", "Draft: only organizers"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


MARKDOWN_HELP = "Markdown: *emphasis*, **bold**, [links](https://example.org), lists."


# Addresses the server answers before any series' (podium/urls.py, the static files): a
# series with one of these slugs could never be reached.
RESERVED_SERIES_SLUGS = frozenset({"organize", "api", "static", "media", "healthz"})


def validate_series_slug(slug: str) -> None:
    """A series' slug must not be an address the server keeps for itself."""
    if slug.lower() in RESERVED_SERIES_SLUGS:
        raise ValidationError(
            f"“{slug}” is an address Podium uses itself; choose another slug for the series."
        )


class Series(models.Model):
    """A recurring seminar series with its own page, calendar and lists."""

    slug = models.SlugField(
        max_length=60,
        unique=True,
        validators=[validate_series_slug],
        help_text="The series' address: /<slug>/. Never change it.",
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, help_text="Used in email subjects, e.g. “PriSec-ML”."
    )
    description = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_markdown_length]
    )
    description_html = models.TextField(blank=True, editable=False)
    time_zone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_zone],
        help_text="IANA time zone the series runs in; talk times are typed in it.",
    )
    slot_text = models.CharField(
        "usual slot in words",
        max_length=200,
        blank=True,
        help_text="E.g. “Roughly every two weeks, Wednesdays 1pm London time”.",
    )
    default_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, null=True, blank=True
    )
    default_start_time = models.TimeField(
        null=True, blank=True, help_text="Local time in the series' zone."
    )
    default_duration = models.PositiveSmallIntegerField(
        "default duration (minutes)",
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    registration_url = models.URLField("default registration URL", blank=True)
    livestream_url = models.URLField("default livestream URL", blank=True)
    earlier_iterations = models.TextField(
        "note on earlier iterations",
        blank=True,
        help_text=MARKDOWN_HELP,
        validators=[validate_markdown_length],
    )
    earlier_iterations_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    is_demo = models.BooleanField(default=False, editable=False)
    # Goes up on every public change in the series: cache keys and validators hang on it.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.description_html = render_markdown(self.description)
        self.earlier_iterations_html = render_markdown(self.earlier_iterations)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("seminars:series", self.slug)

    @property
    def is_listed(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class SeriesLink(models.Model):
    """A “get involved” link of a series: mailing list, Slack, YouTube, Bluesky..."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=100, help_text="E.g. “Join our Slack”.")
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Organizer(models.Model):
    """Someone who runs a series; with a user account, they can edit it in /organize/."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="organizers")
    name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=200, blank=True)
    homepage = models.URLField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizer_roles",
        help_text="The account that may edit this series, if any.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Person(FromRows, models.Model):
    """A speaker; one person can speak many times, in many series."""

    name = models.CharField(max_length=200)
    honorific = models.CharField(max_length=20, blank=True, help_text="E.g. Prof., Dr.")
    affiliation = models.CharField(max_length=200, blank=True)
    homepage = models.URLField(blank=True)
    bio = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_markdown_length]
    )
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.FileField(
        upload_to="people/",
        blank=True,
        help_text="A square crop is made; the original is not kept.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.bio_html = render_markdown(self.bio)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class TalkStatus(models.TextChoices):
    DRAFT = "draft", "Draft (not shown)"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    POSTPONED = "postponed", "Postponed"


TBA_TITLES = {"", "tba", "tbd", "tbc", "to be announced", "to be confirmed"}


class Talk(FromRows, models.Model):
    """One talk of a series: the record every page, feed and email is derived from."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="talks")
    speakers = models.ManyToManyField(Person, through="TalkSpeaker", related_name="talks")
    title = models.CharField(max_length=300, default="TBA")
    abstract = models.TextField(
        blank=True, help_text=MARKDOWN_HELP, validators=[validate_markdown_length]
    )
    abstract_html = models.TextField(blank=True, editable=False)
    # The abstract's plain text, for link previews, structured data, calendars and mails.
    abstract_text = models.TextField(blank=True, editable=False)
    start = models.DateTimeField(help_text="Stored in UTC.")
    duration = models.PositiveSmallIntegerField(
        "duration (minutes)", default=60, validators=[MinValueValidator(5), MaxValueValidator(1440)]
    )
    status = models.CharField(
        max_length=10, choices=TalkStatus.choices, default=TalkStatus.SCHEDULED
    )
    status_note = models.CharField(
        max_length=300, blank=True, help_text="Shown publicly, e.g. “Moved to 3 November”."
    )
    registration_url = models.URLField(max_length=500, blank=True)
    livestream_url = models.URLField(max_length=500, blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    slides_url = models.URLField(max_length=500, blank=True)
    slug = models.SlugField(max_length=100, editable=False)
    # Stable identity for calendars (the ICS UID); never the database id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Goes up on every public change (the ICS SEQUENCE); see talks.record_public_change.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    public_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["series", "slug"], name="talk_slug_unique_in_series")
        ]
        indexes = [
            # Covering what an export plans from (plan.talk_rows): the rows themselves are
            # long (abstract, HTML, text) and reading them cost twice the index.
            models.Index(
                fields=[
                    *("series", "start", "status", "id", "slug"),
                    *("changed_at", "sequence", "duration"),
                ],
                name="talk_series_start_plan",
            ),
            models.Index(fields=["series", "changed_at"], name="talk_series_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d})" if self.start else self.title

    def save(self, *args, **kwargs) -> None:
        self.render_abstract()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("seminars:talk", self.series.slug, self.slug)

    def render_abstract(self) -> None:
        """Render the Markdown abstract once, as HTML and as plain text (done on save)."""
        self.abstract_html = render_markdown(self.abstract)
        self.abstract_text = html_to_text(self.abstract_html)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)

    @property
    def has_title(self) -> bool:
        return self.title.strip().lower() not in TBA_TITLES

    @property
    def is_cancelled(self) -> bool:
        return self.status == TalkStatus.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.status == TalkStatus.POSTPONED

    @property
    def series_time(self) -> str:
        """The start in the series' zone, e.g. “Wednesday 13 October 2021, 13:00 UK time (BST)”."""
        return format_series_time(self.start, self.series.time_zone)

    @property
    def start_local_date(self) -> str:
        """The day of the talk in the series' zone, e.g. “Wednesday 13 October 2021”."""
        return format_date(self.start, self.series.time_zone)


class TalkSpeaker(FromRows, models.Model):
    """A speaker's place in a talk's ordered list of speakers."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="talk_speakers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="talk_roles")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["talk", "person"], name="speaker_once_per_talk")
        ]

    def __str__(self) -> str:
        return str(self.person)


class TalkLink(FromRows, models.Model):
    """A further labelled link of a talk (paper, code, poster...)."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class TalkRedirect(models.Model):
    """An old address of a talk: URLs are forever, so a changed slug redirects."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+")
    old_slug = models.SlugField(max_length=100)
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "old_slug"], name="redirect_unique")
        ]

    def __str__(self) -> str:
        return self.old_slug
