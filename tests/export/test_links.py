"""Finding a page's links to the site itself (links.py)."""

import html

from podium.export import links
from podium.export.links import forget_addresses, site_links
from podium.export.target import Target

PAGE = (
    b'<html><head><link rel="canonical" href="https://user.github.io/repo/talks/a/">'
    b'<link rel="stylesheet" href="/repo/static/site.css"></head><body>'
    b'<a href="../b/">next</a> <a\thref="/repo/talks/a/calendar.ics">ics</a>'
    b'<a data-href="/repo/not-a-link/">x</a><a href="https://elsewhere.org/">out</a>'
    b'<img src="/repo/media/p.jpg" srcset="/repo/media/p.jpg 1x, /repo/media/p2.jpg 2x">'
    b'<p>A src of truth, a srcset; src = "/repo/not-a-link/"</p><img data-src="/repo/nor/">'
    b'<script src="/repo/static/x.js"></script></body></html>'
)


def test_links_are_read_against_each_target():
    github = site_links(
        PAGE, "text/html", "/talks/a/", Target.from_url("https://user.github.io/repo/")
    )
    assert github == {
        "/talks/a/",
        "/static/site.css",
        "/talks/b/",
        "/talks/a/calendar.ics",
        "/media/p.jpg",
        "/media/p2.jpg",
        "/static/x.js",
    }
    # The same page for a site elsewhere: the absolute canonical address is not its own.
    other = site_links(PAGE, "text/html", "/talks/a/", Target.from_url("https://example.org/repo/"))
    assert other == github - {"/talks/a/"}


def test_each_export_starts_with_no_remembered_address():
    site_links(PAGE, "text/html", "/talks/a/", Target.from_url("https://user.github.io/repo/"))
    assert links._ABSOLUTE
    forget_addresses()
    assert not links._ABSOLUTE


TRICKY = [
    "https://user.github.io/repo/talks/a/",
    "https://user.github.io/repo/talks/a/calendar.ics",
    "https://user.github.io/repo/",
    "https://user.github.io/repo",
    "https://user.github.io/repository/x/",
    "https://user.github.io/repo/a/../b/",
    "https://user.github.io/repo/a/./b",
    "https://user.github.io/repo/a/..",
    "https://user.github.io/repo/.../b",
    "https://user.github.io/repo/a//b",
    "https://user.github.io/repo//a",
    "https://user.github.io/repo/a%20b/",
    "https://user.github.io/repo/a?x=1",
    "https://user.github.io/repo/a#top",
    "https://user.github.io/repo/a\\b",
    "https://user.github.io/repo/séminaire/",
    "http://user.github.io/repo/a/",
    "webcal://user.github.io/repo/calendar.ics",
    "//user.github.io/repo/a/",
    "/repo/static/site.css",
    "/repo/",
    "/repo",
    "/repo/../etc/",
    "/repo/a/./b/",
    "/repository/a/",
    "/other/",
    "../b/",
    "./c",
    "d/e/",
    "?page=2",
    "mailto:ada@example.org",
    "https://elsewhere.org/user.github.io/repo/",
    "https://user.github.io.evil.example/repo/",
    "https://user@user.github.io/repo/",
    "https://USER.github.io/repo/",
    "ftp://user.github.io/repo/",
    "a://user.github.io/repo/x",
    "javascript:alert(1)",
    "a/b://user.github.io/x",
    "talks/x?u=https://elsewhere.org/",
]


def test_plain_addresses_under_the_base_take_a_short_cut_to_the_same_result():
    for base in ("https://user.github.io/repo/", "https://user.github.io/"):
        target = Target.from_url(base)
        for value in TRICKY:
            page = target.base_path + "talks/a/"
            assert links._site_path(value, page, target) == links._resolved_site_path(
                value, page, target
            ), (base, value)


ESCAPED = [
    "https://user&#46;github.io/repo/a/",
    "https://user.github&#x2E;io/repo/a/",
    "&#104;ttps://user.github.io/repo/a/",
    "https&#58;//user.github.io/repo/a/",
    "https://user.github.io/repo/a/?x=1&amp;y=2",
    "https://elsewhere.org/?a=1&amp;b=https://user.github.io/repo/",
    "https://elsewhere&#46;org/repo/",
    "https://user.github.io&#47;repo/a/",
]


def test_an_attribute_is_read_as_its_unescaped_text():
    # Another site's address is told from the attribute's raw bytes, before unescaping: the
    # same answer as the unescaped text's, character references anywhere.
    for base in ("https://user.github.io/repo/", "https://user.github.io/"):
        target = Target.from_url(base)
        page = target.base_path + "talks/a/"
        for value in TRICKY + ESCAPED:
            raw = html.escape(value) if "&" not in value else value
            forget_addresses()
            found = site_links(f'<a href="{raw}">x</a>'.encode(), "text/html", "/talks/a/", target)
            expected = links._resolved_site_path(html.unescape(raw), page, target)
            assert found == ({expected} if expected else set()), (base, value)
