"""`podium import`'s work: each path read, parsed and written in its own transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.exceptions import ValidationError

from podium.importers.calendar import parse_calendar
from podium.importers.importing import Options, import_page
from podium.importers.jekyll import parse_page
from podium.importers.parsed import ImportRefused, ParsedPage
from podium.importers.reading import decode_text, read_bytes
from podium.importers.report import FileReport
from podium.seminars.models import Series
from podium.seminars.timezones import is_valid_zone, zone_for_label, zone_for_timeanddate_place

DEFAULT_ZONE = "Europe/London"
_PLACE = re.compile(r"timeanddate\.com/[^)\s]*[?&]p1=(\d+)")
_ZONE_HINT = re.compile(r"\((?:\[)?([A-Za-z][A-Za-z ]{1,20}?)(?:\]\([^)]*\))?\)")


def guess_zone(text: str) -> str:
    """The zone of a page's timeanddate.com links, else the first zone its labels name
    ("UK time": Europe/London), else the default."""
    place = _PLACE.search(text)
    if place and zone_for_timeanddate_place(place.group(1)):
        return zone_for_timeanddate_place(place.group(1))
    for label in _ZONE_HINT.findall(text):
        zone = zone_for_label(label)
        if zone:
            return zone
    return DEFAULT_ZONE


def read_file(path: Path, series_slug: str, zone: str | None) -> ParsedPage:
    """Parse a page or calendar file; refuse unreadable input with a clear reason."""
    data = read_bytes(path)
    text = decode_text(data, str(path))
    existing = Series.objects.filter(slug=series_slug).values_list("time_zone", flat=True).first()
    if zone is not None and not is_valid_zone(zone):
        raise ImportRefused(str(path), f"“{zone}” is not an IANA time zone (e.g. Europe/London).")
    zone = zone or existing or guess_zone(text)
    if path.suffix.lower() == ".ics" or text.lstrip().startswith("BEGIN:VCALENDAR"):
        return parse_calendar(text, str(path), zone)
    return parse_page(text, str(path), zone)


def import_files(
    paths: Iterable[Path],
    series_slug: str,
    *,
    zone: str | None = None,
    options: Options | None = None,
    keep: Callable | None = None,
    on_file: Callable[[FileReport], None] | None = None,
) -> list[FileReport]:
    """Import each path in order into `series_slug`; a refused file is reported and the
    others go on. `keep(talk)` may leave some parsed talks out (the demo uses it)."""
    reports = []
    for path in paths:
        try:
            page = read_file(path, series_slug, zone)
            if keep is not None:
                page.talks = [talk for talk in page.talks if keep(talk)]
            report = import_page(page, series_slug, options)
        except ImportRefused as refused:
            report = FileReport(file=str(path), error=_where(refused))
        except ValidationError as error:
            report = FileReport(file=str(path), error="; ".join(error.messages))
        reports.append(report)
        if on_file:
            on_file(report)
    return reports


def _where(refused: ImportRefused) -> str:
    return f"line {refused.line}: {refused.message}" if refused.line else refused.message
