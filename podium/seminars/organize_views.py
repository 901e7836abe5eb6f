"""Small helpers of the organizers' side: what a typed local time means elsewhere."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from podium.seminars.models import Series
from podium.seminars.permissions import series_for_user
from podium.seminars.timezones import (
    LocalTimeError,
    format_series_time,
    next_slots,
    to_local,
    to_utc,
)


def times_elsewhere(start: datetime) -> list[tuple[str, str]]:
    """The instant in UTC and in the configured preview zones, as (zone, text) rows."""
    zones = ["UTC", *settings.PODIUM_PREVIEW_ZONES]
    return [(zone, format_series_time(start, zone)) for zone in zones]


def talk_defaults(series: Series) -> dict:
    """Initial values of a new talk: the series, its next usual slot and its links."""
    initial: dict = {
        "series": series.pk,
        "duration": series.default_duration,
        "registration_url": series.registration_url,
        "livestream_url": series.livestream_url,
    }
    if series.default_weekday is not None and series.default_start_time is not None:
        slot = next_slots(
            series.default_weekday, series.default_start_time, series.time_zone, timezone.now(), 1
        )[0]
        local = to_local(slot, series.time_zone)
        initial["local_date"] = local.date()
        initial["local_time"] = local.time().replace(tzinfo=None)
    return initial


def time_preview(request: HttpRequest) -> JsonResponse:
    """What a date and time typed in a series' zone mean in UTC and elsewhere."""
    series = series_for_user(request.user).filter(pk=request.GET.get("series") or 0).first()
    if series is None:
        return JsonResponse({"error": "Choose a series first."}, status=400)
    try:
        local = datetime.fromisoformat(f"{request.GET.get('date')}T{request.GET.get('time')}")
    except ValueError:
        return JsonResponse({"error": "Type a date and a time."}, status=400)
    fold = {"0": 0, "1": 1}.get(request.GET.get("fold", ""))
    try:
        start = to_utc(local.replace(tzinfo=None), series.time_zone, fold)
    except LocalTimeError as error:
        return JsonResponse({"error": error.message}, status=200)
    rows = [(series.time_zone, format_series_time(start, series.time_zone))]
    rows += times_elsewhere(start)
    return JsonResponse({"rows": rows})
