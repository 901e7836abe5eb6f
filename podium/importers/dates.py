"""Reading the date line of a talk: "13 October 2021, 13:00 ([UK time](timeanddate link))".

Forms met on real pages: "13 October 2021", "January 27, 2021", "5th April 2023",
"13-Oct-2021", "9 Feb 2022"; times "13:00", "3:30pm", "1.30pm", "1pm", or none; the time
first ("3:30pm (CET), 15th March 2023"); corrections struck through ("~~27 October~~
17 November 2021", "~~14:30~~ 14:00"); misspelt months ("Octber").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import parse_qs, urlsplit

from podium.seminars.timezones import (
    MONTH_NAMES,
    parse_iso_basic,
    zone_for_label,
    zone_for_timeanddate_place,
)

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_ABBREVIATIONS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_ABBREVIATIONS["sept"] = 9

_STRUCK = re.compile(r"~~(.*?)~~")
_TIMEANDDATE = re.compile(r"\[([^\]]*)\]\((https?://(?:www\.)?timeanddate\.com/[^)\s]*)\)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)([A-Za-z]{3,12})\.?(?:,?(?:\s+|-)(\d{4}))?\b"
)
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,12})\s+(\d{4})\b")
_CLOCK = re.compile(
    r"(?<![\d/])(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)(?![a-z])|(?<![\d/])(\d{1,2}):(\d{2})(?!\d)",
    re.IGNORECASE,
)
_ZONE_IN_PARENTHESES = re.compile(r"\(\s*([A-Za-z][A-Za-z ]{0,30}?)\s*\)")


class DateProblem(ValueError):
    """A date line that names no date a person could read."""


@dataclass
class DateLine:
    """What the first line of a talk says about when it is."""

    day: date
    clock: time | None = None
    zone_label: str = ""
    zone: str | None = None
    link_local: datetime | None = None  # the timeanddate link's own wall time
    link_zone: str | None = None
    moved_from: date | None = None
    rest: str = ""  # what follows the date and time ("Prof. X, Affiliation, *Title*")
    links: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # repairs made, for warnings


def month_number(word: str, notes: list[str] | None = None) -> int | None:
    """The month a word names: "October", "Oct", "Sept", or a misspelling close to one."""
    lowered = word.lower().rstrip(".")
    if lowered in _MONTHS:
        return _MONTHS[lowered]
    if lowered in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[lowered]
    if len(lowered) < 4:
        return None
    close = [
        (distance, number)
        for name, number in _MONTHS.items()
        if (distance := edit_distance(lowered, name)) <= max(1, len(name) // 4)
    ]
    if len(close) == 1 or (close and sorted(close)[0][0] < sorted(close)[1][0]):
        number = min(close)[1]
        if notes is not None:
            notes.append(f"read the misspelt month “{word}” as {MONTH_NAMES[number - 1]}")
        return number
    return None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with transpositions counted as one edit ("Shorki"/"Shokri")."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def _find_date(text: str, notes: list[str], default_year: int | None = None):
    """The first date in `text` as (date or None, year-missing flag, match span)."""
    candidates = []
    for pattern, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        for match in pattern.finditer(text):
            day_text, month_text = (
                (match.group(1), match.group(2))
                if order == "dm"
                else (match.group(2), match.group(1))
            )
            local_notes: list[str] = []
            month = month_number(month_text, local_notes)
            if month is None:
                continue
            candidates.append((match.start(), match, int(day_text), month, local_notes))
            break
    if not candidates:
        return None
    _, match, day, month, local_notes = min(candidates, key=lambda c: c[0])
    year_text = match.group(3)
    year = int(year_text) if year_text else default_year
    if year is None:
        return ("no-year", match.span(), day, month)
    try:
        found = date(year, month, day)
    except ValueError as error:
        raise DateProblem(
            f"“{match.group(0).strip()}” is not a date: {MONTH_NAMES[month - 1]} {year} "
            f"has no day {day}."
        ) from error
    notes.extend(local_notes)
    return (found, match.span(), day, month)


def _find_clock(text: str) -> tuple[time, tuple[int, int]] | None:
    match = _CLOCK.search(text)
    if match is None:
        return None
    if match.group(3):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12:
            return None
        meridiem = match.group(3).lower().replace(".", "")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    else:
        hour, minute = int(match.group(4)), int(match.group(5))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), match.span()


def parse_date_line(text: str, default_year: int | None = None) -> DateLine:
    """Read the date, time, zone, link time and corrections of a talk's first line.

    Raises DateProblem when the line names no full date (e.g. "February 2022, Details TBA")
    or a date that does not exist ("31 February 2022").
    """
    notes: list[str] = []
    struck_dates: list[tuple] = []
    for struck in _STRUCK.findall(text):
        found = _find_date(struck, [], default_year)
        if found is not None:
            struck_dates.append(found)
    text = _STRUCK.sub(" ", text)

    link_local = link_zone = None
    zone_label = ""
    link_match = _TIMEANDDATE.search(text)
    if link_match:
        zone_label = link_match.group(1).strip()
        query = parse_qs(urlsplit(link_match.group(2)).query)
        try:
            link_local = parse_iso_basic(query.get("iso", [""])[0])
        except ValueError:
            notes.append("ignored a timeanddate.com link without a readable time")
        link_zone = zone_for_timeanddate_place(query.get("p1", [""])[0])
        text = text[: link_match.start()] + f"({zone_label})" + text[link_match.end() :]
        text = text.replace(f"(({zone_label}))", f"({zone_label})")

    head, rest = text, ""
    one_line = re.search(r"\)\s*:\s*", text)
    if one_line:  # "13-Oct-2021, 1pm (UK time): Prof. X, Affiliation, *Title*"
        head, rest = text[: one_line.start() + 1], text[one_line.end() :]

    links = [(label.strip(), url) for label, url in _LINK.findall(head)]
    head = _LINK.sub(" ", head)

    year_hint = default_year
    for found in struck_dates:
        if found[0] != "no-year":
            year_hint = found[0].year
    found = _find_date(head, notes, year_hint)
    if found is None or found[0] == "no-year":
        month_only = _MONTH_YEAR.search(head)
        if month_only and month_number(month_only.group(1)):
            raise DateProblem(f"“{head.strip(' -,')}” gives a month but no day.")
        raise DateProblem(f"no date in “{head.strip(' -')}”.")
    day, span = found[0], found[1]
    moved_from = None
    for struck in struck_dates:
        if struck[0] == "no-year":
            try:
                old = date(day.year, struck[3], struck[2])
            except ValueError:
                continue
        else:
            old = struck[0]
        if old != day:
            moved_from = old
    after_date = head[: span[0]] + " " + head[span[1] :]
    clock_found = _find_clock(after_date)
    clock = clock_found[0] if clock_found else None
    if not zone_label:
        for candidate in _ZONE_IN_PARENTHESES.findall(after_date):
            if zone_for_label(candidate):
                zone_label = candidate.strip()
                break
    zone = zone_for_label(zone_label) if zone_label else None
    return DateLine(
        day=day,
        clock=clock,
        zone_label=zone_label,
        zone=zone,
        link_local=link_local,
        link_zone=link_zone,
        moved_from=moved_from,
        rest=rest.strip(),
        links=links,
        notes=notes,
    )
