"""Which series a reader sees: listed on the front page, opened by address, and the site of
some series alone (a static export of them)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import QuerySet

from podium.seminars.models import Series, Visibility


def public_series() -> QuerySet[Series]:
    """Series listed on the front page."""
    return _shown(Series.objects.filter(visibility=Visibility.PUBLIC)).order_by("name")


def readable_series() -> QuerySet[Series]:
    """Series a reader may open by address (public and unlisted)."""
    return _shown(Series.objects.exclude(visibility=Visibility.DRAFT))


# The series that make the whole site within `showing_only` (None: every series).
_SHOWN: ContextVar[frozenset[int] | None] = ContextVar("podium_shown_series", default=None)


def _shown(series: QuerySet[Series]) -> QuerySet[Series]:
    shown = _SHOWN.get()
    return series if shown is None else series.filter(pk__in=shown)


@contextmanager
def showing_only(series: Iterable[Series]) -> Iterator[None]:
    """Within, the site is these series alone (a static export of some of them): the front
    page lists them, or is the home page of the one; the site's calendar carries them."""
    token = _SHOWN.set(frozenset(s.pk for s in series))
    try:
        yield
    finally:
        _SHOWN.reset(token)
