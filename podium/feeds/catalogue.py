"""What the JSON API lists: public series and their talks, filtered, in a fixed order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from podium.seminars.models import Series, Talk, TalkStatus
from podium.seminars.talks import with_public_relations
from podium.seminars.visibility import public_series, readable_series

When = Literal["upcoming", "past"]
MAX_DURATION = timedelta(minutes=1440)  # Talk.duration's upper bound


def listed_series() -> QuerySet[Series]:
    """Public series with what the API shows of them, in a fixed number of queries."""
    return public_series().prefetch_related("links", "organizers").order_by("name", "id")


def series_by_slug(slug: str) -> Series | None:
    """A public or unlisted series (unlisted ones are open to anyone with the address)."""
    return readable_series().prefetch_related("links", "organizers").filter(slug=slug).first()


def find_talks(
    series: Series | None = None,
    *,
    when: When | None = None,
    start_after: datetime | None = None,
    start_before: datetime | None = None,
    updated_since: datetime | None = None,
    now: datetime | None = None,
) -> QuerySet[Talk]:
    """Talks a reader may see, across public series or in `series`, matching every filter.

    "upcoming" means not yet ended (soonest first); "past" means started (newest first);
    otherwise talks come by start, oldest first.
    """
    now = now or timezone.now()
    talks = Talk.objects.exclude(status=TalkStatus.DRAFT)
    talks = talks.filter(series=series) if series else talks.filter(series__in=public_series())
    if start_after:
        talks = talks.filter(start__gte=start_after)
    if start_before:
        talks = talks.filter(start__lt=start_before)
    if updated_since:
        talks = talks.filter(changed_at__gte=updated_since)
    if when == "upcoming":
        talks = talks.filter(start__gte=now - MAX_DURATION).exclude(pk__in=_ended_lately(now))
        talks = talks.order_by("start", "id")
    elif when == "past":
        talks = talks.filter(start__lt=now).order_by("-start", "-id")
    else:
        talks = talks.order_by("start", "id")
    return with_public_relations(talks)


def _ended_lately(now: datetime) -> list[int]:
    # Talks run at most a day, so only the last day's starts can have ended; one small query
    # (start + duration has no portable SQL form across SQLite and PostgreSQL).
    recent = Talk.objects.filter(start__gte=now - MAX_DURATION, start__lt=now)
    return [
        pk
        for pk, start, minutes in recent.values_list("pk", "start", "duration")
        if start + timedelta(minutes=minutes) <= now
    ]


def talk_by_uid(uid: object) -> Talk | None:
    """A talk a reader may see, by its stable identity."""
    talks = Talk.objects.exclude(status=TalkStatus.DRAFT).filter(series__in=readable_series())
    return with_public_relations(talks.filter(uid=uid)).first()
