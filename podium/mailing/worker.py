"""The mail side of `podium worker`: delivery threads beside django-tasks' db_worker.

Threads, not a self-rescheduling task or a child process: a SIGKILL of the worker takes the
threads with it (no orphan keeps sending), nothing has to be re-armed after a crash (a task
chain would stop at the task that was killed), and on restart `release_stuck` returns rows
a dead worker left "sending" once their lease is over.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from podium.mailing import delivery, planner

log = logging.getLogger("podium.mail")

PLAN_EVERY_SECONDS = 20
IDLE_CLOSE_SECONDS = 30


class MailWorker:
    """Delivers the outbox over `connections` kept-open transports and plans what is due."""

    def __init__(
        self,
        connections: int | None = None,
        batch_size: int | None = None,
        interval: float = 1.0,
    ) -> None:
        self.connections = max(1, connections or settings.PODIUM_MAIL_CONNECTIONS)
        self.batch_size = batch_size or settings.PODIUM_MAIL_BATCH
        self.interval = interval
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        log.info(
            "Mail delivery: %s, %d connection(s), batches of %d.",
            settings.PODIUM_EMAIL.describe(),
            self.connections,
            self.batch_size,
        )
        for number in range(self.connections):
            thread = threading.Thread(
                target=self._run, args=(number,), name=f"mail-{number}", daemon=True
            )
            thread.start()
            self.threads.append(thread)

    def stop(self, timeout: float = 15.0) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout)

    def _run(self, number: int) -> None:
        transport = delivery.open_transport()
        last_plan = 0.0
        last_work = time.monotonic()
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    if number == 0 and time.monotonic() - last_plan >= PLAN_EVERY_SECONDS:
                        planner.plan_due()
                        last_plan = time.monotonic()
                    handled = delivery.deliver_due(transport, self.batch_size, stop=self.stopping)
                except Exception:
                    log.exception("Mail delivery failed; trying again shortly.")
                    transport.close()
                    handled = 0
                if handled:
                    last_work = time.monotonic()
                    continue
                if time.monotonic() - last_work > IDLE_CLOSE_SECONDS:
                    transport.close()  # do not hold an idle SMTP connection open
                self.stopping.wait(self.interval)
        finally:
            transport.close()
            connection.close()


def deliver_once() -> int:
    """Plan and deliver everything due now, in this thread (`podium worker --batch`)."""
    planner.plan_due()
    return delivery.deliver_due()
