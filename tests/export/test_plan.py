"""What an export renders, in what order, with what fingerprints (podium/export/plan.py)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from podium.export import plan as plan_module
from podium.export.plan import code_fingerprint, plan, site_pages
from podium.export.rendering import rendering_for
from podium.export.target import Target
from podium.seminars.talks import save_talk
from tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def test_the_code_fingerprint_follows_what_it_is_given_and_reads_the_code_once(monkeypatch):
    before = code_fingerprint("https://a.example/")
    assert before == code_fingerprint("https://a.example/")
    assert before != code_fingerprint("https://b.example/")
    # The code on disk is read once a process: pages are rendered by the code loaded.
    monkeypatch.setattr(plan_module, "PODIUM_SOURCE", Path("/nonexistent"))
    assert code_fingerprint("https://a.example/") == before


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
    assert {job.talk_id for job in parts[0].jobs} == {site.upcoming.pk}
    archive_pages = [part.jobs[0] for part in parts[1:]]
    assert [page.archive_page.number for page in archive_pages] == [1, 2]
    for part in parts[1:]:
        listed = set(part.jobs[0].archive_page.talk_ids)
        # The page's own talks follow it: each talk's page and calendar file.
        assert {job.talk_id for job in part.jobs[1:]} == listed
        assert len(part.jobs) == 1 + 2 * len(listed)
        assert set(part.scopes) == {
            job.site_path for job in part.jobs[1:] if job.site_path.endswith("/")
        }
    assert sum(len(page.archive_page.talk_ids) for page in archive_pages) == 62


def test_the_upcoming_talks_come_in_parts_so_rendering_starts_early(site, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "UPCOMING_PART_TALKS", 2)
    for number in range(4):
        start = site.upcoming.start + timedelta(days=7 * (number + 1))
        TalkFactory(series=site.series, title=f"Later {number}", start=start)
    with rendering_for(Target.from_url("https://user.github.io/repo/"), tmp_path / "static"):
        pages = site_pages([site.series])
        parts = list(plan([site.series], "code", timezone.now(), pages))
    upcoming = [part for part in parts if not part.jobs[0].archive_page]
    assert [len(part.scopes) for part in upcoming] == [2, 2, 1]
    # Each talk's page and calendar file in the same part, the talks in order of start.
    talk_ids = [job.talk_id for part in upcoming for job in part.jobs]
    assert talk_ids == [talk_id for talk_id in dict.fromkeys(talk_ids) for _ in range(2)]
    assert talk_ids[:2] == [site.upcoming.pk] * 2


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
