"""Which talks a calendar feed carries, and the cheap validators that say whether it changed.

A feed holds the talks of the last 90 days and every future one, so a long-running series
stays small (Google refuses large feeds); the JSON API keeps the whole archive. A cancelled
talk stays in the feed, marked cancelled, for 60 days after it was cancelled, so subscribed
calendars see the cancellation and remove or mark the event.

The window is computed per UTC day, so a feed's bytes, its ETag and its Last-Modified
change only when the data changes or the day turns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Func, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from podium.seminars.models import Series, Talk, TalkStatus
from podium.seminars.talks import public_series, readable_series, with_public_relations

HISTORY_DAYS = 90
CANCELLED_DAYS = 60
# Bump when the feed's format changes, so every client fetches the new bytes once.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class FeedWindow:
    """The span of talks a feed carries, fixed for one UTC day."""

    day: date

    @property
    def midnight(self) -> datetime:
        return datetime.combine(self.day, time(0), tzinfo=UTC)

    @property
    def since(self) -> datetime:
        """Talks starting before this are left to the archive."""
        return self.midnight - timedelta(days=HISTORY_DAYS)

    @property
    def cancelled_since(self) -> datetime:
        """Cancelled talks stay while their cancellation is newer than this."""
        return self.midnight - timedelta(days=CANCELLED_DAYS)

    def talk_filter(self, prefix: str = "") -> Q:
        """The talks in the window, as a filter (`prefix` = "talks__" from a series)."""
        return (
            Q(**{f"{prefix}start__gte": self.since})
            & ~Q(**{f"{prefix}status": TalkStatus.DRAFT})
            & (
                ~Q(**{f"{prefix}status": TalkStatus.CANCELLED})
                | Q(**{f"{prefix}changed_at__gte": self.cancelled_since})
            )
        )


def feed_window(now: datetime | None = None) -> FeedWindow:
    """The window for today (UTC)."""
    return FeedWindow((now or timezone.now()).astimezone(UTC).date())


def calendar_talks(series: QuerySet[Series] | Series, window: FeedWindow) -> QuerySet[Talk]:
    """The talks of one series (or of every series in a queryset) a feed carries, by start."""
    talks = Talk.objects.filter(window.talk_filter())
    if isinstance(series, Series):
        talks = talks.filter(series=series)
    else:
        talks = talks.filter(series__in=series)
    return with_public_relations(talks.order_by("start", "id"))


@dataclass(frozen=True)
class Validators:
    """An HTTP entity tag and modification time, computed before any feed is built."""

    etag: str
    last_modified: datetime


def _validators(parts: list[object], newest: list[datetime | None]) -> Validators:
    # The body depends on the public address too (URLs and UIDs), so that is in the tag.
    parts = [FORMAT_VERSION, settings.BASE_URL, getattr(settings, "PODIUM_UID_DOMAIN", ""), *parts]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return Validators(f'"{digest}"', max(moment for moment in newest if moment is not None))


def series_with_feed_state(slug: str, window: FeedWindow) -> Series | None:
    """The readable series at `slug`, annotated with what its feed's validators need.

    One query: the series by slug, the newest change of any of its talks (one step down
    the (series, changed_at) index) and the number of talks starting inside the window (a
    range of the (series, start) index). Any public change moves the newest change, a
    deletion in the window changes the count, and the window's own movement is its day:
    enough to answer a conditional request without loading a single talk.
    """
    talks = Talk.objects.filter(series=OuterRef("pk")).order_by()
    newest = talks.order_by("-changed_at").values("changed_at")[:1]
    in_window = (
        talks.filter(start__gte=window.since)
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return (
        readable_series()
        .filter(slug=slug)
        .annotate(feed_newest=Subquery(newest), feed_count=Subquery(in_window))
        .first()
    )


def series_validators(series: Series, window: FeedWindow) -> Validators:
    """Validators of a series feed, from a series fetched by `series_with_feed_state`."""
    return _validators(
        [series.pk, series.revision, series.feed_newest, series.feed_count, window.day],
        [series.feed_newest, series.updated_at, window.midnight],
    )


def site_validators(window: FeedWindow) -> Validators:
    """Validators of the combined feed of all public series (two queries)."""
    listed = list(public_series().values_list("id", "revision", "updated_at"))
    state = Talk.objects.filter(series__in=[row[0] for row in listed]).aggregate(
        newest=Max("changed_at"), count=Count("id", filter=Q(start__gte=window.since))
    )
    return _validators(
        [[row[:2] for row in listed], state["newest"], state["count"], window.day],
        [state["newest"], window.midnight, *(row[2] for row in listed)],
    )
