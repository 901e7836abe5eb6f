"""Benchmark: one announcement to 100,000 subscribers through the outbox and the worker.

    python bench/mail.py [--subscribers 100000] [--connections 3]

Prints, in one run: the time to queue every row; the time for `podium worker` (a real
process) to deliver them all to an aiosmtpd sink running in another process; its delivery
rate as a ratio to a bare smtplib loop sending the same prepared messages over one
connection to the same sink (target: at least 1.0); and the worker's peak memory (target:
under 300 MB). Everything lives in a temporary folder with its own SQLite database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABSTRACT = (
    "Machine learning systems are increasingly deployed in security-critical settings. "
    "We show how an adversary can manipulate the *preprocessing* stage of a learning "
    "pipeline, and what defenses survive an adaptive attacker.\n\n"
) * 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_sink(port: int, counter, ready) -> None:
    """An aiosmtpd server that accepts and counts every message (another process)."""
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    signal.sigwait({signal.SIGTERM})
    controller.stop()


def setup_django(data_dir: Path, email_url: str) -> None:
    """Podium's default set-up (SQLite in the data folder) on a fresh folder."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "podium.settings",
            "PODIUM_DATA_DIR": str(data_dir),
            "PODIUM_EMAIL_URL": email_url,
            "PODIUM_BASE_URL": "https://seminars.example.org",
            "PODIUM_MAIL_FROM": "podium@seminars.example.org",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(count: int):
    """A series, `count` active subscribers on its seminar list, and a drafted announcement."""
    from django.utils import timezone

    from podium.mailing import announcements
    from podium.mailing.models import Subscriber, SubscriberState
    from podium.seminars.models import Person, Series, Talk, Visibility
    from podium.seminars.talks import save_talk

    series = Series.objects.create(
        slug="prisec-ml", name="PriSec-ML", short_name="PriSec-ML", visibility=Visibility.PUBLIC
    )
    seminar = series.mailing_lists.get(slug="seminar")
    people = Subscriber.objects.bulk_create(
        (
            Subscriber(
                series=series,
                email=f"reader{n}@example.org",
                name=f"Reader {n}",
                state=SubscriberState.ACTIVE,
                consent_source="benchmark",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    through = Subscriber.lists.through
    through.objects.bulk_create(
        (through(subscriber_id=p.pk, mailinglist_id=seminar.pk) for p in people),
        batch_size=5000,
    )
    speaker = Person.objects.create(name="Konrad Rieck", affiliation="TU Berlin", bio=ABSTRACT)
    talk = save_talk(
        Talk(
            series=series,
            title="Adversarial Preprocessing",
            abstract=ABSTRACT,
            start=timezone.now() + timezone.timedelta(days=7),
            registration_url="https://example.org/register",
        ),
        speakers=[speaker],
    )
    return announcements.draft_announcement(talk)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def deliver_with_worker(total: int, connections: int, counter) -> tuple[float, float]:
    """Start `podium worker`, wait until every row is sent; return (seconds, peak MB)."""
    from podium.mailing.models import OutboxMessage

    unsent = OutboxMessage.objects.exclude(state="sent")
    env = {**os.environ, "PODIUM_MAIL_CONNECTIONS": str(connections), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    worker = subprocess.Popen([sys.executable, "-m", "podium", "worker"], env=env, cwd=ROOT)
    try:
        while True:
            time.sleep(0.25)
            if worker.poll() is not None:
                raise SystemExit("the worker stopped early")
            # The sink's count is free to read; the database is asked only at the end.
            if counter.value >= total and not unsent.exists():
                break
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    return seconds, peak


def prepared_messages(limit: int) -> list[tuple[str, bytes]]:
    """The same messages the worker sent, built the same way, ready for the bare loop."""
    from podium.mailing.models import OutboxMessage
    from podium.mailing.outbox import build_message

    rows = OutboxMessage.objects.select_related("content", "subscriber").order_by("id")[:limit]
    return [
        (
            row.to_address,
            build_message(
                row.content,
                to_address=row.to_address,
                to_name=row.to_name,
                message_id=row.message_id,
                subscriber_id=row.subscriber_id,
                subscriber_key=row.subscriber.key,
            ),
        )
        for row in rows
    ]


def bare_smtplib(port: int, messages: list[tuple[str, bytes]], sender: str) -> float:
    """The reference: one connection, one sendmail per message, no bookkeeping."""
    start = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port)
    for recipient, message in messages:
        smtp.sendmail(sender, [recipient], message)
    smtp.quit()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=2)
    options = parser.parse_args()
    count = options.subscribers

    port = free_port()
    counter = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(10)
    with tempfile.TemporaryDirectory(prefix="podium-bench-mail-") as folder:
        setup_django(Path(folder), f"smtp://127.0.0.1:{port}")
        from django.db import connection

        from podium.mailing.announcements import queue_announcement

        print(f"Seeding {count:,} active subscribers ...", flush=True)
        announcement = seed(count)
        start = time.perf_counter()
        queued = queue_announcement(announcement)
        queue_seconds = time.perf_counter() - start
        assert queued == count, queued
        connection.close()

        messages = prepared_messages(count)
        size = sum(len(m) for _, m in messages) / len(messages)
        sender = "podium@seminars.example.org"
        # The reference runs before and after the worker; the faster run counts, so noise
        # from other work on the machine cannot flatter the worker.
        counter.value = 0
        reference_before = bare_smtplib(port, messages, sender)
        assert counter.value == count
        counter.value = 0
        deliver_seconds, peak_mb = deliver_with_worker(count, options.connections, counter)
        counter.value = 0
        reference_after = bare_smtplib(port, messages, sender)
        assert counter.value == count
        reference_seconds = min(reference_before, reference_after)
        reference_rate = count / reference_seconds
        rate = count / deliver_seconds

    os.kill(sink.pid, signal.SIGTERM)
    sink.join(10)
    ratio = rate / reference_rate
    print(f"subscribers:              {count:,} (messages of {size / 1024:.1f} KB)")
    print(f"queue all rows:           {queue_seconds:.2f} s ({count / queue_seconds:,.0f} rows/s)")
    print(
        f"deliver all (worker):     {deliver_seconds:.2f} s ({rate:,.0f} msg/s, "
        f"{options.connections} connections, including start-up)"
    )
    print(
        f"bare smtplib, 1 conn:     {reference_seconds:.2f} s ({reference_rate:,.0f} msg/s; "
        f"runs before and after: {reference_before:.1f} s, {reference_after:.1f} s)"
    )
    print(f"delivery rate ratio:      {ratio:.2f} x the bare loop (target >= 1.0)")
    print(f"worker peak memory:       {peak_mb:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
