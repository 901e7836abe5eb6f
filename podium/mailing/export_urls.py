"""The mailing pages the static export carries: the public archive of announcements."""

from collections.abc import Iterable

from django.urls import get_script_prefix, reverse

from podium.seminars.models import Series


def _site_path(name: str, *args) -> str:
    # The export asks for site paths: without the prefix it may be mounted under.
    path = reverse(name, args=args)
    return "/" + path.removeprefix(get_script_prefix())


def export_urls(series: Series) -> Iterable[str]:
    """The archive page of sent announcements and each announcement in it; nothing before
    the first is sent (no page links to the archive until then, and an empty page would
    only stand in the sitemap)."""
    from podium.mailing.announcements import archived_announcements

    sent = list(archived_announcements(series).values_list("pk", flat=True))
    if sent:
        yield _site_path("mailing:archive", series.slug)
    for pk in sent:
        yield _site_path("mailing:archived", series.slug, pk)
