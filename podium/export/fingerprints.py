"""Fingerprints: digests of what a page is made of, so that an export renders a page again
only when they change (`plan.py` gives each page its own)."""

import functools
import hashlib
from pathlib import Path

import django
from django.conf import settings

from podium.seminars.models import Series

PODIUM_SOURCE = Path(__file__).resolve().parent.parent


# Fingerprints keep 128 bits of a SHA-256: plenty to tell inputs apart, and the manifest
# holds one for each of 20,000 files.
FINGERPRINT_HEX = 32


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:FINGERPRINT_HEX]


def text_hash(*parts: object) -> str:
    # For the 10,000 talks of a plan: the parts' text (each str() once) is cheaper than repr.
    return hashlib.sha256(" ".join(map(str, parts)).encode()).hexdigest()[:FINGERPRINT_HEX]


def code_fingerprint(*extra: object) -> str:
    """A digest of Podium's code, templates and static files, Django's version and `extra`.

    Any upgrade or template edit changes it, and with it every page's fingerprint.
    """
    base = repr((django.__version__, settings.PODIUM_SITE_NAME, extra)).encode()
    return hashlib.sha256(base + _source_digest().encode()).hexdigest()


@functools.cache
def _source_digest() -> str:
    # Read once a process: its pages are rendered by the code it loaded when it started,
    # whatever is edited on disk later (a running `podium export --watch` picks up an
    # upgrade when it is started again, as the server does).
    digest = hashlib.sha256()
    for path in sorted(PODIUM_SOURCE.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".txt", ".xml") and path.is_file():
            digest.update(str(path.relative_to(PODIUM_SOURCE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def series_fingerprint(series: Series, code: str) -> str:
    """What every page of a series shows of the series itself (its header and zone)."""
    return _hash(
        code,
        series.pk,
        series.slug,
        series.name,
        series.short_name,
        series.time_zone,
        series.is_demo,
        series.visibility,
        series.updated_at,
    )
