"""`podium worker`: run background tasks (announcements, reminders...) as they come due."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background tasks (django-tasks database backend) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args, **options):
        arguments = ["--interval", str(options["interval"]), "--queue-name", "*", "--no-reload"]
        if options["batch"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
