"""The one place that builds iCalendar (RFC 5545) data: feeds, talk files, email attachments.

Times are written in UTC (`DTSTART:20211013T120000Z`), never with a TZID: every calendar
places a UTC instant correctly and shows it in the reader's own zone; see docs/calendars.md
for why this beats a VTIMEZONE. Every value comes from the data and `settings.BASE_URL`
(DTSTAMP is the talk's last public change, not the time of the request), so the same data
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vText

from podium.feeds import links
from podium.feeds.window import FeedWindow, calendar_talks, feed_window
from podium.seminars.models import Series, Talk, TalkStatus
from podium.seminars.talks import ordered_speakers, public_series
from podium.seminars.text import html_to_text, markdown_to_text

PRODID = "-//Podium//Podium seminar calendars//EN"
# How often subscribed calendars should fetch again (Apple and Outlook honour it).
REFRESH_INTERVAL = timedelta(hours=6)
STATUS = {
    TalkStatus.SCHEDULED: "CONFIRMED",
    TalkStatus.POSTPONED: "TENTATIVE",
    TalkStatus.CANCELLED: "CANCELLED",
}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def talk_description(talk: Talk, page_url: str) -> str:
    """The event's plain-text description: status, speakers, abstract and every link."""
    lines = [f"{talk.series.name}, {talk.series_time}."]
    if talk.status_note:
        lines += ["", talk.status_note]
    speakers = ordered_speakers(talk)
    if speakers:
        lines.append("")
        for person in speakers:
            lines.append(
                f"{person.display_name} ({person.affiliation})"
                if person.affiliation
                else person.display_name
            )
    abstract = html_to_text(talk.abstract_html).strip()
    if abstract:
        lines += ["", abstract]
    lines.append("")
    named = [
        ("Register", talk.registration_url),
        ("Live stream", talk.livestream_url),
        ("Recording", talk.recording_url),
        ("Slides", talk.slides_url),
        *((link.label, link.url) for link in talk.links.all()),
        ("Talk page", page_url),
    ]
    lines += [f"{label}: {url}" for label, url in named if url]
    return "\n".join(lines)


def talk_event(talk: Talk) -> Event:
    """One talk as a VEVENT (uses the talk's prefetched speakers and links when present)."""
    page_url = links.talk_page_url(talk)
    event = Event()
    event.add("uid", links.talk_uid(talk))
    event.add("sequence", talk.sequence)
    event.add("dtstamp", _utc(talk.changed_at))
    event.add("last-modified", _utc(talk.changed_at))
    event.add("dtstart", _utc(talk.start))
    event.add("dtend", _utc(talk.end))
    event.add("summary", links.event_title(talk))
    event.add("description", talk_description(talk, page_url))
    event.add("url", page_url)
    location = links.event_location(talk)
    if location:
        event.add("location", location)
    event.add("status", STATUS.get(talk.status, "CONFIRMED"))
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC")
    return event


def _calendar(name: str, description: str, url: str, source: str | None) -> Calendar:
    """A VCALENDAR with its names; with `source`, it is a feed that says where to refresh."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # RFC 7986 names first, then the X-WR- forms that Apple, Google and Outlook read.
    calendar.add("name", name)
    calendar.add("x-wr-calname", vText(name))
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", vText(description))
    calendar.add("url", url)
    if source:
        calendar.add("source", source, parameters={"VALUE": "URI"})
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return calendar


def _to_bytes(calendar: Calendar, talks: Iterable[Talk]) -> bytes:
    for talk in talks:
        calendar.add_component(talk_event(talk))
    return calendar.to_ical()


def _series_summary(series: Series) -> str:
    text = " ".join(markdown_to_text(series.description).split())
    return " ".join(part for part in (series.slot_text, text) if part)


def series_ics_bytes(series: Series, window: FeedWindow | None = None) -> bytes:
    """The series' calendar feed: talks of the last 90 days and all future ones."""
    window = window or feed_window()
    calendar = _calendar(
        series.name,
        _series_summary(series),
        links.series_page_url(series),
        links.series_feed_url(series),
    )
    return _to_bytes(calendar, calendar_talks(series, window))


def site_ics_bytes(site_name: str, window: FeedWindow | None = None) -> bytes:
    """The combined feed of every public series on this installation."""
    window = window or feed_window()
    calendar = _calendar(
        site_name,
        f"All talks of the seminar series on {site_name}.",
        links.absolute("/"),
        links.site_feed_url(),
    )
    return _to_bytes(calendar, calendar_talks(public_series(), window))


def talk_ics_bytes(talk: Talk) -> bytes:
    """One talk as a calendar file (the "add to calendar" file and email attachments)."""
    series = talk.series
    calendar = _calendar(
        series.name,
        _series_summary(series),
        links.talk_page_url(talk),
        None,
    )
    return _to_bytes(calendar, [talk])
