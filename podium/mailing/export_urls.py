"""The mailing pages the static export carries: the public archive of announcements."""

from collections.abc import Iterable

from django.urls import reverse

from podium.seminars.addresses import site_path
from podium.seminars.models import Series


def export_urls(series: Series) -> Iterable[str]:
    """The archive page of sent announcements and each announcement in it; nothing before
    the first is sent (no page links to the archive until then, and an empty page would
    only stand in the sitemap)."""
    from podium.mailing.announcements import archived_announcements

    sent = list(archived_announcements(series).values_list("pk", flat=True))
    if sent:
        yield site_path(reverse("mailing:archive", args=[series.slug]))
    for pk in sent:
        yield site_path(reverse("mailing:archived", args=[series.slug, pk]))
