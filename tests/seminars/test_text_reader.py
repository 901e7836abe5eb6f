"""`html_to_text` reads the sanitized HTML with a regular expression; html.parser, the
standard library's reader, must see exactly the same tags, attributes and text."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from podium.seminars.text import _PlainTextWriter, html_to_text, render_markdown

DEMO_PAGES = Path(__file__).resolve().parents[2] / "podium" / "importers" / "demo_pages"


class _Reference(HTMLParser):
    """html.parser driving the same writer: the reference for the fast reader."""

    def __init__(self, writer: _PlainTextWriter) -> None:
        super().__init__(convert_charrefs=True)
        self.handle_starttag = writer.handle_starttag
        self.handle_endtag = writer.handle_endtag
        self.handle_data = writer.handle_data


def reference_text(source: str) -> str:
    writer = _PlainTextWriter()
    parser = _Reference(writer)
    parser.feed(source)
    parser.close()
    return writer.text()


TRICKY_HTML = [
    '<p>A <a href="https://example.org/?a=1&amp;b=&gt;2">link with &gt; inside</a> here.</p>',
    "<p>Line one<br>line two<br/>line three<br />four</p>",
    '<ol start="3"><li>three</li><li>four<ul><li>nested</li></ul></li></ol>',
    "<pre><code>  keep   the\n  spacing &lt;x&gt;\n</code></pre>",
    "<p>Entities: &ndash; &amp; &#8212; &#x2014; &nbsp;caf&eacute; &copy</p>",
    "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
    "<blockquote><p>quoted</p></blockquote><hr><h3>Title</h3><p>after</p>",
    "<p>a stray < that starts no tag, and 3 < 4 > 2</p>",
    "<!-- a comment --><p>after a comment</p>",
    '<p><a href="mailto:ada@example.org">ada@example.org</a> and <A HREF="https://x.org">X</A></p>',
    "",
]


@pytest.mark.parametrize("source", TRICKY_HTML)
def test_the_fast_reader_reads_what_html_parser_reads(source):
    assert html_to_text(source) == reference_text(source)


@pytest.mark.parametrize("page", sorted(DEMO_PAGES.glob("*.md")), ids=lambda p: p.name)
def test_real_seminar_pages_give_the_same_text(page):
    # The PriSec-ML pages as Markdown: raw HTML, entities, lists, links, the lot.
    source = render_markdown(page.read_text()[:19_000])
    assert source, page
    assert html_to_text(source) == reference_text(source)


@pytest.mark.parametrize(
    "text",
    ["", " ", "a", " a ", "a  b\t\nc", "\u00a0non\u2003breaking\u3000", "\x1cx\x1f", "\n\nend"],
)
def test_whitespace_is_squeezed_as_the_regular_expression_does(text):
    import re

    from podium.seminars.text import squeeze_whitespace

    assert squeeze_whitespace(text) == re.sub(r"\s+", " ", text)
