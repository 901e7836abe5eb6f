"""What an export renders, in what order, with what fingerprints (podium/export/plan.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from podium.export.plan import PAST, UPCOMING, plan, site_pages
from podium.export.rendering import rendering_for
from podium.export.target import Target
from podium.seminars import views
from podium.seminars.talks import save_talk
from tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def test_the_plan_comes_as_the_upcoming_talks_then_each_archive_page_with_its_talks(site, tmp_path):
    for number in range(60):
        start = site.past.start - timedelta(days=7 * (number + 1))
        TalkFactory(series=site.series, title=f"Archived {number}", start=start)
    with rendering_for(Target.from_url("https://user.github.io/repo/"), tmp_path / "static"):
        pages = site_pages([site.series])
        parts = list(plan([site.series], "code", timezone.now(), pages))
    # The feeds are marked; no talk's page among the site's pages.
    assert [job.site_path for job in pages.jobs if job.feed] == [
        "/calendar.ics",
        f"/{site.series.slug}/calendar.ics",
    ]
    assert not any(job.talk_id for job in pages.jobs)
    # The upcoming talks first (the feeds are built from their events).
    upcoming = parts[0].jobs[0]
    assert upcoming.site_path == "/prisec-ml/upcoming/"
    assert upcoming.list_page == (UPCOMING, site.series.pk, 1, (site.upcoming.pk,), 1)
    assert {job.talk_id for job in parts[0].jobs[1:]} == {site.upcoming.pk}
    archive_pages = [part.jobs[0] for part in parts[1:]]
    assert [page.site_path for page in archive_pages] == [
        "/prisec-ml/past/",
        "/prisec-ml/past/page/2/",
    ]
    assert [(page.list_page.kind, page.list_page.number) for page in archive_pages] == [
        (PAST, 1),
        (PAST, 2),
    ]
    for part in parts:
        listed = set(part.jobs[0].list_page.talk_ids)
        # The page's own talks follow it: each talk's page and calendar file.
        assert {job.talk_id for job in part.jobs[1:]} == listed
        assert len(part.jobs) == 1 + 2 * len(listed)
        assert set(part.scopes) == {
            job.site_path for job in part.jobs[1:] if job.site_path.endswith("/")
        }
    assert sum(len(page.list_page.talk_ids) for page in archive_pages) == 62


def test_each_page_of_upcoming_talks_comes_with_its_talks_soonest_first(
    site, tmp_path, monkeypatch
):
    # Pages of two talks: rendering starts once the first page is planned, not all.
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)
    later = [
        TalkFactory(series=site.series, start=site.upcoming.start + timedelta(days=7 * (n + 1)))
        for n in range(3)
    ]
    # A talk under way is on both lists: planned once, with the first.
    now = timezone.now()
    under_way = TalkFactory(series=site.series, start=now - timedelta(minutes=10), duration=60)
    with rendering_for(Target.from_url("https://user.github.io/repo/"), tmp_path / "static"):
        pages = site_pages([site.series])
        parts = list(plan([site.series], "code", now, pages))
    upcoming = [part for part in parts if part.jobs[0].list_page.kind == UPCOMING]
    soonest_first = [under_way.pk, site.upcoming.pk, *(talk.pk for talk in later)]
    assert [part.jobs[0].list_page.talk_ids for part in upcoming] == [
        tuple(soonest_first[:2]),
        tuple(soonest_first[2:4]),
        tuple(soonest_first[4:]),
    ]
    assert [part.jobs[0].site_path for part in upcoming] == [
        "/prisec-ml/upcoming/",
        "/prisec-ml/upcoming/page/2/",
        "/prisec-ml/upcoming/page/3/",
    ]
    # Each talk's page and calendar file in the part of its page, the talks in order.
    talk_ids = [job.talk_id for part in upcoming for job in part.jobs[1:]]
    assert talk_ids == [talk_id for talk_id in soonest_first for _ in range(2)]
    archive_first = parts[len(upcoming)].jobs[0].list_page
    assert archive_first.talk_ids[0] == under_way.pk
    planned = [job.talk_id for part in parts for job in part.jobs if job.talk_id]
    assert planned.count(under_way.pk) == 2  # its page and its calendar file, once


def test_a_talks_old_address_is_planned_with_the_talk(site, tmp_path):
    site.upcoming.title = "Membership Inference, Revisited"
    save_talk(site.upcoming)
    with rendering_for(Target.from_url("https://user.github.io/repo/"), tmp_path / "static"):
        pages = site_pages([site.series])
        parts = list(plan([site.series], "code", timezone.now(), pages))
    jobs = [job for part in parts for job in part.jobs if job.fingerprint == fingerprint_of(parts)]
    slug, old = site.upcoming.slug, site.upcoming.redirects.get().old_slug
    assert [(job.site_path, job.talk_id) for job in jobs] == [
        (f"/prisec-ml/talks/{slug}/", site.upcoming.pk),
        (f"/prisec-ml/talks/{slug}/calendar.ics", site.upcoming.pk),
        # Its calendar file is the talk's own, rendered in its batch; the old address is a
        # page that sends readers on, from the request handler (after, not to split the batch).
        (f"/prisec-ml/talks/{old}/calendar.ics", site.upcoming.pk),
        (f"/prisec-ml/talks/{old}/", None),
    ]
    assert not any(old in job.site_path for job in pages.jobs)


def fingerprint_of(parts) -> str:
    (scope,) = [s for part in parts for p, s in part.scopes.items() if "revisited" in p]
    return scope[1]
