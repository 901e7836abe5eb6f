"""The pages of upcoming talks in an export: planned with their talks, exported once each."""

from datetime import timedelta

from django.utils import timezone

from podium.seminars.talks import save_talk
from tests.export.conftest import BASE_URL, tree
from tests.export.linkcheck import broken_links
from tests.factories import TalkFactory


def test_an_edit_far_ahead_renders_only_its_pages_and_its_page_of_upcoming_talks(
    site, export, tmp_path
):
    ahead = [
        TalkFactory(
            series=site.series,
            title=f"Ahead {n}",
            start=site.upcoming.start + timedelta(days=7 * (n + 1)),
        )
        for n in range(130)
    ]
    export()
    files = tree(tmp_path / "site")
    home = files["prisec-ml/index.html"].decode()
    assert 'href="/repo/prisec-ml/upcoming/">All 131 upcoming talks' in home
    assert "Ahead 48" in home and "Ahead 49" not in home  # the next 50 talks
    assert "prisec-ml/upcoming/page/3/index.html" in files
    assert "Ahead 129" in files["prisec-ml/upcoming/page/3/index.html"].decode()
    assert broken_links(tmp_path / "site", BASE_URL) == []
    always = export().rendered  # the pages rendered whatever changed (feeds, home pages)
    ahead[70].abstract = "A new abstract."
    save_talk(ahead[70])
    summary = export()
    # The talk's page, its calendar file and the page of upcoming talks that lists it.
    assert summary.rendered == always + 3
    assert sorted(summary.written) == [
        "calendar.ics",
        "prisec-ml/calendar.ics",
        "prisec-ml/feed.atom",
        f"prisec-ml/talks/{ahead[70].slug}/calendar.ics",
        f"prisec-ml/talks/{ahead[70].slug}/index.html",
    ]


def test_a_talk_under_way_is_on_both_lists_and_exported_once(site, export, tmp_path):
    now = timezone.now().replace(second=0, microsecond=0)
    talk = TalkFactory(
        series=site.series, title="Under Way", start=now - timedelta(minutes=20), duration=90
    )
    summary = export()
    files = tree(tmp_path / "site")
    link = f'href="/repo/prisec-ml/talks/{talk.slug}/"'.encode()
    assert link in files["prisec-ml/upcoming/index.html"]
    assert link in files["prisec-ml/past/index.html"]
    assert link in files["prisec-ml/index.html"]  # upcoming until it ends
    written = [name for name in summary.written if talk.slug in name]
    assert sorted(written) == [
        f"prisec-ml/talks/{talk.slug}/calendar.ics",
        f"prisec-ml/talks/{talk.slug}/index.html",
    ]
    assert broken_links(tmp_path / "site", BASE_URL) == []
