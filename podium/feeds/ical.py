"""The one place that builds iCalendar (RFC 5545) data: feeds, talk files, email attachments.

Times are written in UTC (`DTSTART:20211013T120000Z`), never with a TZID: every calendar
places a UTC instant correctly and shows it in the reader's own zone; see docs/calendars.md
for why this beats a VTIMEZONE. Every value comes from the data and `settings.BASE_URL`
(DTSTAMP is the talk's last public change, not the time of the request), so the same data
always gives the same bytes. The content lines are written by `icsformat`, not by the
`icalendar` library's object model (ten times the cost; see docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache

from django.db.models import QuerySet

from podium.feeds import links
from podium.feeds.icsformat import CRLF, ContentLines, duration, fold, uri, utc_datetime
from podium.feeds.window import FeedWindow, calendar_talks, feed_window, in_chunks
from podium.seminars.loading import as_text, plain_rows
from podium.seminars.models import Person, Series, Talk, TalkStatus
from podium.seminars.talks import ordered_speakers, talk_links
from podium.seminars.text import html_to_text
from podium.seminars.timezones import stored_instant
from podium.seminars.visibility import public_series

FEED_CHUNK = 500
PRODID = "-//Podium//Podium seminar calendars//EN"
# How often subscribed calendars should fetch again (Apple and Outlook honour it).
REFRESH_INTERVAL = timedelta(hours=6)
STATUS = {
    TalkStatus.SCHEDULED: "CONFIRMED",
    TalkStatus.POSTPONED: "TENTATIVE",
    TalkStatus.CANCELLED: "CANCELLED",
}
# Lines that every event writes the same, folded once.
_EVENT_CLASS = (fold("CLASS:PUBLIC"),)
_EVENT_TAIL = {
    status: (fold(f"STATUS:{value}"), fold("TRANSP:OPAQUE")) for status, value in STATUS.items()
}


def talk_description(talk: Talk, page_url: str, speakers: list[Person] | None = None) -> str:
    """The event's plain-text description: status, speakers, abstract and every link.

    `speakers` saves reading them again when the caller has them."""
    lines = [f"{talk.series.name}, {talk.series_time}."]
    if talk.status_note:
        lines += ["", talk.status_note]
    if speakers is None:
        speakers = ordered_speakers(talk)
    if speakers:
        lines.append("")
        for person in speakers:
            lines.append(
                f"{person.display_name} ({person.affiliation})"
                if person.affiliation
                else person.display_name
            )
    abstract = talk.abstract_text.strip()
    if abstract:
        lines += ["", abstract]
    lines.append("")
    named = [
        ("Register", talk.registration_url),
        ("Live stream", talk.livestream_url),
        ("Recording", talk.recording_url),
        ("Slides", talk.slides_url),
        *((link.label, link.url) for link in talk_links(talk)),
        ("Talk page", page_url),
    ]
    lines += [f"{label}: {url}" for label, url in named if url]
    return "\n".join(lines)


def talk_event(talk: Talk, page_url: str | None = None) -> list[bytes]:
    """One talk as the folded content lines of a VEVENT (uses prefetched speakers and links).

    Properties come in the order the `icalendar` library wrote them (its canonical order,
    then alphabetical), so the bytes did not change when Podium stopped using it.
    `page_url` saves working it out again when the caller has it.
    """
    page_url = page_url or links.talk_page_url(talk)
    speakers = ordered_speakers(talk)
    changed = utc_datetime(talk.changed_at)
    event = ContentLines()
    event.begin("VEVENT")
    event.text("SUMMARY", links.event_title(talk, speakers))
    event.short("DTSTART", utc_datetime(talk.start))
    event.short("DTEND", utc_datetime(talk.end))
    event.short("DTSTAMP", changed)
    event.text("UID", links.talk_uid(talk))
    event.short("SEQUENCE", talk.sequence)
    event.extend(_EVENT_CLASS)
    event.text("DESCRIPTION", talk_description(talk, page_url, speakers))
    event.short("LAST-MODIFIED", changed)
    location = links.event_location(talk)
    if location:
        event.text("LOCATION", location)
    event.extend(_EVENT_TAIL.get(talk.status, _EVENT_TAIL[TalkStatus.SCHEDULED]))
    event.raw("URL", uri(page_url))
    event.end("VEVENT")
    return event.lines()


def _calendar(name: str, description: str, url: str, source: str | None) -> ContentLines:
    """A VCALENDAR with its names; with `source`, it is a feed that says where to refresh."""
    calendar = ContentLines()
    head, tail = _calendar_lines(name, description, source)
    calendar.extend(head)
    calendar.raw("URL", uri(url))
    calendar.extend(tail)
    return calendar


@lru_cache(maxsize=256)
def _calendar_lines(
    name: str, description: str, source: str | None
) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    # Written once per series: every talk file of a series repeats them around its own URL.
    head = ContentLines()
    head.begin("VCALENDAR")
    head.raw("VERSION", "2.0")
    head.text("PRODID", PRODID)
    head.raw("CALSCALE", "GREGORIAN")
    head.raw("METHOD", "PUBLISH")
    # RFC 7986 names, each followed by the X-WR- form that Apple, Google and Outlook read.
    if description:
        head.text("DESCRIPTION", description)
        head.text("X-WR-CALDESC", description)
    head.text("NAME", name)
    head.text("X-WR-CALNAME", name)
    tail = ContentLines()
    if source:
        head.raw("REFRESH-INTERVAL", duration(REFRESH_INTERVAL), "VALUE=DURATION")
        head.raw("SOURCE", uri(source), "VALUE=URI")
        tail.raw("X-PUBLISHED-TTL", duration(REFRESH_INTERVAL))
    return tuple(head.lines()), tuple(tail.lines())


def _to_bytes(calendar: ContentLines, talks: Iterable[Talk]) -> bytes:
    if _REMEMBERED is not None and isinstance(talks, QuerySet):
        calendar.extend(_remembered_events(talks))
    else:
        if isinstance(talks, QuerySet):
            # In chunks (each with its speakers and links): a feed of 10,000 future talks
            # then holds 500 talk objects at a time, not all of them.
            talks = in_chunks(talks, FEED_CHUNK)
        for talk in talks:
            calendar.extend(talk_event(talk))
    calendar.end("VCALENDAR")
    return calendar.to_bytes()


# Events by `event_key` while `remembering_events` is on.
_REMEMBERED: dict[tuple, list[bytes]] | None = None


def event_key(talk: Talk) -> tuple:
    """What tells one version of a talk's event from another, within one snapshot of the data."""
    return (talk.pk, talk.sequence, talk.changed_at)


