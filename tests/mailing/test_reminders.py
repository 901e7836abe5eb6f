"""Reminders follow the talk's current start (across a DST change); corrections follow moves."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from podium.mailing import announcements
from podium.mailing.models import Announcement, AnnouncementKind, Subscriber, SubscriberState
from podium.mailing.planner import plan_due
from podium.seminars.talks import cancel_talk, save_talk
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def reminders():
    return list(
        Announcement.objects.filter(kind=AnnouncementKind.REMINDER)
        .order_by("id")
        .values_list("reminder_minutes", "talk_start")
    )


@pytest.fixture
def announced_talk():
    """A London talk on Wednesday 1 November 2023 at 13:00 GMT, announced in mid-October
    (British Summer Time ended on Sunday 29 October)."""
    series = SeriesFactory(time_zone="Europe/London")
    reader = Subscriber.objects.create(
        series=series, email="r@example.org", state=SubscriberState.ACTIVE, consent_source="t"
    )
    reader.lists.add(series.mailing_lists.get(slug="seminar"))
    with time_machine.travel(datetime(2023, 10, 16, 9, 0, tzinfo=UTC), tick=False):
        talk = TalkFactory(series=series, start=datetime(2023, 11, 1, 13, 0, tzinfo=UTC))
        announcements.queue_announcement(announcements.draft_announcement(talk))
    return talk


def test_reminders_go_one_day_and_one_hour_before_across_the_clock_change(announced_talk):
    talk = announced_talk
    with time_machine.travel(datetime(2023, 10, 31, 12, 59, tzinfo=UTC), tick=False):
        plan_due()
        assert reminders() == []
    with time_machine.travel(datetime(2023, 10, 31, 13, 0, tzinfo=UTC), tick=False):
        plan_due()
        plan_due()  # a second worker tick sends nothing twice
        assert reminders() == [(1440, talk.start)]
    with time_machine.travel(datetime(2023, 11, 1, 12, 0, tzinfo=UTC), tick=False):
        plan_due()
        assert reminders() == [(1440, talk.start), (60, talk.start)]
    reminder = Announcement.objects.filter(kind=AnnouncementKind.REMINDER).first()
    assert reminder.subject.startswith(f"[{talk.series.short_name}] Reminder: Wed 1 Nov, 13:00 UK")
    assert "13:00 UK time (GMT)" in reminder.body
    assert reminder.recipients == 1


def test_a_rescheduled_talk_moves_its_reminders_and_sends_a_correction(announced_talk):
    talk = announced_talk
    # Moved on 20 October (summer time) to Wednesday 8 November, 13:00 GMT.
    with time_machine.travel(datetime(2023, 10, 20, 9, 0, tzinfo=UTC), tick=False):
        talk.start = datetime(2023, 11, 8, 13, 0, tzinfo=UTC)
        save_talk(talk)
        plan_due()
    correction = Announcement.objects.get(kind=AnnouncementKind.CORRECTION)
    assert correction.subject.startswith(f"[{talk.series.short_name}] New time: Wed 8 Nov")
    assert "Wednesday 1 November 2023, 13:00 UK time (GMT)" in correction.body  # was
    assert "Wednesday 8 November 2023, 13:00 UK time (GMT)" in correction.body  # now
    assert correction.recipients == 1
    with time_machine.travel(datetime(2023, 10, 31, 13, 0, tzinfo=UTC), tick=False):
        plan_due()
        assert reminders() == []  # the old date's reminder does not go out
    with time_machine.travel(datetime(2023, 11, 7, 13, 0, tzinfo=UTC), tick=False):
        plan_due()
        assert reminders() == [(1440, datetime(2023, 11, 8, 13, 0, tzinfo=UTC))]
    assert Announcement.objects.filter(kind=AnnouncementKind.CORRECTION).count() == 1


def test_a_worker_back_after_a_day_sends_only_the_nearest_reminder(announced_talk):
    with time_machine.travel(datetime(2023, 11, 1, 12, 30, tzinfo=UTC), tick=False):
        plan_due()
    assert reminders() == [(60, announced_talk.start)]


def test_a_cancelled_talk_sends_one_correction_and_no_reminders(announced_talk):
    talk = announced_talk
    with time_machine.travel(datetime(2023, 10, 25, 9, 0, tzinfo=UTC), tick=False):
        cancel_talk(talk, note="The speaker is ill.")
        plan_due()
        plan_due()
    correction = Announcement.objects.get(kind=AnnouncementKind.CORRECTION)
    assert correction.subject.startswith(f"[{talk.series.short_name}] Cancelled:")
    assert "cancelled" in correction.body and "The speaker is ill." in correction.body
    with time_machine.travel(talk.start - timedelta(hours=1), tick=False):
        plan_due()
    assert reminders() == []


def test_reminder_offsets_are_validated():
    assert announcements.parse_offsets("1d, 1h") == [1440, 60]
    assert announcements.parse_offsets("15m,2h") == [120, 15]
    assert announcements.parse_offsets("") == []
    for bad in ["1w", "tomorrow", "1m", "40d"]:
        with pytest.raises(ValidationError):
            announcements.parse_offsets(bad)
