"""The one place that reads `PODIUM_EMAIL_URL`: where the worker delivers mail.

- ``podium:`` (the default) keeps every message inside Podium, in a mailbox organizers read
  at /organize/ (for the demo and for trying things out; nothing leaves the machine).
- ``smtp://host:25`` plain SMTP (a local relay), ``smtp+tls://user:pass@host:587`` SMTP with
  STARTTLS, ``smtp+ssl://user:pass@host:465`` SMTP over TLS from the first byte.

Percent-encode special characters of the user name and password (``@`` is ``%40``).
Query parameters: ``timeout`` (seconds, default 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

STORED = "podium"
SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtp+ssl": (False, True)}
DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}


class EmailURLError(ValueError):
    """`PODIUM_EMAIL_URL` cannot be understood; the message says why."""


@dataclass(frozen=True)
class EmailTransport:
    """Where and how the worker hands messages over."""

    kind: str  # "stored" or "smtp"
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30.0

    @property
    def is_stored(self) -> bool:
        return self.kind == "stored"

    def describe(self) -> str:
        """A safe description for logs and pages: never the password."""
        if self.is_stored:
            return "kept inside Podium (read it at /organize/)"
        mode = "STARTTLS" if self.starttls else "TLS" if self.ssl else "plain"
        user = f"{self.username}@" if self.username else ""
        return f"SMTP {user}{self.host}:{self.port} ({mode})"


def parse_email_url(url: str) -> EmailTransport:
    """Turn `PODIUM_EMAIL_URL` into an `EmailTransport`, or raise `EmailURLError`."""
    url = url.strip()
    if url in ("", STORED, f"{STORED}:", f"{STORED}://"):
        return EmailTransport(kind="stored")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise EmailURLError(
            f"PODIUM_EMAIL_URL: unknown scheme {scheme!r}; use podium:, smtp://, "
            "smtp+tls:// or smtp+ssl://."
        )
    if not parts.hostname:
        raise EmailURLError("PODIUM_EMAIL_URL: the SMTP URL needs a host, e.g. smtp://mail:25.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise EmailURLError("PODIUM_EMAIL_URL: the port must be a number.") from None
    query = parse_qs(parts.query)
    try:
        timeout = float(query.get("timeout", ["30"])[0])
    except ValueError:
        raise EmailURLError("PODIUM_EMAIL_URL: timeout must be a number of seconds.") from None
    starttls, ssl = SCHEMES[scheme]
    return EmailTransport(
        kind="smtp",
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=starttls,
        ssl=ssl,
        timeout=timeout,
    )
