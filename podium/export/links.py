"""Finding the site's own addresses in what was rendered, and the file each one becomes."""

import html
import re
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

from podium.export.target import Target

# Attribute values that hold addresses; the templates always quote them with ".
HTML_ADDRESS = re.compile(rb'\s(?:href|src)="([^"]*)"')
HTML_SRCSET = re.compile(rb'\ssrcset="([^"]*)"')
CSS_ADDRESS = re.compile(rb"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
LINKED_SCHEMES = ("http", "https", "webcal")


def site_links(body: bytes, content_type: str, page_path: str, target: Target) -> set[str]:
    """Every address of this site that an HTML page or stylesheet refers to, as site paths.

    Relative references are read against the page's own address; absolute ones count when
    they point under the base URL (with http, https or webcal).
    """
    if content_type.startswith("text/html"):
        values = [html.unescape(v.decode()) for v in HTML_ADDRESS.findall(body)]
        for srcset in HTML_SRCSET.findall(body):
            values += [
                part.strip().split(" ")[0] for part in html.unescape(srcset.decode()).split(",")
            ]
    elif content_type.startswith("text/css"):
        values = [v.decode().strip() for v in CSS_ADDRESS.findall(body)]
    else:
        return set()
    page_url = target.base_path + page_path.lstrip("/")
    found = set()
    for value in values:
        # Most addresses are root-relative or absolute, the same on every page: look up once.
        if value.startswith(("/", "http")):
            key = (value, target)
            if key not in _ABSOLUTE:
                _ABSOLUTE[key] = _site_path(value, page_url, target)
            path = _ABSOLUTE[key]
        else:
            path = _site_path(value, page_url, target)
        if path is not None:
            found.add(path)
    return found


_ABSOLUTE: dict[tuple[str, Target], str | None] = {}


def _site_path(value: str, page_url: str, target: Target) -> str | None:
    if not value or value.startswith(("#", "data:", "mailto:", "javascript:")):
        return None
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme not in LINKED_SCHEMES or parts.netloc != target.host:
            return None
        path = parts.path
    elif parts.netloc:  # //host/path
        return None
    else:
        path = urlsplit(urljoin(page_url, value)).path
    if not path.startswith("/"):
        return None
    keep_slash = path.endswith("/")
    path = normpath(unquote(path))
    if keep_slash and not path.endswith("/"):
        path += "/"
    return target.site_path(path)


def file_for(site_path: str) -> str:
    """The file (relative to the export folder) that serves a site path.

    A static host serves ``a/b/index.html`` for ``/a/b/``; other paths are files as named.
    """
    relative = site_path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative
