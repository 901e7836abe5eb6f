"""Domain functions for talks: addresses, change counters, lists."""

from datetime import UTC, datetime, timedelta

import pytest

from podium.seminars.models import Series, Talk, TalkRedirect, TalkStatus
from podium.seminars.talks import (
    cancel_talk,
    listed_talks,
    ordered_speakers,
    past_talks,
    publish_talk,
    record_public_change,
    refresh_talks_of,
    save_talk,
    shown_talks,
    talk_lines,
    talk_links,
    talk_slug_base,
    upcoming_talks,
    with_public_relations,
)
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db

OCT_13_2021_NOON_UTC = datetime(2021, 10, 13, 12, 0, tzinfo=UTC)


def test_slug_is_local_date_and_main_title():
    talk = TalkFactory(
        start=OCT_13_2021_NOON_UTC,
        title="Adversarial Preprocessing: Image-Scaling Attacks in Machine Learning",
    )
    assert talk.slug == "2021-10-13-adversarial-preprocessing"


def test_slug_uses_the_series_local_date_not_utc():
    series = SeriesFactory(time_zone="Asia/Tokyo")
    talk = TalkFactory(series=series, start=datetime(2021, 10, 13, 20, 0, tzinfo=UTC), title="X")
    assert talk.slug.startswith("2021-10-14-")


def test_tba_title_takes_the_speaker_name():
    talk = TalkFactory(title="TBA", speakers=[PersonFactory(name="Reza Shokri")])
    assert talk.slug.endswith("-reza-shokri")


def test_same_slug_twice_in_a_series_gets_a_suffix():
    series = SeriesFactory()
    one = TalkFactory(series=series, start=OCT_13_2021_NOON_UTC, title="Same")
    two = TalkFactory(series=series, start=OCT_13_2021_NOON_UTC, title="Same")
    assert (one.slug, two.slug) == ("2021-10-13-same", "2021-10-13-same-2")


def test_new_talk_starts_at_sequence_zero():
    assert TalkFactory().sequence == 0


def test_public_edit_bumps_sequence_and_series_revision():
    talk = TalkFactory()
    revision = Series.objects.get(pk=talk.series_id).revision
    talk.title = "A better title"
    talk = save_talk(talk)
    assert talk.sequence == 1
    assert Series.objects.get(pk=talk.series_id).revision == revision + 1


def test_saving_without_change_moves_nothing():
    talk = TalkFactory()
    changed_at = talk.changed_at
    save_talk(talk)
    talk.refresh_from_db()
    assert (talk.sequence, talk.changed_at) == (0, changed_at)


def test_speaker_change_is_a_public_change():
    talk = TalkFactory()
    talk = save_talk(talk, speakers=[PersonFactory(), PersonFactory()])
    assert talk.sequence == 1


def test_speaker_affiliation_edit_bumps_their_talks():
    person = PersonFactory()
    talk = TalkFactory(speakers=[person])
    person.affiliation = "CISPA"
    person.save()
    assert refresh_talks_of(person) == 1
    talk.refresh_from_db()
    assert talk.sequence == 1


def test_record_public_change_is_idempotent():
    talk = TalkFactory()
    reloaded = with_public_relations(type(talk).objects.filter(pk=talk.pk)).get()
    assert record_public_change(reloaded) is False


def test_rescheduled_talk_moves_address_and_leaves_a_redirect():
    talk = TalkFactory(start=OCT_13_2021_NOON_UTC, title="Moving Talk")
    talk.start = OCT_13_2021_NOON_UTC + timedelta(days=14)
    talk = save_talk(talk)
    assert talk.slug == "2021-10-27-moving-talk"
    assert TalkRedirect.objects.get(old_slug="2021-10-13-moving-talk").talk == talk


def test_slug_base_for_unsaved_talk_without_speakers():
    series = SeriesFactory()
    talk = series.talks.model(series=series, title="tba", start=OCT_13_2021_NOON_UTC)
    assert talk_slug_base(talk) == "2021-10-13-talk"


def test_publish_and_cancel():
    talk = TalkFactory(status=TalkStatus.DRAFT)
    assert publish_talk(talk).status == TalkStatus.SCHEDULED
    cancelled = cancel_talk(talk, "The speaker is ill.")
    assert (cancelled.status, cancelled.status_note) == (
        TalkStatus.CANCELLED,
        "The speaker is ill.",
    )
    assert cancelled.sequence == 2


