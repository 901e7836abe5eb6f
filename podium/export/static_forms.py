"""Forms in a static site: where a form that needs a server goes once the server is gone.

`PODIUM_EXPORT_FORMS` decides, for every form that posts (the mailing-list subscription):
- ``live``: it posts to the live Podium server at `PODIUM_LIVE_URL` (same path there);
- an http(s) URL: it becomes a link to that address (e.g. the list's own sign-up page);
- ``remove``: it is left out.
What only works with Podium's own server around it is marked in the templates:
``data-export="live"`` (what Podium's lists promise) is left out unless forms post to the
live server, ``data-export="sign-up"`` (a link to the sign-up page, a section that holds
nothing else) when there is nowhere to sign up. (Users' text cannot carry the attribute:
the Markdown sanitizer keeps no data attributes.)
The default is ``live`` when `PODIUM_LIVE_URL` is set, else ``remove``. The per-visit CSRF
token is dropped in every case: a static page cannot carry one, and an export must be the
same bytes every time.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from podium.export.target import Target

POST_FORM = re.compile(rb"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
METHOD_POST = re.compile(rb"""\smethod=["']?post\b""", re.IGNORECASE)
ACTION = re.compile(rb'\saction="([^"]*)"', re.IGNORECASE)
CSRF_INPUT = re.compile(rb'<input\b[^>]*name="csrfmiddlewaretoken"[^>]*>\s*', re.IGNORECASE)
BUTTON_TEXT = re.compile(
    rb"<button\b[^>]*>(.*?)</button>|<input\b[^>]*type=\"submit\"[^>]*value=\"([^\"]*)\"",
    re.IGNORECASE | re.DOTALL,
)
TAG = re.compile(rb"<[^>]+>")
MARKED = b' data-export="'
START_TAG = re.compile(rb"<([a-z][a-z0-9]*)\b[^>]*>")
# The marked elements each policy leaves out (see the module docstring).
LEFT_OUT = {"live": (), "link": (b"live",), "remove": (b"live", b"sign-up")}


@dataclass(frozen=True)
class FormPolicy:
    """What becomes of a posting form in the export."""

    mode: str  # "live", "link" or "remove"
    address: str = ""  # the live server's base URL, or the link's target

    @classmethod
    def from_settings(cls) -> "FormPolicy":
        """Read `PODIUM_EXPORT_FORMS` and `PODIUM_LIVE_URL` (see the module docstring)."""
        live = getattr(settings, "PODIUM_LIVE_URL", "").strip()
        choice = getattr(settings, "PODIUM_EXPORT_FORMS", "").strip() or (
            "live" if live else "remove"
        )
        if choice == "remove":
            return cls("remove")
        if choice == "live":
            if not _is_web_address(live):
                raise ImproperlyConfigured(
                    "PODIUM_EXPORT_FORMS=live needs PODIUM_LIVE_URL, the live server's address."
                )
            return cls("live", live.rstrip("/") + "/")
        if _is_web_address(choice):
            return cls("link", choice)
        raise ImproperlyConfigured(
            f"PODIUM_EXPORT_FORMS={choice!r}: expected live, remove or an http(s) address."
        )


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def make_forms_static(body: bytes, policy: FormPolicy, target: Target) -> bytes:
    """Apply the policy to every form of an HTML page that posts; other forms stay."""
    if LEFT_OUT[policy.mode]:
        body = _without_marked(body, LEFT_OUT[policy.mode])
    # Podium's templates write their tags in lower case, and sanitized HTML from users
    # carries no form: one look for the lower-case tag settles most pages.
    if b"<form" not in body:
        return body

    def replace(match: re.Match) -> bytes:
        attributes, inner = match.group(1), match.group(2)
        if not METHOD_POST.search(attributes):
            return match.group(0)
        if policy.mode == "remove":
            return b""
        if policy.mode == "link":
            label = _button_label(inner) or b"Sign up"
            href = html.escape(policy.address).encode()
            return b'<p class="static-form"><a href="' + href + b'">' + label + b"</a></p>"
        action = ACTION.search(attributes)
        path = html.unescape(action.group(1).decode()) if action else ""
        site_path = target.site_path(urlsplit(path).path) if path else None
        live_action = policy.address + (site_path or "/").lstrip("/")
        new_attributes = ACTION.sub(b"", attributes) + (
            b' action="' + html.escape(live_action).encode() + b'"'
        )
        return b"<form" + new_attributes + b">" + CSRF_INPUT.sub(b"", inner) + b"</form>"

    return POST_FORM.sub(replace, body)


def _button_label(inner: bytes) -> bytes:
    found = BUTTON_TEXT.search(inner)
    if not found:
        return b""
    text = found.group(1) if found.group(1) is not None else found.group(2)
    return TAG.sub(b"", text).strip()


def _without_marked(body: bytes, marks: tuple[bytes, ...]) -> bytes:
    """The page without each element whose `data-export` is one of `marks`, and all it
    holds."""
    # Found by the attribute's bytes, then its tag (`bytes.find`: a pattern that looks at
    # every tag took 15 ms over the 4 MB home page of 9,700 upcoming talks).
    position = 0
    while (at := body.find(MARKED, position)) >= 0:
        position = at + len(MARKED)
        mark = body[position : body.find(b'"', position)]
        start = body.rfind(b"<", 0, at)
        tag = START_TAG.match(body, start) if mark in marks else None
        if tag is None or tag.end() <= at:  # kept, or not in a tag
            continue
        end = _element_end(body, tag.group(1), tag.end())
        if end is not None:  # (an element never closed is left as it is)
            body, position = body[:start] + body[end:], start
    return body


def _element_end(body: bytes, tag: bytes, position: int) -> int | None:
    # Just after the end tag that closes the element whose start tag ends at `position`
    # (elements of the same name inside it are counted).
    depth = 1
    for match in re.compile(rb"<(/?)" + tag + rb"\b[^>]*>").finditer(body, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None
