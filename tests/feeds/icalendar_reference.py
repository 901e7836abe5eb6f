"""The reference for `podium.feeds.ical`: the same calendars built with the `icalendar` library.

This is the builder Podium used before it wrote content lines itself (`icsformat`). The
differential tests compare its bytes with ours, and `bench/feeds.py` times it in the same run.
It shares the data (description, title, links) with `ical`, so only the serializing differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event, vDuration, vText

from podium.feeds import ical, links
from podium.feeds.window import FeedWindow, calendar_talks, feed_window
from podium.seminars.models import Series, Talk


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def talk_event(talk: Talk) -> Event:
    """One talk as an icalendar VEVENT, property for property as Podium added them."""
    page_url = links.talk_page_url(talk)
    event = Event()
    event.add("uid", links.talk_uid(talk))
    event.add("sequence", talk.sequence)
    event.add("dtstamp", _utc(talk.changed_at))
    event.add("last-modified", _utc(talk.changed_at))
    event.add("dtstart", _utc(talk.start))
    event.add("dtend", _utc(talk.end))
    event.add("summary", links.event_title(talk))
    event.add("description", ical.talk_description(talk, page_url))
    event.add("url", page_url)
    location = links.event_location(talk)
    if location:
        event.add("location", location)
    event.add("status", ical.STATUS.get(talk.status, "CONFIRMED"))
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC")
    return event


def calendar(name: str, description: str, url: str, source: str | None) -> Calendar:
    """An icalendar VCALENDAR with Podium's header properties."""
    result = Calendar()
    result.add("prodid", ical.PRODID)
    result.add("version", "2.0")
    result.add("calscale", "GREGORIAN")
    result.add("method", "PUBLISH")
    result.add("name", name)
    result.add("x-wr-calname", vText(name))
    if description:
        result.add("description", description)
        result.add("x-wr-caldesc", vText(description))
    result.add("url", url)
    if source:
        result.add("source", source, parameters={"VALUE": "URI"})
        result.add("refresh-interval", ical.REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        result.add("x-published-ttl", vDuration(ical.REFRESH_INTERVAL))
    return result


def _to_bytes(result: Calendar, talks: Iterable[Talk]) -> bytes:
    for talk in talks:
        result.add_component(talk_event(talk))
    return result.to_ical()


def series_ics_bytes(series: Series, window: FeedWindow | None = None) -> bytes:
    """The series' feed as icalendar writes it."""
    header = calendar(
        series.name,
        ical._series_summary(series),
        links.series_page_url(series),
        links.series_feed_url(series),
    )
    return _to_bytes(header, calendar_talks(series, window or feed_window()))


def talk_ics_bytes(talk: Talk) -> bytes:
    """One talk's calendar file as icalendar writes it."""
    header = calendar(
        talk.series.name, ical._series_summary(talk.series), links.talk_page_url(talk), None
    )
    return _to_bytes(header, [talk])
