"""RFC 5545 content lines, written directly: the wire format under `podium.feeds.ical`.

A feed of 10,000 talks is 160,000 content lines; building them through the `icalendar`
object model cost most of the time of a feed or a static export. These few functions write
the same bytes (see docs/calendars.md for the two deliberate differences) without objects:
a value is escaped, the line is encoded once, and only lines longer than the limit are cut.

Folding follows the `icalendar` library so that feeds keep their bytes (and ETags): every
line is cut before it would reach 75 octets (so no line is longer than 74 octets plus the
leading space of a continuation), never inside a UTF-8 character, and a backslash (or `^`)
that ends a piece moves to the next piece so that an escape such as `\\,` is not split
(clients that unfold badly read such a split as two characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

CRLF = b"\r\n"
FOLD = b"\r\n "
# A piece of a folded line stays under 75 octets (the space of a continuation makes 75).
LIMIT = 74
_CONTINUATION = 0x80  # 0b10xxxxxx: a byte inside a multi-byte UTF-8 character
_ESCAPE_STARTS = frozenset(b"\\^")
# RFC 5545 3.3.11: TEXT holds no control character other than HTAB (newlines are escaped).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OCTETS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def escape_text(value: str) -> str:
    r"""A TEXT value on the wire: `\` `;` `,` escaped, every line break written as `\n`.

    CRLF and a lone CR count as one line break; other control characters, which TEXT cannot
    carry, are dropped.
    """
    # Each step only when its character is there: most values are short and plain, and a
    # scan for one character costs far less than a replace or a regular expression.
    if not value.isprintable() and _has_controls(value):
        value = _CONTROLS.sub("", value)
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if ";" in value:
        value = value.replace(";", "\\;")
    if "," in value:
        value = value.replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\\n").replace("\r", "\\n")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    return value


def _has_controls(value: str) -> bool:
    # Deleting octets is several times faster than a regular expression on a long value;
    # the octets of a multi-byte UTF-8 character are never below 0x80, so none is deleted.
    octets = value.encode()
    return len(octets.translate(None, _CONTROL_OCTETS)) != len(octets)


def fold(line: str) -> bytes:
    """One content line as UTF-8 octets, folded with CRLF and a space where it is too long."""
    octets = line.encode()
    size = len(octets)
    if size <= LIMIT:
        return octets
    whole_characters = size == len(line)  # ASCII: no character to keep in one piece
    if whole_characters:
        # Cut every LIMIT octets, unless a piece would end with an escape's first octet.
        ends = octets[LIMIT - 1 : size - 1 : LIMIT]
        if b"\\" not in ends and b"^" not in ends:
            return FOLD.join([octets[at : at + LIMIT] for at in range(0, size, LIMIT)])
    pieces = []
    start = 0
    while size - start > LIMIT:
        end = start + LIMIT
        while not whole_characters and octets[end] & 0xC0 == _CONTINUATION:
            end -= 1
        if end - 1 > start and octets[end - 1] in _ESCAPE_STARTS:
            end -= 1
        pieces.append(octets[start:end])
        start = end
    pieces.append(octets[start:])
    return FOLD.join(pieces)


def utc_datetime(moment: datetime) -> str:
    """A DATE-TIME in UTC form, `20211013T120000Z` (seconds kept, microseconds dropped)."""
    if moment.tzinfo is not UTC:  # the database gives UTC already; others are converted
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )


def duration(span: timedelta) -> str:
    """A DURATION such as `PT6H` or `P1DT30M`, written as RFC 5545 3.3.6 (and icalendar) do."""
    sign = ""
    if span.days < 0:
        sign, span = "-", -span
    time = ""
    if span.seconds:
        hours, rest = divmod(span.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time = "T"
        if hours:
            time += f"{hours}H"
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
    if span.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{span.days}D{time}"


def uri(value: str) -> str:
    """A URI value, written as it is (URIs are not TEXT-escaped); refuses a line break."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"A URI cannot hold a line break: {value!r}")
    return value


class ContentLines:
    """The content lines of one calendar object, in order, as folded UTF-8 octets.

    Values passed to `text` are escaped here; the other writers take values already in their
    wire form (`utc_datetime`, `duration`, `uri`, integers, fixed tokens).
    """

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: list[bytes] = []

    def begin(self, component: str) -> None:
        """Open a component (`VCALENDAR`, `VEVENT`)."""
        self._lines.append(f"BEGIN:{component}".encode())

    def end(self, component: str) -> None:
        """Close a component."""
        self._lines.append(f"END:{component}".encode())

    def text(self, name: str, value: str) -> None:
        """A property whose value is TEXT (escaped here)."""
        self._lines.append(fold(f"{name}:{escape_text(value)}"))

    def raw(self, name: str, value: str | int, parameters: str = "") -> None:
        """A property whose value is already in wire form; `parameters` like `VALUE=URI`."""
        head = f"{name};{parameters}" if parameters else name
        self._lines.append(fold(f"{head}:{value}"))

    def short(self, name: str, value: str | int) -> None:
        """A property whose wire form always fits on a line: a DATE-TIME from `utc_datetime`
        or an integer (nothing to fold: `raw` would give the same octets)."""
        self._lines.append(f"{name}:{value}".encode())

    def extend(self, block: Iterable[bytes]) -> None:
        """Append lines written elsewhere (a block built once and reused)."""
        self._lines.extend(block)

    def lines(self) -> list[bytes]:
        """The folded lines written so far (without line ends)."""
        return self._lines

    def to_bytes(self) -> bytes:
        """The lines joined with CRLF, ending with one (an empty last item writes it: adding
        it after the join copied a 24 MB feed again, in 20 ms)."""
        return CRLF.join([*self._lines, b""])
