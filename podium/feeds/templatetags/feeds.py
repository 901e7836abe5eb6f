"""Template tags for the calendar blocks on the public pages.

Every address comes from BASE_URL, so the blocks are the same for every reader and fit the
per-series page cache.
"""

from django import template

from podium.feeds import links
from podium.seminars.models import Series, Talk

register = template.Library()


@register.simple_tag
def subscribe_links(series: Series) -> dict[str, str]:
    """The addresses the "Subscribe" block offers for a series."""
    feed = links.series_feed_url(series)
    return {
        "https": feed,
        "webcal": links.webcal(feed),
        "google": links.google_subscribe_url(feed),
        "outlook": links.outlook_subscribe_url(feed, series.name),
    }


@register.simple_tag
def add_to_calendar_links(talk: Talk) -> dict[str, str]:
    """The addresses the "Add to calendar" block offers for a talk."""
    return {
        "ics": links.talk_calendar_url(talk),
        "google": links.google_add_url(talk),
        "outlook": links.outlook_add_url(talk),
    }
