"""Model behaviour that the pages rely on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, set_script_prefix

from podium.seminars.models import slug_path, slug_path_maker
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
