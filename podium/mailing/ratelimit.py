"""Rate limits kept in the database (shared by every app server process).

Only a keyed digest of the client address or email address is stored, and only for a day.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from podium.mailing.models import RateLimitHit

KEEP = timedelta(days=1)


def _digest(scope: str, key: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{key}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def allow(scope: str, key: str, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one attempt under (scope, key); False if `limit` were already made in `window`."""
    now = now or timezone.now()
    digest = _digest(scope, key)
    recent = RateLimitHit.objects.filter(scope=scope, digest=digest, at__gt=now - window)
    if recent.count() >= limit:
        return False
    RateLimitHit.objects.create(scope=scope, digest=digest, at=now)
    return True


def forget_old_hits(now: datetime | None = None) -> int:
    """Delete counted attempts older than a day."""
    now = now or timezone.now()
    return RateLimitHit.objects.filter(at__lt=now - KEEP).delete()[0]


def client_address(request: HttpRequest) -> str:
    """The client's IP address, taking `PODIUM_PROXY_COUNT` trusted proxies into account."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
