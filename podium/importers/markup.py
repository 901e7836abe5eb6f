"""Turning the HTML bits of a Jekyll page into the clean Markdown Podium stores.

Pages mix Markdown with `<br>`, `<details>`, `<img>`, entities (`&ndash;`) and comments.
Abstracts and bios are stored as Markdown: breaks become paragraphs, `<details>` is
unwrapped (the renderer would drop it with its content), entities become characters, and
any other tag is dropped, keeping its text.
"""

from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BREAKS = re.compile(r"(?:\s*<br\s*/?>\s*)+", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BOLD = re.compile(r"</?(?:b|strong)\s*>", re.IGNORECASE)
_ITALIC = re.compile(r"</?(?:i|em)\s*>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"</?p\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MARKDOWN_LINK = re.compile(r"^\[([^\]]+)\]\((https?://[^)\s]+)\)\)?$")
_BARE_URL = re.compile(r"^<?(https?://\S+?)>?$")
_SECTION_LABEL = re.compile(
    r"\*\*\s*(Abstract|Bios?|Speakers?)\s*:?\s*\*\*\s*:?|\b(Abstract|Bios?):\s", re.IGNORECASE
)


def strip_comments(text: str) -> tuple[str, int | None]:
    """Blank out HTML comments, keeping line numbers; also return the line of an unclosed one.

    An unclosed `<!--` hides the rest of the page, as it would in a browser.
    """

    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")

    text = _COMMENT.sub(blank, text)
    opened = text.find("<!--")
    if opened == -1:
        return text, None
    line = text.count("\n", 0, opened) + 1
    return text[:opened] + "\n" * text.count("\n", opened), line


def html_to_markdown(fragment: str) -> str:
    """Clean Markdown from a page fragment: breaks, tags and entities resolved."""
    text = _ANCHOR.sub(lambda m: f"[{m.group(2).strip()}]({m.group(1)})", fragment)
    text = _BREAKS.sub("\n\n", text)
    text = _PARAGRAPH.sub("\n\n", text)
    text = _BOLD.sub("**", text)
    text = _ITALIC.sub("*", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def inline_text(fragment: str) -> str:
    """One line of plain text from a page fragment (a title, a name, an affiliation)."""
    text = _ANY_TAG.sub(" ", fragment)
    text = html.unescape(text).replace("\\&", "&").replace("\xa0", " ")
    text = re.sub(r"\\([*_\[\]()#])", r"\1", text)
    return " ".join(text.split())


def split_details(details: str) -> tuple[str, str]:
    """(abstract, bio) Markdown from the inside of a talk's `<details>`."""
    parts: dict[str, str] = {}
    matches = list(_SECTION_LABEL.finditer(details))
    for i, match in enumerate(matches):
        label = (match.group(1) or match.group(2)).lower()
        key = "abstract" if label.startswith("abstract") else "bio"
        end = matches[i + 1].start() if i + 1 < len(matches) else len(details)
        parts.setdefault(key, details[match.end() : end])
    if not matches:
        parts["abstract"] = details
    abstract = html_to_markdown(parts.get("abstract", ""))
    bio = html_to_markdown(parts.get("bio", ""))
    return _drop_tba(abstract), _drop_tba(bio)


def _drop_tba(text: str) -> str:
    return "" if text.strip(" .").lower() in {"tba", "tbd", "tbc", "to be announced"} else text


def split_bio(bio: str) -> tuple[str, str]:
    """(bio text, homepage): a bio that is only a URL is a homepage; a trailing lone URL too."""
    paragraphs = [p for p in bio.split("\n\n") if p.strip()]
    if not paragraphs:
        return "", ""
    last = paragraphs[-1].strip()
    url = ""
    link = _MARKDOWN_LINK.match(last) or _BARE_URL.match(last)
    if link:
        url = link.group(link.lastindex or 1)
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs).strip(), url
