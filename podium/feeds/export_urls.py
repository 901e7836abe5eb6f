"""The feeds app's pages the static export carries beyond DESIGN.md's contract."""

from collections.abc import Iterable

from django.urls import reverse

from podium.seminars.addresses import site_path
from podium.seminars.models import Series


def export_urls(series: Series) -> Iterable[str]:
    """The series' next talks for other sites' frames (`/<series>/embed/`, docs/embed.md):
    no page links to it, so the crawl would not find it, and a lab page that frames it
    should keep working from the static copy."""
    yield site_path(reverse("feeds:embed", args=[series.slug]))
