"""Importing a calendar file: one talk per occurrence, recurring events across a DST change."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.management import call_command

from podium.seminars.models import Person, Talk

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def calendar_file(tmp_path, title="Privacy Auditing", extra_summary=None) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Google Inc//Google Calendar 70.9054//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Reading Group")
    talk = icalendar.Event()
    talk.add("uid", "talk-1@google.com")
    talk.add("summary", f"Prof. Reza Shokri (NUS): {title}")
    talk.add("description", "We audit <b>models</b>.<br>Second paragraph.")
    talk.add("dtstart", datetime(2024, 3, 13, 13, 30, tzinfo=LONDON))
    talk.add("dtend", datetime(2024, 3, 13, 14, 30, tzinfo=LONDON))
    calendar.add_component(talk)
    weekly = icalendar.Event()
    weekly.add("uid", "weekly@google.com")
    weekly.add("summary", extra_summary or "Open discussion")
    weekly.add("dtstart", datetime(2024, 3, 20, 13, 0, tzinfo=LONDON))
    weekly.add("dtend", datetime(2024, 3, 20, 14, 0, tzinfo=LONDON))
    weekly.add("rrule", {"freq": "weekly", "count": 3})
    calendar.add_component(weekly)
    path = tmp_path / "basic.ics"
    path.write_bytes(calendar.to_ical())
    return str(path)


def test_events_become_talks_and_recurrences_keep_their_wall_time(tmp_path):
    call_command("import", calendar_file(tmp_path), "--series", "reading")
    talks = list(Talk.objects.order_by("start"))
    assert [t.start for t in talks] == [
        datetime(2024, 3, 13, 13, 30, tzinfo=UTC),
        datetime(2024, 3, 20, 13, 0, tzinfo=UTC),
        datetime(2024, 3, 27, 13, 0, tzinfo=UTC),
        datetime(2024, 4, 3, 12, 0, tzinfo=UTC),  # 13:00 BST after the clocks went forward
    ]
    first = talks[0]
    assert first.title == "Privacy Auditing"
    assert first.abstract == "We audit **models**.\n\nSecond paragraph."
    assert first.duration == 60
    speaker = first.speakers.get()
    assert (speaker.display_name, speaker.affiliation) == ("Prof. Reza Shokri", "NUS")
    assert [t.title for t in talks[1:]] == ["Open discussion"] * 3
    assert all(not t.speakers.exists() for t in talks[1:])
    assert talks[0].series.time_zone == "Europe/London"


def test_reimporting_a_changed_calendar_updates_in_place(tmp_path, capsys):
    call_command("import", calendar_file(tmp_path), "--series", "reading")
    uid = Talk.objects.get(title="Privacy Auditing").uid
    call_command("import", calendar_file(tmp_path), "--series", "reading")
    assert "unchanged (4 talks)" in capsys.readouterr().out
    call_command(
        "import", calendar_file(tmp_path, title="Privacy Auditing in ML"), "--series", "reading"
    )
    assert Talk.objects.count() == 4 and Person.objects.count() == 1
    retitled = Talk.objects.get(uid=uid)
    assert (retitled.title, retitled.sequence) == ("Privacy Auditing in ML", 1)


def test_a_file_that_is_not_a_calendar_is_refused(tmp_path, capsys):
    path = tmp_path / "broken.ics"
    path.write_text("BEGIN:VCALENDAR\nthis is not ical\n")
    with pytest.raises(Exception, match="were not imported"):
        call_command("import", str(path), "--series", "reading")
    assert "not a calendar file we can read" in capsys.readouterr().out
