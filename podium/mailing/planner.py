"""What the worker does on each planning tick, besides delivering the outbox."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from podium.mailing import announcements, delivery, ratelimit, subscriptions

log = logging.getLogger("podium.mail")


def plan_due(now: datetime | None = None) -> dict[str, int]:
    """Queue scheduled announcements, corrections and reminders that are due; return stuck
    rows to the queue; forget expired pending subscriptions and old rate-limit counts."""
    now = now or timezone.now()
    done = {
        "released": delivery.release_stuck(now),
        "scheduled": announcements.send_scheduled(now),
        "corrections": announcements.plan_corrections(now),
        "reminders": announcements.plan_reminders(now),
        "forgotten": subscriptions.forget_unconfirmed(now),
        "rate_limit_hits": ratelimit.forget_old_hits(now),
    }
    if any(done.values()):
        log.info("Mail planning: %s", ", ".join(f"{k} {v}" for k, v in done.items() if v))
    return done
