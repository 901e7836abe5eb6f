"""Public mail pages: subscribe, confirm, preferences, one-click unsubscribe, the archive.

None of them sets a cookie. The subscribe form and the unsubscribe POST are exempt from CSRF
(the token would need a cookie) and protected otherwise; see docs/mailing.md.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from podium.mailing import ratelimit, subscriptions
from podium.mailing.announcements import archived_announcements
from podium.mailing.forms import PreferencesForm, SubscribeForm
from podium.mailing.outbox import UnsafeHeader
from podium.mailing.tokens import BadLink
from podium.seminars import pages
from podium.seminars.models import Series
from podium.seminars.visibility import readable_series

PER_CLIENT = (10, timedelta(hours=1))
PER_ADDRESS = (3, timedelta(days=1))


def _series(slug: str) -> Series:
    return get_object_or_404(readable_series(), slug=slug)


def from_our_pages(request: HttpRequest) -> bool:
    """Whether a POST came from a page of this site (Origin, else Referer) or of a site it
    trusts with posts: `PODIUM_CSRF_TRUSTED_ORIGINS`, such as its static copy on GitHub
    Pages, whose sign-up form posts here (docs/export.md)."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin == own or trusted_origin(origin)
    referer = request.META.get("HTTP_REFERER", "")
    return referer == own or referer.startswith(own + "/")


def trusted_origin(origin: str) -> bool:
    """Whether `CSRF_TRUSTED_ORIGINS` lists the origin, as Django's CSRF check reads it:
    exactly, or under a pattern such as `https://*.example.org` (its subdomains)."""
    scheme, netloc = urlsplit(origin)[:2]
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        pattern = urlsplit(trusted)
        if scheme == pattern.scheme and is_same_domain(netloc, pattern.netloc.lstrip("*")):
            return True
    return False


def _page(request, template, series, status=200, **context) -> HttpResponse:
    return render(request, f"mailing/{template}", {"series": series, **context}, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, series_slug: str) -> HttpResponse:
    """Ask for a subscription: same answer for new, pending and subscribed addresses."""
    series = _series(series_slug)
    if request.method == "GET":
        first = series.mailing_lists.filter(offered=True).values_list("pk", flat=True).first()
        form = SubscribeForm(series=series, initial={"lists": [str(first)]})
        return _page(request, "subscribe.html", series, form=form)
    if not from_our_pages(request):
        return _page(request, "refused.html", series, status=403, reason="origin")
    form = SubscribeForm(request.POST, series=series)
    if form.is_robot:
        return redirect("mailing:subscribe_sent", series_slug=series.slug)
    if not form.is_valid():
        return _page(request, "subscribe.html", series, status=400, form=form)
    limit, window = PER_CLIENT
    if not ratelimit.allow("subscribe-client", ratelimit.client_address(request), limit, window):
        return _page(request, "refused.html", series, status=429, reason="flood")
    address = form.cleaned_data["email"].strip().lower()
    limit, window = PER_ADDRESS
    if ratelimit.allow("subscribe-address", f"{series.pk}:{address}", limit, window):
        try:
            subscriptions.request_subscription(
                series, address, form.cleaned_data["lists"], form.cleaned_data["name"]
            )
        except UnsafeHeader as error:
            form.add_error("email", str(error))
            return _page(request, "subscribe.html", series, status=400, form=form)
    return redirect("mailing:subscribe_sent", series_slug=series.slug)


def subscribe_sent(request: HttpRequest, series_slug: str) -> HttpResponse:
    """“Check your inbox”: shown after every accepted request, whatever the address."""
    return _page(request, "subscribe_sent.html", _series(series_slug))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, series_slug: str, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not confirm); POST confirms."""
    series = _series(series_slug)
    if request.method == "GET":
        return _page(request, "confirm.html", series, token=token)
    try:
        subscriber = subscriptions.confirm_subscription(series, token)
    except BadLink as error:
        return _page(request, "bad_link.html", series, status=400, message=error.message)
    return _page(
        request,
        "confirmed.html",
        series,
        subscriber=subscriber,
        preferences_url=subscriptions.preferences_url(subscriber),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, series_slug: str, token: str) -> HttpResponse:
    """Change lists, unsubscribe, download or delete, through the signed link from any email."""
    series = _series(series_slug)
    try:
        subscriber = subscriptions.subscriber_from_preferences(series, token)
    except BadLink as error:
        return _page(request, "bad_link.html", series, status=400, message=error.message)
    form = PreferencesForm(request.POST or None, subscriber=subscriber)
    if request.method == "POST":
        if request.META.get("HTTP_ORIGIN") and not from_our_pages(request):
            return _page(request, "refused.html", series, status=403, reason="origin")
        action = request.POST.get("action")
        if action == "delete":
            subscriptions.forget(subscriber)
            return _page(request, "deleted.html", series)
        if action == "unsubscribe":
            subscriptions.unsubscribe_everything(subscriber)
            return _page(request, "unsubscribed.html", series, lists=[])
        if form.is_valid():
            subscriptions.set_lists(
                subscriber, form.cleaned_data["lists"], "changed on the preferences page"
            )
            subscriber.refresh_from_db()
            form = PreferencesForm(subscriber=subscriber)
            return _page(
                request, "preferences.html", series, subscriber=subscriber, form=form, saved=True
            )
    else:
        form = PreferencesForm(
            initial={"lists": list(subscriber.lists.all())}, subscriber=subscriber
        )
    return _page(request, "preferences.html", series, subscriber=subscriber, form=form)


def personal_data(request: HttpRequest, series_slug: str, token: str) -> HttpResponse:
    """Everything Podium holds about the subscriber, as a JSON download."""
    series = _series(series_slug)
    try:
        subscriber = subscriptions.subscriber_from_preferences(series, token)
    except BadLink as error:
        return _page(request, "bad_link.html", series, status=400, message=error.message)
    response = JsonResponse(
        subscriptions.personal_data(subscriber), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-subscription.json"'
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, series_slug: str, token: str) -> HttpResponse:
    """The List-Unsubscribe address: GET asks, POST (RFC 8058 one-click, no cookie) acts."""
    series = _series(series_slug)
    if request.method == "GET":
        return _page(request, "unsubscribe.html", series, token=token)
    try:
        subscriber = subscriptions.unsubscribe_one_click(series, token)
    except BadLink as error:
        return _page(request, "bad_link.html", series, status=400, message=error.message)
    return _page(request, "unsubscribed.html", series, lists=list(subscriber.lists.all()))


@pages.cached_per_series
def archive(request: HttpRequest, series_slug: str) -> HttpResponse:
    """The public archive of sent seminar announcements, newest first."""
    series = _series(series_slug)
    items = list(archived_announcements(series).only("id", "subject", "queued_at", "series_id"))
    return _page(request, "archive.html", series, announcements=items, nav="announcements")


@pages.cached_per_series
def archived(request: HttpRequest, series_slug: str, pk: int) -> HttpResponse:
    """One sent announcement as subscribers read it (without their personal links)."""
    series = _series(series_slug)
    announcement = archived_announcements(series).filter(pk=pk).first()
    if announcement is None:
        raise Http404("There is no announcement at this address.")
    return _page(request, "archived.html", series, announcement=announcement)
