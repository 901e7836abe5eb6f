"""Absolute addresses for feeds, calendars and "add to calendar" links.

Every address a feed carries is built from `settings.BASE_URL`, never from the request's
host, so a feed's bytes depend only on the data and the configured address (the static
export serves the very same bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.urls import reverse

from podium.feeds.icsformat import utc_datetime
from podium.seminars.addresses import absolute, slug_path
from podium.seminars.models import Person, Series, Talk
from podium.seminars.talks import ordered_speakers

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"


def uid_domain() -> str:
    """The domain that qualifies every calendar UID: PODIUM_UID_DOMAIN or BASE_URL's host.

    It must never change once calendars have subscribed: a new domain makes every talk a new
    event in every subscribed calendar, next to the old one.
    """
    return _uid_domain(getattr(settings, "PODIUM_UID_DOMAIN", ""), settings.BASE_URL)


@lru_cache(maxsize=16)
def _uid_domain(configured: str, base_url: str) -> str:
    # Keyed on both settings: a feed asks once per talk, and parsing the URL costs more.
    return configured or urlsplit(base_url).hostname or "localhost"


def talk_uid(talk: Talk) -> str:
    """The talk's calendar UID, stable forever: its UUID at the site's domain."""
    return f"{talk.uid}@{uid_domain()}"


def talk_page_url(talk: Talk) -> str:
    """The talk's public page, absolute."""
    return absolute(talk.get_absolute_url())


def series_page_url(series: Series) -> str:
    """The series' home page."""
    return absolute(series.get_absolute_url())


def series_feed_url(series: Series) -> str:
    """The series' calendar feed (what calendars subscribe to)."""
    return absolute(reverse("feeds:series_calendar", args=[series.slug]))


def talk_calendar_url(talk: Talk) -> str:
    """The talk as an .ics file."""
    return absolute(slug_path("feeds:talk_calendar", talk.series.slug, talk.slug))


def series_atom_url(series: Series) -> str:
    """The series' Atom feed."""
    return absolute(reverse("feeds:series_atom", args=[series.slug]))


def site_feed_url() -> str:
    """The combined calendar feed of every public series."""
    return absolute(reverse("feeds:site_calendar"))


# What `urlencode` writes for each ASCII character it does not keep (quote_plus: a space is
# "+", every other character but letters, digits and "_.-~" is %XX).
_QUERY_ESCAPES = {
    chr(code): "+" if code == 32 else f"%{code:02X}"
    for code in range(128)
    if not (chr(code).isalnum() or chr(code) in "_.-~")
}
# The ASCII characters to escape other than the space (which becomes "+").
_ESCAPED = re.compile(r"[^A-Za-z0-9_.~ -]")


def _escape(match: re.Match) -> str:
    return _QUERY_ESCAPES[match.group()]


def query_value(value: str) -> str:
    """One key or value of a query string as `urllib.parse.urlencode` writes it
    (`quote_plus`), written faster for ASCII: the few characters to escape found by one
    regular expression, the spaces by `str.replace` (the "add to calendar" links of every
    upcoming talk's page encode a few hundred characters, and `quote_plus` handles them one
    at a time in Python; a `str.translate` table, for each character, took twice as long)."""
    if not value.isascii():
        return quote_plus(value)
    return _ESCAPED.sub(_escape, value).replace(" ", "+")


def query_string(pairs: dict[str, str]) -> str:
    """`urllib.parse.urlencode(pairs)`, by `query_value`."""
    return "&".join(f"{query_value(key)}={query_value(value)}" for key, value in pairs.items())


def webcal(url: str) -> str:
    """The `webcal://` form of an http(s) feed address: calendar apps open it to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


def google_subscribe_url(feed_url: str) -> str:
    """Google Calendar's page that subscribes the reader to `feed_url`."""
    return f"{GOOGLE_SUBSCRIBE}?{query_string({'cid': webcal(feed_url)})}"


def outlook_subscribe_url(feed_url: str, name: str) -> str:
    """Outlook.com's page that subscribes the reader to `feed_url`."""
    return f"{OUTLOOK_SUBSCRIBE}?{query_string({'url': feed_url, 'name': name})}"


