"""What the public pages share: whole-page caching and structured data for talks."""

import functools
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe

from podium.seminars.addresses import absolute
from podium.seminars.models import Person, Series, Talk, TalkStatus
from podium.seminars.talks import is_over, ordered_speakers, talk_links

View = Callable[..., HttpResponse]


def cached_per_series(view: View) -> View:
    """Serve a series page from the cache while the series' revision is unchanged.

    One cheap query (the revision) decides; the same page is served to every reader,
    since public pages carry nothing personal.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, series_slug: str, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not settings.PODIUM_PAGE_CACHE_SECONDS:
            return view(request, series_slug, *args, **kwargs)
        revision = series_revision(series_slug)
        if revision is None:
            return view(request, series_slug, *args, **kwargs)
        key = f"page:{revision[0]}:{revision[1]}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, series_slug, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            ttl = settings.PODIUM_PAGE_CACHE_SECONDS
            cache.set(key, (response.content, response["Content-Type"]), ttl)
        return response

    return wrapper


def series_revision(slug: str) -> tuple[int, int] | None:
    """The series' id and revision: the one query a cached page costs.

    Plain SQL because this runs on every page view and the ORM's query building would
    cost more than the query itself.
    """
    sql = f"SELECT id, revision FROM {Series._meta.db_table} WHERE slug = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        return cursor.fetchone()


EVENT_STATUS = {
    TalkStatus.SCHEDULED: "https://schema.org/EventScheduled",
    TalkStatus.CANCELLED: "https://schema.org/EventCancelled",
    TalkStatus.POSTPONED: "https://schema.org/EventPostponed",
}


def talk_page_context(request: HttpRequest, series: Series, talk: Talk) -> dict:
    """What a talk's page shows, each part worked out once: its address, its speakers in
    order and its links are shared by the head, the body and the structured data."""
    speakers = ordered_speakers(talk)
    series_url = series.get_absolute_url()
    page_url = absolute(talk.get_absolute_url())
    image = first_photo_url(speakers)
    abstract = talk.abstract_text
    organizer_url = absolute(series_url)
    return dict(
        series=series,
        series_url=series_url,
        talk=talk,
        speakers=speakers,
        links=talk_links(talk),
        page_url=page_url,
        is_past=is_over(talk),
        description=talk_summary(talk, speakers, abstract),
        og_image=image,
        json_ld=talk_json_ld(talk, page_url, organizer_url, speakers, abstract, image),
    )


def talk_json_ld(
    talk: Talk,
    page_url: str,
    series_url: str,
    speakers: list[Person],
    description: str,
    image: str,
) -> SafeString:
    """schema.org `Event` data for the talk page, escaped for a `<script>` element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": talk.title,
        "startDate": talk.start.isoformat(),
        "endDate": talk.end.isoformat(),
        "eventStatus": EVENT_STATUS.get(talk.status, EVENT_STATUS[TalkStatus.SCHEDULED]),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {
            "@type": "VirtualLocation",
            "url": talk.livestream_url or talk.registration_url or page_url,
        },
        "url": page_url,
        "organizer": {"@type": "Organization", "name": talk.series.name, "url": series_url},
        "performer": [
            {
                "@type": "Person",
                "name": person.name,
                **({"affiliation": person.affiliation} if person.affiliation else {}),
            }
            for person in speakers
        ],
    }
    if description:
        data["description"] = description
    if image:
        data["image"] = image
    text = _JSON.encode(data)
    # The HTML parser must never see a closing tag or comment inside the script element.
    # (Looking first costs far less than a replace; most texts have none of the three.)
    for character, escaped in _SCRIPT_UNSAFE:
        if character in text:
            text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 - escaped just above


# Compact and ASCII (other characters as \u escapes): the C encoder, made once, with its
# faster ASCII writer, is what keeps this cheap on 10,000 pages.
_JSON = json.JSONEncoder(separators=(",", ":"), check_circular=False)
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def first_photo_url(speakers: list[Person]) -> str:
    """The absolute address of the first speaker photo, or an empty string."""
    photo = next((p.photo for p in speakers if p.photo), None)
    return absolute(photo.url) if photo else ""


def talk_summary(talk: Talk, speakers: list[Person], abstract: str, limit: int = 200) -> str:
    """One line for link previews: speakers, date, and the start of the (plain) abstract."""
    names = ", ".join(p.display_name for p in speakers)
    head = f"{names}, {talk.start_local_date}." if names else f"{talk.start_local_date}."
    text = f"{head} {_squeezed_start(abstract, limit)}".strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _squeezed_start(text: str, limit: int) -> str:
    """`text` with each run of whitespace as one space: all of it, or a start longer than
    `limit` (what a summary shows of it is the same; abstracts run to thousands of words)."""
    start = " ".join(text[: 2 * limit].split())
    if len(start) > limit or len(text) <= 2 * limit:
        return start
    return " ".join(text.split())
