"""Model behaviour that the pages rely on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, set_script_prefix

from podium.seminars.addresses import slug_path, slug_path_maker
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_a_talk_address_follows_its_slug_and_the_script_prefix():
    talk = TalkFactory(series=SeriesFactory(slug="prisec"))
    assert talk.get_absolute_url() == f"/prisec/talks/{talk.slug}/"
    talk.slug = "2021-10-13-renamed"
    assert talk.get_absolute_url() == "/prisec/talks/2021-10-13-renamed/"
    talk.series.slug = "moved"
    assert talk.get_absolute_url() == "/moved/talks/2021-10-13-renamed/"
    set_script_prefix("/sub/")
    assert talk.get_absolute_url() == "/sub/moved/talks/2021-10-13-renamed/"
    assert talk.series.get_absolute_url() == "/sub/moved/"


@pytest.mark.parametrize("prefix", ["/", "/sub/path/"])
def test_many_addresses_of_one_kind_are_what_reverse_gives(prefix):
    set_script_prefix(prefix)
    try:
        talk_path = slug_path_maker("seminars:talk", 2)
        for series, talk in [("prisec", "2021-10-13-a"), ("x-y", "2024-01-01-talk-2")]:
            expected = reverse("seminars:talk", args=[series, talk])
            assert talk_path(series, talk) == expected == slug_path("seminars:talk", series, talk)
        with pytest.raises(ValueError):
            talk_path("only-the-series")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("slug", ["organize", "api", "static", "media", "healthz", "Organize"])
def test_a_series_cannot_take_an_address_the_server_keeps(slug):
    series = SeriesFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "slug" in error.value.message_dict


def test_an_ordinary_slug_is_fine():
    SeriesFactory.build(slug="prisec-ml").full_clean()


def test_saving_a_talk_keeps_its_abstract_as_html_and_as_plain_text():
    talk = TalkFactory(abstract="Joint work with *Ada* & [Bob](https://bob.example).\n\n- one")
    assert talk.abstract_html.startswith("<p>Joint work with <em>Ada</em> &amp; <a ")
    assert talk.abstract_text == "Joint work with Ada & Bob (https://bob.example).\n\n- one"
    talk.abstract = ""
    talk.save()
    assert (talk.abstract_html, talk.abstract_text) == ("", "")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_talks_their_plain_text():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def models_at(migration: str):
        return MigrationExecutor(connection).loader.project_state(("seminars", migration)).apps

    call_command("migrate", "seminars", "0002", verbosity=0)
    try:
        old = models_at("0002_reserved_series_slugs")
        series = old.get_model("seminars", "Series").objects.create(slug="s", short_name="S")
        old.get_model("seminars", "Talk").objects.create(
            series=series,
            start="2030-01-01T12:00Z",
            slug="t",
            abstract_html="<p>A &amp; <em>B</em></p>",
        )
        call_command("migrate", "seminars", "0003", verbosity=0)
        talk = models_at("0003_talk_abstract_text").get_model("seminars", "Talk").objects.get()
        assert talk.abstract_text == "A & B"
    finally:
        call_command("migrate", verbosity=0)
