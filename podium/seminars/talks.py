"""Domain functions for talks: saving, publishing, cancelling, and the public lists."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from podium.seminars.models import (
    Person,
    Series,
    Talk,
    TalkLink,
    TalkRedirect,
    TalkSpeaker,
    TalkStatus,
)
from podium.seminars.timezones import to_local

PUBLIC_TALK_FIELDS = (
    "title",
    "abstract",
    "start",
    "duration",
    "status",
    "status_note",
    "registration_url",
    "livestream_url",
    "recording_url",
    "slides_url",
)


# What no page, feed or calendar file shows of a talk (the Markdown source, bookkeeping):
# lists of talks loaded only to be shown leave these columns in the database.
NOT_SHOWN_TALK_FIELDS = ("abstract", "public_fingerprint", "created_at", "updated_at")
# And what a talk's one-line entry does not show either (`talk_lines`).
NOT_LISTED_TALK_FIELDS = (
    *NOT_SHOWN_TALK_FIELDS,
    "abstract_html",
    "abstract_text",
    "status_note",
    "registration_url",
    "livestream_url",
    "recording_url",
    "slides_url",
    "uid",
    "sequence",
    "changed_at",
)
NOT_SHOWN_PERSON_FIELDS = ("bio", "created_at", "updated_at")

# Where `with_public_relations` puts a talk's speaker roles and links (see `public_relations`),
# and where `attach_public_relations` puts its speakers.
LOADED_ROLES, LOADED_LINKS = "loaded_speaker_roles", "loaded_links"
LOADED_SPEAKERS = "loaded_speakers"


def with_public_relations(talks: QuerySet[Talk]) -> QuerySet[Talk]:
    """Fetch what a talk card shows in a fixed number of queries, whatever the count."""
    return talks.select_related("series").prefetch_related(*public_relations())


def public_relations() -> tuple[Prefetch, Prefetch]:
    """The speakers (in order) and links of talks, fetched as plain lists on each talk.

    `ordered_speakers` and `talk_links` read them. Plain lists, not Django's prefetch cache:
    that builds a queryset for every talk to hold its rows, which cost 40% of loading 10,000
    talks for an export.
    """
    return (
        Prefetch("talk_speakers", queryset=_speaker_roles(), to_attr=LOADED_ROLES),
        Prefetch("links", to_attr=LOADED_LINKS),
    )


def _speaker_roles() -> QuerySet[TalkSpeaker]:
    return TalkSpeaker.objects.select_related("person").order_by("position", "id")


def attach_public_relations(
    talks: Sequence[Talk], series: dict[int, Series] | None = None, links: bool = True
) -> None:
    """Give talks loaded on their own what `with_public_relations` gives them: their series
    (one object shared by its talks: from `series` by id, or one query) and their speakers
    and links (without `links`, the links are not loaded: `talk_links` would query them).

    Two queries, for lists of talks that a batch or a feed loads at once; Django's prefetch
    machinery spent as long again as the queries themselves on 10,000 talks. What is only
    shown is loaded of the speakers (not their Markdown source nor their bookkeeping).
    """
    by_id = {talk.pk: talk for talk in talks}
    if series is None:
        series = Series.objects.in_bulk({talk.series_id for talk in talks})
    series_field = Talk._meta.get_field("series")
    for talk in talks:
        series_field.set_cached_value(talk, series[talk.series_id])
        talk.__dict__[LOADED_SPEAKERS] = []
        if links:
            talk.__dict__[LOADED_LINKS] = []
    if not by_id:
        return
    _attach_speakers(by_id)
    if links:
        for link in TalkLink.objects.filter(talk_id__in=by_id):
            by_id[link.talk_id].__dict__[LOADED_LINKS].append(link)


def _attach_speakers(by_id: dict[int, Talk]) -> None:
    # The people come in the rows of their roles, one object per person however many of the
    # talks they speak at: a role object and a person object for every row (Django's
    # `select_related`) cost twice as long for 10,000 talks.
    shown = [f for f in Person._meta.concrete_fields if f.name not in NOT_SHOWN_PERSON_FIELDS]
    fields = [field.attname for field in shown]
    rows = (
        TalkSpeaker.objects.filter(talk_id__in=by_id)
        .order_by("position", "id")
        .values_list("talk_id", *(f"person__{name}" for name in fields))
    )
    people: dict[int, Person] = {}
    for talk_id, *values in rows:
        person = people.get(values[0])
        if person is None:
            person = people[values[0]] = Person.from_db(rows.db, fields, values)
        by_id[talk_id].__dict__[LOADED_SPEAKERS].append(person)


def shown_talks(talks: QuerySet[Talk]) -> list[Talk]:
    """A list of talks as pages and feeds show them: each with its series, speakers and
    links (`attach_public_relations`: cheaper than `with_public_relations` for long lists),
    without the columns nothing shows."""
    return _loaded(talks, NOT_SHOWN_TALK_FIELDS)


def talk_lines(talks: QuerySet[Talk]) -> list[Talk]:
    """A list of talks as one-line entries show them (the "Later" list of a series' home):
    each with its series and speakers; without the abstract, the links, the status note and
    the calendar's bookkeeping, which a line does not show (with thousands of upcoming
    talks, they were a third of the cost of loading them)."""
    return _loaded(talks, NOT_LISTED_TALK_FIELDS, links=False)


def _loaded(talks: QuerySet[Talk], left_out: tuple[str, ...], links: bool = True) -> list[Talk]:
    # The talks without the columns `left_out`, then their relations in two plain queries.
    loaded = list(talks.select_related(None).prefetch_related(None).defer(*left_out))
    attach_public_relations(loaded, links=links)
    return loaded


def listed_talks(series: Series) -> QuerySet[Talk]:
    """Every talk of the series a reader may see (everything but drafts)."""
    return series.talks.exclude(status=TalkStatus.DRAFT)


def upcoming_talks(series: Series, now: datetime | None = None) -> QuerySet[Talk]:
    """Talks that have not ended yet, soonest first; cancelled ones stay, marked.

    Exactly those, so that the list pages: a talk is upcoming until it ends, and the
    database keeps its start and length, not its end, so the few talks under way (no talk
    runs longer than a day) are picked out here, by one small query.
    """
    now = now or timezone.now()
    listed = listed_talks(series)
    started = listed.filter(start__gte=now - timedelta(days=1), start__lte=now)
    under_way = [
        pk
        for pk, start, minutes in started.values_list("pk", "start", "duration")
        if start + timedelta(minutes=minutes) > now
    ]
    talks = listed.filter(Q(start__gt=now) | Q(pk__in=under_way)).order_by("start", "id")
    return with_public_relations(talks)


def is_over(talk: Talk, now: datetime | None = None) -> bool:
    """Whether the talk has ended."""
    return talk.end <= (now or timezone.now())


def past_talks(series: Series, now: datetime | None = None) -> QuerySet[Talk]:
    """Talks that have started, newest first (the archive)."""
    now = now or timezone.now()
    # The id breaks ties, so every page of the archive (and its static copy) has one order.
    talks = listed_talks(series).filter(start__lt=now).order_by("-start", "-id")
    return with_public_relations(talks)


def ordered_speakers(talk: Talk) -> list[Person]:
    """The talk's speakers in their order (loaded with the talk when it was, else queried)."""
    people = talk.__dict__.get(LOADED_SPEAKERS)
    if people is not None:
        return list(people)
    roles = talk.__dict__.get(LOADED_ROLES)
    return [role.person for role in (talk.talk_speakers.all() if roles is None else roles)]


