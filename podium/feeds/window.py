"""Which talks a calendar feed carries, and the cheap validators that say whether it changed.

A feed holds the talks of the last 90 days and of the next two years, so a series stays
small however long its history and however far ahead it is planned (large feeds are what
calendar services handle worst: Google refuses them); a talk further ahead joins the feed
as the window moves, and the JSON API keeps every talk. A cancelled talk stays in the feed,
marked cancelled, for 60 days after its last public change (the cancellation), so
subscribed calendars see the cancellation and remove or mark the event.

The window is computed per UTC day, so a feed's bytes, its ETag and its Last-Modified
change only when the data changes or the day turns.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from podium.seminars.models import Series, Talk, TalkStatus, Visibility
from podium.seminars.talks import (
    NOT_SHOWN_TALK_FIELDS,
    attach_public_relations,
    with_public_relations,
)
from podium.seminars.timezones import stored_instant
from podium.seminars.visibility import public_series

HISTORY_DAYS = 90
FUTURE_DAYS = 2 * 365
CANCELLED_DAYS = 60
# Bump when the feed's format changes, so every client fetches the new bytes once.
FORMAT_VERSION = 2  # 2: NAME escaped as TEXT, control characters dropped (icsformat)


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
    def until(self) -> datetime:
        """Talks starting at this or later join the feed in a later window."""
        return self.midnight + timedelta(days=FUTURE_DAYS)

    def holds(self, start: datetime) -> bool:
        """Whether a talk starting then is in the window (its status aside)."""
        return self.since <= start < self.until

    @property
    def cancelled_since(self) -> datetime:
        """Cancelled talks stay while their cancellation is newer than this."""
        return self.midnight - timedelta(days=CANCELLED_DAYS)

    def talk_filter(self) -> Q:
        """The talks in the window, as a filter on talks."""
        return (
            Q(start__gte=self.since, start__lt=self.until)
            & ~Q(status=TalkStatus.DRAFT)
            & (~Q(status=TalkStatus.CANCELLED) | Q(changed_at__gte=self.cancelled_since))
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


def in_chunks(talks: QuerySet[Talk], size: int) -> Iterator[Talk]:
    """The talks of `calendar_talks`, `size` at a time, each with its series, speakers and links.

    The speakers and links of `with_public_relations` (plain lists on each talk). The series
    comes by one query per chunk rather than a join, so the talks of a series share one
    object instead of building one each.
    """
    talks = talks.select_related(None).prefetch_related(None).defer(*NOT_SHOWN_TALK_FIELDS)
    rows = talks.iterator(chunk_size=size)
    while chunk := [talk for _, talk in zip(range(size), rows, strict=False)]:
        attach_public_relations(chunk)
        yield from chunk


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


@dataclass(frozen=True)
class SeriesFeedState:
    """What a series feed's validators are made of, read without loading the series."""

    series_id: int
    revision: int
    updated_at: datetime
    newest_change: datetime | None


@functools.cache
def _feed_state_sql() -> str:
    quote = connection.ops.quote_name
    series, talk = quote(Series._meta.db_table), quote(Talk._meta.db_table)
    series_id, changed_at = (
        quote(Talk._meta.get_field(name).column) for name in ("series", "changed_at")
    )
    # Only names from the models' metadata are formatted in; every value is a parameter.
    return (
        f"SELECT s.id, s.revision, s.updated_at, "  # noqa: S608
        f"(SELECT t.{changed_at} FROM {talk} t WHERE t.{series_id} = s.id "
        f"ORDER BY t.{changed_at} DESC LIMIT 1) "
        f"FROM {series} s WHERE s.slug = %s AND s.visibility <> %s"
    )


def _as_datetime(value: datetime | str | None) -> datetime | None:
    return None if value is None else stored_instant(value)


def series_feed_state(slug: str) -> SeriesFeedState | None:
    """The state of a readable series' feed, in one query that loads no talk.

    It reads the series' id and revision and the newest change of any of its talks (one
    step down the (series, changed_at) index). Every public change of a talk, and every
    deletion, bumps the revision; the window's own movement is its day: enough to answer a
    conditional request without counting talks. Plain SQL, because building the same
    query through the ORM costs more than running it, on the path every poll takes.
    """
    with connection.cursor() as cursor:
        cursor.execute(_feed_state_sql(), [slug, Visibility.DRAFT.value])
        row = cursor.fetchone()
    if row is None:
        return None
    return SeriesFeedState(
        series_id=row[0],
        revision=row[1],
        updated_at=_as_datetime(row[2]),
        newest_change=_as_datetime(row[3]),
    )


def series_validators(state: SeriesFeedState, window: FeedWindow) -> Validators:
    """Validators of a series feed, from its `series_feed_state`."""
    newest = state.newest_change
    return _validators(
        [
            state.series_id,
            state.revision,
            state.updated_at.isoformat(),
            newest.isoformat() if newest else None,
            window.day,
        ],
        [newest, state.updated_at, window.midnight],
    )


def atom_validators(state: SeriesFeedState) -> Validators:
    """Validators of a series' Atom feed: its newest changes, whatever the day (the feed
    lists the talks that changed last, not a window of dates)."""
    newest = state.newest_change
    return _validators(
        [
            "atom",
            state.series_id,
            state.revision,
            state.updated_at.isoformat(),
            newest.isoformat() if newest else None,
        ],
        [newest, state.updated_at],
    )


def talk_validators(talk: Talk) -> Validators:
    """Validators of one talk's calendar file (its series' name is in the file too)."""
    return _validators(
        [
            str(talk.uid),
            talk.sequence,
            talk.changed_at.isoformat(),
            talk.series.revision,
            talk.series.updated_at.isoformat(),
        ],
        [talk.changed_at, talk.series.updated_at],
    )


def site_validators(window: FeedWindow) -> Validators:
    """Validators of the combined feed of all public series (two queries)."""
    listed = list(public_series().values_list("id", "revision", "updated_at"))
    state = Talk.objects.filter(series__in=[row[0] for row in listed]).aggregate(
        newest=Max("changed_at"),
        count=Count("id", filter=Q(start__gte=window.since, start__lt=window.until)),
    )
    return _validators(
        [
            [(row[0], row[1], row[2].isoformat()) for row in listed],
            state["newest"],
            state["count"],
            window.day,
        ],
        [state["newest"], window.midnight, *(row[2] for row in listed)],
    )
