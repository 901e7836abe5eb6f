"""The files an export writes from what it exported: `sitemap.xml`, `robots.txt`, `.nojekyll`."""

from xml.sax.saxutils import escape

from podium.export.output import Entry
from podium.export.target import Target

NOINDEX = b'<meta name="robots" content="noindex'


def in_sitemap(status: int, page: bytes) -> bool:
    """Whether the sitemap lists an HTML page: one that was found and does not ask search
    engines to leave it out (a `robots` meta element with `noindex` in its head, as the
    page other sites frame has: `/<series>/embed/`). Search engines flag a sitemap that
    lists such pages."""
    return status == 200 and page.find(NOINDEX, 0, page.find(b"</head>")) < 0


def site_files(target: Target, entries: dict[str, Entry]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes: the sitemap lists every exported page (by its address
    under the target), `robots.txt` points to it, and `.nojekyll` keeps GitHub Pages from
    running Jekyll over the files (which would drop some of them)."""
    pages = sorted(name for name, entry in entries.items() if entry.in_sitemap)
    # A process that exports again (`--watch`) has written most of these lines before.
    known = _SITEMAP_LINES.get(target, {})
    lines = {name: known.get(name) or _sitemap_line(target, name) for name in pages}
    _SITEMAP_LINES.clear()
    _SITEMAP_LINES[target] = lines
    urls = "".join(lines.values())
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )
    robots = f"User-agent: *\nAllow: /\nSitemap: {target.public_url('/sitemap.xml')}\n"
    return [("sitemap.xml", sitemap.encode()), ("robots.txt", robots.encode()), (".nojekyll", b"")]


def _sitemap_line(target: Target, name: str) -> str:
    page = "/" + name.removesuffix("index.html")
    return f"<url><loc>{escape(target.public_url(page))}</loc></url>\n"


# The sitemap's line for each page of the last export, by file name, for its target.
_SITEMAP_LINES: dict[Target, dict[str, str]] = {}
