"""Build the demo series: the PriSec-ML seed, its upcoming talks moved to the next slots."""

import secrets
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from podium.seminars import demo_data
from podium.seminars.models import Organizer, Person, Series, SeriesLink, Talk, Visibility
from podium.seminars.talks import save_talk
from podium.seminars.timezones import next_slots, to_utc

DEMO_USERNAME = "organizer"


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def upcoming_slots(series: Series, clocks: list[time], now: datetime) -> list[datetime]:
    """One slot per talk: the series' usual weekday, two weeks apart, each at its own time."""
    first = next_slots(series.default_weekday, clocks[0], series.time_zone, now, 1)[0]
    slots = []
    for i, clock in enumerate(clocks):
        # Half a day before the i-th fortnightly slot: the next match is that same day.
        after = first + timedelta(weeks=2 * i) - timedelta(hours=12)
        slots.append(next_slots(series.default_weekday, clock, series.time_zone, after, 1)[0])
    return slots


@transaction.atomic
def build_demo_series(now: datetime | None = None) -> Series:
    """Create the demo series, or return it if it exists already."""
    existing = Series.objects.filter(slug=demo_data.SERIES["slug"]).first()
    if existing:
        return existing
    now = now or timezone.now()
    fields = dict(
        demo_data.SERIES, default_start_time=_clock(demo_data.SERIES["default_start_time"])
    )
    series = Series.objects.create(**fields, visibility=Visibility.PUBLIC, is_demo=True)
    for i, (label, url) in enumerate(demo_data.LINKS):
        SeriesLink.objects.create(series=series, label=label, url=url, position=i)
    for i, (name, affiliation, homepage) in enumerate(demo_data.ORGANIZERS):
        Organizer.objects.create(
            series=series, name=name, affiliation=affiliation, homepage=homepage, position=i
        )
    for day, name, affiliation, title, recording in demo_data.PAST:
        person = Person.objects.create(name=name, affiliation=affiliation)
        start = to_utc(
            datetime.combine(datetime.fromisoformat(day).date(), time(13)), series.time_zone
        )
        save_talk(
            Talk(series=series, title=title, start=start, recording_url=recording),
            speakers=[person],
        )
    clocks = [_clock(talk["local_time"]) for talk in demo_data.UPCOMING]
    for talk_data, start in zip(
        demo_data.UPCOMING, upcoming_slots(series, clocks, now), strict=True
    ):
        person = Person.objects.create(**talk_data["speaker"])
        talk = Talk(
            series=series,
            title=talk_data["title"],
            abstract=talk_data["abstract"],
            start=start,
            registration_url=talk_data["registration_url"],
            livestream_url=talk_data["livestream_url"],
        )
        save_talk(talk, speakers=[person])
    return series


def ensure_demo_organizer(series: Series) -> str | None:
    """Create the demo's organizer account; return its new password, or None if it exists."""
    User = get_user_model()
    if User.objects.filter(username=DEMO_USERNAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(DEMO_USERNAME, password=password, is_staff=True)
    organizer = series.organizers.first()
    if organizer and organizer.user is None:
        organizer.user = user
        organizer.save(update_fields=["user"])
    else:
        Organizer.objects.create(series=series, name="Demo organizer", user=user, position=99)
    return password
