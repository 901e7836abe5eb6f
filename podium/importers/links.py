"""The labelled links of a talk: "[[Zoom Registration](url)]", "[[Recording]](url)"..."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(
    r"\[\[([^\]]+)\]\(([^()]*(?:\([^()]*\)[^()]*)*)\)\]"  # [[Label](url)]
    r"|\[\[([^\]]+)\]\]\(([^)]*)\)"  # [[Label]](url)
    r"|\[([^\]]+)\]\(([^)]*)\)"  # [Label](url)
)
_PASSCODE = re.compile(r"\(?\s*(pass\s*code|password|pwd)\s*[:=]?\s*([^)\s]+)\)?", re.IGNORECASE)

KINDS = {
    "zoom registration": "registration_url",
    "registration": "registration_url",
    "register": "registration_url",
    "zoom link": "registration_url",
    "zoom": "registration_url",
    "live stream": "livestream_url",
    "livestream": "livestream_url",
    "stream": "livestream_url",
    "recording": "recording_url",
    "video": "recording_url",
    "slides": "slides_url",
}


def find_links(text: str) -> tuple[list[tuple[str, str, str]], str]:
    """([(label, target, passcode)], text without the links). Targets are not validated here;
    a passcode written next to the URL ("url (Passcode: X)") is split off it."""
    found = []

    def take(match: re.Match[str]) -> str:
        groups = match.groups()
        label, target = next((groups[i], groups[i + 1]) for i in (0, 2, 4) if groups[i] is not None)
        target = target.strip()
        passcode = ""
        if " " in target:
            first, _, extra = target.partition(" ")
            code = _PASSCODE.search(extra)
            if code:
                target, passcode = first, code.group(2)
        found.append((" ".join(label.split()), target, passcode))
        return " "

    rest = _LINK.sub(take, text)
    return found, rest


def is_web_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) address with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def url_passcode(url: str) -> str:
    """A passcode carried in the URL itself (Zoom's "?pwd="), or ""."""
    query = parse_qs(urlsplit(url).query)
    return (query.get("pwd") or query.get("passcode") or [""])[0]


def link_kind(label: str) -> str | None:
    """The Talk field a link label fills ("Recording" -> recording_url), or None."""
    return KINDS.get(label.strip().lower())
