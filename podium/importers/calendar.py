"""Reading a calendar file (a Google Calendar export): one talk per event occurrence.

The summary "Speaker: Title" gives the speaker and title (else it is all title); the
description is the abstract; recurring events are expanded with recurring-ical-events.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import recurring_ical_events
from django.utils import timezone

from podium.importers.links import is_web_url
from podium.importers.markup import html_to_markdown, inline_text
from podium.importers.parsed import ImportRefused, ParsedPage, ParsedTalk
from podium.importers.reading import repair_mojibake
from podium.importers.speakers import parse_speaker_line
from podium.seminars.timezones import LocalTimeError, to_local, to_utc

MAX_OCCURRENCES = 5000
OPEN_ENDED_YEARS = 2  # an endless rule is expanded this far past today


def parse_calendar(text: str, file: str, zone: str) -> ParsedPage:
    """The events of an iCalendar file as talks; floating times are read in `zone`."""
    page = ParsedPage(file=file, zone=zone)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise ImportRefused(file, f"this is not a calendar file we can read: {error}") from error
    page.title = inline_text(str(calendar.get("X-WR-CALNAME", "")))
    page.description = html_to_markdown(repair_mojibake(str(calendar.get("X-WR-CALDESC", ""))))
    starts = [
        _as_datetime(e.get("DTSTART").dt, zone) for e in calendar.walk("VEVENT") if e.get("DTSTART")
    ]
    if not starts:
        page.warn("no_talks", None, "no events found in this calendar; nothing was imported.")
        return page
    window_end = max(max(starts), timezone.now()) + timedelta(days=365 * OPEN_ENDED_YEARS)
    events = recurring_ical_events.of(calendar).between(min(starts), window_end)
    for count, event in enumerate(events):
        if count >= MAX_OCCURRENCES:
            page.warn(
                "too_many_events", None, f"only the first {MAX_OCCURRENCES} events were read."
            )
            break
        talk = _talk(event, page, zone)
        if talk is not None:
            page.talks.append(talk)
    page.talks.sort(key=lambda talk: (talk.day, talk.start or datetime.min.replace(tzinfo=UTC)))
    return page


def _as_datetime(value: date | datetime, zone: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return to_utc(value, zone, fold=0)
        return value.astimezone(UTC)
    return to_utc(datetime.combine(value, datetime.min.time()), zone, fold=0)


def _talk(event, page: ParsedPage, zone: str) -> ParsedTalk | None:
    summary = inline_text(repair_mojibake(str(event.get("SUMMARY", "")))).strip()
    raw_start = event.get("DTSTART").dt
    line = None
    try:
        start = _as_datetime(raw_start, zone) if isinstance(raw_start, datetime) else None
    except LocalTimeError as error:
        page.warn("ambiguous_time", line, f"“{summary}”: {error.message} Took the first.")
        start = error.choices[0]
    day = to_local(start, zone).date() if start else raw_start
    talk = ParsedTalk(line=0, day=day, start=start, zone=zone)
    end = event.get("DTEND")
    if start is not None and end is not None and isinstance(end.dt, datetime):
        minutes = int((_as_datetime(end.dt, zone) - start).total_seconds() // 60)
        talk.duration = minutes if 5 <= minutes <= 1440 else None
    speaker, _, title = summary.partition(": ")
    if title and len(speaker) <= 120:
        talk.speakers = parse_speaker_line(speaker)
        talk.title = title.strip()
    else:
        talk.title = summary
    talk.abstract = html_to_markdown(repair_mojibake(str(event.get("DESCRIPTION", ""))))
    url = str(event.get("URL", "")).strip()
    if url and is_web_url(url):
        talk.links.append(("Event page", url))
    talk.cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return talk
