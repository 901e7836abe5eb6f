"""The one place that builds the site's addresses: paths made of slugs, and absolute ones.

Pages, feeds, mails and the static export ask for thousands of talks' addresses: `slug_path`
reverses a URL once per name, script prefix and URL configuration and puts the slugs in;
`absolute` puts a path on the site's public address (`settings.BASE_URL`), which is what a
reader, a calendar or a search engine should be given, whatever host a request came by.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def slug_path(name: str, *slugs: str) -> str:
    """`reverse(name, args=slugs)` for an address made of slugs, reversed once per URL name,
    script prefix and URL configuration: pages, feeds and exports ask for thousands of
    talks, and slugs need no quoting, so putting them in gives what `reverse` would."""
    prefix, urlconf = here()
    return _maker(prefix, urlconf, name, len(slugs))(*slugs)


def slug_path_maker(name: str, count: int) -> Callable[..., str]:
    """`slug_path` for many addresses of one kind under the current script prefix and URL
    configuration, which are read once (each read costs more than building the address)."""
    prefix, urlconf = here()
    return _maker(prefix, urlconf, name, count)


@lru_cache(maxsize=64)
def _maker(prefix: str, urlconf: str, name: str, count: int) -> Callable[..., str]:
    # The script prefix is part of the key: `reverse` puts it in front of every path.
    marks = [f"slug-mark-{number}" for number in range(count)]
    path = reverse(name, args=marks, urlconf=urlconf)
    pieces = tuple(re.split("|".join(marks), path)) if marks else (path,)
    first, rest = pieces[0], pieces[1:]

    def make(*slugs: str) -> str:
        parts = [first]
        for slug, piece in zip(slugs, rest, strict=True):
            parts += (slug, piece)
        return "".join(parts)

    return make


# The script prefix and URL configuration that addresses are built for, when something has
# fixed them for a while (the static export, for its whole run): Django keeps both per
# request in context-local storage, and reading that costs more than building an address.
_FIXED: ContextVar[tuple[str, str] | None] = ContextVar("podium_fixed_addresses", default=None)


def here() -> tuple[str, str]:
    """The script prefix and URL configuration addresses are built for now."""
    fixed = _FIXED.get()
    if fixed is not None:
        return fixed
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@contextmanager
def fixed_addresses() -> Iterator[None]:
    """Within, build every address for the script prefix and URL configuration in force
    on entry, without reading them again (nothing inside may change them)."""
    token = _FIXED.set((get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF))
    try:
        yield
    finally:
        _FIXED.reset(token)


def site_path(path: str) -> str:
    """`path` (from `reverse` or `get_absolute_url`) without the script prefix the site is
    mounted under: the address within the site ("/prisec-ml/embed/"), as the static export
    plans its pages whatever base URL it exports for."""
    prefix = here()[0]
    return "/" + path[len(prefix) :] if path.startswith(prefix) else path


def absolute(path: str) -> str:
    """`path` (from `reverse` or `get_absolute_url`) on the site's public address.

    `reverse` already carries the script prefix when the site is mounted under a path (as
    the static export mounts it); BASE_URL carries that path too, so it is taken off once.
    """
    if path.startswith(("https://", "http://")):  # already absolute (MEDIA_URL elsewhere)
        return path
    prefix = here()[0]
    if prefix != "/" and path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    return f"{settings.BASE_URL.rstrip('/')}{path}"
