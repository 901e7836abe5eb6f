"""The one place that converts and formats times: conversions, DST refusals, wording, slots."""

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest

from podium.seminars.timezones import (
    AmbiguousLocalTime,
    LocalTimeError,
    NonexistentLocalTime,
    all_zones,
    format_date,
    format_series_time,
    format_short,
    is_valid_zone,
    next_slots,
    parse_iso_basic,
    stored_instant,
    summer_abbreviation_differs,
    to_local,
    to_utc,
    zone_abbreviation,
    zone_for_label,
    zone_for_timeanddate_place,
    zone_label,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "zone", "expected"),
    [
        (datetime(2021, 10, 13, 13, 0), "Europe/London", utc(2021, 10, 13, 12, 0)),
        (datetime(2024, 1, 10, 13, 0), "Europe/London", utc(2024, 1, 10, 13, 0)),
        (datetime(2024, 7, 1, 9, 0), "America/New_York", utc(2024, 7, 1, 13, 0)),
        (datetime(2024, 1, 10, 9, 0), "America/New_York", utc(2024, 1, 10, 14, 0)),
        (datetime(2024, 7, 1, 22, 0), "Asia/Tokyo", utc(2024, 7, 1, 13, 0)),
        (datetime(2024, 7, 1, 22, 0), "UTC", utc(2024, 7, 1, 22, 0)),
    ],
)
def test_to_utc_converts_wall_time_in_the_series_zone(local, zone, expected):
    result = to_utc(local, zone)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


REFUSALS = [
    pytest.param(
        "Europe/London",
        datetime(2024, 3, 31, 1, 30),
        NonexistentLocalTime,
        [utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30)],
        "01:30 on Sunday 31 March 2024 does not exist in Europe/London: clocks go forward from "
        "01:00 to 02:00. Did you mean 00:30 GMT (00:30 UTC) or 02:30 BST (01:30 UTC)?",
        id="london-gap",
    ),
    pytest.param(
        "Europe/London",
        datetime(2024, 10, 27, 1, 30),
        AmbiguousLocalTime,
        [utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 1, 30)],
        "01:30 on Sunday 27 October 2024 happens twice in Europe/London: clocks go back from "
        "02:00 to 01:00. Choose 01:30 BST (00:30 UTC) or 01:30 GMT (01:30 UTC).",
        id="london-overlap",
    ),
    pytest.param(
        "America/New_York",
        datetime(2024, 3, 10, 2, 30),
        NonexistentLocalTime,
        [utc(2024, 3, 10, 6, 30), utc(2024, 3, 10, 7, 30)],
        "02:30 on Sunday 10 March 2024 does not exist in America/New_York: clocks go forward "
        "from 02:00 to 03:00. Did you mean 01:30 EST (06:30 UTC) or 03:30 EDT (07:30 UTC)?",
        id="new-york-gap",
    ),
    pytest.param(
        "America/New_York",
        datetime(2024, 11, 3, 1, 30),
        AmbiguousLocalTime,
        [utc(2024, 11, 3, 5, 30), utc(2024, 11, 3, 6, 30)],
        "01:30 on Sunday 3 November 2024 happens twice in America/New_York: clocks go back "
        "from 02:00 to 01:00. Choose 01:30 EDT (05:30 UTC) or 01:30 EST (06:30 UTC).",
        id="new-york-overlap",
    ),
]


@pytest.mark.parametrize(("zone", "local", "error", "choices", "message"), REFUSALS)
def test_to_utc_refuses_gap_and_overlap_naming_both_choices(zone, local, error, choices, message):
    with pytest.raises(error) as raised:
        to_utc(local, zone)
    refusal = raised.value
    assert isinstance(refusal, LocalTimeError)
    assert isinstance(refusal, ValueError)
    assert refusal.choices == choices
    assert refusal.message == message
    assert str(refusal) == message
    assert refusal.zone == zone
    assert refusal.local == local


