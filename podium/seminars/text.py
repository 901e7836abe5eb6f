"""The one place that turns Markdown (abstracts, bios, series descriptions) into HTML or text.

Markdown may contain raw HTML (real seminar pages do: ``<br>``, ``&ndash;``, ``<details>``),
so the parser lets it through and nh3 then sanitizes every byte of output against an explicit
allow-list. Nothing rendered here can run script, load a third-party resource or carry style.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import nh3
from django.core.exceptions import ValidationError

if TYPE_CHECKING:  # markdown-it is loaded on the first rendering: most commands never render
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

MAX_MARKDOWN_LENGTH = 20_000

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "a", "code", "pre", "blockquote",
        "ul", "ol", "li", "h3", "h4", "h5", "h6", "sub", "sup", "del",
        "s",  # markdown-it renders ~~strikethrough~~ as <s>
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# The page around an abstract already has h1 and h2, so "# Heading" in Markdown becomes h3.
HEADING_SHIFT = 2


def _demote_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


def _image_as_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # An <img> would make the reader's browser fetch from a third party; a link does not.
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    source = token.attrGet("src") or ""
    label = self.renderInlineAsText(token.children or [], options, env) or source
    return f'<a href="{escapeHtml(str(source))}">{escapeHtml(label)}</a>'


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    # Only links with a scheme (and e-mail addresses): "model.py" or "README.md" stay text.
    parser.linkify.set({"fuzzy_link": False})
    parser.core.ruler.push("demote_headings", _demote_headings)
    parser.add_render_rule("image", _image_as_link)
    return parser


def render_markdown(source: str) -> str:
    """Render Markdown to HTML that is safe to put on a public page as it is.

    Raw HTML in the source is parsed, then everything is sanitized by nh3: only the tags in
    ``ALLOWED_TAGS`` remain (others are dropped, keeping their text; ``<script>`` and
    ``<style>`` lose their content too), links keep only http, https and mailto URLs and get
    ``rel="nofollow noopener noreferrer"``, and no style, class or event attribute survives.
    """
    if not source:
        return ""
    unsafe = _parser().render(source)
    return nh3.clean(
        unsafe,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",  # a relative link in an abstract means nothing on another page
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


# The sanitized HTML of `render_markdown`, read token by token. A regular expression is
# enough for what nh3 writes (no script or style, every tag closed by ">", attribute values
# quoted, though they may hold ">"), and it is several times faster than html.parser, which
# counts on a 10,000-talk export (each calendar file, summary and JSON-LD needs the text).
_ATTRIBUTES = r"""((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)"""
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)" + _ATTRIBUTES + r"\s*(/?)>"  # a start or end tag
    r"|<!--.*?-->"  # a comment (nh3 drops them; skipped if one gets through)
    r"|([^<]+|<)",  # text; a "<" that starts no tag is text too
    re.DOTALL,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attributes(source: str) -> list[tuple[str, str | None]]:
    return [
        (name.lower(), html.unescape(double or single or bare))
        for name, double, single, bare in _ATTRIBUTE.findall(source)
    ]


def squeeze_whitespace(text: str) -> str:
    """Every run of whitespace as one space, like ``re.sub(r"\\s+", " ", text)``, at a
    fraction of the cost (str.split knows the same whitespace as the regular expression)."""
    words = text.split()
    if not words:
        return " " if text else ""
    squeezed = " ".join(words)
    if text[0].isspace():
        squeezed = " " + squeezed
    if text[-1].isspace():
        squeezed += " "
    return squeezed


class _PlainTextWriter:
    """Turns the sanitized HTML of ``render_markdown`` into readable plain text."""

    BLOCK_TAGS = frozenset({"p", "pre", "blockquote", "table", "h3", "h4", "h5", "h6", "ul", "ol"})
    INDENT = "   "

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending_newlines = 0
        self.in_pre = False
        self.at_item_start = False  # a paragraph right after "- " stays on the marker's line
        self.lists: list[int | None] = []  # per open list: the next number, None if bulleted
        self.links: list[tuple[str, int]] = []  # per open <a>: its href, where its text starts
        self.first_cell = True

    def _break(self, newlines: int) -> None:
        if not self.at_item_start:
            self.pending_newlines = max(self.pending_newlines, newlines)

    def _write(self, text: str) -> None:
        if self.pending_newlines and self.parts:
            # Text that continues a list item lines up under the item's text.
            depth = len(self.lists) if not self.in_pre else 0
            self.parts.append("\n" * self.pending_newlines + self.INDENT * depth)
        self.pending_newlines = 0
        self.at_item_start = False
        self.parts.append(text)

    def _at_line_start(self) -> bool:
        return self.pending_newlines > 0 or not self.parts or self.parts[-1].endswith(("\n", " "))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK_TAGS:
            nested_list = tag in ("ul", "ol") and self.lists
            self._break(1 if nested_list else 2)
        if tag == "pre":
            self.in_pre = True
        elif tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self.lists.append(int(start) if tag == "ol" and start.isdigit() else None)
        elif tag == "li" and self.lists:
            number = self.lists[-1]
            if number is not None:
                self.lists[-1] = number + 1
            self._break(1)
            self._write_marker("- " if number is None else f"{number}. ")
        elif tag == "br":
            self.pending_newlines += 1
            self.at_item_start = False
        elif tag == "hr":
            self._break(2)
            self._write("---")
            self._break(2)
        elif tag == "tr":
            self._break(1)
            self.first_cell = True
        elif tag in ("td", "th"):
            if not self.first_cell:
                self.parts[-1] = self.parts[-1].rstrip()
                self._write(" | ")
            self.first_cell = False
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def _write_marker(self, marker: str) -> None:
        if self.pending_newlines and self.parts:
            depth = len(self.lists) - 1
            self.parts.append("\n" * self.pending_newlines + self.INDENT * depth)
        self.pending_newlines = 0
        self.parts.append(marker)
        self.at_item_start = True

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCK_TAGS:
            nested_list = tag in ("ul", "ol") and len(self.lists) > 1
            self._break(1 if nested_list else 2)
        if tag == "pre":
            self.in_pre = False
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "li":
            self.at_item_start = False
            self._break(1)
        elif tag == "a" and self.links:
            href, first_part = self.links.pop()
            label = "".join(self.parts[first_part:]).strip()
            if href and not _label_is_url(label, href):
                self._write(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data: str) -> None:
        if not self.in_pre:
            data = squeeze_whitespace(data)
            if self._at_line_start():
                data = data.lstrip()
            if not data:
                return
        self._write(data)

    def read(self, source: str) -> None:
        """Feed the whole HTML through the handlers, in document order."""
        for match in _TOKEN.finditer(source):
            closing, tag, attributes, self_closing, text = match.groups()
            if tag:
                tag = tag.lower()
                if closing:
                    self.handle_endtag(tag)
                    continue
                self.handle_starttag(tag, _attributes(attributes) if attributes else [])
                if self_closing:
                    self.handle_endtag(tag)
            elif text is not None:
                self.handle_data(html.unescape(text))

    def text(self) -> str:
        text = "\n".join(line.rstrip() for line in "".join(self.parts).split("\n"))
        # Looking first is much cheaper than the search, and most texts have no such run.
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
        return text.strip()


def _label_is_url(label: str, href: str) -> bool:
    # A bare URL or address that linkify turned into a link needs no "(url)" after it.
    address = href.removeprefix("mailto:").split("://", 1)[-1].rstrip("/")
    return label.split("://", 1)[-1].rstrip("/") == address or label == href


def markdown_to_text(source: str) -> str:
    """Render Markdown to plain text for calendar descriptions and emails.

    The text is that of ``render_markdown`` (so nothing the page would drop appears), with
    entities decoded, one blank line between paragraphs, list items as "- " or "1. ", and
    each link as "label (url)".
    """
    return html_to_text(render_markdown(source))


def html_to_text(source: str) -> str:
    """The plain text of HTML made by ``render_markdown`` (e.g. a stored ``abstract_html``).

    Same result as ``markdown_to_text`` on the source, without parsing the Markdown again.
    A talk keeps its abstract's text from its last save (``Talk.abstract_text``), so pages,
    feeds and exports of thousands of talks never work it out again.
    """
    writer = _PlainTextWriter()
    writer.read(source)
    return writer.text()


def validate_markdown_length(value: str | None) -> None:
    """Refuse Markdown longer than ``MAX_MARKDOWN_LENGTH`` characters, saying by how much."""
    length = len(value or "")
    if length > MAX_MARKDOWN_LENGTH:
        raise ValidationError(
            f"Keep this under {MAX_MARKDOWN_LENGTH:,} characters (it has {length:,}).",
            code="markdown_too_long",
        )
