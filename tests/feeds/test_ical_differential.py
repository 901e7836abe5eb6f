"""Our iCalendar bytes against the icalendar library's, for many different talks.

For every talk: (1) icalendar reads our bytes back to exactly the values we meant, and (2) our
bytes equal what icalendar itself writes for the same calendar (`icalendar_reference`). The
two places where we differ on purpose (RFC 5545 says so) have their own tests at the end.
"""

from datetime import UTC, timedelta

import icalendar
import pytest

from podium.feeds import ical, links
from podium.feeds.window import feed_window
from podium.seminars.talks import cancel_talk, postpone_talk, save_talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory
from tests.feeds import icalendar_reference as reference
from tests.feeds.conftest import NOW

pytestmark = pytest.mark.django_db

LONG_WORDLESS = "x" * 300
TITLES = [
    "Plain title",
    "Ünïcödé: naïve Bayes, Zoë's model; and C:\\path\\to\\data",
    "絵文字 🙂🎉 and 漢字のタイトル: 差分プライバシー入門, 第二部",
    "A very long title about membership inference, model inversion, and attribute "
    "inference attacks against federated learning systems at scale " * 2,
    LONG_WORDLESS,
    "Commas, semicolons; backslashes \\ and a caret ^ at odd places ,;\\^,;\\",
    "Line one\nline two",
    "",  # "Title to be announced"
    "🙂" * 40,
]
ABSTRACTS = [
    "We show an *attack*.",
    "Über **naïve** models. " * 30,
    "第一段落。" * 40 + "\n\n" + "Second paragraph, with [a link](https://example.org/a,b;c).",
    "- one; two\n- three, four\n- back\\slash\n\n```\ncode, with; marks\n```",
    "",
    "🙂 " * 100,
]
SPEAKERS = [
    [],
    [("Ada Lovelace", "")],
    [("Zoë Ünïcödé-Łukasiewicz", "Université de Montréal"), ("李小龙", "清华大学")],
    [("Alan, Jr.", "Bletchley; Park"), ("B\\C", "D"), ("Émile", "ÉNS, Paris")],
]


def make_talks(series, count=24):
    talks = []
    for number in range(count):
        speakers = [
            PersonFactory(name=name, affiliation=affiliation)
            for name, affiliation in SPEAKERS[number % len(SPEAKERS)]
        ]
        talk = TalkFactory(
            series=series,
            title=TITLES[number % len(TITLES)],
            abstract=ABSTRACTS[number % len(ABSTRACTS)],
            speakers=speakers,
            start=NOW + timedelta(days=number + 1, minutes=7 * number),
            livestream_url="" if number % 3 else "https://example.org/live?a=1,2;b",
            registration_url="" if number % 4 == 1 else "https://example.org/register",
            slides_url="https://example.org/slides.pdf" if number % 2 else "",
            recording_url="https://example.org/recording" if number % 5 == 0 else "",
        )
        if number % 3 == 2:
            save_talk(
                talk,
                links=[
                    ("Paper, v2", "https://arxiv.org/abs/1234"),
                    ("Code", "https://git.example.org/x"),
                ],
            )
        if number % 7 == 3:
            talk = cancel_talk(talk, "The speaker is ill; sorry, everyone.")
        elif number % 7 == 5:
            talk = postpone_talk(talk, "New date to follow — 新しい日程は後ほど。")
        talks.append(talk)
    return talks


