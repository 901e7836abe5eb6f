"""Where an export will live: its base URL, split into what rendering and links need."""

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Target:
    """The public address of an exported site, e.g. ``https://user.github.io/repo/``."""

    base_url: str  # always ends with "/"
    scheme: str
    host: str  # with the port, if any
    base_path: str  # "/" or "/repo/": the prefix every page address starts with

    @classmethod
    def from_url(cls, url: str) -> "Target":
        """Split a checked http(s) URL; the path always gets its trailing slash."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if not path.endswith("/"):
            path += "/"
        return cls(
            base_url=f"{parts.scheme}://{parts.netloc}{path}",
            scheme=parts.scheme,
            host=parts.netloc,
            base_path=path,
        )

    @property
    def script_name(self) -> str:
        """The WSGI ``SCRIPT_NAME`` a server mounted at this path would see ("" at the root)."""
        return self.base_path.rstrip("/")

    def site_path(self, url_path: str) -> str | None:
        """``/repo/a/b/`` becomes ``/a/b/``; None for an address outside the site."""
        if not url_path.startswith(self.base_path):
            return None
        return "/" + url_path[len(self.base_path) :]

    def public_url(self, site_path: str) -> str:
        """The absolute address of a site path, e.g. for the sitemap."""
        return self.base_url + site_path.lstrip("/")
