"""The one place in Podium that converts and formats times.

Times are stored in UTC. Every series has an IANA zone ("Europe/London") and organizers type
local wall times in that zone. A wall time that does not exist (clocks go forward) or happens
twice (clocks go back) is refused with a message naming both instants the organizer may have
meant; nothing here guesses silently. Names of days and months are built here rather than
taken from the C locale, so output never depends on the host.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Friendly names for the zones seminar audiences know by name; anything else uses its city.
_CENTRAL_EUROPEAN = "Central European time"
ZONE_LABELS = {
    "UTC": "UTC",
    "Etc/UTC": "UTC",
    "Europe/London": "UK time",
    "Europe/Amsterdam": _CENTRAL_EUROPEAN,
    "Europe/Berlin": _CENTRAL_EUROPEAN,
    "Europe/Brussels": _CENTRAL_EUROPEAN,
    "Europe/Copenhagen": _CENTRAL_EUROPEAN,
    "Europe/Madrid": _CENTRAL_EUROPEAN,
    "Europe/Oslo": _CENTRAL_EUROPEAN,
    "Europe/Paris": _CENTRAL_EUROPEAN,
    "Europe/Prague": _CENTRAL_EUROPEAN,
    "Europe/Rome": _CENTRAL_EUROPEAN,
    "Europe/Stockholm": _CENTRAL_EUROPEAN,
    "Europe/Vienna": _CENTRAL_EUROPEAN,
    "Europe/Warsaw": _CENTRAL_EUROPEAN,
    "Europe/Zurich": _CENTRAL_EUROPEAN,
    "America/New_York": "US Eastern time",
    "America/Chicago": "US Central time",
    "America/Denver": "US Mountain time",
    "America/Los_Angeles": "US Pacific time",
    "Asia/Tokyo": "Japan time",
}

# Not places: "Factory" is a placeholder and "localtime" depends on the host's settings.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})

_NUMERIC_ABBREVIATION = re.compile(r"^([+-])(\d{2})(\d{2})?$")
_ETC_GMT_OFFSET = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


class LocalTimeError(ValueError):
    """A local wall time that cannot be turned into one instant without the organizer's choice.

    `message` is ready to show to the organizer; `choices` are the aware UTC instants they may
    have meant, earliest first; `transition` is the UTC instant at which the clocks change.
    """

    def __init__(
        self,
        message: str,
        *,
        local: datetime,
        zone: str,
        choices: list[datetime],
        transition: datetime,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.local = local
        self.zone = zone
        self.choices = choices
        self.transition = transition


class NonexistentLocalTime(LocalTimeError):
    """The wall time falls in the gap skipped when the clocks go forward."""


class AmbiguousLocalTime(LocalTimeError):
    """The wall time happens twice because the clocks go back."""


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones() - _NOT_PLACES)


@functools.cache
def _sorted_zone_names() -> tuple[str, ...]:
    return tuple(sorted(_zone_names()))


def all_zones() -> list[str]:
    """Every IANA zone name a series may use, sorted, for form choices."""
    return list(_sorted_zone_names())


def is_valid_zone(name: object) -> bool:
    """Whether `name` is an IANA zone name a series may use."""
    return isinstance(name, str) and name in _zone_names()


@functools.cache  # pages ask for the series' zone for every time they print
def _zone(name: str) -> ZoneInfo:
    if not is_valid_zone(name):
        raise ValueError(f"Unknown time zone {name!r}.")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as error:  # listed by tzdata but unreadable here
        raise ValueError(f"Unknown time zone {name!r}.") from error


def to_utc(local: datetime, zone: str, fold: int | None = None) -> datetime:
    """Turn a naive wall time in `zone` into an aware UTC instant.

    With `fold=None` a wall time that does not exist or happens twice raises
    `NonexistentLocalTime` or `AmbiguousLocalTime`. With `fold=0` or `fold=1` the organizer has
    chosen the first or second occurrence of an ambiguous time; a nonexistent one still raises.
    """
    if local.tzinfo is not None:
        raise ValueError("to_utc expects a naive local time, not an aware one.")
    if fold not in (None, 0, 1):
        raise ValueError(f"fold must be None, 0 or 1, not {fold!r}.")
    tz = _zone(zone)
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    earlier, later = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    transition = _transition_between(earlier, later, tz)
    if earlier.astimezone(tz).replace(tzinfo=None) != local:
        raise _nonexistent(local, zone, tz, [earlier, later], transition)
    if fold is None:
        raise _ambiguous(local, zone, tz, [earlier, later], transition)
    return (earlier, later)[fold]


def stored_instant(value: datetime | str) -> datetime:
    """An instant as a plain SQL query returns it (PostgreSQL: aware; SQLite: naive UTC, or
    text in a subquery), as an aware UTC datetime."""
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        # Naive text is UTC: parsed again with the offset, which costs a tenth of
        # `replace(tzinfo=...)` (an export reads 40,000 of these).
        return parsed if parsed.tzinfo else datetime.fromisoformat(value + "+00:00")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    """The aware wall time in `zone` at the aware `instant`."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("to_local expects an aware instant, not a naive time.")
    return instant.astimezone(_zone(zone))


