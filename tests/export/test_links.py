"""Finding a page's links to the site itself (links.py)."""

from podium.export import links
from podium.export.links import forget_addresses, site_links
from podium.export.target import Target

PAGE = (
    b'<html><head><link rel="canonical" href="https://user.github.io/repo/talks/a/">'
    b'<link rel="stylesheet" href="/repo/static/site.css"></head><body>'
    b'<a href="../b/">next</a> <a\thref="/repo/talks/a/calendar.ics">ics</a>'
    b'<a data-href="/repo/not-a-link/">x</a><a href="https://elsewhere.org/">out</a>'
    b'<img src="/repo/media/p.jpg" srcset="/repo/media/p.jpg 1x, /repo/media/p2.jpg 2x">'
    b"</body></html>"
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
    }
    # The same page for a site elsewhere: the absolute canonical address is not its own.
    other = site_links(PAGE, "text/html", "/talks/a/", Target.from_url("https://example.org/repo/"))
    assert other == github - {"/talks/a/"}


def test_each_export_starts_with_no_remembered_address():
    site_links(PAGE, "text/html", "/talks/a/", Target.from_url("https://user.github.io/repo/"))
    assert links._ABSOLUTE
    forget_addresses()
    assert not links._ABSOLUTE
