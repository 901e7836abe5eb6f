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


def test_the_plain_text_of_an_abstract_follows_its_html():
    talk = TalkFactory(abstract="We *attack* models.")
    assert talk.abstract_text == "We attack models."
    talk.abstract = "Now we **defend** them."
    talk.save()
    assert talk.abstract_text == "Now we defend them."
    talk.abstract_html = "<p>Set by hand</p>"
    assert talk.abstract_text == "Set by hand"