def assert_reads_back(content: bytes, talks) -> None:
    """icalendar parses every value of our bytes back to the value we wrote."""
    calendar = icalendar.Calendar.from_ical(content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == len(talks)
    for talk in talks:
        event = events[links.talk_uid(talk)]
        page_url = links.talk_page_url(talk)
        assert str(event["SUMMARY"]) == links.event_title(talk)
        assert str(event["DESCRIPTION"]) == ical.talk_description(talk, page_url)
        assert event.decoded("DTSTART") == talk.start.astimezone(UTC).replace(microsecond=0)
        assert event.decoded("DTEND") == talk.end.astimezone(UTC).replace(microsecond=0)
        changed = talk.changed_at.astimezone(UTC).replace(microsecond=0)
        assert event.decoded("DTSTAMP") == changed == event.decoded("LAST-MODIFIED")
        assert int(event["SEQUENCE"]) == talk.sequence
        assert str(event["URL"]) == page_url
        location = links.event_location(talk)
        assert (str(event["LOCATION"]) if "LOCATION" in event else "") == location
        assert str(event["STATUS"]) == ical.STATUS[talk.status]
        assert (str(event["TRANSP"]), str(event["CLASS"])) == ("OPAQUE", "PUBLIC")


def test_series_feed_reads_back_and_equals_icalendar(frozen):
    series = SeriesFactory(name="Privacy & Security in ML — 機械学習", slot_text="Wed 1pm")
    talks = make_talks(series)
    window = feed_window()
    content = ical.series_ics_bytes(series, window)
    assert content == reference.series_ics_bytes(series, window)
    assert_reads_back(content, talks)
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["X-WR-CALNAME"]) == series.name
    assert str(calendar["DESCRIPTION"]) == ical._series_summary(series)
    assert str(calendar["SOURCE"]) == links.series_feed_url(series)
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=6)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in content


def test_every_talk_file_reads_back_and_equals_icalendar(frozen):
    series = SeriesFactory(name="Seminar ✨", description="")
    for talk in make_talks(series):
        content = ical.talk_ics_bytes(talk)
        assert content == reference.talk_ics_bytes(talk), talk.title
        assert_reads_back(content, [talk])


def test_site_feed_equals_icalendar_header_aside(frozen):
    talks = make_talks(SeriesFactory(), 6) + make_talks(SeriesFactory(), 5)
    content = ical.site_ics_bytes("Podium", feed_window())
    assert_reads_back(content, talks)
    assert b"NAME:Podium\r\n" in content and b"SOURCE;VALUE=URI:" in content


# --- Where we differ from icalendar, because RFC 5545 and RFC 7986 say so --------------


def test_name_is_escaped_as_text(frozen):
    """RFC 7986 NAME is TEXT; icalendar writes it unescaped (it does not know its type)."""
    series = SeriesFactory(name="Privacy, Security; ML \\ Lab")
    TalkFactory(series=series)
    ours, theirs = ical.series_ics_bytes(series), reference.series_ics_bytes(series)
    assert b"\r\nNAME:Privacy\\, Security\\; ML \\\\ Lab\r\n" in ours
    assert b"\r\nNAME:Privacy, Security; ML \\ Lab\r\n" in theirs
    ours_name = b"\r\nNAME:Privacy\\, Security\\; ML \\\\ Lab"
    assert ours.replace(ours_name, b"") == theirs.replace(
        b"\r\nNAME:Privacy, Security; ML \\ Lab", b""
    )
    # X-WR-CALNAME, which the readers show, was escaped by both.
    assert b"X-WR-CALNAME:Privacy\\, Security\\; ML \\\\ Lab\r\n" in ours


def test_a_literal_backslash_n_stays_text(frozen):
    r"""icalendar turns the two characters `\N` into a line break; we keep them."""
    talk = TalkFactory(title="Paths like C:\\New", speakers=[])
    content = ical.talk_ics_bytes(talk)
    assert b"SUMMARY:Paths like C:\\\\New\r\n" in content
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Paths like C:\\New"
    assert b"SUMMARY:Paths like C:\\n" + b"ew\r\n" in reference.talk_ics_bytes(talk)


def test_control_characters_are_dropped_from_text(frozen):
    """TEXT cannot carry control characters (RFC 5545 3.3.11); icalendar passes them on."""
    talk = TalkFactory(title="Bell\x07 and form\x0cfeed", speakers=[])
    content = ical.talk_ics_bytes(talk)
    assert b"SUMMARY:Bell and formfeed\r\n" in content
    assert b"\x07" not in content and b"\x0c" not in content
