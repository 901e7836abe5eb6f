"""What to export: the URL contract, each app's own additions, and what each page depends on.

A page with a fingerprint (talk pages, list pages, anything under a talk's address) is
rendered again only when that fingerprint changed since the last export; every other page
(home pages, feeds, the 404 page) is rendered every time.
"""

import importlib
import importlib.util
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.apps import apps
from django.urls import get_script_prefix, reverse

from podium.export.fingerprints import series_fingerprint, text_hash
from podium.export.rendering import is_public_address
from podium.feeds.ical import stored_event_key
from podium.feeds.window import feed_window
from podium.seminars.addresses import site_path, slug_path_maker
from podium.seminars.loading import as_text, plain_rows
from podium.seminars.models import Series
from podium.seminars.talks import listed_talks, old_slugs
from podium.seminars.timezones import stored_instant
from podium.seminars.views import (
    archive_page_html,
    front_page_series,
    talk_list_paginator,
    upcoming_page_html,
)

# DESIGN.md's public contract; addresses the running code does not serve yet are skipped.
# The JSON API stays on the live server: its filters and paging are query strings, which a
# static host cannot answer; the static site carries the calendar and Atom feeds instead.
FEED_FILE = "calendar.ics"  # the site's and each series' calendar feed (and a talk's file)
SITE_CONTRACT = ("/", "/" + FEED_FILE)
SERIES_CONTRACT = ("/{series}/" + FEED_FILE, "/{series}/feed.atom")
TALK_CONTRACT = ("/{series}/talks/{talk}/calendar.ics",)
HOOK_MODULE = "export_urls"


# The kinds of list page: a page of a series' archive, or of its upcoming talks.
PAST, UPCOMING = "past", "upcoming"


class ListPage(NamedTuple):
    """One page of a series' archive or of its upcoming talks, as a rendering process
    needs it."""

    kind: str  # PAST or UPCOMING
    series_id: int
    number: int
    talk_ids: tuple[int, ...]  # the page's talks, in the list's order
    count: int  # the talks of the whole list


@dataclass(slots=True)  # not frozen: a plan makes 20,000 of them, and frozen ones cost 5x
class Job:
    """One address to render; `talk_id` marks a talk's page or calendar file, `list_page`
    a page of a series' archive or upcoming talks: both are rendered in batches from talks
    loaded together, not through the request handler."""

    site_path: str
    fingerprint: str = ""
    talk_id: int | None = None
    list_page: ListPage | None = None
    # Addresses that serve the very same page (the front page, when it is a series' home).
    aliases: tuple[str, ...] = ()
    # A talk's calendar file whose talk a feed carries: the event's key (`ical.event_key`).
    event_key: tuple | None = None

    @property
    def batched(self) -> bool:
        return self.talk_id is not None or self.list_page is not None

    @property
    def feed(self) -> bool:
        """A calendar feed: rendered last, in the exporting process, from the events that
        the talks' calendar files were built with (`ical.remembering_events`)."""
        return self.talk_id is None and self.site_path.endswith(FEED_FILE)

    def __reduce__(self):
        # Sent to the rendering processes as the arguments of a call (cheapest to unpickle).
        return Job, (
            self.site_path,
            self.fingerprint,
            self.talk_id,
            self.list_page,
            self.aliases,
            self.event_key,
        )


# id, slug, changed_at (as the database gives it: only compared), sequence, start, duration
TalkRow = tuple[int, str, object, int, datetime, int]


def talk_rows(series: Series) -> list[TalkRow]:
    """What the plan needs of each listed talk of the series, in one query.

    The ORM writes the query; its rows are read as the database gives them: converting
    20,000 dates for 10,000 talks cost several times the query, and the last change is only
    ever compared with itself.
    """
    fields = ("id", "slug", as_text("changed_at"), "sequence", as_text("start"), "duration")
    rows = plain_rows(listed_talks(series).values_list(*fields))
    return [
        (talk_id, slug, changed_at, sequence, stored_instant(start), duration)
        for talk_id, slug, changed_at, sequence, start, duration in rows
    ]


