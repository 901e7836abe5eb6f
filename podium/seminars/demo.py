"""Build the demo series by importing PriSec-ML's real pages, as an organizer would.

The archive (with recordings) comes from the newest home page, up to the seed's first
upcoming talk; the seed page (October 2021) gives the intro, links, organizers and the two
upcoming talks, which are then moved to the series' next usual slots.
"""

import secrets
from datetime import datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from podium.importers.run import import_files, read_file
from podium.seminars.models import Organizer, Series, Visibility
from podium.seminars.talks import ordered_speakers, save_talk, with_public_relations
from podium.seminars.timezones import next_slots, to_local

DEMO_USERNAME = "organizer"
DEMO_SLUG = "prisec-ml"
DEMO_PAGES = Path(__file__).resolve().parent.parent / "importers" / "demo_pages"
ARCHIVE_PAGE = DEMO_PAGES / "about-20260205-101518-8d937d0.md"
SEED_PAGE = DEMO_PAGES / "seed-homepage-2021-10.md"


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
    """Create the demo series by importing its pages, or return it if it exists already."""
    existing = Series.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        return existing
    now = now or timezone.now()
    series = Series.objects.create(
        slug=DEMO_SLUG,
        name="Privacy & Security in Machine Learning Seminars",
        short_name="PriSec-ML",
        time_zone="Europe/London",
        visibility=Visibility.PUBLIC,
        is_demo=True,
    )
    seed = read_file(SEED_PAGE, DEMO_SLUG, series.time_zone)
    first_upcoming = min(talk.day for talk in seed.talks)
    for path, keep in (
        (ARCHIVE_PAGE, lambda talk: talk.day < first_upcoming),
        (SEED_PAGE, None),
    ):
        (report,) = import_files([path], DEMO_SLUG, keep=keep)
        if report.error:
            raise RuntimeError(f"The demo page {path.name} did not import: {report.error}")
    series.refresh_from_db()
    _move_to_next_slots(series, first_upcoming, now)
    return series


def _move_to_next_slots(series: Series, first_upcoming, now: datetime) -> None:
    """Put the seed's upcoming talks on the next usual slots, keeping each one's clock time."""
    talks = [
        talk
        for talk in with_public_relations(series.talks.order_by("start"))
        if to_local(talk.start, series.time_zone).date() >= first_upcoming
    ]
    clocks = [to_local(talk.start, series.time_zone).time().replace(tzinfo=None) for talk in talks]
    for talk, start in zip(talks, upcoming_slots(series, clocks, now), strict=True):
        talk.start = start
        save_talk(talk, speakers=ordered_speakers(talk))


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