def zone_abbreviation(instant: datetime, zone: str) -> str:
    """The zone's abbreviation at `instant` ("BST", "EDT"), or "UTC+9" where tzdata has none."""
    return _abbreviation(to_local(instant, zone))


def _abbreviation(local: datetime) -> str:
    name = local.tzname() or ""
    if not name.startswith(("+", "-")):  # a name: "BST", "EDT", "UTC"
        return name
    numeric = _NUMERIC_ABBREVIATION.match(name)
    if numeric is None:
        return name
    sign, hours, minutes = numeric.group(1), int(numeric.group(2)), int(numeric.group(3) or 0)
    if hours == 0 and minutes == 0:
        return "UTC"
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_label(zone: str) -> str:
    """A friendly name for `zone` in a series' slot text ("UK time", "Kolkata time")."""
    if zone in ZONE_LABELS:
        return ZONE_LABELS[zone]
    etc_offset = _ETC_GMT_OFFSET.match(zone)
    if etc_offset is not None:
        # POSIX signs are inverted: Etc/GMT+5 is five hours behind UTC.
        sign = "-" if etc_offset.group(1) == "+" else "+"
        hours = int(etc_offset.group(2))
        return f"UTC{sign}{hours}" if hours else "UTC"
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time"


# A talk's page, its calendar file and its archive entry each print its date or time:
# worked out once for the few thousand instants a process sees at a time.
@functools.lru_cache(maxsize=4096)
def format_date(instant: datetime, zone: str) -> str:
    """The date in `zone` as "Wednesday 13 October 2021"."""
    return _long_date(to_local(instant, zone).date())


@functools.lru_cache(maxsize=4096)
def format_series_time(instant: datetime, zone: str) -> str:
    """The series' own time as "Wednesday 13 October 2021, 13:00 UK time (BST)"."""
    local = to_local(instant, zone)
    label = zone_label(zone)
    abbreviation = _abbreviation(local)
    suffix = label if abbreviation == label else f"{label} ({abbreviation})"
    return f"{_long_date(local)}, {local.hour:02}:{local.minute:02} {suffix}"


def format_short(instant: datetime, zone: str) -> str:
    """A short form for email subjects: "Wed 13 Oct, 13:00"."""
    local = to_local(instant, zone)
    weekday = WEEKDAY_NAMES[local.weekday()][:3]
    month = MONTH_NAMES[local.month - 1][:3]
    return f"{weekday} {local.day} {month}, {local:%H:%M}"


# Zones whose readers know a short name better than the abbreviation (“UK”, not “BST/GMT”).
SHORT_ZONE_LABELS = {"Europe/London": "UK"}


def format_subject_time(instant: datetime, zone: str) -> str:
    """The short form with its zone, for email subjects: "Wed 13 Oct, 13:00 UK",
    "Thu 14 Oct, 09:00 EDT", "Fri 15 Oct, 22:00 UTC+9"."""
    label = SHORT_ZONE_LABELS.get(zone) or zone_abbreviation(instant, zone)
    return f"{format_short(instant, zone)} {label}"


def next_slots(weekday: int, local: time, zone: str, after: datetime, count: int) -> list[datetime]:
    """The next `count` UTC instants strictly after `after` on `weekday` (0 = Monday) at the
    wall time `local` in `zone`.

    A slot in a spring-forward gap moves to the moment the clocks change (the first valid time
    after the gap); a slot that happens twice takes its first occurrence.
    """
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}.")
    if local.tzinfo is not None:
        raise ValueError("next_slots expects a naive wall time.")
    day = to_local(after, zone).date()
    day += timedelta(days=(weekday - day.weekday()) % 7)
    slots: list[datetime] = []
    while len(slots) < count:
        try:
            instant = to_utc(datetime.combine(day, local), zone, fold=0)
        except NonexistentLocalTime as gap:
            instant = gap.transition
        if instant > after:
            slots.append(instant)
        day += timedelta(weeks=1)
    return slots


