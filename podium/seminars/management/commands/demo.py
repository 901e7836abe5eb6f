"""`podium demo`: the demo series on a local SQLite data folder, served with the worker."""

import os
import shutil

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from podium.seminars.demo import DEMO_USERNAME, build_demo_series, ensure_demo_organizer
from podium.seminars.processes import run_together, server_command, worker_command


class Command(BaseCommand):
    help = "Load the demo series (PriSec-ML) and serve it with the worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--reset", action="store_true", help="Start over with a fresh data folder."
        )
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop.")

    def handle(self, *args, **options):
        if options["reset"]:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        series = build_demo_series()
        password = ensure_demo_organizer(series)
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Demo series “{series.name}” is ready."))
        self.stdout.write(f"  Public site:   {base}/")
        self.stdout.write(f"  Organize:      {base}/organize/")
        if password:
            self.stdout.write(f"  Log in as:     {DEMO_USERNAME} / {password}")
            self.stdout.write("  (shown once; `podium changepassword organizer` sets a new one)")
        else:
            self.stdout.write(
                f"  Log in as:     {DEMO_USERNAME} (password shown on the first run; "
                "`podium changepassword organizer` sets a new one)"
            )
        self.stdout.write(f"  Data folder:   {settings.DATA_DIR}")
        if options["no_serve"]:
            return
        self.stdout.write("Serving with the worker; press Ctrl-C to stop.")
        # Feeds and emails carry absolute links: point them at where the demo is served,
        # unless the user said otherwise.
        os.environ.setdefault("PODIUM_BASE_URL", base)
        code = run_together(
            [server_command(options["host"], options["port"], workers=2), worker_command()]
        )
        if code:
            raise CommandError(f"A process stopped with exit code {code}.")

    def _reset(self) -> None:
        if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
            raise CommandError("--reset only starts over a SQLite data folder.")
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            path = settings.SQLITE_PATH.with_name(settings.SQLITE_PATH.name + suffix)
            path.unlink(missing_ok=True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        self.stdout.write("Started over with an empty data folder.")
