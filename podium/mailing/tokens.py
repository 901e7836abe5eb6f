"""Signed links in emails: confirmation (7 days, single use), preferences and unsubscribe.

A token names the subscriber and carries their `key`; deleting or resetting the key voids every
link sent so far. Tokens are HMAC-signed with the site's secret key (Django's signing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "podium.mailing.confirm"
PREFERENCES_SALT = "podium.mailing.preferences"
UNSUBSCRIBE_SALT = "podium.mailing.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)

_preferences = signing.Signer(salt=PREFERENCES_SALT)
_unsubscribe = signing.Signer(salt=UNSUBSCRIBE_SALT)
_confirm = signing.TimestampSigner(salt=CONFIRM_SALT)


class BadLink(ValueError):
    """A link that was forged, damaged, expired or already used; `message` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LinkClaim:
    subscriber_id: int
    key: str
    extra: str = ""


def preferences_token(subscriber_id: int, key: str) -> str:
    """The token of a subscriber's preferences page; valid until their key changes."""
    return _preferences.sign(f"{subscriber_id}.{key}")


def unsubscribe_token(subscriber_id: int, key: str, list_id: int) -> str:
    """The token of the one-click unsubscribe from one list (RFC 8058)."""
    return _unsubscribe.sign(f"{subscriber_id}.{key}.{list_id}")


def confirm_token(subscriber_id: int, nonce: str) -> str:
    """The token of a confirmation link; expires after `CONFIRM_MAX_AGE`."""
    return _confirm.sign(f"{subscriber_id}.{nonce}")


def _split(value: str) -> LinkClaim:
    parts = value.split(".")
    if len(parts) not in (2, 3) or not parts[0].isdigit():
        raise BadLink("This link is not one Podium made. Use the link from your latest email.")
    return LinkClaim(int(parts[0]), parts[1], parts[2] if len(parts) == 3 else "")


def read_preferences_token(token: str) -> LinkClaim:
    """Check a preferences token's signature; raise `BadLink` if it is forged or damaged."""
    try:
        return _split(_preferences.unsign(token))
    except signing.BadSignature:
        raise BadLink(
            "This link is damaged or not one Podium made. Use the link from your latest email."
        ) from None


def read_unsubscribe_token(token: str) -> LinkClaim:
    """Check a one-click unsubscribe token's signature; raise `BadLink` if it is bad."""
    try:
        return _split(_unsubscribe.unsign(token))
    except signing.BadSignature:
        raise BadLink(
            "This unsubscribe link is damaged or not one Podium made. Use the link from "
            "your latest email."
        ) from None


def read_confirm_token(token: str) -> LinkClaim:
    """Check a confirmation token's signature and age; raise `BadLink` if it is bad or old."""
    try:
        return _split(_confirm.unsign(token, max_age=CONFIRM_MAX_AGE))
    except signing.SignatureExpired:
        raise BadLink(
            "This confirmation link has expired (links work for 7 days). Subscribe again on "
            "the series page to get a new one."
        ) from None
    except signing.BadSignature:
        raise BadLink(
            "This confirmation link is damaged or not one Podium made. Subscribe again on "
            "the series page to get a new one."
        ) from None