class TalkPlans:
    """Each talk's site path (without the base path), its id and the fingerprint of its
    pages, and its jobs, one talk row at a time.

    A talk's pages change when it changes publicly (`changed_at`, also moved by its
    speakers' edits) and when it moves from upcoming to past. Its old addresses (`moved`)
    and the files under them change with it: each is a page that sends readers to the
    talk's address and the talk's own calendar file (a static host cannot redirect a file).
    """

    def __init__(
        self,
        series: Series,
        code: str,
        now: datetime,
        under_talk: list[str],
        moved: dict[int, tuple[str, ...]],
    ) -> None:
        self.moved = moved
        self.base = series_fingerprint(series, code)
        self.slug = series.slug
        self.prefix_length = len(get_script_prefix()) - 1  # site paths keep their "/"
        self.moment = now.timestamp()
        self.feed_window = feed_window(now)
        self.talk_path = slug_path_maker("seminars:talk", 2)
        self.under_talk = under_talk
        # A process that plans again (`podium export --watch`) finds most talks as they were.
        self.made_of = (self.base, self.talk_path, tuple(under_talk))
        self.before = _REMEMBERED_PLANS.get(series.pk, {})
        self.remembered = _REMEMBERED_PLANS[series.pk] = {}

    def of(self, row: TalkRow) -> tuple[str, tuple[int, str], list[Job]]:
        """The talk's path, its id and fingerprint, and the jobs of its page and files."""
        talk_id, slug, changed_at, sequence, start, duration = row
        is_over = _has_ended(start, duration, self.moment)
        moved = self.moved.get(talk_id, ())
        state = (is_over, self.feed_window.holds(start), moved)
        known = self.before.get(talk_id)
        if known and known[0] == row and known[1] == state and known[2] == self.made_of:
            plan = known[3]
        else:
            path = self.talk_path(self.slug, slug)[self.prefix_length :]
            fingerprint = text_hash(self.base, talk_id, slug, changed_at, sequence, is_over)
            # The feeds carry the talk: its calendar file's event is wanted for them.
            key = stored_event_key(talk_id, sequence, changed_at) if state[1] else None
            # A file under a talk's address (its calendar file) depends on that talk only.
            jobs = [Job(path, fingerprint, talk_id)]
            for pattern in self.under_talk:
                file = pattern.format(series=self.slug, talk=slug)
                in_feeds = key if file.endswith(FEED_FILE) else None
                jobs.append(Job(file, fingerprint, talk_id, event_key=in_feeds))
            # The files under an old address are the talk's own (rendered in its batch);
            # the old address itself is a page that sends readers on, from the request
            # handler as they reach it (after them, so as not to split the batch).
            for old_slug in moved:
                for pattern in self.under_talk:
                    old_file = pattern.format(series=self.slug, talk=old_slug)
                    jobs.append(Job(old_file, fingerprint, talk_id))
            for old_slug in moved:
                old_path = self.talk_path(self.slug, old_slug)[self.prefix_length :]
                jobs.append(Job(old_path, fingerprint))
            plan = (path, (talk_id, fingerprint), jobs)
        self.remembered[talk_id] = (row, state, self.made_of, plan)
        return plan


# Each series' talk plans of the last plan this process made (by talk id), with what each
# was made of: its row, whether it was over, the series' fingerprint, the path maker and
# the addresses under a talk.
_REMEMBERED_PLANS: dict[int, dict[int, tuple]] = {}


def archive_jobs(series: Series, code: str, now: datetime, rows: list[TalkRow]) -> list[Job]:
    """The archive's pages: the talks that have started, newest first (`past_talks`)."""
    past = sorted(
        ((start, talk_id, changed) for talk_id, _, changed, _, start, _ in rows if start < now),
        reverse=True,
    )
    return _list_jobs(PAST, series, code, [(i, changed) for _, i, changed in past])


def upcoming_jobs(series: Series, code: str, now: datetime, rows: list[TalkRow]) -> list[Job]:
    """The pages of upcoming talks: those that have not ended, soonest first
    (`upcoming_talks`)."""
    moment = now.timestamp()
    upcoming = sorted(
        (start, talk_id, changed_at)
        for talk_id, _, changed_at, _, start, duration in rows
        if not _has_ended(start, duration, moment)
    )
    return _list_jobs(UPCOMING, series, code, [(i, changed) for _, i, changed in upcoming])


def _has_ended(start: datetime, minutes: int, moment: float) -> bool:
    # `talks.is_over` for a plan's row, against a moment as a timestamp.
    return start.timestamp() + minutes * 60 <= moment


class ListKind(NamedTuple):
    """A kind of list page: its addresses (page 1, the others) and the view function that
    renders a page of it (every list is paged by `views.talk_list_paginator`)."""

    first: str
    other: str
    page_html: Callable[..., str]


LIST_KINDS = {
    PAST: ListKind("seminars:archive", "seminars:archive_page", archive_page_html),
    UPCOMING: ListKind("seminars:upcoming", "seminars:upcoming_page", upcoming_page_html),
}


def _list_jobs(kind: str, series: Series, code: str, ids: list[tuple[int, object]]) -> list[Job]:
    # A list's pages as its view pages them, each fingerprinted by the talks on it (id and
    # last change) and the page count; each page's `ListPage` holds its talks' ids in the
    # list's order.
    first, other, _ = LIST_KINDS[kind]
    pages = talk_list_paginator(ids)
    base = series_fingerprint(series, code)
    jobs = []
    for number in pages.page_range:
        talks = pages.page(number).object_list
        if number == 1:
            path = reverse(first, args=[series.slug])
        else:
            path = reverse(other, args=[series.slug, number])
        fingerprint = text_hash(
            base, kind, number, pages.num_pages, len(ids), *itertools.chain(*talks)
        )
        page = ListPage(kind, series.pk, number, tuple(talk_id for talk_id, _ in talks), len(ids))
        jobs.append(Job(site_path(path), fingerprint, list_page=page))
    return jobs


