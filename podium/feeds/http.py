"""Conditional GET for feeds: answer 304 from the validators, build the body only when needed."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from podium.feeds.window import Validators

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendars poll on their own schedule; a short shared lifetime keeps moved talks moving fast,
# and revalidation (a 304 from the validators) makes every poll after it cheap.
FEED_CACHE_CONTROL = "public, max-age=300"
# Bodies are keyed by their validators, so a stale one is never served; this only bounds memory.
BODY_CACHE_SECONDS = 24 * 60 * 60


def _body(path: str, etag: str, build: Callable[[], bytes]) -> bytes:
    # The same validators mean the same bytes, so a body built once serves every reader
    # until the data (or the day) changes; this is what keeps a 10,000-talk feed cheap.
    key = f"feed:{path}:{etag}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, BODY_CACHE_SECONDS)
    return body


def _client_copy_is_current(request: HttpRequest, etag: str, last_modified: int) -> bool:
    """The common poll, decided without Django's full precondition machinery (RFC 9110 13.2.2
    order: If-None-Match wins over If-Modified-Since). Requests with If-Match or
    If-Unmodified-Since answer False here and get the full evaluation.
    """
    meta = request.META
    if "HTTP_IF_MATCH" in meta or "HTTP_IF_UNMODIFIED_SINCE" in meta:
        return False
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # Our tags are quoted hex digests, so finding one in the list (plain or W/) is a match.
        return etag in if_none_match or if_none_match.strip() == "*"
    since = parse_http_date_safe(meta.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified <= since


def conditional_feed(
    request: HttpRequest,
    validators: Validators,
    build: Callable[[], bytes],
    content_type: str = CALENDAR_CONTENT_TYPE,
) -> HttpResponse:
    """A 304 when the client's copy is current (nothing built), else the body.

    The body comes from `build()` the first time these validators are seen, then from the
    cache.
    """
    last_modified = int(validators.last_modified.timestamp())
    if _client_copy_is_current(request, validators.etag, last_modified):
        response = HttpResponseNotModified()
    else:
        response = get_conditional_response(
            request, etag=validators.etag, last_modified=last_modified
        )
    if response is None:
        response = HttpResponse(
            _body(request.path, validators.etag, build), content_type=content_type
        )
    response["ETag"] = validators.etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = FEED_CACHE_CONTROL
    return response
