"""`format_subject_time`: the short time with its zone used in email subjects."""

from datetime import UTC, datetime

import pytest

from podium.seminars.timezones import format_subject_time


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (datetime(2021, 10, 13, 12, 0, tzinfo=UTC), "Europe/London", "Wed 13 Oct, 13:00 UK"),
        (datetime(2021, 11, 3, 13, 0, tzinfo=UTC), "Europe/London", "Wed 3 Nov, 13:00 UK"),
        (datetime(2021, 10, 14, 13, 0, tzinfo=UTC), "America/New_York", "Thu 14 Oct, 09:00 EDT"),
        (datetime(2021, 10, 15, 13, 0, tzinfo=UTC), "Europe/Berlin", "Fri 15 Oct, 15:00 CEST"),
        (datetime(2021, 10, 15, 13, 0, tzinfo=UTC), "Asia/Kolkata", "Fri 15 Oct, 18:30 IST"),
        (datetime(2021, 10, 15, 13, 0, tzinfo=UTC), "UTC", "Fri 15 Oct, 13:00 UTC"),
        (datetime(2021, 10, 15, 13, 0, tzinfo=UTC), "Asia/Dubai", "Fri 15 Oct, 17:00 UTC+4"),
    ],
)
def test_subject_time(instant, zone, expected):
    assert format_subject_time(instant, zone) == expected