def contract_paths(series: Series, talk_slug: str | None) -> list[str]:
    """The contract's addresses for a series that the running code serves."""
    paths = [p.format(series=series.slug) for p in SERIES_CONTRACT]
    if talk_slug:
        paths += [p.format(series=series.slug, talk=talk_slug) for p in TALK_CONTRACT]
    paths.append(site_path(reverse("seminars:series", args=[series.slug])))
    return [p for p in paths if is_public_address(p)]


def app_paths(series: Series) -> list[str]:
    """Addresses each installed app adds through its `export_urls(series)` function."""
    paths: list[str] = []
    for config in sorted(apps.get_app_configs(), key=lambda c: c.name):
        module_name = f"{config.name}.{HOOK_MODULE}"
        if importlib.util.find_spec(module_name) is None:
            continue
        hook = importlib.import_module(module_name).export_urls
        paths += list(hook(series))
    return paths


def site_paths() -> Iterable[str]:
    """The site-wide addresses of the contract that the running code serves."""
    return [p for p in SITE_CONTRACT if is_public_address(p)]


@dataclass
class SitePages:
    """The pages of the site that are not a talk's nor the archive's (home pages, feeds,
    the front and 404 pages): rendered every time, known without looking at the talks."""

    jobs: list[Job]
    # Each series' contract addresses under a talk (its calendar file), as patterns.
    under_talk: dict[int, list[str]] = field(default_factory=dict)
    talks: int = 0  # how many talks the series list (each has pages too)


@dataclass
class Plan:
    """The talks' pages and files and the archives' pages, fingerprinted."""

    jobs: list[Job]
    scopes: dict[str, tuple[int, str]]  # a talk's site path → (talk id, fingerprint)


def site_pages(series_list: list[Series]) -> SitePages:
    """The pages to render whatever changed (the calendar feeds among them: `Job.feed`).

    The front page is the only public series' home page when there is one (`index`): it is
    then rendered once, as an alias of that page.
    """
    front = front_page_series()
    front = front if front in series_list else None
    front_page = site_path(reverse("index"))
    pages = SitePages([Job(p) for p in site_paths() if not (front and p == front_page)])
    for series in series_list:
        listed = listed_talks(series)
        pages.talks += listed.count()
        sample_talk = listed.values_list("slug", flat=True).first()
        home = site_path(series.get_absolute_url())
        aliases = (front_page,) if series == front else ()
        jobs = [
            Job(p, aliases=aliases if p == home else ())
            for p in contract_paths(series, sample_talk)
        ]
        jobs += [Job(p) for p in app_paths(series)]
        # Contract addresses under a talk exist for every talk once they exist for one;
        # they are planned with each talk.
        offered = {job.site_path for job in jobs}
        under_talk = [
            pattern
            for pattern in TALK_CONTRACT
            if sample_talk and pattern.format(series=series.slug, talk=sample_talk) in offered
        ]
        samples = {pattern.format(series=series.slug, talk=sample_talk) for pattern in under_talk}
        pages.under_talk[series.pk] = under_talk
        pages.jobs += [job for job in jobs if job.site_path not in samples]
    return pages


def plan(series_list: list[Series], code: str, now: datetime, pages: SitePages) -> Iterator[Plan]:
    """Every talk's page and files and every list page (upcoming talks, the archive), with
    their fingerprints, in parts: each list page with its talks (so that rendering can start
    on a part while the next is worked out)."""
    for series in series_list:
        yield from _series_plan(series, code, now, pages.under_talk.get(series.pk, []))


def _series_plan(series: Series, code: str, now: datetime, under_talk: list[str]) -> Iterator[Plan]:
    """A series' talks and list pages. The pages of upcoming talks come first: the calendar
    feeds carry their talks, and are built from their events once those are in. Each list
    page comes right before the pages and files of its own talks, so that one batch
    renders them all from one loading of those talks (a talk under way is on both lists:
    it comes with the first)."""
    rows = talk_rows(series)
    # (A draft's old slugs are never asked for: the plan's rows are listed talks.)
    plans = TalkPlans(series, code, now, under_talk, old_slugs(series))
    by_id = {row[0]: row for row in rows}
    lists = upcoming_jobs(series, code, now, rows) + archive_jobs(series, code, now, rows)
    for page in lists:
        part = Plan([page], {})
        for talk_id in page.list_page.talk_ids:
            if talk_id in by_id:
                _add_talk(part, plans.of(by_id.pop(talk_id)))
        yield part
    if by_id:  # on neither list: only a talk of no length starting now (durations are >= 5)
        part = Plan([], {})
        for row in by_id.values():
            _add_talk(part, plans.of(row))
        yield part


def _add_talk(part: Plan, talk_plan: tuple[str, tuple[int, str], list[Job]]) -> None:
    path, scope, jobs = talk_plan
    part.scopes[path] = scope
    part.jobs += jobs
