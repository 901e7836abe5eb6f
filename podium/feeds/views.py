"""Thin views for calendars, the Atom feed and the embeddable list of next talks."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from podium.feeds import ical
from podium.feeds.atom import SeriesAtomFeed
from podium.feeds.http import conditional_feed
from podium.feeds.window import (
    atom_validators,
    feed_window,
    series_feed_state,
    series_validators,
    site_validators,
    talk_validators,
)
from podium.seminars import pages
from podium.seminars.models import Series, Talk, TalkRedirect, TalkStatus
from podium.seminars.talks import listed_talks, upcoming_talks
from podium.seminars.visibility import readable_series

EMBED_TALKS = 5


@require_safe
def site_calendar(request: HttpRequest) -> HttpResponse:
    """`/calendar.ics`: every talk of every public series in one feed."""
    window = feed_window()
    return conditional_feed(
        request,
        site_validators(window),
        lambda: ical.site_ics_bytes(settings.PODIUM_SITE_NAME, window),
    )


@require_safe
def series_calendar(request: HttpRequest, series_slug: str) -> HttpResponse:
    """`/<series>/calendar.ics`: the feed calendars subscribe to."""
    window = feed_window()
    state = series_feed_state(series_slug)
    if state is None:
        raise Http404("There is no series at this address.")
    return conditional_feed(
        request,
        series_validators(state, window),
        lambda: ical.series_ics_bytes(Series.objects.get(pk=state.series_id), window),
    )


@require_safe
def talk_calendar(request: HttpRequest, series_slug: str, talk_slug: str) -> HttpResponse:
    """`/<series>/talks/<talk>/calendar.ics`: one talk as a file to add to a calendar."""
    series = get_object_or_404(readable_series(), slug=series_slug)
    talk = listed_talks(series).filter(slug=talk_slug).select_related("series").first()
    if talk is None:
        moved = TalkRedirect.objects.filter(series=series, old_slug=talk_slug).first()
        if moved and moved.talk.status != TalkStatus.DRAFT:
            return redirect("feeds:talk_calendar", series.slug, moved.talk.slug, permanent=True)
        raise Http404("There is no talk at this address.")
    return talk_calendar_response(request, talk)


def talk_calendar_response(request: HttpRequest, talk: Talk) -> HttpResponse:
    """The answer for one talk's calendar file (the static export calls it on loaded talks)."""
    response = conditional_feed(request, talk_validators(talk), lambda: ical.talk_ics_bytes(talk))
    response["Content-Disposition"] = f'attachment; filename="{talk.slug}.ics"'
    return response


_series_atom_feed = SeriesAtomFeed()
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


@require_safe
def series_atom(request: HttpRequest, series_slug: str) -> HttpResponse:
    """`/<series>/feed.atom`: talks as they are announced and changed. A feed reader whose
    copy is current gets a 304 from one query, like a calendar polling the .ics feed."""
    state = series_feed_state(series_slug)
    if state is None:
        raise Http404("There is no series at this address.")
    return conditional_feed(
        request,
        atom_validators(state),
        lambda: _series_atom_feed(request, series_slug=series_slug).content,
        content_type=ATOM_CONTENT_TYPE,
    )


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@pages.cached_per_series
def embed(request: HttpRequest, series_slug: str) -> HttpResponse:
    """The next talks of a series as a small page other sites show in an `<iframe>`."""
    series = get_object_or_404(readable_series(), slug=series_slug)
    talks = list(upcoming_talks(series)[:EMBED_TALKS])
    return render(request, "feeds/embed.html", {"series": series, "talks": talks})
