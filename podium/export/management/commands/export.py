"""`podium export DIR`: the public site as plain files, e.g. for GitHub Pages."""

import contextlib
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from podium.export.build import export_site
from podium.export.forms import ExportForm
from podium.export.output import ExportError, Summary
from podium.export.watch import site_state, watch

NO_SERIES = "There is no public series to export."


class NothingToExport(ExportError):
    """No series is public (yet): `--watch` waits for one."""


class Command(BaseCommand):
    help = (
        "Export the public site (pages, calendars, feeds, photos, styles) as static files. "
        "Run it again to update: only changed files are rewritten."
    )
    # No system checks: an export only reads and renders, a misconfiguration it depends on
    # stops it with its own message, and `podium check` and the server run them all. They
    # cost 55 ms of every export's start (the URL checks would also load the API's code).
    requires_system_checks: list = []

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
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Keep running, and export again after every public change (and at least "
            "every minute) until stopped with Ctrl-C.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="With --watch: how often to look for changes (default: 1).",
        )

    def handle(self, *args, **options):
        if not options["watch"]:
            self._report(self._export(options))
            return
        if options["interval"] <= 0:
            raise CommandError("--interval must be a number of seconds above 0.")
        # The static files are collected once, for every export of this process.
        with tempfile.TemporaryDirectory(prefix="podium-static-") as static_files:
            self._watch(options | {"static_files": Path(static_files)})

    def _watch(self, options: dict) -> None:
        state, failing = site_state(), ""
        try:
            self._report(self._export(options, quietly=True))
        except NothingToExport as error:  # a new site: the first public series comes later
            self._say(f"{error} Exporting as soon as one is published.")
            failing = str(error)
        except ExportError as error:  # any other first failure is the setup's: it ends here
            raise CommandError(str(error)) from error
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self._say(f"Watching for changes every {options['interval']:g} s (Ctrl-C stops).")
        with contextlib.suppress(KeyboardInterrupt):
            watch(
                lambda check_files: self._export(
                    options | {"no_progress": True}, quietly=True, check_files=check_files
                ),
                self._report,
                lambda error: self.stderr.write(self.style.ERROR(f"error: {error}")),
                interval=options["interval"],
                stop=stop,
                exported=state,
                failing=failing,
            )
        self._say("Stopped watching.")

    def _export(self, options: dict, quietly: bool = False, check_files: bool = True) -> Summary:
        """One export with the command's options (the series looked up afresh each time)."""
        form = ExportForm(
            {
                "directory": options["directory"],
                "base_url": options["base_url"] or settings.BASE_URL + "/",
                "series": " ".join(options["series"]),
            }
        )
        failure = ExportError if quietly else CommandError
        if not form.is_valid():
            raise failure(" ".join(str(e) for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        if not data["series"]:
            raise (NothingToExport if quietly else CommandError)(NO_SERIES)
        show = not options["no_progress"] and sys.stderr.isatty()
        try:
            summary = export_site(
                data["directory"],
                data["base_url"],
                data["series"],
                allow_nonempty=options["allow_nonempty"],
                jobs=max(1, options["jobs"]),
                progress=self._progress if show else None,
                on_wait=self._say,
                again=options["watch"],
                check_files=check_files,
                static_files=options.get("static_files"),
            )
        except (ExportError, ImproperlyConfigured) as error:
            raise failure(str(error)) from error
        finally:
            if show:
                self._say("")
        summary.directory = data["directory"]
        return summary

    def _report(self, summary: Summary) -> None:
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            f"Exported to {summary.directory}: {len(summary.written)} files written, "
            f"{summary.unchanged} unchanged, {len(summary.removed)} removed "
            f"({summary.rendered} pages rendered) in {summary.seconds:.2f} s."
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self._say(f"\rRendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", "")

    def _say(self, text: str, ending: str = "\n") -> None:
        # Progress and news on stderr, unstyled: Django paints all of stderr as errors.
        self.stderr.write(text, style_func=_as_it_is, ending=ending)


def _as_it_is(text: str) -> str:
    return text
