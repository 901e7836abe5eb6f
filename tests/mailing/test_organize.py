"""The organizers' side: drafting and sending, plain text, import and export, the mailbox."""

import pytest

from podium.mailing import delivery
from podium.mailing.email_url import parse_email_url
from podium.mailing.models import (
    Announcement,
    AnnouncementState,
    OutboxMessage,
    StoredMail,
    Subscriber,
    SubscriberState,
)
from tests.factories import PersonFactory, SeriesFactory, TalkFactory, make_organizer

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_client(client):
    series = SeriesFactory(short_name="PriSec-ML")
    user = make_organizer(series)
    client.force_login(user)
    client.series = series
    return client


def csv_upload(text: str, name="export.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_draft_read_and_send_from_organize(organizer_client, settings):
    settings.PODIUM_EMAIL = parse_email_url("podium:")
    series = organizer_client.series
    seminar = series.mailing_lists.get(slug="seminar")
    reader = Subscriber.objects.create(
        series=series, email="a@example.org", state=SubscriberState.ACTIVE, consent_source="test"
    )
    reader.lists.add(seminar)
    talk = TalkFactory(series=series, speakers=[PersonFactory(name="Konrad Rieck")])

    page = organizer_client.get("/organize/mailing/announcement/draft/")
    assert talk.title in page.content.decode()
    response = organizer_client.post("/organize/mailing/announcement/draft/", {"talk": talk.pk})
    announcement = Announcement.objects.get()
    assert response.url == f"/organize/mailing/announcement/{announcement.pk}/change/"
    assert "Konrad Rieck" in announcement.subject

    text = organizer_client.get(f"/organize/mailing/announcement/{announcement.pk}/text/")
    assert "Konrad Rieck" in text.content.decode()

    form = {
        "mailing_list": seminar.pk,
        "subject": announcement.subject + " (edited)",
        "body": announcement.body,
        "send_at_0": "",
        "send_at_1": "",
        "_send_now": "Send now",
    }
    organizer_client.post(f"/organize/mailing/announcement/{announcement.pk}/change/", form)
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.QUEUED
    assert announcement.subject.endswith("(edited)")
    assert delivery.deliver_due() == 1
    stored = StoredMail.objects.get()
    view = organizer_client.get(f"/organize/mailing/storedmail/{stored.pk}/change/")
    assert "(edited)" in view.content.decode()
    assert "List-Unsubscribe" in view.content.decode()

    # Sent is sent: a second "send now" changes nothing.
    organizer_client.post(f"/organize/mailing/announcement/{announcement.pk}/change/", form)
    assert OutboxMessage.objects.count() == 1


def test_header_injection_in_subject_is_refused(organizer_client):
    series = organizer_client.series
    jobs = series.mailing_lists.get(slug="jobs")
    response = organizer_client.post(
        "/organize/mailing/announcement/add/",
        {
            "mailing_list": jobs.pk,
            "subject": "Postdoc\r\nBcc: everyone@example.org",
            "body": "A job.",
            "send_at_0": "",
            "send_at_1": "",
        },
    )
    assert response.status_code == 200
    assert "Keep this on one line" in response.content.decode()
    assert not Announcement.objects.exists()


def test_import_active_then_export(organizer_client):
    series = organizer_client.series
    seminar = series.mailing_lists.get(slug="seminar")
    upload = csv_upload("Email address,Name\nAda@Example.org,Ada Lovelace\nbob@example.org,\n")
    response = organizer_client.post(
        f"/organize/mailing/subscriber/import/{series.pk}/",
        {
            "file": upload,
            "lists": [seminar.pk],
            "mode": "active",
            "consent_source": "JISCMail PRISEC-ML",
        },
    )
    assert response.status_code == 302
    ada = Subscriber.objects.get(email="ada@example.org")
    assert ada.state == SubscriberState.ACTIVE and ada.name == "Ada Lovelace"
    assert "JISCMail PRISEC-ML" in ada.consent_source
    assert not OutboxMessage.objects.exists()  # they agreed elsewhere: no confirmation

    export = organizer_client.get(f"/organize/mailing/subscriber/export/{series.pk}/")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("email,name,state,lists")
    assert lines[1].startswith("ada@example.org,Ada Lovelace,active,Seminar announcements")


def test_import_with_a_bad_row_imports_nothing(organizer_client):
    series = organizer_client.series
    seminar = series.mailing_lists.get(slug="seminar")
    upload = csv_upload('a@example.org,A\nnot-an-address,B\nc@example.org,"C\r\nBcc: x"\n')
    response = organizer_client.post(
        f"/organize/mailing/subscriber/import/{series.pk}/",
        {"file": upload, "lists": [seminar.pk], "mode": "confirm", "consent_source": ""},
    )
    page = response.content.decode()
    assert "Line 2" in page and "Line 3" in page
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_import_pending_sends_one_confirmation_each(organizer_client):
    series = organizer_client.series
    seminar = series.mailing_lists.get(slug="seminar")
    gone = Subscriber.objects.create(
        series=series,
        email="gone@example.org",
        state=SubscriberState.UNSUBSCRIBED,
        consent_source="form",
    )
    upload = csv_upload("a@example.org\nb@example.org\ngone@example.org\n")
    organizer_client.post(
        f"/organize/mailing/subscriber/import/{series.pk}/",
        {"file": upload, "lists": [seminar.pk], "mode": "confirm", "consent_source": ""},
    )
    assert Subscriber.objects.filter(state=SubscriberState.PENDING).count() == 2
    assert sorted(OutboxMessage.objects.values_list("to_address", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    gone.refresh_from_db()
    assert gone.state == SubscriberState.UNSUBSCRIBED  # never added back


def test_organizers_see_only_their_series(client):
    mine, theirs = SeriesFactory(), SeriesFactory()
    user = make_organizer(mine)
    Subscriber.objects.create(series=theirs, email="x@example.org", consent_source="form")
    client.force_login(user)
    assert "x@example.org" not in client.get("/organize/mailing/subscriber/").content.decode()
    assert client.get(f"/organize/mailing/subscriber/export/{theirs.pk}/").status_code == 404
    assert client.get(f"/organize/mailing/subscriber/import/{theirs.pk}/").status_code == 404


def test_schedule_sends_at_the_set_time(organizer_client):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from podium.mailing.planner import plan_due

    series = organizer_client.series
    talk = TalkFactory(series=series)
    organizer_client.post("/organize/mailing/announcement/draft/", {"talk": talk.pk})
    announcement = Announcement.objects.get()
    send_at = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    organizer_client.post(
        f"/organize/mailing/announcement/{announcement.pk}/change/",
        {
            "mailing_list": announcement.mailing_list_id,
            "subject": announcement.subject,
            "body": announcement.body,
            "send_at_0": send_at.strftime("%Y-%m-%d"),
            "send_at_1": send_at.strftime("%H:%M"),
            "_schedule": "Schedule",
        },
    )
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.SCHEDULED
    assert announcement.send_at == send_at
    plan_due()
    assert announcement.__class__.objects.get().state == AnnouncementState.SCHEDULED
    with time_machine.travel(send_at + timedelta(seconds=1)):
        assert plan_due()["scheduled"] == 1
    assert Announcement.objects.get().state == AnnouncementState.QUEUED


def test_the_talk_calendar_file_is_attached_when_the_feeds_app_is_there(organizer_client):
    import importlib.util

    from podium.mailing import announcements
    from podium.mailing.models import MailContent

    talk = TalkFactory(series=organizer_client.series)
    announcements.queue_announcement(announcements.draft_announcement(talk))
    content = MailContent.objects.get()
    if importlib.util.find_spec("podium.feeds") is None:
        assert not content.attachment  # sent without it until the feeds app lands
    else:
        assert content.attachment_name == "talk.ics"
        assert bytes(content.attachment).startswith(b"BEGIN:VCALENDAR")
        assert str(talk.uid).encode() in bytes(content.attachment)
