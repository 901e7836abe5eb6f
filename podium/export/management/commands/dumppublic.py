"""`podium dumppublic DIR`: what the public site shows, as a fixture and photos.

For building the static site somewhere else (a GitHub Pages workflow): it holds no draft,
no account and no password, only what any reader of the site can already see.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

from podium.seminars.models import (
    Organizer,
    Person,
    SeriesLink,
    Talk,
    TalkLink,
    TalkRedirect,
    TalkSpeaker,
    TalkStatus,
)
from podium.seminars.visibility import readable_series


class Command(BaseCommand):
    help = "Write the public series, talks and speakers to DIR/series.json and DIR/media/."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--series", nargs="+", default=[], metavar="SLUG")

    def handle(self, *args, **options):
        series = readable_series().order_by("slug")
        if options["series"]:
            series = series.filter(slug__in=options["series"])
            missing = set(options["series"]) - set(series.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No public series called {', '.join(sorted(missing))}.")
        talks = Talk.objects.filter(series__in=series).exclude(status=TalkStatus.DRAFT)
        people = Person.objects.filter(talk_roles__talk__in=talks).distinct().order_by("pk")
        organizers = list(Organizer.objects.filter(series__in=series).order_by("pk"))
        for organizer in organizers:
            organizer.user = None  # accounts stay on the server
        objects = [
            *series,
            *SeriesLink.objects.filter(series__in=series).order_by("pk"),
            *organizers,
            *people,
            *talks.order_by("pk"),
            *TalkSpeaker.objects.filter(talk__in=talks).order_by("pk"),
            *TalkLink.objects.filter(talk__in=talks).order_by("pk"),
            *TalkRedirect.objects.filter(talk__in=talks).order_by("pk"),
        ]
        folder = Path(options["directory"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "series.json").write_text(serializers.serialize("json", objects, indent=1))
        for person in people:
            if person.photo:
                target = folder / "media" / person.photo.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(settings.MEDIA_ROOT) / person.photo.name, target)
        self.stdout.write(
            f"Wrote {series.count()} series, {talks.count()} talks and {len(people)} speakers "
            f"to {folder}."
        )