@pytest.mark.parametrize(("zone", "local", "error", "choices", "message"), REFUSALS)
def test_each_choice_is_one_hour_either_side_of_the_clock_change(
    zone, local, error, choices, message
):
    with pytest.raises(error) as raised:
        to_utc(local, zone)
    refusal = raised.value
    earlier, later = refusal.choices
    assert earlier < refusal.transition <= later
    assert later - earlier == timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "local", "fold", "expected"),
    [
        ("Europe/London", datetime(2024, 10, 27, 1, 30), 0, utc(2024, 10, 27, 0, 30)),
        ("Europe/London", datetime(2024, 10, 27, 1, 30), 1, utc(2024, 10, 27, 1, 30)),
        ("America/New_York", datetime(2024, 11, 3, 1, 30), 0, utc(2024, 11, 3, 5, 30)),
        ("America/New_York", datetime(2024, 11, 3, 1, 30), 1, utc(2024, 11, 3, 6, 30)),
        ("Europe/London", datetime(2024, 7, 1, 9, 0), 1, utc(2024, 7, 1, 8, 0)),
    ],
)
def test_explicit_fold_picks_one_occurrence(zone, local, fold, expected):
    assert to_utc(local, zone, fold=fold) == expected


@pytest.mark.parametrize("fold", [0, 1])
@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Europe/London", datetime(2024, 3, 31, 1, 30)),
        ("America/New_York", datetime(2024, 3, 10, 2, 30)),
    ],
)
def test_explicit_fold_still_refuses_a_time_that_does_not_exist(zone, local, fold):
    with pytest.raises(NonexistentLocalTime):
        to_utc(local, zone, fold=fold)


def test_to_utc_rejects_aware_input_bad_fold_and_unknown_zone():
    with pytest.raises(ValueError, match="naive"):
        to_utc(utc(2024, 1, 1, 12, 0), "Europe/London")
    with pytest.raises(ValueError, match="fold"):
        to_utc(datetime(2024, 1, 1, 12, 0), "Europe/London", fold=2)
    with pytest.raises(ValueError, match="Mars/Olympus"):
        to_utc(datetime(2024, 1, 1, 12, 0), "Mars/Olympus")


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney"])
def test_to_local_round_trips_every_half_hour_through_both_clock_changes(zone):
    starts = [utc(2024, 3, 9, 0, 0), utc(2024, 3, 30, 0, 0), utc(2024, 10, 5, 0, 0)]
    starts += [utc(2024, 10, 26, 0, 0), utc(2024, 11, 2, 0, 0), utc(2024, 4, 6, 0, 0)]
    for start in starts:
        for step in range(3 * 48):
            instant = start + timedelta(minutes=30 * step)
            local = to_local(instant, zone)
            assert local.utcoffset() is not None
            wall = local.replace(tzinfo=None)
            assert to_utc(wall, zone, fold=local.fold) == instant


