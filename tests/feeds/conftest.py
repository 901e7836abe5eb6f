"""Shared helpers for the feeds tests: a fixed clock and two independent ICS parsers."""

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import pytest
import time_machine
import vobject

# A Wednesday in January: talks a week or months away fall on either side of DST changes.
NOW = datetime(2027, 1, 13, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """The clock stands still at NOW for the whole test."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class ParsedEvent:
    uid: str
    summary: str
    description: str
    start: datetime
    end: datetime
    sequence: int
    status: str
    url: str
    location: str | None


def parse_with_icalendar(content: bytes) -> dict[str, ParsedEvent]:
    calendar = icalendar.Calendar.from_ical(content)
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        events[uid] = ParsedEvent(
            uid=uid,
            summary=str(event["SUMMARY"]),
            description=str(event["DESCRIPTION"]),
            start=event.decoded("DTSTART"),
            end=event.decoded("DTEND"),
            sequence=int(event["SEQUENCE"]),
            status=str(event["STATUS"]),
            url=str(event["URL"]),
            location=str(event["LOCATION"]) if "LOCATION" in event else None,
        )
    return events


def parse_with_vobject(content: bytes) -> dict[str, ParsedEvent]:
    calendar = vobject.readOne(content.decode("utf-8"))
    events = {}
    for event in calendar.contents.get("vevent", []):
        uid = event.uid.value
        events[uid] = ParsedEvent(
            uid=uid,
            summary=event.summary.value,
            description=event.description.value,
            start=event.dtstart.value,
            end=event.dtend.value,
            sequence=int(event.sequence.value),
            status=event.status.value,
            url=event.url.value,
            location=event.location.value if hasattr(event, "location") else None,
        )
    return events


@pytest.fixture
def parse_both():
    """Parse a calendar with icalendar and with vobject; both must agree on every event."""

    def parse(content: bytes) -> dict[str, ParsedEvent]:
        first, second = parse_with_icalendar(content), parse_with_vobject(content)
        assert first == second
        return first

    return parse
