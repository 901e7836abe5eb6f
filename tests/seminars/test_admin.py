"""The organizers' side: per-series permissions, the talk form in local time, bad input."""

import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from podium.seminars.models import Person, SeriesLink, Talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory, UserFactory, make_organizer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_series():
    """Series A organized by `alice`, series B by `bob`, each with a talk and a speaker."""
    a = SeriesFactory(slug="series-a", name="Series A")
    b = SeriesFactory(slug="series-b", name="Series B", time_zone="America/New_York")
    alice = make_organizer(a, username="alice")
    make_organizer(b, username="bob")
    talk_a = TalkFactory(series=a, speakers=[PersonFactory(name="Speaker A")])
    talk_b = TalkFactory(series=b, speakers=[PersonFactory(name="Speaker B")])
    link_b = SeriesLink.objects.create(series=b, label="B's Slack", url="https://b.example")
    return {"a": a, "b": b, "alice": alice, "talk_a": talk_a, "talk_b": talk_b, "link_b": link_b}


def url(name: str, *args) -> str:
    return reverse(f"organize:{name}", args=args)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/organize/")
    assert response.status_code == 302 and "/organize/login/" in response["Location"]


def test_organizer_sees_only_their_series(client, two_series):
    client.force_login(two_series["alice"])
    talks = client.get(url("seminars_talk_changelist")).content.decode()
    assert two_series["talk_a"].title in talks and two_series["talk_b"].title not in talks
    series = client.get(url("seminars_series_changelist")).content.decode()
    assert "Series A" in series and "Series B" not in series
    people = client.get(url("seminars_person_changelist")).content.decode()
    assert "Speaker A" in people and "Speaker B" not in people


def _b_objects(two_series):
    talk_b = two_series["talk_b"]
    speaker_b = talk_b.talk_speakers.get().person
    return [
        ("seminars_series", two_series["b"].pk),
        ("seminars_talk", talk_b.pk),
        ("seminars_person", speaker_b.pk),
    ]


@pytest.mark.parametrize("action", ["change", "delete", "history"])
def test_organizer_of_a_cannot_open_objects_of_b(client, two_series, action):
    client.force_login(two_series["alice"])
    for model, pk in _b_objects(two_series):
        response = client.get(url(f"{model}_{action}", pk))
        # The admin answers a missing or forbidden object with a redirect to the index
        # (change), or 403 (delete/history); never with the object.
        assert response.status_code in (302, 403, 404), (model, action)
        assert "Series B" not in response.content.decode()


def test_organizer_of_a_cannot_change_b_by_post(client, two_series):
    client.force_login(two_series["alice"])
    talk_b = two_series["talk_b"]
    response = client.post(url("seminars_talk_change", talk_b.pk), {"title": "Hijacked"})
    assert response.status_code in (302, 403)
    talk_b.refresh_from_db()
    assert talk_b.title != "Hijacked"
    response = client.post(url("seminars_talk_delete", talk_b.pk), {"post": "yes"})
    assert Talk.objects.filter(pk=talk_b.pk).exists()
    response = client.post(url("seminars_series_change", two_series["b"].pk), {"name": "X"})
    two_series["b"].refresh_from_db()
    assert two_series["b"].name == "Series B"