def stored_event_key(talk_id: int, sequence: int, changed_at: object) -> tuple:
    """`event_key` from a plain row's values (`loading.plain_rows`, the last change
    `as_text`)."""
    return (talk_id, sequence, stored_instant(changed_at))


@contextmanager
def remembering_events(known: dict[tuple, list[bytes]] | None = None) -> Iterator[None]:
    """Within, each talk's event is built once for all the calendars that carry it: its own
    file and the feeds (the static export writes the site's feed and each series' feed:
    with one series, the same events twice). `known` holds events built elsewhere, by
    `event_key`, from the same data. Nested, the outer memory is used. The addresses and
    the data must not change within: an export is one snapshot."""
    global _REMEMBERED  # one memory per process, for the block's duration
    previous = _REMEMBERED
    if _REMEMBERED is None:
        _REMEMBERED = {} if known is None else known
    elif known:
        _REMEMBERED.update(known)
    try:
        yield
    finally:
        _REMEMBERED = previous


def remembered_event(talk: Talk) -> list[bytes] | None:
    """The talk's event as built last within `remembering_events`, if it was."""
    return None if _REMEMBERED is None else _REMEMBERED.get(event_key(talk))


def event_in_file(calendar_file: bytes) -> bytes | None:
    """The event of a talk's calendar file (`talk_ics_bytes`) as one block of content lines
    (CRLF between them, none after), as `remembering_events` takes it; None when the file
    does not hold exactly one event."""
    begin, end = CRLF + b"BEGIN:VEVENT" + CRLF, CRLF + b"END:VEVENT" + CRLF
    start, stop = calendar_file.find(begin), calendar_file.rfind(end)
    if start < 0 or stop < start or calendar_file.count(begin) != 1:
        return None
    return calendar_file[start + len(CRLF) : stop + len(end) - len(CRLF)]


def _remembered_events(talks: QuerySet[Talk]) -> Iterator[bytes]:
    """The events of a feed's talks, in its order, loading only the talks not remembered."""
    rows = talks.prefetch_related(None).values_list("id", "sequence", as_text("changed_at"))
    keys = [stored_event_key(*row) for row in plain_rows(rows)]
    missing = [key[0] for key in keys if key not in _REMEMBERED]
    if missing:
        to_load = talks if len(missing) == len(keys) else talks.filter(pk__in=missing)
        for talk in in_chunks(to_load, FEED_CHUNK):
            _REMEMBERED[event_key(talk)] = talk_event(talk)
    for key in keys:
        yield from _REMEMBERED[key]


def _series_summary(series: Series) -> str:
    return _summary(series.slot_text, series.description_html)


@lru_cache(maxsize=256)
def _summary(slot_text: str, description_html: str) -> str:
    # From the description rendered on save (the text of its Markdown), cached: every talk
    # file of a series repeats it.
    text = " ".join(html_to_text(description_html).split())
    return " ".join(part for part in (slot_text, text) if part)


def series_ics_bytes(series: Series, window: FeedWindow | None = None) -> bytes:
    """The series' calendar feed: talks of the last 90 days and the next two years
    (`window.FeedWindow`)."""
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
    page_url = links.talk_page_url(talk)
    calendar = _calendar(series.name, _series_summary(series), page_url, None)
    if _REMEMBERED is None:
        calendar.extend(talk_event(talk, page_url))
    else:
        key = event_key(talk)
        event = _REMEMBERED.get(key)
        if event is None:
            event = _REMEMBERED[key] = talk_event(talk, page_url)
        calendar.extend(event)
    calendar.end("VCALENDAR")
    return calendar.to_bytes()