def test_to_local_gives_the_wall_time_in_the_zone():
    local = to_local(utc(2021, 10, 13, 12, 0), "Europe/London")
    assert (local.hour, local.minute, local.utcoffset()) == (13, 0, timedelta(hours=1))
    with pytest.raises(ValueError, match="aware"):
        to_local(datetime(2021, 10, 13, 12, 0), "Europe/London")


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (utc(2021, 10, 13, 12, 0), "Europe/London", "BST"),
        (utc(2024, 1, 10, 12, 0), "Europe/London", "GMT"),
        (utc(2024, 1, 10, 12, 0), "Europe/Paris", "CET"),
        (utc(2024, 7, 10, 12, 0), "Europe/Berlin", "CEST"),
        (utc(2024, 7, 10, 12, 0), "America/New_York", "EDT"),
        (utc(2024, 1, 10, 12, 0), "America/New_York", "EST"),
        (utc(2024, 1, 10, 12, 0), "Asia/Tokyo", "JST"),
        (utc(2024, 1, 10, 12, 0), "Etc/GMT-9", "UTC+9"),
        (utc(2024, 1, 10, 12, 0), "America/Sao_Paulo", "UTC-3"),
        (utc(2024, 1, 10, 12, 0), "Asia/Kathmandu", "UTC+5:45"),
        (utc(2024, 1, 10, 12, 0), "UTC", "UTC"),
    ],
)
def test_zone_abbreviation(instant, zone, expected):
    assert zone_abbreviation(instant, zone) == expected


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/London", "UK time"),
        ("Europe/Paris", "Central European time"),
        ("Europe/Berlin", "Central European time"),
        ("America/New_York", "US Eastern time"),
        ("America/Los_Angeles", "US Pacific time"),
        ("Asia/Tokyo", "Japan time"),
        ("UTC", "UTC"),
        ("Asia/Kolkata", "Kolkata time"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires time"),
        ("Etc/GMT+5", "UTC-5"),
    ],
)
def test_zone_label(zone, expected):
    assert zone_label(zone) == expected


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (
            utc(2021, 10, 13, 12, 0),
            "Europe/London",
            "Wednesday 13 October 2021, 13:00 UK time (BST)",
        ),
        (
            utc(2024, 1, 10, 13, 0),
            "Europe/London",
            "Wednesday 10 January 2024, 13:00 UK time (GMT)",
        ),
        (utc(2024, 3, 5, 8, 5), "UTC", "Tuesday 5 March 2024, 08:05 UTC"),
        (utc(2024, 3, 5, 23, 30), "Asia/Tokyo", "Wednesday 6 March 2024, 08:30 Japan time (JST)"),
        (
            utc(2024, 9, 1, 18, 0),
            "America/New_York",
            "Sunday 1 September 2024, 14:00 US Eastern time (EDT)",
        ),
        (
            utc(2024, 2, 3, 9, 0),
            "Asia/Kolkata",
            "Saturday 3 February 2024, 14:30 Kolkata time (IST)",
        ),
    ],
)
def test_format_series_time(instant, zone, expected):
    assert format_series_time(instant, zone) == expected


@pytest.mark.parametrize(
    ("instant", "zone", "long", "short"),
    [
        (
            utc(2021, 10, 13, 12, 0),
            "Europe/London",
            "Wednesday 13 October 2021",
            "Wed 13 Oct, 13:00",
        ),
        (utc(2024, 3, 5, 8, 5), "UTC", "Tuesday 5 March 2024", "Tue 5 Mar, 08:05"),
        (
            utc(2024, 9, 1, 3, 0),
            "America/Los_Angeles",
            "Saturday 31 August 2024",
            "Sat 31 Aug, 20:00",
        ),
        (utc(2024, 12, 29, 23, 0), "Europe/Paris", "Monday 30 December 2024", "Mon 30 Dec, 00:00"),
    ],
)
def test_format_date_and_short_use_the_zones_date(instant, zone, long, short):
    assert format_date(instant, zone) == long
    assert format_short(instant, zone) == short


def test_next_slots_keep_the_wall_time_across_the_clock_change():
    slots = next_slots(2, time(13, 0), "Europe/London", utc(2024, 10, 20, 0, 0), 3)
    assert slots == [utc(2024, 10, 23, 12, 0), utc(2024, 10, 30, 13, 0), utc(2024, 11, 6, 13, 0)]
    assert [format_short(slot, "Europe/London") for slot in slots] == [
        "Wed 23 Oct, 13:00",
        "Wed 30 Oct, 13:00",
        "Wed 6 Nov, 13:00",
    ]


def test_next_slots_are_strictly_after_the_given_instant():
    slot = utc(2024, 10, 23, 12, 0)
    assert next_slots(2, time(13, 0), "Europe/London", slot, 1) == [utc(2024, 10, 30, 13, 0)]
    just_before = slot - timedelta(seconds=1)
    assert next_slots(2, time(13, 0), "Europe/London", just_before, 1) == [slot]


def test_next_slot_in_a_gap_moves_to_the_end_of_the_gap():
    slots = next_slots(6, time(1, 30), "Europe/London", utc(2024, 3, 25, 0, 0), 2)
    assert slots == [utc(2024, 3, 31, 1, 0), utc(2024, 4, 7, 0, 30)]
    assert format_short(slots[0], "Europe/London") == "Sun 31 Mar, 02:00"


