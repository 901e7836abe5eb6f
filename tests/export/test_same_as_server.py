"""Every exported page, calendar and feed is byte for byte what the server answers when it
is mounted at the same base URL (SCRIPT_NAME=/repo, PODIUM_BASE_URL set, hashed statics)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from podium.export.output import MANIFEST, read_manifest
from podium.export.rendering import EXPORT_STORAGES
from podium.export.static_forms import FormPolicy, make_forms_static
from podium.export.target import Target
from podium.seminars.models import Visibility
from tests.export.conftest import BASE_URL

CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n')
GENERATED = {MANIFEST, "sitemap.xml", "robots.txt", ".nojekyll"}


@pytest.fixture
def server_at_base_url(settings, tmp_path):
    """Start the live server's WSGI application, mounted at https://user.github.io/repo/."""

    def start():
        configure(settings, tmp_path)
        return get_wsgi_application()

    return start


def serve(application, path: str) -> tuple[int, bytes]:
    """One GET through the WSGI application, as gunicorn mounted at /repo would pass it."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "/repo",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "user.github.io",
        "SERVER_PORT": "443",
        "HTTP_HOST": "user.github.io",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    # As Django's test client does: the test's database connection must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, lambda line, headers, exc_info=None: status.append(line))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(status[0].split()[0]), body


def configure(settings, tmp_path) -> None:
    settings.BASE_URL = BASE_URL.rstrip("/")
    settings.ALLOWED_HOSTS = ["user.github.io"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = EXPORT_STORAGES
    call_command("collectstatic", interactive=False, verbosity=0)
    # A server mounted under a path names it here: WhiteNoise reads STATIC_URL when the
    # application starts, before any request brings a SCRIPT_NAME to prefix a relative one.
    settings.STATIC_URL = "/repo/static/"
    settings.MEDIA_URL = "/repo/media/"


@pytest.mark.parametrize("one_public_series", [False, True], ids=["two series", "one series"])
def test_exported_files_are_what_the_server_serves(
    site, export, tmp_path, server_at_base_url, one_public_series
):
    if one_public_series:  # the front page is then that series' home page (an alias)
        site.other.visibility = Visibility.UNLISTED
        site.other.save()
    export()
    server = server_at_base_url()
    folder = tmp_path / "site"
    manifest = read_manifest((folder / MANIFEST).read_text())
    compared = []
    for name in manifest:
        if name in GENERATED or name.startswith(("static/", "media/")):
            continue
        body = (folder / name).read_bytes()
        if b'http-equiv="refresh"' in body or b"<form" in body:
            continue  # a redirect, or a form made static (tests/export/test_static_forms.py)
        # The export adds the live site's security policy as a <meta> (test_security.py).
        body = CSP_META.sub(b"", body, count=1)
        path = "/" + name.removesuffix("index.html")
        status, served = serve(server, path)
        assert status == (404 if name == "404.html" else 200), path
        # A posting form the export left out (the mailing-list subscription) goes here too.
        served = make_forms_static(served, FormPolicy.from_settings(), Target.from_url(BASE_URL))
        assert served == body, f"{name} differs from the server's {path}"
        compared.append(name)
    assert "prisec-ml/index.html" in compared and "prisec-ml/upcoming/index.html" in compared
    assert f"prisec-ml/talks/{site.past.slug}/index.html" in compared
    assert len(compared) >= 9
    # The calendars and feeds of the contract are compared too, once the code serves them.
    calendars = [name for name in manifest if name.endswith((".ics", ".atom"))]
    assert set(calendars) <= set(compared)
