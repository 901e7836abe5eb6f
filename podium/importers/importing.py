"""Writing what a page or calendar says into a series: one transaction per file.

Talks are matched to the series' known talks by `identity`; a matched talk is written
through `save_talk` only when something public differs, so its change counter moves only
then. What a page leaves out (a time, an abstract, a link, a bio) is kept; talks a page no
longer shows are kept and reported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from podium.importers.identity import KnownPerson, PeopleIndex, TalkFacts, is_tba, match_talks
from podium.importers.parsed import ParsedPage, ParsedSpeaker, ParsedTalk
from podium.importers.report import FileReport
from podium.importers.series_sync import sync_series
from podium.importers.speakers import split_honorific
from podium.seminars.models import Person, Series, Talk, TalkStatus
from podium.seminars.photos import PhotoError, sanitize_photo
from podium.seminars.talks import (
    old_slugs,
    ordered_speakers,
    refresh_talks_of,
    save_talk,
    slug_base,
    talk_links,
    with_public_relations,
)
from podium.seminars.timezones import LocalTimeError, to_local, to_utc

URL_FIELDS = ("registration_url", "livestream_url", "recording_url", "slides_url")
FALLBACK_START = time(13, 0)


@dataclass
class Options:
    photos_dir: Path | None = None
    dry_run: bool = False


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_page(page: ParsedPage, series_slug: str, options: Options | None = None) -> FileReport:
    """Write `page` into the series `series_slug` in one transaction (rolled back for a dry
    run); the series is created, as a draft, if it does not exist."""
    options = options or Options()
    report = FileReport(file=page.file, warnings=list(page.warnings), dry_run=options.dry_run)
    if not page.talks:
        return report
    written: list[str] = []
    try:
        with transaction.atomic():
            series = _series(series_slug, page, report)
            _Import(page, series, options, report, written).run()
            if options.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return report


def _series(slug: str, page: ParsedPage, report: FileReport) -> Series:
    series = Series.objects.select_for_update().filter(slug=slug).first()
    if series is not None:
        return series
    series = Series(
        slug=slug,
        name=page.title[:200] or slug,
        short_name=(page.short_name or slug)[:40],
        time_zone=page.zone,
    )
    series.full_clean()
    series.save()
    report.series_changes.append("created")
    return series


class _Import:
    def __init__(self, page, series, options, report, written) -> None:
        self.page: ParsedPage = page
        self.series: Series = series
        self.options: Options = options
        self.report: FileReport = report
        self.written: list[str] = written
        self.people: dict[int, Person] = {}
        self.changed_people: set[int] = set()

    def run(self) -> None:
        self.report.series_changes += sync_series(self.series, self.page)
        talks = list(with_public_relations(self.series.talks.all()))
        self.talks = {talk.pk: talk for talk in talks}
        # The series' speakers come with its talks: no query per known speaker.
        self.people = {p.pk: p for talk in talks for p in ordered_speakers(talk)}
        self.index = PeopleIndex(
            KnownPerson(p.pk, p.name, p.affiliation, p.homepage)
            for p in Person.objects.only("id", "name", "affiliation", "homepage")
        )
        self.old_slugs = old_slugs(self.series)
        provisional = [self._provisional_ids(talk) for talk in self.page.talks]
        matches = match_talks(
            [self._facts(i, talk, provisional[i]) for i, talk in enumerate(self.page.talks)],
            [self._known_facts(talk) for talk in talks],
        )
        seen: set[int] = set()
        new_without_time = 0
        for i, parsed in enumerate(self.page.talks):
            known = self.talks.get(matches[i][0]) if i in matches else None
            context = [p.pk for p in ordered_speakers(known)] if known else []
            people = [self._person(s, context, parsed) for s in parsed.speakers]
            if known is None:
                new_without_time += parsed.start is None
                self._add(parsed, people)
            else:
                seen.add(known.pk)
                self._update(known, parsed, people, matches[i][1])
        for person_id in self.changed_people:
            refresh_talks_of(self.people[person_id])
        self.report.kept = [_label(t) for pk, t in self.talks.items() if pk not in seen]
        if new_without_time:
            clock = self.series.default_start_time or FALLBACK_START
            self.report.warnings.append(
                _warning(
                    self.page,
                    "no_time",
                    f"{new_without_time} new talks give a date but no time; they were put at "
                    f"{clock:%H:%M} {self.series.time_zone} (the usual slot) until a page "
                    "gives their time.",
                )
            )

    # Matching --------------------------------------------------------------------------

    def _provisional_ids(self, talk: ParsedTalk) -> frozenset[int]:
        ids = set()
        for speaker in talk.speakers:
            known = self.index.find(speaker.name, speaker.affiliation, speaker.homepage)
            if known:
                ids.add(known.id)
        return frozenset(ids)

    def _facts(self, i: int, talk: ParsedTalk, ids: frozenset[int]) -> TalkFacts:
        return TalkFacts(
            key=i,
            day=talk.day,
            speakers=ids,
            title=talk.title,
            speaker_names=tuple(s.name for s in talk.speakers),
            moved_from=talk.moved_from,
            addresses=_address(talk),
        )

    def _known_facts(self, talk: Talk) -> TalkFacts:
        speakers = ordered_speakers(talk)
        return TalkFacts(
            key=talk.pk,
            day=to_local(talk.start, self.series.time_zone).date(),
            speakers=frozenset(p.pk for p in speakers),
            title=talk.title,
            speaker_names=tuple(p.name for p in speakers),
            addresses=frozenset({talk.slug, *self.old_slugs.get(talk.pk, ())}),
        )

    # People ----------------------------------------------------------------------------

    def _person(self, speaker: ParsedSpeaker, context: list[int], talk: ParsedTalk) -> Person:
        known = self.index.find(speaker.name, speaker.affiliation, speaker.homepage, context)
        if known is None:
            person = Person(
                name=speaker.name,
                honorific=speaker.honorific,
                affiliation=speaker.affiliation[:200],
                homepage=speaker.homepage,
                bio=speaker.bio,
            )
            person.save()
            self.index.add(KnownPerson(person.pk, person.name, person.affiliation, person.homepage))
            self.report.people_added.append(person.display_name)
            self.people[person.pk] = person
        else:
            person = self.people.get(known.id) or Person.objects.get(pk=known.id)
            self.people[person.pk] = person
            self._update_person(person, speaker, known)
        self._take_photo(person, talk)
        return person

    def _update_person(self, person: Person, speaker: ParsedSpeaker, known: KnownPerson) -> None:
        # A later version corrects: its non-empty values win; what it leaves out stays.
        wanted = {
            "name": speaker.name,
            "honorific": speaker.honorific,
            "affiliation": speaker.affiliation[:200],
            "homepage": speaker.homepage,
            "bio": speaker.bio,
        }
        changes = [k for k, v in wanted.items() if v and getattr(person, k) != v]
        if not changes:
            return
        for name in changes:
            setattr(person, name, wanted[name])
        person.save()
        known.name, known.affiliation, known.homepage = (
            person.name,
            person.affiliation,
            person.homepage,
        )
        self.changed_people.add(person.pk)
        self.report.people_updated.append(f"{person.display_name} ({', '.join(changes)})")

    def _take_photo(self, person: Person, talk: ParsedTalk) -> None:
        if not talk.photo or self.options.photos_dir is None:
            return
        source = self.options.photos_dir / talk.photo
        if not source.is_file():
            self.report.warnings.append(
                _warning(
                    self.page,
                    "photo_missing",
                    f"photo “{talk.photo}” of {person.name} is not in {self.options.photos_dir}.",
                    talk.line,
                )
            )
            return
        try:
            with source.open("rb") as stream:
                data = sanitize_photo(stream)
        except PhotoError as error:
            self.report.warnings.append(
                _warning(self.page, "photo_refused", f"photo “{talk.photo}”: {error}", talk.line)
            )
            return
        if person.photo and _same_file(person.photo.name, data):
            return
        if self.options.dry_run:
            self.report.people_updated.append(f"{person.display_name} (photo)")
            return
        person.photo.save(f"{slugify(person.name) or 'speaker'}.jpg", ContentFile(data), save=False)
        self.written.append(person.photo.name)
        person.save()
        self.changed_people.add(person.pk)
        self.report.people_updated.append(f"{person.display_name} (photo)")

    # Talks -----------------------------------------------------------------------------

    def _start(self, parsed: ParsedTalk, known: Talk | None) -> datetime:
        if parsed.start is not None:
            return parsed.start
        zone = self.series.time_zone
        if known is not None:
            local = to_local(known.start, zone)
            if local.date() == parsed.day:
                return known.start  # the page left the time out: keep the one we know
            clock = local.time().replace(tzinfo=None)
        else:
            clock = self.series.default_start_time or FALLBACK_START
        try:
            return to_utc(datetime.combine(parsed.day, clock), zone, fold=0)
        except LocalTimeError as gap:
            return gap.transition

    def _add(self, parsed: ParsedTalk, people: list[Person]) -> None:
        talk = Talk(series=self.series, title=parsed.title or "TBA", abstract=parsed.abstract)
        talk.start = self._start(parsed, None)
        talk.duration = parsed.duration or self.series.default_duration
        for name in URL_FIELDS:
            setattr(talk, name, getattr(parsed, name))
        if parsed.cancelled:
            talk.status = TalkStatus.CANCELLED
        save_talk(talk, speakers=people, links=parsed.links)
        self.report.added.append(_label(talk, people))

    def _update(self, talk: Talk, parsed: ParsedTalk, people: list[Person], why: str) -> None:
        wanted = {
            "title": parsed.title or talk.title,
            "abstract": parsed.abstract or talk.abstract,
            "start": self._start(parsed, talk),
            "duration": parsed.duration or talk.duration,
        }
        for name in URL_FIELDS:
            wanted[name] = getattr(parsed, name) or getattr(talk, name)
        if parsed.cancelled:
            wanted["status"] = TalkStatus.CANCELLED
        changes = [name for name, value in wanted.items() if getattr(talk, name) != value]
        current_people = [p.pk for p in ordered_speakers(talk)]
        new_people = [p.pk for p in people] if people else current_people
        if new_people != current_people:
            changes.append("speakers")
        current_links = [(link.label, link.url) for link in talk_links(talk)]
        links = parsed.links or current_links
        if links != current_links:
            changes.append("links")
        if not changes:
            self.report.unchanged.append(_label(talk))
            return
        for name, value in wanted.items():
            setattr(talk, name, value)
        save_talk(
            talk,
            speakers=people if "speakers" in changes else None,
            links=links if "links" in changes else None,
        )
        self.report.updated.append(f"{_label(talk, people)}: {', '.join(changes)} ({why})")


def _same_file(name: str, data: bytes) -> bool:
    try:
        with default_storage.open(name, "rb") as stored:
            return hashlib.sha256(stored.read()).digest() == hashlib.sha256(data).digest()
    except OSError:
        return False


def _label(talk: Talk, people: list[Person] | None = None) -> str:
    names = ", ".join(p.name for p in (people if people is not None else ordered_speakers(talk)))
    return f"{talk.start:%Y-%m-%d} {names or 'no speaker'}: {talk.title}"


def _warning(page: ParsedPage, kind: str, message: str, line: int | None = None):
    from podium.importers.parsed import PageWarning

    return PageWarning(kind, page.file, line, message)


def _address(talk: ParsedTalk) -> frozenset[str]:
    # The address a titled talk of the page has (`talks.slug_base`). An untitled one is
    # named after its first speaker as the database spells them: left to the other evidence.
    if not talk.title or is_tba(talk.title):
        return frozenset()
    return frozenset([slug_base(talk.day, talk.title)])


__all__ = ["Options", "import_page", "split_honorific"]
