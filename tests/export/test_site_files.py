"""The sitemap, robots.txt and .nojekyll an export writes (podium/export/site_files.py)."""

from podium.export.output import Entry
from podium.export.site_files import in_sitemap, site_files
from podium.export.target import Target

TARGET = Target.from_url("https://user.github.io/repo/")


def page(in_sitemap: bool = True) -> Entry:
    return Entry("digest", 1, in_sitemap=in_sitemap)


def files(entries: dict[str, Entry], target: Target = TARGET) -> dict[str, str]:
    return {name: body.decode() for name, body in site_files(target, entries)}


def test_the_sitemap_lists_the_pages_in_order_at_their_public_addresses():
    entries = {
        "s/talks/b/index.html": page(),
        "index.html": page(),
        "s/talks/b/calendar.ics": page(in_sitemap=False),
        "404.html": page(in_sitemap=False),
        "s/past/page/2/index.html": page(),
    }
    sitemap = files(entries)["sitemap.xml"]
    assert sitemap.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    assert sitemap.splitlines()[2:-1] == [
        "<url><loc>https://user.github.io/repo/</loc></url>",
        "<url><loc>https://user.github.io/repo/s/past/page/2/</loc></url>",
        "<url><loc>https://user.github.io/repo/s/talks/b/</loc></url>",
    ]
    assert sitemap.endswith("</urlset>\n")


def test_addresses_are_escaped_for_xml():
    sitemap = files({"a&b/index.html": page()})["sitemap.xml"]
    assert "<loc>https://user.github.io/repo/a&amp;b/</loc>" in sitemap


def test_robots_points_at_the_sitemap_and_nojekyll_is_empty():
    written = files({"index.html": page()})
    assert written["robots.txt"] == (
        "User-agent: *\nAllow: /\nSitemap: https://user.github.io/repo/sitemap.xml\n"
    )
    assert written[".nojekyll"] == ""


def test_lines_remembered_from_the_last_export_follow_its_target():
    # A process exporting again reuses its lines; another base URL gets its own.
    files({"index.html": page(), "s/index.html": page()})
    again = files({"index.html": page()})["sitemap.xml"]
    assert "repo/s/" not in again and "<loc>https://user.github.io/repo/</loc>" in again
    elsewhere = files({"index.html": page()}, Target.from_url("https://example.org/"))
    assert "<loc>https://example.org/</loc>" in elsewhere["sitemap.xml"]
    assert "user.github.io" not in elsewhere["sitemap.xml"]


def test_the_sitemap_leaves_out_pages_not_found_and_pages_that_ask_not_to_be_indexed():
    head = b'<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
    page = head + b"<title>A talk</title>\n</head>\n<body>\n<p>Hello</p>\n</body>\n</html>\n"
    assert in_sitemap(200, page)
    assert not in_sitemap(404, page)
    hidden = head + b'<meta name="robots" content="noindex">\n</head>\n<body></body>\n'
    assert not in_sitemap(200, hidden)
    # What the body says (a talk about robots meta elements, in a code sample) counts not.
    quoted = page.replace(b"<p>Hello</p>", b'<pre><meta name="robots" content="noindex"></pre>')
    assert in_sitemap(200, quoted)