def test_organizer_cannot_add_a_talk_to_b(client, two_series):
    client.force_login(two_series["alice"])
    data = talk_form_data(two_series["b"].pk, PersonFactory().pk)
    response = client.post(url("seminars_talk_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Talk.objects.filter(title="New talk").exists()


def test_time_preview_refuses_b(client, two_series):
    client.force_login(two_series["alice"])
    response = client.get(
        url("time_preview"), {"series": two_series["b"].pk, "date": "2025-01-08", "time": "13:00"}
    )
    assert response.status_code == 400


def test_staff_without_series_sees_nothing(client, two_series):
    client.force_login(UserFactory(username="nobody"))
    html = client.get(url("seminars_talk_changelist")).content.decode()
    assert "Speaker A" not in html and "Speaker B" not in html
    assert client.get(url("seminars_talk_add")).status_code == 403


def talk_form_data(series_pk: int, person_pk: int, **overrides) -> dict:
    data = {
        "series": series_pk,
        "title": "New talk",
        "abstract": "",
        "local_date": "2025-01-08",
        "local_time": "13:00",
        "dst_choice": "",
        "duration": 60,
        "status": "scheduled",
        "status_note": "",
        "registration_url": "",
        "livestream_url": "",
        "recording_url": "",
        "slides_url": "",
        "talk_speakers-TOTAL_FORMS": 1,
        "talk_speakers-INITIAL_FORMS": 0,
        "talk_speakers-MIN_NUM_FORMS": 1,
        "talk_speakers-MAX_NUM_FORMS": 1000,
        "talk_speakers-0-person": person_pk,
        "talk_speakers-0-position": 0,
        "links-TOTAL_FORMS": 0,
        "links-INITIAL_FORMS": 0,
        "links-MIN_NUM_FORMS": 0,
        "links-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_add_talk_in_local_time(client, two_series):
    client.force_login(two_series["alice"])
    person = PersonFactory(name="Konrad Rieck")
    data = talk_form_data(two_series["a"].pk, person.pk, local_date="2021-10-13")
    response = client.post(url("seminars_talk_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    talk = Talk.objects.get(title="New talk")
    assert talk.start == datetime(2021, 10, 13, 12, 0, tzinfo=UTC)
    assert talk.slug == "2021-10-13-new-talk"
    assert [p.name for p in talk.speakers.all()] == ["Konrad Rieck"]


@pytest.mark.parametrize(
    ("day", "clock", "words"),
    [
        ("2024-03-31", "01:30", ["does not exist", "00:30 GMT", "02:30 BST"]),
        ("2024-10-27", "01:30", ["happens twice", "01:30 BST", "01:30 GMT"]),
    ],
)
def test_dst_gap_and_overlap_are_refused_naming_both_choices(client, two_series, day, clock, words):
    client.force_login(two_series["alice"])
    data = talk_form_data(two_series["a"].pk, PersonFactory().pk, local_date=day, local_time=clock)
    response = client.post(url("seminars_talk_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    for word in words:
        assert word in html
    assert not Talk.objects.filter(title="New talk").exists()


def test_ambiguous_time_accepted_with_explicit_choice(client, two_series):
    client.force_login(two_series["alice"])
    data = talk_form_data(
        two_series["a"].pk,
        PersonFactory().pk,
        local_date="2024-10-27",
        local_time="01:30",
        dst_choice="1",
    )
    assert client.post(url("seminars_talk_add"), data).status_code == 302
    assert Talk.objects.get(title="New talk").start == datetime(2024, 10, 27, 1, 30, tzinfo=UTC)


def test_time_preview_shows_utc_and_other_zones(client, two_series):
    client.force_login(two_series["alice"])
    response = client.get(
        url("time_preview"), {"series": two_series["a"].pk, "date": "2021-10-13", "time": "13:00"}
    )
    rows = dict(response.json()["rows"])
    assert rows["Europe/London"] == "Wednesday 13 October 2021, 13:00 UK time (BST)"
    assert rows["UTC"].startswith("Wednesday 13 October 2021, 12:00")
    assert rows["America/New_York"].startswith("Wednesday 13 October 2021, 08:00")
    assert rows["Asia/Tokyo"].startswith("Wednesday 13 October 2021, 21:00")


def test_time_preview_explains_a_gap(client, two_series):
    client.force_login(two_series["alice"])
    response = client.get(
        url("time_preview"), {"series": two_series["a"].pk, "date": "2024-03-31", "time": "01:30"}
    )
    assert "does not exist" in response.json()["error"]


def test_one_megabyte_abstract_is_refused(client, two_series):
    client.force_login(two_series["alice"])
    data = talk_form_data(two_series["a"].pk, PersonFactory().pk, abstract="x" * 1_048_576)
    response = client.post(url("seminars_talk_add"), data)
    assert response.status_code == 200
    assert "20,000 characters" in response.content.decode()
    assert not Talk.objects.filter(title="New talk").exists()


def person_data(**overrides) -> dict:
    data = {"honorific": "Dr.", "name": "Ada", "affiliation": "", "homepage": "", "bio": ""}
    data.update(overrides)
    return data


def test_photo_upload_is_reencoded_square(client, two_series):
    client.force_login(two_series["alice"])
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "ada.png"
    response = client.post(url("seminars_person_add"), person_data(photo=buffer))
    assert response.status_code == 302
    person = Person.objects.get(name="Ada")
    with person.photo.open("rb") as handle, Image.open(handle) as image:
        assert (image.format, image.size) == ("JPEG", (400, 400))
    assert person.photo.name.endswith(".jpg")


def test_non_image_photo_is_refused_with_a_message(client, two_series):
    client.force_login(two_series["alice"])
    fake = io.BytesIO(b"#!/bin/sh\necho not a picture\n")
    fake.name = "evil.jpg"
    response = client.post(url("seminars_person_add"), person_data(photo=fake))
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()
    assert not Person.objects.filter(name="Ada").exists()


def test_speaker_autocomplete_finds_public_speakers_of_other_series(client, two_series):
    client.force_login(two_series["alice"])
    response = client.get(
        "/organize/autocomplete/",
        {
            "term": "Speaker",
            "app_label": "seminars",
            "model_name": "talkspeaker",
            "field_name": "person",
        },
    )
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"Speaker A", "Speaker B"}


def test_login_is_rate_limited(client, two_series):
    for _ in range(5):
        client.post("/organize/login/", {"username": "alice", "password": "wrong"})
    response = client.post(
        "/organize/login/", {"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_talk_list_filters_and_searches(client, two_series):
    client.force_login(two_series["alice"])
    a = two_series["a"]
    TalkFactory(
        series=a,
        title="An old talk",
        start=datetime(2020, 1, 8, 13, tzinfo=UTC),
        speakers=[PersonFactory(name="Graham Cormode")],
    )
    TalkFactory(series=a, title="Called off", status="cancelled")
    changelist = url("seminars_talk_changelist")

    def titles(**params) -> str:
        return client.get(changelist, params).content.decode()

    upcoming = titles(when="upcoming")
    assert two_series["talk_a"].title in upcoming and "An old talk" not in upcoming
    past = titles(when="past")
    assert "An old talk" in past and two_series["talk_a"].title not in past
    cancelled = titles(status__exact="cancelled")
    assert "Called off" in cancelled and "An old talk" not in cancelled
    by_speaker = titles(q="Cormode")
    assert "An old talk" in by_speaker and "Called off" not in by_speaker
    by_title = titles(q="called")
    assert "Called off" in by_title and "An old talk" not in by_title


def test_the_organizers_pages_name_podiums_icon(client, two_series):
    client.force_login(two_series["alice"])
    page = client.get("/organize/").content.decode()
    assert '<link rel="icon" href="/static/podium/icon.svg" type="image/svg+xml">' in page
    assert "Podium: organize" in page and "Log out" in page  # Django's page still, around it
    login = Client().get("/organize/login/").content.decode()
    assert 'rel="icon"' in login