def test_upcoming_and_past_split_at_now():
    series = SeriesFactory()
    now = datetime(2024, 5, 1, 12, tzinfo=UTC)
    old = TalkFactory(series=series, start=now - timedelta(days=30))
    soon = TalkFactory(series=series, start=now + timedelta(days=3))
    draft = TalkFactory(series=series, start=now + timedelta(days=4), status=TalkStatus.DRAFT)
    assert list(upcoming_talks(series, now)) == [soon]
    assert list(past_talks(series, now)) == [old]
    assert draft not in upcoming_talks(series, now)


def test_loaded_talks_carry_their_speakers_and_links_in_order(django_assert_num_queries):
    ada, bob = PersonFactory(name="Ada"), PersonFactory(name="Bob")
    talk = TalkFactory(speakers=[bob, ada])
    save_talk(talk, links=[("Paper", "https://example.org/paper"), ("Code", "https://x.org")])
    loaded = with_public_relations(Talk.objects.filter(pk=talk.pk)).get()
    with django_assert_num_queries(0):
        assert [p.name for p in ordered_speakers(loaded)] == ["Bob", "Ada"]
        assert [link.label for link in talk_links(loaded)] == ["Paper", "Code"]
    plain = Talk.objects.get(pk=talk.pk)  # not loaded with them: asked for
    assert [p.name for p in ordered_speakers(plain)] == ["Bob", "Ada"]
    assert [link.label for link in talk_links(plain)] == ["Paper", "Code"]


def test_talk_lines_carry_what_a_line_shows_and_leave_the_rest(django_assert_num_queries):
    ada, bob = PersonFactory(name="Ada"), PersonFactory(name="Bob")
    talk = TalkFactory(speakers=[bob, ada], status_note="Moved to room 2")
    save_talk(talk, links=[("Paper", "https://example.org/paper")])
    talks = upcoming_talks(talk.series)
    with django_assert_num_queries(3):  # the talks, their series, their speakers
        (line,) = talk_lines(talks)
    with django_assert_num_queries(0):
        assert [p.name for p in ordered_speakers(line)] == ["Bob", "Ada"]
        assert (line.title, line.start, line.series.slug) == (
            talk.title,
            talk.start,
            talk.series.slug,
        )
    assert {"abstract_html", "status_note", "registration_url"} <= line.get_deferred_fields()
    with django_assert_num_queries(1):  # not loaded: asked for
        assert [link.label for link in talk_links(line)] == ["Paper"]


def test_listed_talks_share_one_object_per_speaker(django_assert_num_queries):
    ada, bob = PersonFactory(name="Ada", bio="Works on *privacy*."), PersonFactory(name="Bob")
    first = TalkFactory(speakers=[ada, bob])
    second = TalkFactory(series=first.series, speakers=[bob])
    TalkFactory(series=first.series, speakers=[])
    with django_assert_num_queries(4):  # the talks, their series, speakers, links
        loaded = {talk.pk: talk for talk in shown_talks(listed_talks(first.series).order_by("pk"))}
    with django_assert_num_queries(0):
        one, two, *none = [ordered_speakers(talk) for talk in loaded.values()]
        assert [[p.name for p in people] for people in (one, two)] == [["Ada", "Bob"], ["Bob"]]
        assert none == [[]]
        assert one[1] is two[0]  # Bob, once
        assert one[0].bio_html == ada.bio_html
    assert "bio" in one[0].get_deferred_fields()
    save_talk(loaded[second.pk], speakers=[ada])  # what was loaded is forgotten once replaced
    assert [p.name for p in ordered_speakers(loaded[second.pk])] == ["Ada"]


def test_a_loaded_talk_shows_its_new_speakers_and_links_once_saved():
    talk = TalkFactory(speakers=[PersonFactory(name="Ada")])
    loaded = with_public_relations(Talk.objects.filter(pk=talk.pk)).get()
    assert [p.name for p in ordered_speakers(loaded)] == ["Ada"]
    save_talk(loaded, speakers=[PersonFactory(name="Cy")], links=[("Slides", "https://s.org")])
    assert [p.name for p in ordered_speakers(loaded)] == ["Cy"]
    assert [link.label for link in talk_links(loaded)] == ["Slides"]
