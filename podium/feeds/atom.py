"""The series' Atom feed (RFC 4287): new and changed talks, newest change first."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from podium.feeds import links
from podium.seminars.models import Series, Talk
from podium.seminars.talks import listed_talks, ordered_speakers, with_public_relations
from podium.seminars.visibility import readable_series

ATOM_ITEMS = 30


class SeriesAtomFeed(Feed):
    """Each entry is a talk; a talk re-enters at the top whenever something public changes."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, series_slug: str) -> Series:
        return get_object_or_404(readable_series(), slug=series_slug)

    def title(self, series: Series) -> str:
        return f"{series.name}: talks"

    def subtitle(self, series: Series) -> str:
        return series.slot_text or series.name

    def link(self, series: Series) -> str:
        return links.series_page_url(series)

    def feed_url(self, series: Series) -> str:
        return links.series_atom_url(series)

    def feed_guid(self, series: Series) -> str:
        return links.series_atom_url(series)

    def author_name(self, series: Series) -> str:
        return series.name

    def items(self, series: Series) -> list[Talk]:
        talks = listed_talks(series).order_by("-changed_at", "-id")[:ATOM_ITEMS]
        return list(with_public_relations(talks))

    def item_title(self, talk: Talk) -> str:
        return links.event_title(talk)

    def item_description(self, talk: Talk) -> str:
        when = format_html("<p>{}</p>", talk.series_time)
        note = format_html("<p>{}</p>", talk.status_note) if talk.status_note else ""
        # abstract_html is sanitized on save; the generator escapes it once more for XML.
        return when + note + (talk.abstract_html or "")

    def item_link(self, talk: Talk) -> str:
        return links.talk_page_url(talk)

    def item_guid(self, talk: Talk) -> str:
        return f"urn:uuid:{talk.uid}"

    item_guid_is_permalink = False

    def item_updateddate(self, talk: Talk) -> datetime:
        return talk.changed_at

    def item_pubdate(self, talk: Talk) -> datetime:
        return talk.created_at

    def item_author_name(self, talk: Talk) -> str:
        return ", ".join(person.display_name for person in ordered_speakers(talk))

    def item_categories(self, talk: Talk) -> list[str]:
        return [talk.get_status_display()]
