"""Load `gen_talks.py`'s talks.json into Podium's database, fast (bulk inserts).

Shared by the export benchmark; Markdown is rendered exactly as `Talk.save` does.
"""

import json
from datetime import datetime
from pathlib import Path

from podium.seminars.models import Person, Series, Talk, TalkSpeaker, Visibility
from podium.seminars.talks import talk_slug_base
from podium.seminars.timezones import to_utc

SERIES_SLUG = "bench-seminar"


def load_archive(talks_json: Path) -> Series:
    """Create one public series holding every talk of talks.json, one speaker each."""
    records = json.loads(Path(talks_json).read_text())
    series = Series.objects.create(
        slug=SERIES_SLUG,
        name="Benchmark Seminar",
        short_name="Bench",
        time_zone=records[0]["timezone"] if records else "Europe/London",
        visibility=Visibility.PUBLIC,
        description="A synthetic archive for the export benchmark.",
    )
    people = []
    for record in records:
        honorific, _, name = record["speaker"].partition(" ")
        people.append(
            Person(
                name=name,
                honorific=honorific,
                affiliation=record["affiliation"],
                homepage=record["bio_url"],
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    talks, taken = [], set()
    for record in records:
        start = to_utc(datetime.fromisoformat(record["start"]), record["timezone"])
        talk = Talk(
            series=series,
            title=record["title"],
            abstract=record["abstract"],
            start=start,
            registration_url=record["registration_url"],
            livestream_url=record["livestream_url"],
        )
        talk.render_abstract()
        base = talk_slug_base(talk)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        talk.slug = slug
        talks.append(talk)
    talks = Talk.objects.bulk_create(talks, batch_size=2000)
    TalkSpeaker.objects.bulk_create(
        (TalkSpeaker(talk=t, person=p, position=0) for t, p in zip(talks, people, strict=True)),
        batch_size=2000,
    )
    return series
