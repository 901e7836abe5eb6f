"""Markdown rendering: what survives, what is removed, and the plain-text form."""

import pytest
from django.core.exceptions import ValidationError

from podium.seminars.text import (
    MAX_MARKDOWN_LENGTH,
    html_to_text,
    markdown_to_text,
    render_markdown,
    validate_markdown_length,
)

REL = 'rel="nofollow noopener noreferrer"'


def test_script_is_removed_with_its_content():
    html = render_markdown("Before <script>alert(1)</script> after")

    assert "script" not in html
    assert "alert" not in html
    assert "Before" in html and "after" in html


def test_javascript_link_gets_no_href():
    for source in (
        "[x](javascript:alert(1))",
        "<a href='JaVaScRiPt:alert(1)'>x</a>",
        "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
        "[x]: javascript:alert(1)\n\n[x]",
    ):
        html = render_markdown(source)
        assert "href" not in html, source  # the text may stay; it is not a link


def test_image_with_event_handler_is_inert():
    html = render_markdown("<img src=x onerror=alert(1)> text")

    assert "<img" not in html
    assert "onerror" not in html
    assert "alert" not in html


def test_markdown_image_becomes_a_link_so_the_page_fetches_nothing():
    html = render_markdown("![The speaker](https://tracker.example/pixel.png)")

    assert "<img" not in html
    assert html == (f'<p><a href="https://tracker.example/pixel.png" {REL}>The speaker</a></p>')


def test_link_keeps_href_drops_onclick_and_gains_rel():
    html = render_markdown('<a href="https://e.org" onclick="alert(1)">E</a>')

    assert html == f'<p><a href="https://e.org" {REL}>E</a></p>'


def test_markdown_links_and_bare_urls_get_rel():
    html = render_markdown("[Zoom](https://zoom.us/j/1) or https://e.org or a@b.org")

    assert f'<a href="https://zoom.us/j/1" {REL}>Zoom</a>' in html
    assert f'<a href="https://e.org" {REL}>https://e.org</a>' in html
    assert f'<a href="mailto:a@b.org" {REL}>a@b.org</a>' in html


def test_file_names_are_not_turned_into_links():
    assert "<a" not in render_markdown("See model.py and README.md")


def test_relative_and_empty_links_lose_their_href():
    html = render_markdown("[[Live Stream]()] [slides](../slides.pdf)")

    assert "href" not in html
    assert "Live Stream" in html and "slides" in html


def test_style_class_and_unknown_tags_are_removed():
    html = render_markdown(
        '<p style="position:fixed" class="x">Hi</p><iframe src="https://e.org"></iframe>'
        '<img src="../images/a.png" style="float:right"><svg onload=alert(1)></svg>'
    )

    assert html == "<p>Hi</p>"


def test_entities_and_line_breaks_survive():
    html = render_markdown("Alice &ndash; Bob<br>Carol &amp; Dan")

    assert html == "<p>Alice \u2013 Bob<br>Carol &amp; Dan</p>"


def test_details_from_real_pages_keeps_its_text():
    html = render_markdown("<details><br>Abstract: we study privacy.<br></details>")

    assert "details" not in html
    assert "Abstract: we study privacy." in html


def test_comments_are_removed():
    assert render_markdown("Shown <!-- hidden -->") == "<p>Shown </p>"


def test_headings_lists_emphasis_and_tables_render():
    html = render_markdown(
        "# Title\n\n## Part\n\n*em* **strong** ~~gone~~ `code`\n\n"
        "- one\n- two\n\n3. three\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    assert "<h3>Title</h3>" in html  # the page owns h1 and h2
    assert "<h4>Part</h4>" in html
    assert "<em>em</em> <strong>strong</strong> <s>gone</s> <code>code</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>\n</ol>' in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html


def test_fenced_code_keeps_its_text_but_not_its_class():
    html = render_markdown("```python\nif a < b:\n    pass\n```")

    assert html == "<pre><code>if a &lt; b:\n    pass\n</code></pre>"


def test_empty_source_renders_nothing():
    assert render_markdown("") == ""
    assert markdown_to_text("") == ""


def test_text_of_a_link_shows_label_and_url():
    text = markdown_to_text("Join on [Zoom](https://zoom.us/j/1?pwd=a&b=c) today.")

    assert text == "Join on Zoom (https://zoom.us/j/1?pwd=a&b=c) today."


def test_text_of_a_bare_url_or_address_does_not_repeat_it():
    text = markdown_to_text("See https://e.org/talk or write to a@b.org, [me](mailto:c@d.org)")

    assert text == "See https://e.org/talk or write to a@b.org, me (c@d.org)"


def test_text_has_paragraphs_lists_and_decoded_entities():
    text = markdown_to_text(
        "# Title\n\nAlice &ndash; Bob<br>Carol &amp; Dan\n\n\n\n- one\n- two\n  1. a\n\n"
        "<script>x()</script>End &lt;3"
    )

    assert text == ("Title\n\nAlice \u2013 Bob\nCarol & Dan\n\n- one\n- two\n   1. a\n\nEnd <3")


def test_text_of_a_table():
    assert markdown_to_text("| a | b |\n|---|---|\n| 1 | 2 |") == "a | b\n1 | 2"


def test_length_at_the_limit_is_accepted():
    validate_markdown_length("x" * MAX_MARKDOWN_LENGTH)
    validate_markdown_length("")
    validate_markdown_length(None)


def test_length_over_the_limit_names_limit_and_length():
    with pytest.raises(ValidationError) as refused:
        validate_markdown_length("x" * (MAX_MARKDOWN_LENGTH + 1))

    assert refused.value.messages == ["Keep this under 20,000 characters (it has 20,001)."]
    assert refused.value.code == "markdown_too_long"


def test_a_megabyte_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_markdown_length("a" * 1_048_576)

    assert refused.value.messages == ["Keep this under 20,000 characters (it has 1,048,576)."]


def test_html_to_text_of_rendered_markdown_is_markdown_to_text():
    from podium.seminars.text import html_to_text, markdown_to_text, render_markdown

    source = "Intro with [a link](https://example.org) and *emphasis*.\n\n- one\n- two\n\n1. first"
    assert html_to_text(render_markdown(source)) == markdown_to_text(source)
    assert "a link (https://example.org)" in html_to_text(render_markdown(source))


def test_html_to_text_keeps_one_blank_line_for_a_run_of_breaks():
    assert html_to_text("<p>a<br><br><br><br>b</p><p>c</p>") == "a\n\nb\n\nc"
    assert html_to_text("<p>a</p><p>b</p>") == "a\n\nb"
