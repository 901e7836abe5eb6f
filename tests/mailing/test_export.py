"""The static export carries the public archive of announcements."""

import pytest

from podium.export.plan import app_paths
from podium.mailing import announcements
from tests.factories import SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_the_export_carries_the_archive_and_each_sent_announcement():
    series = SeriesFactory()
    sent = announcements.draft_announcement(TalkFactory(series=series))
    assert not any("/announcements/" in path for path in app_paths(series))  # none sent
    announcements.queue_announcement(sent)
    draft = announcements.draft_announcement(TalkFactory(series=series))
    paths = app_paths(series)
    assert f"/{series.slug}/announcements/" in paths
    assert f"/{series.slug}/announcements/{sent.pk}/" in paths
    assert f"/{series.slug}/announcements/{draft.pk}/" not in paths
