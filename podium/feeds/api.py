"""The read-only JSON API at /api/v1/, described by /api/v1/openapi.json.

Open to any site (CORS `*` on every answer): it only ever shows what the public pages show,
and it sets and reads no cookie.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from pydantic import field_validator

from podium.feeds import catalogue
from podium.feeds.schemas import (
    ErrorOut,
    SeriesOut,
    SeriesPage,
    TalkOut,
    TalkPage,
    ValidationErrorOut,
)

MAX_PAGE = 100
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

api = NinjaAPI(
    title="Podium API",
    version="1",
    description=(
        "Read-only access to public seminar series and their talks. Times are ISO 8601 with "
        "an offset; `time_zone` names the series' IANA zone. Lists are paginated with "
        "`limit` and `offset`."
    ),
    docs_url=None,  # the interactive docs page would load scripts from a CDN
    urls_namespace="api",
)


# What a series' slug is made of (Django's slug): anything else (a NUL byte, which
# PostgreSQL cannot even compare) is refused before it reaches the database.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_PAGE, description="Items per page.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class TalkFilters(PageQuery):
    series: str | None = Field(
        None, max_length=60, pattern=SLUG_PATTERN, description="Only this series (its slug)."
    )
    when: catalogue.When | None = Field(
        None, description="`upcoming`: not yet ended, soonest first; `past`: newest first."
    )
    start_after: datetime | None = Field(None, description="Starting at or after this instant.")
    start_before: datetime | None = Field(None, description="Starting before this instant.")
    updated_since: datetime | None = Field(None, description="Changed publicly since then.")

    @field_validator("start_after", "start_before", "updated_since", mode="before")
    @classmethod
    def iso_text(cls, value: object) -> object:
        """Only ISO 8601 text is a time here (pydantic alone would read "0.5" as one)."""
        if isinstance(value, str) and not ISO_DATE.match(value):
            raise ValueError("Use an ISO 8601 time, e.g. 2027-01-13T12:00:00Z.")
        return value

    @field_validator("start_after", "start_before", "updated_since")
    @classmethod
    def as_utc(cls, value: datetime | None) -> datetime | None:
        """A time without an offset is read as UTC. One whose UTC instant falls outside the
        calendar (`0001-01-01T00:00+01:00`) is the calendar's first or last instant: every
        talk starts and changes between the two, so the filter means the same."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            edge = datetime.min if value.year == datetime.min.year else datetime.max
            return edge.replace(tzinfo=UTC)


def _page(items, query: PageQuery) -> dict:
    return {
        "count": items.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": list(items[query.offset : query.offset + query.limit]),
    }


@api.get("/series", response={200: SeriesPage, 422: ValidationErrorOut}, summary="Public series")
def list_series(request: HttpRequest, query: Query[PageQuery]) -> dict:
    """Every public series, by name."""
    return _page(catalogue.listed_series(), query)


@api.get(
    "/series/{slug}",
    response={200: SeriesOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One series",
)
def get_series(request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN)):
    """A series by its slug (public and unlisted series)."""
    series = catalogue.series_by_slug(slug)
    if series is None:
        return Status(404, {"detail": "There is no series with this slug."})
    return series


@api.get(
    "/talks", response={200: TalkPage, 404: ErrorOut, 422: ValidationErrorOut}, summary="Talks"
)
def list_talks(request: HttpRequest, filters: Query[TalkFilters]):
    """Talks of public series (or of one series), filtered and paginated."""
    series = None
    if filters.series is not None:
        series = catalogue.series_by_slug(filters.series)
        if series is None:
            return Status(404, {"detail": "There is no series with this slug."})
    talks = catalogue.find_talks(
        series,
        when=filters.when,
        start_after=filters.start_after,
        start_before=filters.start_before,
        updated_since=filters.updated_since,
    )
    return _page(talks, filters)


@api.get(
    "/talks/{uid}",
    response={200: TalkOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One talk",
)
def get_talk(request: HttpRequest, uid: UUID):
    """A talk by its stable identity (`uid`), with its speakers and links."""
    talk = catalogue.talk_by_uid(uid)
    if talk is None:
        return Status(404, {"detail": "There is no talk with this uid."})
    return talk


def _open_to_all_origins(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def api_urls() -> tuple[list[URLPattern], str, str]:
    """The API's URL patterns, each answer carrying the CORS header (the spec included)."""
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, _open_to_all_origins(p.callback), p.default_args, p.name)
        for p in patterns
    ]
    return wrapped, app_name, namespace
