"""Which series a reader sees (podium/seminars/visibility.py)."""

import pytest

from podium.seminars.models import Visibility
from podium.seminars.visibility import public_series, readable_series, showing_only
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db


def test_public_series_are_listed_by_name_and_unlisted_ones_open_by_address():
    zeta = SeriesFactory(name="Zeta Seminar")
    alpha = SeriesFactory(name="Alpha Seminar")
    unlisted = SeriesFactory(visibility=Visibility.UNLISTED)
    draft = SeriesFactory(visibility=Visibility.DRAFT)
    assert list(public_series()) == [alpha, zeta]
    assert set(readable_series()) == {alpha, zeta, unlisted}
    assert draft not in readable_series()


def test_within_showing_only_the_site_is_those_series_alone():
    one, other = SeriesFactory(name="One"), SeriesFactory(name="Other")
    unlisted = SeriesFactory(visibility=Visibility.UNLISTED)
    with showing_only([one, unlisted]):
        assert list(public_series()) == [one]
        assert set(readable_series()) == {one, unlisted}
        with showing_only([other]):
            assert list(readable_series()) == [other]
        assert set(readable_series()) == {one, unlisted}
    assert list(public_series()) == [one, other]