def _long_date(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _transition_between(earlier: datetime, later: datetime, tz: ZoneInfo) -> datetime:
    """The first whole second in (earlier, later] whose UTC offset in `tz` differs from
    the offset at `earlier`; tzdata transitions fall on whole seconds."""
    offset_before = earlier.astimezone(tz).utcoffset()
    low, high = int(earlier.timestamp()), int(later.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _clock(wall: datetime, on: date) -> str:
    """ "HH:MM" of a wall time, with its date added when it is not the day `on`."""
    if wall.date() == on:
        return f"{wall:%H:%M}"
    return f"{wall:%H:%M} on {_long_date(wall.date())}"


def _choice(instant: datetime, zone: str, tz: ZoneInfo, on: date) -> str:
    """One instant as the organizer may have meant it: "02:30 BST (01:30 UTC)"."""
    wall = _clock(instant.astimezone(tz), on)
    return f"{wall} {zone_abbreviation(instant, zone)} ({instant.astimezone(UTC):%H:%M} UTC)"


def _clock_change(transition: datetime, tz: ZoneInfo, on: date) -> str:
    """ "from 01:00 to 02:00": the wall clock at the change, read with the old and new offset."""
    old_offset = (transition - timedelta(seconds=1)).astimezone(tz).utcoffset()
    before = (transition + old_offset).replace(tzinfo=None)
    after = transition.astimezone(tz).replace(tzinfo=None)
    return f"from {_clock(before, on)} to {_clock(after, on)}"


def _nonexistent(
    local: datetime, zone: str, tz: ZoneInfo, choices: list[datetime], transition: datetime
) -> NonexistentLocalTime:
    on = local.date()
    earlier, later = (_choice(choice, zone, tz, on) for choice in choices)
    message = (
        f"{local:%H:%M} on {_long_date(on)} does not exist in {zone}: clocks go forward "
        f"{_clock_change(transition, tz, on)}. Did you mean {earlier} or {later}?"
    )
    return NonexistentLocalTime(
        message, local=local, zone=zone, choices=choices, transition=transition
    )


def _ambiguous(
    local: datetime, zone: str, tz: ZoneInfo, choices: list[datetime], transition: datetime
) -> AmbiguousLocalTime:
    on = local.date()
    first, second = (_choice(choice, zone, tz, on) for choice in choices)
    message = (
        f"{local:%H:%M} on {_long_date(on)} happens twice in {zone}: clocks go back "
        f"{_clock_change(transition, tz, on)}. Choose {first} or {second}."
    )
    return AmbiguousLocalTime(
        message, local=local, zone=zone, choices=choices, transition=transition
    )


# Zone words that seminar pages put after a time, lower-cased, to the zone they mean. "CET"
# is read as Central European local time whatever the season (pages write it in summer too).
_LABEL_ZONES = {
    "uk": "Europe/London",
    "uk time": "Europe/London",
    "london": "Europe/London",
    "london time": "Europe/London",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "central european time": "Europe/Berlin",
    "utc": "UTC",
    "utc time": "UTC",
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
}
# timeanddate.com's location numbers ("p1=136") for the places seminar pages link to.
_TIMEANDDATE_PLACES = {"136": "Europe/London", "37": "Europe/Berlin", "195": "Europe/Paris"}
_ISO_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})?(\d{2})?$")


def zone_for_label(label: str) -> str | None:
    """The IANA zone a page means by a label such as "UK time" or "CET", or None."""
    words = " ".join(label.lower().replace("(", " ").replace(")", " ").split())
    if words in _LABEL_ZONES:
        return _LABEL_ZONES[words]
    return label.strip() if is_valid_zone(label.strip()) else None


def zone_for_timeanddate_place(place: str) -> str | None:
    """The IANA zone of a timeanddate.com location number (the "p1" of its links), or None."""
    return _TIMEANDDATE_PLACES.get(place.strip())


def parse_iso_basic(text: str) -> datetime:
    """A naive wall time from ISO 8601 basic form: "20211013T13", "20211027T1330", "...T133000".

    Raises ValueError for anything else, including a date or time that does not exist.
    """
    match = _ISO_BASIC.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time like 20211013T1330.")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    return datetime(year, month, day, hour, minute, second)


def summer_abbreviation_differs(label: str, local: datetime, zone: str) -> str | None:
    """When a page labels a wall time "CET" but `zone` is on another offset that day, return
    the abbreviation in force ("CEST"); None when the label agrees or names no abbreviation."""
    try:
        instant = to_utc(local, zone, fold=0)
    except NonexistentLocalTime as gap:
        instant = gap.transition
    abbreviation = zone_abbreviation(instant, zone)
    wanted = label.strip().upper()
    if (
        wanted in {"CET", "CEST", "GMT", "BST", "EST", "EDT", "PST", "PDT"}
        and wanted != abbreviation
    ):
        return abbreviation
    return None
