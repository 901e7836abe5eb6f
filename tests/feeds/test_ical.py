"""The ICS builder: what every calendar reads, byte by byte and through two parsers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from podium.feeds import ical
from podium.feeds.window import feed_window
from podium.seminars.models import Talk, TalkStatus
from podium.seminars.talks import cancel_talk, postpone_talk, save_talk
from podium.seminars.timezones import to_utc
from tests.factories import PersonFactory, SeriesFactory, TalkFactory
from tests.feeds.conftest import NOW

pytestmark = pytest.mark.django_db


def lines_of(content: bytes) -> list[bytes]:
    assert content.endswith(b"\r\n")
    return content[:-2].split(b"\r\n")


def assert_wire_format(content: bytes) -> None:
    """RFC 5545 section 3.1: CRLF line ends, lines of at most 75 octets, whole UTF-8 chars."""
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert b"\r" not in content.replace(b"\r\n", b"")
    for line in lines_of(content):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a multi-byte character


def test_series_feed_wire_format_with_long_unicode_text(frozen, parse_both):
    speaker = PersonFactory(name="Zoë Ünïcödé-Łukasiewicz", affiliation="Université de Montréal")
    talk = TalkFactory(
        title="Ünïcödé everywhere: " + "attacks, defences; and \\ backslashes " * 4,
        abstract="Über **naïve** models. " * 30,
        speakers=[speaker],
    )
    content = ical.series_ics_bytes(talk.series)
    assert_wire_format(content)
    assert any(line.startswith(b" ") for line in lines_of(content)), "long lines are folded"
    events = parse_both(content)
    event = events[f"{talk.uid}@127.0.0.1"]
    assert event.summary == f"Zoë Ünïcödé-Łukasiewicz: {talk.title}"
    assert "Über naïve models." in event.description
    assert "Zoë Ünïcödé-Łukasiewicz (Université de Montréal)" in event.description
    # Commas, semicolons and backslashes are escaped on the wire and come back intact.
    assert b"attacks\\, defences\\; and \\\\ backslashes" in content.replace(b"\r\n ", b"")


def test_calendar_header_names_and_refresh(frozen):
    series = SeriesFactory(name="PriSec-ML", slot_text="Wednesdays, 1pm UK time")
    content = ical.series_ics_bytes(series).decode()
    for line in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "NAME:PriSec-ML",
        "X-WR-CALNAME:PriSec-ML",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
        f"SOURCE;VALUE=URI:http://127.0.0.1:8000/{series.slug}/calendar.ics",
    ):
        assert f"{line}\r\n" in content
    assert "X-WR-CALDESC:Wednesdays\\, 1pm UK time A series about privacy and security." in (
        content.replace("\r\n ", "")
    )
    # No colour: each reader's calendar picks its own.
    assert "COLOR" not in content
    assert "TZID" not in content and "VTIMEZONE" not in content


@pytest.mark.parametrize(
    ("local", "expected_utc"),
    [
        (datetime(2027, 3, 24, 13, 0), datetime(2027, 3, 24, 13, 0, tzinfo=UTC)),  # GMT
        (datetime(2027, 3, 31, 13, 0), datetime(2027, 3, 31, 12, 0, tzinfo=UTC)),  # BST
        (datetime(2027, 10, 27, 13, 0), datetime(2027, 10, 27, 12, 0, tzinfo=UTC)),  # BST
        (datetime(2027, 11, 3, 13, 0), datetime(2027, 11, 3, 13, 0, tzinfo=UTC)),  # GMT
    ],
)
def test_talks_on_each_side_of_a_dst_change_land_on_the_right_instant(
    frozen, parse_both, local, expected_utc
):
    series = SeriesFactory(time_zone="Europe/London")
    talk = TalkFactory(series=series, start=to_utc(local, "Europe/London"))
    content = ical.series_ics_bytes(series)
    event = parse_both(content)[ical.links.talk_uid(talk)]
    assert event.start == expected_utc
    assert event.end == expected_utc + timedelta(minutes=60)
    assert f"DTSTART:{expected_utc:%Y%m%dT%H%M%S}Z\r\n".encode() in content


def test_an_edit_raises_sequence_and_keeps_uid(frozen, parse_both):
    talk = TalkFactory()
    uid = ical.links.talk_uid(talk)
    before = parse_both(ical.series_ics_bytes(talk.series))[uid]
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        talk.start += timedelta(days=1)
        save_talk(talk)
    after = parse_both(ical.series_ics_bytes(talk.series))[uid]
    assert after.sequence == before.sequence + 1
    assert after.start == before.start + timedelta(days=1)
    assert str(talk.uid) in uid and uid.endswith("@127.0.0.1")


def test_dtstamp_is_the_last_public_change_so_bytes_repeat(frozen):
    talk = TalkFactory()
    first = ical.series_ics_bytes(talk.series)
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        second = ical.series_ics_bytes(talk.series)
    assert first == second
    assert f"DTSTAMP:{NOW:%Y%m%dT%H%M%S}Z\r\n".encode() in first


def test_cancelled_talk_stays_marked_for_60_days_then_leaves(parse_both):
    with time_machine.travel(NOW, tick=False):
        talk = TalkFactory(start=NOW + timedelta(days=100))
        cancel_talk(talk, "The speaker is ill.")
        events = parse_both(ical.series_ics_bytes(talk.series))
    event = events[ical.links.talk_uid(talk)]
    assert event.status == "CANCELLED"
    assert event.summary.startswith("Cancelled: ")
    assert "The speaker is ill." in event.description
    with time_machine.travel(NOW + timedelta(days=59), tick=False):
        assert ical.links.talk_uid(talk) in parse_both(ical.series_ics_bytes(talk.series))
    with time_machine.travel(NOW + timedelta(days=61), tick=False):
        assert ical.links.talk_uid(talk) not in parse_both(ical.series_ics_bytes(talk.series))


def test_postponed_talk_says_so(frozen, parse_both):
    talk = postpone_talk(TalkFactory(), "New date to follow.")
    event = parse_both(ical.series_ics_bytes(talk.series))[ical.links.talk_uid(talk)]
    assert event.summary.startswith("Postponed: ")
    assert event.status == "TENTATIVE"


def test_window_keeps_90_days_of_history_and_two_years_ahead(frozen, parse_both):
    series = SeriesFactory()
    old = TalkFactory(series=series, start=NOW - timedelta(days=91))
    recent = TalkFactory(series=series, start=NOW - timedelta(days=89))
    ahead = TalkFactory(series=series, start=NOW + timedelta(days=720))
    far = TalkFactory(series=series, start=NOW + timedelta(days=740))
    draft = TalkFactory(series=series, status=TalkStatus.DRAFT)
    uids = set(parse_both(ical.series_ics_bytes(series)))
    assert {ical.links.talk_uid(recent), ical.links.talk_uid(ahead)} <= uids
    assert ical.links.talk_uid(old) not in uids and ical.links.talk_uid(far) not in uids
    assert ical.links.talk_uid(draft) not in uids
    assert set(parse_both(ical.site_ics_bytes("Podium"))) == uids
    # The window moves with the day: the far talk joins it, the recent one leaves.
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        uids = set(parse_both(ical.series_ics_bytes(series)))
    assert ical.links.talk_uid(far) in uids and ical.links.talk_uid(recent) not in uids


def test_summary_description_url_and_location(frozen, parse_both):
    speakers = [PersonFactory(name="Ada Lovelace", affiliation=""), PersonFactory(name="Alan")]
    talk = TalkFactory(
        title="On Engines",
        speakers=speakers,
        livestream_url="",
        registration_url="https://example.org/reg",
        slides_url="https://example.org/slides",
    )
    save_talk(talk, links=[("Paper", "https://example.org/paper")])
    event = parse_both(ical.talk_ics_bytes(talk))[ical.links.talk_uid(talk)]
    assert event.summary == "Ada Lovelace, Alan: On Engines"
    assert event.location == "https://example.org/reg"
    assert event.url == f"http://127.0.0.1:8000/{talk.series.slug}/talks/{talk.slug}/"
    expected = [
        "Register: https://example.org/reg",
        "Slides: https://example.org/slides",
        "Paper: https://example.org/paper",
        f"Talk page: {event.url}",
        "We show an attack.",
    ]
    for text in expected:
        assert text in event.description
    assert "*" not in event.description  # the abstract is plain text, not Markdown


def test_feed_urls_and_uids_follow_base_url_not_the_request(frozen, settings):
    settings.BASE_URL = "https://seminars.example.org"
    talk = TalkFactory()
    content = ical.series_ics_bytes(talk.series).replace(b"\r\n ", b"").decode()
    assert f"UID:{talk.uid}@seminars.example.org\r\n" in content
    assert f"URL:https://seminars.example.org/{talk.series.slug}/talks/{talk.slug}/" in content
    settings.PODIUM_UID_DOMAIN = "podium.example.net"
    content = ical.series_ics_bytes(talk.series).decode()
    assert f"UID:{talk.uid}@podium.example.net\r\n" in content


def test_site_feed_combines_public_series_only(frozen, parse_both):
    public = TalkFactory()
    other = TalkFactory()
    hidden = TalkFactory(series=SeriesFactory(visibility="unlisted"))
    uids = set(parse_both(ical.site_ics_bytes("Podium", feed_window())))
    assert {ical.links.talk_uid(public), ical.links.talk_uid(other)} <= uids
    assert ical.links.talk_uid(hidden) not in uids


def test_talk_file_is_one_event_without_refresh_hints(frozen, parse_both):
    talk = TalkFactory()
    content = ical.talk_ics_bytes(talk)
    assert_wire_format(content)
    assert list(parse_both(content)) == [ical.links.talk_uid(talk)]
    assert b"REFRESH-INTERVAL" not in content


def test_talk_ics_bytes_reads_a_plain_talk_too(frozen):
    talk = TalkFactory()
    plain = Talk.objects.get(pk=talk.pk)
    assert ical.talk_ics_bytes(plain) == ical.talk_ics_bytes(talk)


def test_talk_file_header_follows_a_renamed_series(frozen):
    talk = TalkFactory(series=SeriesFactory(name="Old name", description="Old words."))
    before = ical.talk_ics_bytes(talk).decode()
    assert "X-WR-CALNAME:Old name\r\n" in before
    talk.series.name, talk.series.description = "New name", "New words."
    talk.series.save()
    after = ical.talk_ics_bytes(Talk.objects.select_related("series").get(pk=talk.pk)).decode()
    assert "X-WR-CALNAME:New name\r\n" in after
    assert "X-WR-CALDESC:New words.\r\n" in after
    assert "Old" not in after
    # The header's names are shared by the series; its URL line is each talk's own.
    other = TalkFactory(series=talk.series)
    header = ical.talk_ics_bytes(other).replace(b"\r\n ", b"").decode().split("BEGIN:VEVENT")[0]
    assert f"URL:{ical.links.talk_page_url(other)}\r\n" in header