def event_title(talk: Talk, speakers: list[Person] | None = None) -> str:
    """ "Speaker, Speaker: Title", as calendars show it; postponed and cancelled say so.

    `speakers` saves reading them again when the caller has them."""
    if speakers is None:
        speakers = ordered_speakers(talk)
    names = ", ".join(person.display_name for person in speakers)
    title = talk.title if talk.has_title else "Title to be announced"
    summary = f"{names}: {title}" if names else title
    if talk.is_cancelled:
        return f"Cancelled: {summary}"
    if talk.is_postponed:
        return f"Postponed: {summary}"
    return summary


def event_location(talk: Talk) -> str:
    """Where to join: the livestream, else the registration page (may be empty)."""
    return talk.livestream_url or talk.registration_url


@dataclass(frozen=True)
class CalendarEvent:
    """A talk as the "add this event" pages of Google and Outlook take it (times in UTC)."""

    title: str
    start: datetime
    end: datetime
    details: str
    location: str

    @cached_property
    def quoted(self) -> tuple[str, str, str]:
        """The title, details and location as query values, quoted once for both links."""
        return query_value(self.title), query_value(self.details), query_value(self.location)


def calendar_event(talk: Talk, page_url: str | None = None) -> CalendarEvent:
    """The talk's event: its page address and title are worked out once for every service
    (`page_url` saves working the address out again when the caller has it)."""
    page = page_url or talk_page_url(talk)
    return CalendarEvent(
        title=event_title(talk),
        start=talk.start,
        end=talk.end,
        details=f"{talk.series.name}. Details: {page}",
        location=event_location(talk) or page,
    )


# The add-this-event links are written as `query_string` would write them, key by key: the
# keys are fixed and the event's text is quoted once for both (tests/feeds/test_links.py
# compares them with `urlencode`).
def google_add_url(event: CalendarEvent) -> str:
    """Google Calendar's "add this event" page, filled in: the query `action`, `text`,
    `dates` (start/end in UTC), `details` and `location`."""
    title, details, location = event.quoted
    dates = f"{utc_datetime(event.start)}%2F{utc_datetime(event.end)}"  # "/", quoted
    return (
        f"{GOOGLE_TEMPLATE}?action=TEMPLATE&text={title}&dates={dates}"
        f"&details={details}&location={location}"
    )


def outlook_add_url(event: CalendarEvent) -> str:
    """Outlook.com's "new event" page, filled in: the query `path`, `rru`, `subject`,
    `startdt`, `enddt` (in UTC), `body` and `location`."""
    title, details, location = event.quoted
    start, end = _quoted_utc_iso(event.start), _quoted_utc_iso(event.end)
    return (
        f"{OUTLOOK_COMPOSE}?{_OUTLOOK_ACTION}&subject={title}&startdt={start}&enddt={end}"
        f"&body={details}&location={location}"
    )


_OUTLOOK_ACTION = query_string({"path": "/calendar/action/compose", "rru": "addevent"})


def _quoted_utc_iso(moment: datetime) -> str:
    # `2021-10-13T12%3A00%3A00Z`: the instant in UTC, whatever zone the datetime is in, as
    # `query_value` would quote its ISO form (the colons), written so at once.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04}-{moment.month:02}-{moment.day:02}"
        f"T{moment.hour:02}%3A{moment.minute:02}%3A{moment.second:02}Z"
    )


def subscribe_links(series: Series) -> dict[str, str]:
    """The addresses the "Subscribe" block of a series' page offers."""
    feed = series_feed_url(series)
    return {
        "https": feed,
        "webcal": webcal(feed),
        "google": google_subscribe_url(feed),
        "outlook": outlook_subscribe_url(feed, series.name),
    }


def add_to_calendar_links(talk: Talk, page_url: str | None = None) -> dict[str, str]:
    """The addresses the "Add to calendar" block of a talk's page offers (`page_url`: the
    page's own address, when the caller has it)."""
    event = calendar_event(talk, page_url)
    return {
        "ics": talk_calendar_url(talk),
        "google": google_add_url(event),
        "outlook": outlook_add_url(event),
    }
