"""Model behaviour that the pages rely on."""

import pytest
from django.urls import set_script_prefix

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
