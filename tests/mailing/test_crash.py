"""A worker killed with SIGKILL in the middle of a batch, then restarted: every subscriber
gets the announcement, and duplicates (same Message-ID twice) are at most the rows that
were in flight ("sending") at the kill.

The worker is a real `python -m podium worker` process on a database it shares with this
test: a SQLite file of its own (Podium's default set-up in a fresh data folder), or, on
PostgreSQL, the test database itself.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.mailing.smtp import SmtpServer

SUBSCRIBERS = 300
KILL_AFTER = 90  # messages received
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

SEED = f"""
from podium.mailing import announcements
from podium.mailing.models import Subscriber, SubscriberState
from tests.factories import SeriesFactory, TalkFactory
series = SeriesFactory(slug="crash", short_name="Crash")
seminar = series.mailing_lists.get(slug="seminar")
people = Subscriber.objects.bulk_create(
    Subscriber(series=series, email=f"reader{{n}}@example.org", state=SubscriberState.ACTIVE,
               consent_source="crash test")
    for n in range({SUBSCRIBERS})
)
seminar.subscribers.add(*people)
announcement = announcements.draft_announcement(TalkFactory(series=series))
print(announcements.queue_announcement(announcement))
"""

IN_FLIGHT = """
from podium.mailing.models import OutboxMessage
print(OutboxMessage.objects.filter(state="sending").count())
"""


def database_url(tmp_path: Path) -> str:
    """PostgreSQL: the test database; SQLite: "" (Podium's own file in PODIUM_DATA_DIR)."""
    if not ON_POSTGRES:
        return ""
    from django.db import connection

    db = connection.settings_dict
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def podium(env, *args):
    """Run a `podium` command in the shared database; its error output shows on failure."""
    extra = ["--no-imports"] if args[0] == "shell" else []
    done = subprocess.run(
        [sys.executable, "-m", "podium", *args, *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"podium {args[0]} failed:\n{done.stderr[-3000:]}"
    return done


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def shared_database(tmp_path):
    return database_url(tmp_path)


# On PostgreSQL the worker uses the test database: its rows must be committed to be seen.
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_batch_loses_nothing_and_duplicates_at_most_in_flight(
    shared_database, tmp_path, capsys
):
    server = SmtpServer()
    server.handler.delay = 0.004
    server.controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        **({"DATABASE_URL": shared_database} if shared_database else {}),
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_EMAIL_URL": server.url,
        "PODIUM_MAIL_BATCH": "25",
        "PODIUM_MAIL_CONNECTIONS": "2",
        "PODIUM_MAIL_LEASE_SECONDS": "1",
        "PODIUM_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONPATH": str(Path.cwd()),
    }
    try:
        if not ON_POSTGRES:
            podium(env, "migrate", "--verbosity", "0")
        assert podium(env, "shell", "-c", SEED).stdout.strip() == str(SUBSCRIBERS)

        worker = subprocess.Popen(
            [sys.executable, "-m", "podium", "worker", "--interval", "0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: len(server.handler.received) >= KILL_AFTER, 60, "the first messages")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        received_at_kill = len(server.handler.received)
        in_flight = int(podium(env, "shell", "-c", IN_FLIGHT).stdout)
        assert in_flight > 0, "the kill should land in the middle of a batch"
        assert received_at_kill < SUBSCRIBERS

        time.sleep(1.2)  # let the lease of the dead worker's rows run out
        restarted = subprocess.Popen(
            [sys.executable, "-m", "podium", "worker", "--interval", "0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            everyone = {f"reader{n}@example.org" for n in range(SUBSCRIBERS)}

            def all_delivered() -> bool:
                with server.handler.lock:
                    got = {to for tos, _ in server.handler.received for to in tos}
                return everyone <= got

            wait_for(all_delivered, 90, "every subscriber's message")
            time.sleep(0.5)  # anything still on its way arrives (and would count as a duplicate)
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(20)
        assert int(podium(env, "shell", "-c", IN_FLIGHT).stdout) == 0

        ids = server.message_ids()
        duplicates = len(ids) - len(set(ids))
        assert len(set(ids)) == SUBSCRIBERS
        assert duplicates <= in_flight
        with capsys.disabled():
            print(
                f"\n[crash test] {SUBSCRIBERS} subscribers, killed after {received_at_kill} "
                f"messages with {in_flight} rows in flight: {duplicates} duplicate(s)."
            )
    finally:
        server.controller.stop()
