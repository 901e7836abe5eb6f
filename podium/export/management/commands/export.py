"""`podium export DIR`: the public site as plain files, e.g. for GitHub Pages."""

import os
import sys

from django.conf import settings
from django.core.checks import Tags
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from podium.export.build import export_site
from podium.export.forms import ExportForm
from podium.export.output import ExportError


class Command(BaseCommand):
    help = (
        "Export the public site (pages, calendars, feeds, photos, styles) as static files. "
        "Run it again to update: only changed files are rewritten."
    )
    # Every check but the URL configuration's: that loads the API (ninja and pydantic), which
    # an export never uses; `podium check` and the server run them all.
    requires_system_checks = [
        tag for name, tag in vars(Tags).items() if not name.startswith("_") and tag != Tags.urls
    ]

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The folder to write the site into.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="The address the site will have, e.g. https://user.github.io/repo/ "
            "(default: PODIUM_BASE_URL).",
        )
        parser.add_argument(
            "--series",
            nargs="+",
            default=[],
            metavar="SLUG",
            help="Export only these series (default: every public series).",
        )
        parser.add_argument(
            "--allow-nonempty",
            action="store_true",
            help="Export into a folder that holds other files (they are left alone).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes rendering pages (default: one per core).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        form = ExportForm(
            {
                "directory": options["directory"],
                "base_url": options["base_url"] or settings.BASE_URL + "/",
                "series": " ".join(options["series"]),
            }
        )
        if not form.is_valid():
            raise CommandError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        if not data["series"]:
            raise CommandError("There is no public series to export.")
        show = not options["no_progress"] and sys.stderr.isatty()
        try:
            summary = export_site(
                data["directory"],
                data["base_url"],
                data["series"],
                allow_nonempty=options["allow_nonempty"],
                jobs=max(1, options["jobs"]),
                progress=self._progress if show else None,
                on_wait=lambda message: self.stderr.write(message),
            )
        except (ExportError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        finally:
            if show:
                self.stderr.write("")
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            f"Exported to {data['directory']}: {len(summary.written)} files written, "
            f"{summary.unchanged} unchanged, {len(summary.removed)} removed "
            f"({summary.rendered} pages rendered)."
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stderr.write(
            f"\rRendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
