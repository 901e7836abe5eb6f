"""The static export carries each series' page for other sites' frames (export_urls.py);
tests/export/test_export.py exports it."""

import pytest

from podium.export.plan import app_paths
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db


def test_each_series_adds_its_embed_page():
    series = SeriesFactory(slug="prisec-ml")
    assert "/prisec-ml/embed/" in app_paths(series)
