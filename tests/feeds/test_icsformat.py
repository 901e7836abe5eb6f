"""The content-line writer: escaping, folding at 75 octets, dates and durations."""

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar.parser.string import _foldline
from icalendar.prop import vDuration, vText

from podium.feeds.icsformat import ContentLines, duration, escape_text, fold, uri, utc_datetime


def unfold(octets: bytes) -> str:
    return octets.replace(b"\r\n ", b"").decode("utf-8")


def physical_lines(octets: bytes) -> list[bytes]:
    return octets.split(b"\r\n")


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("plain text: with a colon", "plain text: with a colon"),
        ("a, b; c", "a\\, b\\; c"),
        ("back\\slash", "back\\\\slash"),
        ("one\ntwo", "one\\ntwo"),
        ("one\r\ntwo\rthree", "one\\ntwo\\nthree"),
        ("\\,", "\\\\\\,"),
        ("tab\tkept", "tab\tkept"),
        ("bell\x07 and form\x0cfeed\x7f dropped", "bell and formfeed dropped"),
        ("C:\\New and C:\\new", "C:\\\\New and C:\\\\new"),
        ("Zoë 漢字 🙂", "Zoë 漢字 🙂"),
    ],
)
def test_escape_text(value, wire):
    assert escape_text(value) == wire


@pytest.mark.parametrize(
    "value",
    ["a, b; c", "back\\slash", "one\ntwo", "\\,", "Zoë 漢字 🙂", "x\\\\;y", "end\\", ":;,\\"],
)
def test_escape_text_agrees_with_icalendar(value):
    assert escape_text(value).encode() == vText(value).to_ical()


def plain_escape(value: str) -> str:
    """The escaping rules written out step by step, as the writer did before its shortcuts."""
    value = "".join(c for c in value if c in "\t\n\r" or not (c < " " or c == "\x7f"))
    for before, after in [("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\r\n", "\\n")]:
        value = value.replace(before, after)
    return value.replace("\n", "\\n").replace("\r", "\\n")


def test_escape_text_agrees_with_the_plain_rules_on_random_values():
    generator = random.Random(2445)
    alphabet = "ab ,;:\\\t\n\r\x00\x07\x1f\x7f\u200bé漢🙂"
    for _ in range(3000):
        value = "".join(generator.choice(alphabet) for _ in range(generator.randrange(0, 60)))
        assert escape_text(value) == plain_escape(value), repr(value)


def test_short_lines_are_not_folded():
    line = "X" * 74
    assert fold(line) == line.encode()


def test_a_line_of_75_octets_is_folded_after_74():
    assert fold("X" * 75) == b"X" * 74 + b"\r\n X"


@pytest.mark.parametrize(("character", "width"), [("é", 2), ("€", 3), ("漢", 3), ("🙂", 4)])
@pytest.mark.parametrize("before", range(68, 76))
def test_folding_never_splits_a_multibyte_character(character, width, before):
    assert len(character.encode()) == width
    line = "X" * before + character * 3 + "Y" * 80
    folded = fold(line)
    for physical in physical_lines(folded):
        assert len(physical) <= 75
        physical.decode("utf-8")  # raises if a character was cut
    # The first piece takes every whole character that fits in 74 octets, and no more.
    fitting, octets = "", 0
    for char in line:
        if octets + len(char.encode()) > 74:
            break
        fitting, octets = fitting + char, octets + len(char.encode())
    assert physical_lines(folded)[0] == fitting.encode()
    assert unfold(folded) == line


def test_a_backslash_at_the_boundary_moves_to_the_next_line():
    line = "X" * 73 + "\\,rest"
    assert fold(line) == b"X" * 73 + b"\r\n \\,rest"
    assert unfold(fold(line)) == line


@pytest.mark.parametrize(
    "alphabet",
    ["ab ,;:\\^\té€漢字🙂🎉ßø", "ab ,;:\\^\t", "abcdefghijklmnopqrstuvwxyz ,;:" + "x" * 80 + "\\^"],
)
def test_fold_agrees_with_icalendar_on_random_lines(alphabet):
    generator = random.Random(5545)
    for _ in range(2000):
        line = "".join(generator.choice(alphabet) for _ in range(generator.randrange(0, 400)))
        assert fold(line) == _foldline(line).encode(), line


def test_utc_datetime_converts_and_drops_microseconds():
    plus_two = timezone(timedelta(hours=2))
    assert utc_datetime(datetime(2027, 3, 31, 14, 5, 9, 999, tzinfo=plus_two)) == (
        "20270331T120509Z"
    )
    assert utc_datetime(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "09990102T030405Z"


@pytest.mark.parametrize(
    "span",
    [
        timedelta(hours=6),
        timedelta(minutes=30),
        timedelta(seconds=5),
        timedelta(hours=1, seconds=5),
        timedelta(days=1),
        timedelta(days=2, minutes=30),
        timedelta(weeks=1),
        timedelta(0),
        -timedelta(hours=6),
        -timedelta(days=1, hours=2),
    ],
)
def test_duration_matches_icalendar(span):
    assert duration(span).encode() == vDuration(span).to_ical()


def test_uri_refuses_a_line_break():
    assert uri("https://example.org/a,b;c") == "https://example.org/a,b;c"
    with pytest.raises(ValueError):
        uri("https://example.org/\r\nX-EVIL:1")


def test_content_lines_with_parameters_and_crlf():
    lines = ContentLines()
    lines.begin("VCALENDAR")
    lines.raw("REFRESH-INTERVAL", duration(timedelta(hours=6)), "VALUE=DURATION")
    lines.raw("SOURCE", uri("https://example.org/s/calendar.ics"), "VALUE=URI")
    lines.text("NAME", "A, B")
    lines.end("VCALENDAR")
    assert lines.to_bytes() == (
        b"BEGIN:VCALENDAR\r\n"
        b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n"
        b"SOURCE;VALUE=URI:https://example.org/s/calendar.ics\r\n"
        b"NAME:A\\, B\r\n"
        b"END:VCALENDAR\r\n"
    )


def test_short_properties_are_what_raw_writes():
    from podium.feeds.icsformat import ContentLines

    moment = utc_datetime(datetime(2027, 3, 31, 14, 5, 9, tzinfo=UTC))
    short, raw = ContentLines(), ContentLines()
    for name, value in (("DTSTART", moment), ("SEQUENCE", 12), ("LAST-MODIFIED", moment)):
        short.short(name, value)
        raw.raw(name, value)
    assert short.lines() == raw.lines()
