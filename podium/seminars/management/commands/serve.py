"""`podium serve`: the production web server (gunicorn) on an existing data folder."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from podium.seminars.processes import (
    export_command,
    run_together,
    server_command,
    worker_command,
)


class Command(BaseCommand):
    help = (
        "Serve Podium with gunicorn (with --with-worker, the background worker beside it; with "
        "--with-export, a static copy kept current)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--with-worker", action="store_true")
        parser.add_argument(
            "--with-export",
            metavar="DIR",
            help="Also keep a static copy of the public site in DIR current "
            "(`podium export DIR --watch`, at PODIUM_BASE_URL; see docs/export.md).",
        )

    def handle(self, *args, **options):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `podium migrate` first.")
        call_command("collectstatic", interactive=False, verbosity=0)
        commands = [server_command(options["host"], options["port"], options["workers"])]
        if options["with_worker"]:
            commands.append(worker_command())
        if options["with_export"]:
            commands.append(export_command(options["with_export"]))
        code = run_together(commands)
        if code:
            raise CommandError(f"A process stopped with exit code {code}.")
