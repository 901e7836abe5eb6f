"""An independent link checker for an exported folder (html.parser, not the export's regexes)."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.found.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def broken_links(directory: Path, base_url: str) -> list[str]:
    """Every internal link or asset of every page that does not resolve to a file, and
    every root-relative link that escapes the base path (it would break under a sub-path)."""
    base = urlsplit(base_url)
    problems = []
    for page in sorted(directory.rglob("*.html")):
        relative = page.relative_to(directory).as_posix()
        page_url = base.path + relative.removesuffix("index.html")
        for link in links_of(page.read_text()):
            parts = urlsplit(urljoin(page_url, link))
            if parts.scheme and (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                continue
            if parts.scheme in ("mailto", "javascript", "data"):
                continue
            path = unquote(parts.path)
            if not path.startswith(base.path):
                problems.append(f"{relative}: {link} is outside {base.path}")
                continue
            target = path[len(base.path) :]
            if target == "" or target.endswith("/"):
                target += "index.html"
            if not (directory / target).is_file():
                problems.append(f"{relative}: {link} has no file {target}")
    return problems