def test_next_slot_in_an_overlap_takes_the_first_occurrence():
    slots = next_slots(6, time(1, 30), "Europe/London", utc(2024, 10, 21, 0, 0), 2)
    assert slots == [utc(2024, 10, 27, 0, 30), utc(2024, 11, 3, 1, 30)]


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Asia/Tokyo"])
def test_next_slots_fall_on_the_weekday_within_a_week_then_weekly(weekday, zone):
    after = utc(2024, 10, 24, 15, 0)  # a Thursday, so some weekdays are earlier in the week
    slots = next_slots(weekday, time(10, 15), zone, after, 5)
    assert len(slots) == 5
    assert after < slots[0] <= after + timedelta(days=7)
    for slot in slots:
        local = to_local(slot, zone)
        assert (local.weekday(), local.hour, local.minute) == (weekday, 10, 15)
    for earlier, later in itertools.pairwise(slots):
        assert to_local(later, zone).date() - to_local(earlier, zone).date() == timedelta(days=7)


def test_next_slots_edge_cases():
    assert next_slots(0, time(9, 0), "UTC", utc(2024, 1, 1, 0, 0), 0) == []
    with pytest.raises(ValueError, match="weekday"):
        next_slots(7, time(9, 0), "UTC", utc(2024, 1, 1, 0, 0), 1)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/London", True),
        ("America/New_York", True),
        ("UTC", True),
        ("Mars/Olympus", False),
        ("europe/london", False),
        ("", False),
        ("localtime", False),
        ("../etc/passwd", False),
        (None, False),
    ],
)
def test_is_valid_zone(name, valid):
    assert is_valid_zone(name) is valid


def test_all_zones_is_sorted_and_matches_is_valid_zone():
    zones = all_zones()
    assert zones == sorted(zones)
    assert {"Europe/London", "America/New_York", "Asia/Kolkata", "UTC"} <= set(zones)
    assert "Factory" not in zones
    assert all(is_valid_zone(zone) for zone in zones)
    zones.clear()  # a caller changing its copy must not change the cached list
    assert "Europe/London" in all_zones()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20211013T13", datetime(2021, 10, 13, 13, 0)),
        ("20211027T1330", datetime(2021, 10, 27, 13, 30)),
        ("20220615T140005", datetime(2022, 6, 15, 14, 0, 5)),
    ],
)
def test_parse_iso_basic(text, expected):
    assert parse_iso_basic(text) == expected


@pytest.mark.parametrize("text", ["2021-10-13T13:00", "20210231T13", "20211013", "x"])
def test_parse_iso_basic_refuses_other_forms(text):
    with pytest.raises(ValueError):
        parse_iso_basic(text)


@pytest.mark.parametrize(
    ("label", "zone"),
    [
        ("UK time", "Europe/London"),
        ("(London Time)", "Europe/London"),
        ("CET", "Europe/Berlin"),
        ("UTC time", "UTC"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Mars time", None),
    ],
)
def test_zone_for_label(label, zone):
    assert zone_for_label(label) == zone


def test_timeanddate_places():
    assert zone_for_timeanddate_place("136") == "Europe/London"
    assert zone_for_timeanddate_place("99999") is None


def test_summer_abbreviation_differs_only_when_the_label_names_the_other_season():
    assert (
        summer_abbreviation_differs("CET", datetime(2023, 6, 14, 16, 30), "Europe/Berlin") == "CEST"
    )
    assert (
        summer_abbreviation_differs("CET", datetime(2023, 3, 15, 15, 30), "Europe/Berlin") is None
    )
    assert (
        summer_abbreviation_differs("UK time", datetime(2023, 6, 14, 16), "Europe/London") is None
    )


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-02 06:01:02.123456",  # SQLite, a column read as text
        "2026-12-02 06:01:02.123456+00",  # PostgreSQL, the same
        "2026-12-02 07:01:02.123456+01:00",
        datetime(2026, 12, 2, 6, 1, 2, 123456),  # SQLite, a plain query
        datetime(2026, 12, 2, 6, 1, 2, 123456, tzinfo=UTC),  # PostgreSQL, a plain query
    ],
)
def test_stored_instant_reads_every_form_a_database_gives(value):
    instant = stored_instant(value)
    assert instant.tzinfo is not None
    assert instant == datetime(2026, 12, 2, 6, 1, 2, 123456, tzinfo=UTC)
