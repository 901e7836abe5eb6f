"""The export's database work does not grow with the number of talks (prefetched in batches)."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.export.build import export_site
from tests.factories import SeriesFactory, TalkFactory


def queries_for_export(talks: int, tmp_path) -> int:
    series = SeriesFactory(slug=f"series-with-{talks}")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for n in range(talks):
        # As many past talks as upcoming ones: the archive and the home page both grow.
        TalkFactory(series=series, start=now + timedelta(days=n + 2))
        TalkFactory(series=series, start=now - timedelta(days=n + 2))
    with CaptureQueriesContext(connection) as captured:
        export_site(tmp_path / f"site-{talks}", "https://example.org/", [series])
    series.delete()
    return len(captured)


def test_the_same_number_of_queries_for_one_talk_and_for_three_of_each(db, tmp_path):
    assert queries_for_export(1, tmp_path) == queries_for_export(3, tmp_path)
