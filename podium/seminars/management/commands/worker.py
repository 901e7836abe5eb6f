"""`podium worker`: run background tasks and deliver the mail outbox until stopped."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from podium.mailing.worker import MailWorker, deliver_once


class Command(BaseCommand):
    help = (
        "Run queued background tasks (django-tasks database backend) and deliver the mail "
        "outbox (see docs/mailing.md) until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument(
            "--mail-connections",
            type=int,
            default=None,
            help="Parallel SMTP connections (default PODIUM_MAIL_CONNECTIONS).",
        )

    def handle(self, *args, **options):
        arguments = ["--interval", str(options["interval"]), "--queue-name", "*", "--no-reload"]
        if options["batch"]:
            arguments.append("--batch")
            call_command("db_worker", *arguments)
            deliver_once()
            return
        # Mail is delivered by threads beside db_worker (which owns the main thread and its
        # signal handlers); see podium/mailing/worker.py for why threads.
        mail = MailWorker(options["mail_connections"], interval=options["interval"])
        mail.start()
        try:
            call_command("db_worker", *arguments)
        finally:
            mail.stop()
