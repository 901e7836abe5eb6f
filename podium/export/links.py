"""Finding the site's own addresses in what was rendered, and the file each one becomes."""

import html
import re
from posixpath import normpath
from typing import AnyStr
from urllib.parse import unquote, urljoin, urlsplit

from podium.export.target import Target

# Attributes whose values hold addresses; the templates always quote them with ".
HTML_ADDRESS_ATTRIBUTES = (b'href="', b'src="')
HTML_SRCSET_ATTRIBUTE = b'srcset="'
HTML_SPACE = frozenset(b" \t\n\r\f")
CSS_ADDRESS = re.compile(rb"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
LINKED_SCHEMES = ("http", "https", "webcal")
# What makes a path under the base need `urljoin`, `unquote` or `normpath`: dot segments,
# doubled slashes, escapes, a query or a fragment, a backslash.
_NEEDS_RESOLVING = re.compile(r"(?:^|/)\.\.?(?:/|$)|//|[%?#\\]|^/")


def site_links(body: bytes, content_type: str, page_path: str, target: Target) -> set[str]:
    """Every address of this site that an HTML page or stylesheet refers to, as site paths.

    Relative references are read against the page's own address; absolute ones count when
    they point under the base URL (with http, https or webcal).
    """
    page_url = target.base_path + page_path.lstrip("/")
    if content_type.startswith("text/html"):
        found = _html_links(body, page_url, target)
        for srcset in _attribute_values(body, HTML_SRCSET_ATTRIBUTE):
            for part in html.unescape(srcset.decode()).split(","):
                found.add(_site_path(part.strip().split(" ")[0], page_url, target))
    elif content_type.startswith("text/css"):
        found = {
            _site_path(v.decode().strip(), page_url, target) for v in CSS_ADDRESS.findall(body)
        }
    else:
        return set()
    found.discard(None)
    return found


def _html_links(body: bytes, page_url: str, target: Target) -> set[str | None]:
    # Most addresses are root-relative or absolute, the same on every page: each is read
    # once per target, keyed by its raw bytes.
    # Another site's address (a speaker's homepage, the add-to-calendar links) is told
    # from its raw bytes: most are on one page only, and unescaping them cost more.
    known = _ABSOLUTE.setdefault(target, {})
    host = target.host.encode()
    found = set()
    for attribute in HTML_ADDRESS_ATTRIBUTES:
        for raw in _attribute_values(body, attribute):
            path = known.get(raw, _UNKNOWN)
            if path is _UNKNOWN:
                if _on_other_host(raw, host):
                    continue
                value = html.unescape(raw.decode())
                path = _site_path(value, page_url, target)
                if value.startswith(("/", "http")):
                    known[raw] = path
            found.add(path)
    return found


_UNKNOWN = object()
_ABSOLUTE: dict[Target, dict[bytes, str | None]] = {}


def forget_addresses() -> None:
    """Empty the addresses remembered by `site_links`: each export starts afresh, so a
    long-running process does not keep every address it ever exported."""
    _ABSOLUTE.clear()


def _attribute_values(body: bytes, attribute: bytes) -> list[bytes]:
    """The values of one attribute (`name="`) wherever it starts after a space.

    `bytes.find` in a loop, not a regular expression: a pattern that starts with a space
    class tries every position of the page, and the export reads twenty thousand pages.
    """
    values = []
    at = body.find(attribute)
    while at >= 0:
        start = at + len(attribute)
        end = body.find(b'"', start)
        if end < 0:
            break
        if at and body[at - 1] in HTML_SPACE:
            values.append(body[start:end])
        at = body.find(attribute, end + 1)
    return values


def _site_path(value: str, page_url: str, target: Target) -> str | None:
    if not value or value.startswith(("#", "data:", "mailto:", "javascript:")):
        return None
    # Most addresses are plain ones under the base URL or its path (the page's own address,
    # its calendar file): nothing to resolve, unquote or normalise in them. Most others are
    # on another host (a speaker's homepage): no host but the site's own starts like it.
    if _on_other_host(value, target.host):
        return None
    for base in (target.base_url, target.base_path):
        if value.startswith(base):
            rest = value[len(base) :]
            if not _NEEDS_RESOLVING.search(rest):
                return "/" + rest
            break
    return _resolved_site_path(value, page_url, target)


def _on_other_host(value: AnyStr, host: AnyStr) -> bool:
    """Whether an absolute address (`scheme://host...`, as text or as the raw bytes of an
    attribute) is on another host: no host but the site's own starts like it.

    Raw bytes give the same answer as their unescaped text: a character reference changes
    only what follows an "&", and there is none in the scheme or where the host would be.
    """
    separator, amp = ("://", "&") if isinstance(value, str) else (b"://", b"&")
    scheme_end = value.find(separator)
    host_at = scheme_end + 3
    return (
        0 < scheme_end < 7
        and value[:scheme_end].isalpha()
        and not value.startswith(host, host_at)
        and amp not in value[: host_at + len(host)]
    )


def _resolved_site_path(value: str, page_url: str, target: Target) -> str | None:
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
