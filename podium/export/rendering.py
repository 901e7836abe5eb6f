"""Rendering public pages exactly as the server would, for a site living at a base URL.

The export runs Django as if it were mounted at the base path (WSGI ``SCRIPT_NAME``): the
script prefix, ``STATIC_URL`` and ``MEDIA_URL`` carry the path, so ``reverse`` and the
templates' ``url()`` and ``static()`` produce addresses that work under
``https://user.github.io/repo/`` without rewriting a single page; ``BASE_URL`` and the
request's host make absolute links.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.handlers.base import BaseHandler
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings
from django.urls import (
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    set_script_prefix,
    set_urlconf,
)

from podium.export.target import Target
from podium.seminars.addresses import fixed_addresses

SITE_URLCONF = "podium.site_urls"  # the public site's addresses (see podium/urls.py)
EXPORT_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, as on the live site, without the compressed copies a static host ignores.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@dataclass(frozen=True)
class Rendered:
    """One response, reduced to what a file on a static host can carry."""

    status: int
    content_type: str
    body: bytes
    location: str = ""


@contextmanager
def rendering_for(target: Target, static_root: Path, collect: bool = True) -> Iterator[None]:
    """Settings and script prefix of a server mounted at the target's base URL.

    Static files are collected (hashed names) into `static_root` first, unless `collect` is
    false (they are there from an earlier export); the page cache is off, so every page is
    rendered from the database as it is now.
    """
    overrides = {
        "BASE_URL": target.base_url.rstrip("/"),
        "ALLOWED_HOSTS": [target.host.rsplit(":", 1)[0].strip("[]"), target.host],
        "STATIC_URL": target.base_path + "static/",
        "MEDIA_URL": target.base_path + "media/",
        "STATIC_ROOT": static_root,
        "STORAGES": EXPORT_STORAGES,
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        "SECURE_SSL_REDIRECT": False,
        # The public site alone: no address of the API or the organizers' side resolves.
        "ROOT_URLCONF": SITE_URLCONF,
    }
    previous_prefix, previous_urlconf = get_script_prefix(), get_urlconf()
    with override_settings(**overrides):
        if collect:
            shutil.rmtree(static_root, ignore_errors=True)
            # The organizers' side (Django admin) is never exported; its 100-odd files stay out.
            call_command(
                "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin/*"]
            )
        set_script_prefix(target.base_path)
        # As a request sets it: every address built asks for the URL configuration, and
        # an unset one is found the slow way (Django looks for it, then for the setting).
        set_urlconf(SITE_URLCONF)
        try:
            with fixed_addresses():
                yield
        finally:
            set_urlconf(previous_urlconf)
            set_script_prefix(previous_prefix)


class Renderer:
    """Gets pages through Django's request handler and middleware, like a live request."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.factory = RequestFactory(
            HTTP_HOST=target.host,
            SCRIPT_NAME=target.script_name,
            HTTP_X_FORWARDED_PROTO=target.scheme,
        )
        self.handler = BaseHandler()
        self.handler.load_middleware()

    def request(self, site_path: str):
        """A GET request for a path of the site (without the base path)."""
        return self.factory.get(site_path, secure=self.target.scheme == "https")

    def get(self, site_path: str) -> Rendered:
        """Render one address of the site the way the server answers it."""
        return rendered(self.handler.get_response(self.request(site_path)))


def rendered(response: HttpResponse) -> Rendered:
    """Reduce a Django response to status, type, bytes and redirect target."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Rendered(
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=body,
        location=response.get("Location", ""),
    )


def is_public_address(site_path: str) -> bool:
    """Whether the path is a page of the public site (not the organizers' side, not absent)."""
    try:
        resolve(site_path, urlconf=SITE_URLCONF)
    except Resolver404:
        return False
    return True