def talk_links(talk: Talk) -> list[TalkLink]:
    """The talk's further links in their order (loaded with the talk when it was, else queried)."""
    links = talk.__dict__.get(LOADED_LINKS)
    return list(talk.links.all()) if links is None else links


def forget_loaded_relations(talk: Talk) -> None:
    """Drop the speakers and links loaded with the talk, after they were replaced."""
    for loaded in (LOADED_ROLES, LOADED_SPEAKERS, LOADED_LINKS):
        talk.__dict__.pop(loaded, None)


def _fingerprint(talk: Talk) -> str:
    """A digest of everything a reader, a calendar or an email sees of the talk."""
    speakers = [
        [p.id, p.name, p.honorific, p.affiliation, p.homepage, p.bio, p.photo.name]
        for p in ordered_speakers(talk)
    ]
    links = [[link.label, link.url] for link in talk_links(talk)]
    fields = {name: str(getattr(talk, name)) for name in PUBLIC_TALK_FIELDS}
    payload = json.dumps([fields, speakers, links], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def talk_slug_base(talk: Talk) -> str:
    """`2021-10-13-adversarial-preprocessing`: the local date and the title (or speaker)."""
    day = to_local(talk.start, talk.series.time_zone).date()
    words = talk.title if talk.has_title else ""
    if not words:
        speakers = ordered_speakers(talk) if talk.pk else []
        words = speakers[0].name if speakers else "talk"
    return slug_base(day, words)


def slug_base(day: date, words: str) -> str:
    """A talk's address before any "-2" that tells it from another: its local day and the
    words of its title (or its first speaker's name)."""
    return f"{day.isoformat()}-{_short_slug(words)}"


def old_slugs(series: Series) -> dict[int, tuple[str, ...]]:
    """The slugs each talk of the series had before (its `TalkRedirect`s), by talk id."""
    slugs: dict[int, list[str]] = {}
    moved = TalkRedirect.objects.filter(series=series).order_by("old_slug")
    for talk_id, old_slug in moved.values_list("talk_id", "old_slug"):
        slugs.setdefault(talk_id, []).append(old_slug)
    return {talk_id: tuple(old) for talk_id, old in slugs.items()}


def _short_slug(words: str, limit: int = 50) -> str:
    # The main title (before a colon) reads best in an address; whole words only.
    main = words.split(":")[0] if ":" in words[3:] else words
    slug = slugify(main) or "talk"
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


def _free_slug(talk: Talk, base: str) -> str:
    taken = set(
        Talk.objects.filter(series_id=talk.series_id, slug__startswith=base)
        .exclude(pk=talk.pk)
        .values_list("slug", flat=True)
    )
    taken |= set(
        TalkRedirect.objects.filter(series_id=talk.series_id, old_slug__startswith=base)
        .exclude(talk_id=talk.pk)
        .values_list("old_slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def record_public_change(talk: Talk) -> bool:
    """Bump the talk's change counter and its series' revision if anything public changed.

    Also keeps the slug in step with the date and title, leaving a redirect behind, so
    every address the talk ever had keeps working. Returns whether anything changed.
    """
    fingerprint = _fingerprint(talk)
    if fingerprint == talk.public_fingerprint:
        return False
    first_time = not talk.public_fingerprint
    base = talk_slug_base(talk)
    if not talk.slug.startswith(base):
        new_slug = _free_slug(talk, base)
        if talk.slug and not first_time:
            TalkRedirect.objects.update_or_create(
                series_id=talk.series_id, old_slug=talk.slug, defaults={"talk": talk}
            )
        TalkRedirect.objects.filter(series_id=talk.series_id, old_slug=new_slug).delete()
        talk.slug = new_slug
    talk.public_fingerprint = fingerprint
    if not first_time:
        talk.sequence += 1
    talk.changed_at = timezone.now()
    Talk.objects.filter(pk=talk.pk).update(
        slug=talk.slug,
        public_fingerprint=fingerprint,
        sequence=talk.sequence,
        changed_at=talk.changed_at,
    )
    touch_series(talk.series)
    return True


def set_speakers(talk: Talk, people: Sequence[Person]) -> None:
    """Replace the talk's speakers by `people`, in that order."""
    talk.talk_speakers.all().delete()
    forget_loaded_relations(talk)
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, person=person, position=i) for i, person in enumerate(people)
    )


def set_links(talk: Talk, links: Iterable[tuple[str, str]]) -> None:
    """Replace the talk's further links by (label, url) pairs, in that order."""
    talk.links.all().delete()
    forget_loaded_relations(talk)
    TalkLink.objects.bulk_create(
        TalkLink(talk=talk, label=label, url=url, position=i)
        for i, (label, url) in enumerate(links)
    )


@transaction.atomic
def save_talk(
    talk: Talk,
    speakers: Sequence[Person] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
) -> Talk:
    """Save a talk with its speakers and links, and record what changed publicly."""
    ensure_slug(talk)
    talk.save()
    if speakers is not None:
        set_speakers(talk, speakers)
    if links is not None:
        set_links(talk, links)
    record_public_change(public_talk(talk.pk))
    talk.refresh_from_db()
    forget_loaded_relations(talk)  # refresh_from_db forgets Django's prefetches, not these
    return talk


def public_talk(talk_id: int) -> Talk:
    """The talk as it is in the database now, with what its pages, feeds and mails show."""
    return with_public_relations(Talk.objects.filter(pk=talk_id)).get()


def publish_talk(talk: Talk) -> Talk:
    """Make a draft talk public."""
    talk.status = TalkStatus.SCHEDULED
    return save_talk(talk)


def cancel_talk(talk: Talk, note: str = "") -> Talk:
    """Cancel a talk; it stays listed, marked cancelled, with the note."""
    talk.status = TalkStatus.CANCELLED
    talk.status_note = note
    return save_talk(talk)


def postpone_talk(talk: Talk, note: str = "") -> Talk:
    """Mark a talk postponed until a new date is known."""
    talk.status = TalkStatus.POSTPONED
    talk.status_note = note
    return save_talk(talk)


def refresh_talks_of(person: Person) -> int:
    """After a speaker's public details changed, record it on each of their talks."""
    changed = 0
    for talk in with_public_relations(Talk.objects.filter(talk_speakers__person=person)):
        changed += record_public_change(talk)
    return changed


def ensure_slug(talk: Talk) -> None:
    """Give a new talk its address before its first save."""
    if not talk.slug:
        talk.slug = _free_slug(talk, talk_slug_base(talk))


def touch_series(series: Series) -> None:
    """Record that something public about the series changed (its pages are rebuilt)."""
    Series.objects.filter(pk=series.pk).update(revision=F("revision") + 1)
