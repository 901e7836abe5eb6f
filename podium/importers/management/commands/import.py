"""`podium import PATH... --series SLUG`: bring seminar pages or calendar files into a series."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.importers.importing import Options
from podium.importers.progress import Progress
from podium.importers.report import FileReport, warning_counts
from podium.importers.run import import_files


class Command(BaseCommand):
    help = (
        "Import Jekyll/academicpages seminar pages or .ics calendar files into a series, "
        "in the order given. Importing again updates in place; nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--series", required=True, help="The series' slug (created if new).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument("--photos", type=Path, help="Folder holding the page's photos.")
        parser.add_argument("--timezone", help="IANA zone of times without a label.")
        parser.add_argument("--details", action="store_true", help="List every talk touched.")

    def handle(self, *args, **options):
        if options["photos"] and not options["photos"].is_dir():
            raise CommandError(f"--photos: {options['photos']} is not a folder.")
        paths = options["paths"]
        progress = Progress(len(paths))
        self.verbose = options["details"] or len(paths) == 1

        def on_file(report: FileReport) -> None:
            progress.step(report.file)
            self._show(report)

        reports = import_files(
            paths,
            options["series"],
            zone=options["timezone"],
            options=Options(photos_dir=options["photos"], dry_run=options["dry_run"]),
            on_file=on_file,
        )
        self._totals(reports, options["dry_run"])
        failed = [r for r in reports if r.error]
        if failed:
            raise CommandError(f"{len(failed)} of {len(reports)} files were not imported.")

    def _show(self, report: FileReport) -> None:
        style = self.style.ERROR if report.error else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        if self.verbose:
            for heading, items in (
                ("added", report.added),
                ("updated", report.updated),
                ("kept, not on this page", report.kept),
                ("new people", report.people_added),
                ("people updated", report.people_updated),
            ):
                for item in items:
                    self.stdout.write(f"  {heading}: {item}")
            if report.series_changes:
                self.stdout.write(f"  series: {', '.join(report.series_changes)}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  warning [{warning.kind}] {warning}"))

    def _totals(self, reports: list[FileReport], dry_run: bool) -> None:
        if len(reports) < 2:
            return
        added = sum(len(r.added) for r in reports)
        updated = sum(len(r.updated) for r in reports)
        counts = warning_counts(reports)
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "none"
        verb = "would be " if dry_run else ""
        self.stdout.write(
            f"{len(reports)} files: {added} talks {verb}added, {updated} {verb}updated; "
            f"warnings: {kinds}."
        )
