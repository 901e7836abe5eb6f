"""Public pages: the series list, a series' home, its archive and one talk."""

from collections.abc import Sequence
from itertools import groupby

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone

from podium.seminars import pages
from podium.seminars.models import Series, Talk, TalkRedirect
from podium.seminars.talks import (
    listed_talks,
    past_talks,
    shown_talks,
    talk_lines,
    upcoming_talks,
    with_public_relations,
)
from podium.seminars.timezones import to_local
from podium.seminars.visibility import public_series, readable_series

# Talks on a page of a list: the archive, the upcoming talks.
LIST_PAGE_SIZE = 50
# Upcoming talks shown as full cards on a series' home; later ones get a one-line entry each.
UPCOMING_CARDS = 10
# The upcoming talks a series' home shows (cards and lines); with more, it links the list.
UPCOMING_ON_HOME = 50


def _series_or_404(slug: str) -> Series:
    return get_object_or_404(readable_series(), slug=slug)


def index(request: HttpRequest) -> HttpResponse:
    """The list of series; with a single public series, that series' home page."""
    front = front_page_series()
    if front is not None:
        return series_home(request, front.slug)
    return render(request, "seminars/index.html", {"series_list": list(public_series())})


def front_page_series() -> Series | None:
    """The series whose home page the front page shows (see `index`): the only public one."""
    listed = list(public_series()[:2])
    return listed[0] if len(listed) == 1 else None


@pages.cached_per_series
def series_home(request: HttpRequest, series_slug: str) -> HttpResponse:
    """A series' home: about, get involved, upcoming talks, organizers.

    The next `UPCOMING_CARDS` talks get full cards, the ones after them a compact line each,
    up to `UPCOMING_ON_HOME` talks: the page stays small however far ahead the series is
    planned, and links the list of every upcoming talk when there are more.
    """
    series = _series_or_404(series_slug)
    now = timezone.now()
    upcoming = upcoming_talks(series, now)
    shown = talk_lines(upcoming[: UPCOMING_ON_HOME + 1])
    more = len(shown) > UPCOMING_ON_HOME
    shown = shown[:UPCOMING_ON_HOME]
    # The cards show all of a talk: theirs loaded again in full, the lines are loaded light.
    cards = {talk.pk for talk in shown[:UPCOMING_CARDS]}
    context = {
        "series": series,
        "links": list(series.links.all()),
        "organizers": list(series.organizers.all()),
        "upcoming": shown_talks(upcoming.filter(pk__in=cards)),
        "later": shown[UPCOMING_CARDS:],
        "upcoming_count": upcoming.count() if more else len(shown),
        "has_past": listed_talks(series).filter(start__lt=now).exists(),
        "nav": "home",
    }
    return render(request, "seminars/series_home.html", context)


@pages.cached_per_series
def archive(request: HttpRequest, series_slug: str, page: int = 1) -> HttpResponse:
    """The past talks, newest first, grouped by year, with recordings and slides."""
    series = _series_or_404(series_slug)
    page_obj = _page_or_404(talk_list_paginator(past_talks(series)), page, "the archive")
    return HttpResponse(archive_page_html(request, series, page_obj))


def _page_or_404(paginator: Paginator, number: int, what: str) -> Page:
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(f"There is no such page of {what}.") from None


def talk_list_paginator(talks: Sequence) -> Paginator:
    """The pages of a list of talks (the archive, the upcoming talks) in the list's order
    (a query or a list)."""
    return Paginator(talks, LIST_PAGE_SIZE, allow_empty_first_page=True)


def archive_page_html(request: HttpRequest, series: Series, page_obj: Page) -> str:
    """One page of the archive, its talks loaded with `with_public_relations` (the static
    export writes it too, for talks it loaded for many pages at once)."""
    talks = list(page_obj.object_list)
    years = [
        (year, list(items))
        for year, items in groupby(talks, key=lambda t: to_local(t.start, series.time_zone).year)
    ]
    context = {"series": series, "page_obj": page_obj, "years": years, "nav": "past"}
    return render_to_string("seminars/archive.html", context, request)


def first_page(request: HttpRequest, series_slug: str, list_name: str) -> HttpResponse:
    """`page/1/` of a list is the list's own address (`list_name`): one address per page."""
    return redirect(list_name, series_slug=series_slug, permanent=True)


@pages.cached_per_series
def upcoming(request: HttpRequest, series_slug: str, page: int = 1) -> HttpResponse:
    """Every upcoming talk, soonest first, a line each, in pages (the home shows the next)."""
    series = _series_or_404(series_slug)
    page_obj = _page_or_404(talk_list_paginator(upcoming_talks(series)), page, "upcoming talks")
    page_obj.object_list = talk_lines(page_obj.object_list)
    return HttpResponse(upcoming_page_html(request, series, page_obj))


def upcoming_page_html(request: HttpRequest, series: Series, page_obj: Page) -> str:
    """One page of the upcoming talks, loaded at least as `talk_lines` loads them (the
    static export writes it too, for talks it loaded for many pages at once)."""
    context = {"series": series, "page_obj": page_obj, "nav": "upcoming"}
    return render_to_string("seminars/upcoming.html", context, request)


@pages.cached_per_series
def talk_detail(request: HttpRequest, series_slug: str, talk_slug: str) -> HttpResponse:
    """One talk, with its abstract, speakers, links, OpenGraph tags and JSON-LD."""
    series = _series_or_404(series_slug)
    talk = with_public_relations(listed_talks(series).filter(slug=talk_slug)).first()
    if talk is None:
        moved = TalkRedirect.objects.filter(series=series, old_slug=talk_slug).first()
        if moved and moved.talk.status != "draft":
            return redirect(moved.talk, permanent=True)
        raise Http404("There is no talk at this address.")
    return HttpResponse(talk_page_html(request, series, talk))


def talk_page_html(request: HttpRequest, series: Series, talk: Talk) -> str:
    """A talk's page, the talk loaded with `with_public_relations` (the static export
    writes it too, for each talk)."""
    context = pages.talk_page_context(request, series, talk)
    return render_to_string("seminars/talk_detail.html", context, request)


# Static hosts (GitHub Pages) answer every missing address with this file of the export.
NOT_FOUND_FILE = "404.html"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 that helps: the series the reader may have been looking for.

    It names the missing address, except at the address of the 404 page itself: the static
    export's copy is served for any missing address, so it cannot know which one it was.
    """
    path = "" if request.path == get_script_prefix() + NOT_FOUND_FILE else request.path
    context = {"series_list": list(public_series()), "path": path}
    return render(request, "seminars/404.html", context, status=404)
