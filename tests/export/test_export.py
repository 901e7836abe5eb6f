"""The export's contents, links, determinism and incremental updates."""

import gc
import hashlib
import json
from datetime import timedelta

import pytest

from podium.export.output import (
    MANIFEST,
    ExportError,
    OutputFolder,
    manifest_bytes,
    read_manifest,
)
from podium.export.rendering import Renderer
from podium.seminars.models import TalkStatus, Visibility
from podium.seminars.talks import save_talk
from tests.export.conftest import BASE_URL, tree
from tests.export.linkcheck import broken_links, links_of
from tests.factories import SeriesFactory, TalkFactory


def test_every_public_page_is_exported_and_nothing_private(site, export, tmp_path):
    summary = export()
    files = tree(tmp_path / "site")
    assert summary.warnings == []
    for path in (
        "index.html",
        "prisec-ml/index.html",
        "prisec-ml/past/index.html",
        "prisec-ml/upcoming/index.html",
        f"prisec-ml/talks/{site.past.slug}/index.html",
        f"prisec-ml/talks/{site.upcoming.slug}/index.html",
        "crypto-club/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        MANIFEST,
        f"media/{site.speaker.photo.name}",
    ):
        assert path in files, path
    assert not any(site.draft.slug in name for name in files)
    assert not any(b"Secret Draft" in body for body in files.values())
    assert not any(name.startswith(("organize", "static/admin")) for name in files)
    css = [name for name in files if name.startswith("static/podium/podium.")]
    assert len(css) == 1 and css[0].endswith(".css") and css[0] != "static/podium/podium.css"


def test_the_page_other_sites_frame_is_exported_and_left_out_of_the_sitemap(site, export, tmp_path):
    export()
    folder = tmp_path / "site"
    frame = (folder / "prisec-ml" / "embed" / "index.html").read_text()
    assert site.upcoming.title in frame and site.past.title not in frame
    assert f'href="/repo/prisec-ml/talks/{site.upcoming.slug}/"' in frame
    assert "Lattices for Everyone" in (folder / "crypto-club" / "embed" / "index.html").read_text()
    sitemap = (folder / "sitemap.xml").read_text()
    assert "/repo/prisec-ml/" in sitemap
    assert "/embed/" not in sitemap, "it asks search engines not to index it"


def test_every_link_and_asset_resolves_to_a_file_under_the_sub_path(site, export, tmp_path):
    export()
    assert broken_links(tmp_path / "site", BASE_URL) == []


def test_an_export_of_one_series_is_the_site_of_that_series_alone(site, export, tmp_path):
    summary = export(tmp_path / "one", series=[site.series])
    folder = tmp_path / "one"
    # As on a site of one series, the front page is its home page; nothing names the other,
    # so nothing links to a page the export does not hold.
    front, home = (folder / "index.html").read_bytes(), (folder / "prisec-ml/index.html")
    assert front == home.read_bytes()
    assert not any(b"Crypto Club" in body for body in tree(folder).values())
    assert b"PriSec-ML" in (folder / "404.html").read_bytes()
    calendar = (folder / "calendar.ics").read_bytes()
    assert b"Membership Inference" in calendar and b"Lattices for Everyone" not in calendar
    assert summary.warnings == [] and broken_links(folder, BASE_URL) == []
    # Two series of three: the front page lists those two.
    third = SeriesFactory(slug="third-series", name="Third Series")
    export(tmp_path / "two", series=[site.series, third])
    index = (tmp_path / "two" / "index.html").read_text()
    assert "Third Series" in index and "PriSec-ML" in index and "Crypto Club" not in index


def test_pages_carry_the_base_url_in_links_and_absolute_addresses(site, export, tmp_path):
    export()
    page = (tmp_path / "site" / f"prisec-ml/talks/{site.past.slug}/index.html").read_text()
    assert f'href="https://user.github.io/repo/prisec-ml/talks/{site.past.slug}/"' in page
    assert 'href="/repo/prisec-ml/past/"' in page
    assert f'src="/repo/media/{site.speaker.photo.name}"' in page
    assert f'"image":"https://user.github.io/repo/media/{site.speaker.photo.name}"' in page
    not_found = (tmp_path / "site" / "404.html").read_text()
    assert "There is nothing at this address." in not_found and "404.html" not in not_found
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert "<loc>https://user.github.io/repo/prisec-ml/past/</loc>" in sitemap
    assert "404" not in sitemap
    robots = (tmp_path / "site" / "robots.txt").read_text()
    assert "Sitemap: https://user.github.io/repo/sitemap.xml" in robots


def test_a_site_at_the_root_of_a_domain(site, export, tmp_path):
    export(base_url="https://prisec-ml.github.io")
    assert broken_links(tmp_path / "site", "https://prisec-ml.github.io/") == []
    home = (tmp_path / "site" / "prisec-ml/index.html").read_text()
    assert 'href="/prisec-ml/past/"' in home


def test_two_exports_of_the_same_data_are_identical(site, export, tmp_path):
    export(tmp_path / "one")
    export(tmp_path / "two")
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_exporting_again_without_changes_writes_nothing(site, export, tmp_path):
    export()
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*") if p.is_file()}
    summary = export()
    assert summary.written == [] and summary.removed == []
    assert summary.unchanged > 5
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before


def test_the_manifest_reads_back_as_written(site, export, tmp_path):
    export()
    written = (tmp_path / "site" / MANIFEST).read_bytes()
    entries = read_manifest(written.decode())
    assert manifest_bytes(entries) == written
    assert entries["index.html"].in_sitemap and not entries[".nojekyll"].in_sitemap
    assert any("/static/" in link for link in entries["index.html"].links)
    folder = OutputFolder(tmp_path / "site")
    assert folder.previous == entries
    folder.discard()


def test_a_manifest_of_the_first_format_is_read(site, export, tmp_path):
    """An export made before format 2 is updated in place, not refused as damaged."""
    export()
    folder = tmp_path / "site"
    entries = read_manifest((folder / MANIFEST).read_text())
    old = {
        name: {
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            "size": entry.size,
            "links": entry.links,
            **({"in_sitemap": True} if entry.in_sitemap else {}),
        }
        for name, entry in entries.items()
    }
    (folder / MANIFEST).write_text(json.dumps({"format": 1, "files": old}))
    assert {
        name: e.sha256 for name, e in read_manifest((folder / MANIFEST).read_text()).items()
    } == {name: e.sha256 for name, e in entries.items()}
    summary = export()
    assert summary.written == [] and summary.removed == []
    assert read_manifest((folder / MANIFEST).read_text()) == entries


def test_an_edit_rewrites_only_the_pages_that_show_it(site, export, tmp_path):
    export()
    before = tree(tmp_path / "site")
    site.past.abstract = "A new abstract about *image scaling*."
    save_talk(site.past)
    summary = export()
    after = tree(tmp_path / "site")
    changed = sorted(name for name in after if after[name] != before.get(name))
    talk_page = f"prisec-ml/talks/{site.past.slug}/index.html"
    talk_calendar = f"prisec-ml/talks/{site.past.slug}/calendar.ics"
    # The page and every feed that carries the abstract; no other page.
    shown_in = [
        talk_page,
        talk_calendar,
        "calendar.ics",
        "prisec-ml/calendar.ics",
        "prisec-ml/feed.atom",
    ]
    assert changed == sorted([MANIFEST, *shown_in])
    assert sorted(summary.written) == sorted(shown_in)
    for name in shown_in:
        assert b"image scaling" in after[name].replace(b"\r\n ", b"")


def test_an_edit_in_a_long_archive_renders_only_the_pages_of_that_talk(site, export, tmp_path):
    # Archive pages link to talks planned later (the plan comes in parts): none of them
    # may be taken for an address outside the plan and rendered again.
    archived = [
        TalkFactory(
            series=site.series,
            title=f"Archived {n}",
            start=site.past.start - timedelta(days=7 * (n + 1)),
        )
        for n in range(130)
    ]
    export()
    always = export().rendered  # the pages rendered whatever changed (feeds, home pages)
    archived[70].abstract = "A new abstract."
    save_talk(archived[70])
    summary = export()
    # The talk's page, its calendar file and the archive page that lists it.
    assert summary.rendered == always + 3
    assert f"prisec-ml/talks/{archived[70].slug}/index.html" in summary.written


def test_a_new_upcoming_talk_updates_its_series_pages(site, export, tmp_path):
    export()
    talk = TalkFactory(series=site.series, title="Brand New", start=site.upcoming.start)
    summary = export()
    assert f"prisec-ml/talks/{talk.slug}/index.html" in summary.written
    assert "prisec-ml/index.html" in summary.written
    assert not any("crypto-club" in name for name in summary.written)


def test_deleted_and_withdrawn_talks_lose_their_files(site, export, tmp_path):
    export()
    deleted_dir = tmp_path / "site" / "prisec-ml" / "talks" / site.upcoming.slug
    withdrawn = tmp_path / "site" / "prisec-ml" / "talks" / site.past.slug / "index.html"
    assert deleted_dir.is_dir() and withdrawn.is_file()
    site.upcoming.delete()
    site.past.status = TalkStatus.DRAFT
    save_talk(site.past)
    summary = export()
    assert not deleted_dir.exists()
    assert not withdrawn.exists() and not withdrawn.parent.exists()
    assert f"prisec-ml/talks/{site.upcoming.slug}/index.html" in summary.removed
    # The photo was only on the withdrawn talk's pages: it goes too.
    assert not (tmp_path / "site" / "media" / site.speaker.photo.name).exists()
    assert broken_links(tmp_path / "site", BASE_URL) == []


def test_a_renamed_talk_keeps_its_old_address_as_a_redirect(site, export, tmp_path):
    export()
    rendered_every_time = export().rendered  # home pages, feeds, the 404 page
    old_slug = site.upcoming.slug
    site.upcoming.title = "Membership Inference, Revisited Completely"
    save_talk(site.upcoming)
    assert site.upcoming.slug != old_slug
    export()
    stub = (tmp_path / "site" / f"prisec-ml/talks/{old_slug}/index.html").read_text()
    new_url = f"/repo/prisec-ml/talks/{site.upcoming.slug}/"
    assert f'<meta http-equiv="refresh" content="0; url={new_url}">' in stub
    assert (tmp_path / "site" / new_url.removeprefix("/repo/") / "index.html").is_file()
    assert broken_links(tmp_path / "site", BASE_URL) == []
    # A calendar file cannot redirect on a static host: the old address serves the new file.
    talks = tmp_path / "site" / "prisec-ml" / "talks"
    old_file = (talks / old_slug / "calendar.ics").read_bytes()
    assert old_file == (talks / site.upcoming.slug / "calendar.ics").read_bytes()
    # Exported again unchanged, the old address and its file are kept, not rendered again.
    again = export()
    assert (again.written, again.removed, again.warnings) == ([], [], [])
    assert again.rendered == rendered_every_time


def test_files_podium_did_not_write_are_never_touched(site, export, tmp_path):
    export()
    cname = tmp_path / "site" / "CNAME"
    cname.write_text("seminars.example.org\n")
    notes = tmp_path / "site" / "prisec-ml" / "notes.txt"
    notes.write_text("mine")
    site.upcoming.delete()
    export()
    assert cname.read_text() == "seminars.example.org\n"
    assert notes.read_text() == "mine"
    manifest = read_manifest((tmp_path / "site" / MANIFEST).read_text())
    assert "CNAME" not in manifest


def test_a_folder_with_other_things_is_refused_unless_allowed(site, export, tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_text("my own site")
    with pytest.raises(ExportError, match="--allow-nonempty"):
        export()
    assert sorted(p.name for p in folder.iterdir()) == ["README.md"]
    export(allow_nonempty=True)
    assert (folder / "README.md").read_text() == "my own site"
    assert (folder / "index.html").is_file()


def test_a_foreign_file_where_a_page_goes_is_not_overwritten(site, export, tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("hand-written home page")
    with pytest.raises(ExportError, match=r"index\.html, which Podium did not write"):
        export(allow_nonempty=True)
    assert (folder / "index.html").read_text() == "hand-written home page"
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]


def test_only_the_chosen_series_is_exported(site, export, tmp_path):
    export(series=[site.other])
    files = tree(tmp_path / "site")
    assert "crypto-club/index.html" in files
    assert not any(name.startswith("prisec-ml/") for name in files)


def test_exported_pages_keep_the_reader_time_script(site, export, tmp_path):
    export()
    page = (tmp_path / "site" / "prisec-ml/index.html").read_text()
    scripts = [link for link in links_of(page) if link.endswith(".js")]
    reader_time = [s for s in scripts if s.startswith("/repo/static/podium/localtime.")]
    assert len(reader_time) == 1
    assert "<time datetime=" in page and "data-zone=" in page


def test_an_export_leaves_the_garbage_collector_as_it_found_it(site, export):
    before = gc.get_threshold(), gc.get_freeze_count()
    export()
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_the_collector_is_left_as_it_was(site, export):
    import gc

    assert gc.isenabled()
    export()
    assert gc.isenabled()
    gc.disable()
    try:
        export()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_front_page_of_a_single_series_is_its_home_rendered_once(
    site, export, tmp_path, monkeypatch
):
    site.other.visibility = Visibility.UNLISTED
    site.other.save()
    asked = []
    get = Renderer.get
    monkeypatch.setattr(Renderer, "get", lambda self, path: asked.append(path) or get(self, path))
    export()
    folder = tmp_path / "site"
    home = (folder / "prisec-ml" / "index.html").read_bytes()
    assert (folder / "index.html").read_bytes() == home
    assert "/prisec-ml/" in asked and "/" not in asked
    manifest = read_manifest((folder / MANIFEST).read_text())
    assert manifest["index.html"].in_sitemap and "/prisec-ml/" in manifest["index.html"].links


def test_an_export_that_trusts_its_own_files_skips_looking_at_them(site, export, tmp_path):
    export(again=True)
    (tmp_path / "site" / "prisec-ml" / "past" / "index.html").unlink()  # behind its back
    trusting = export(again=True, check_files=False)
    assert "prisec-ml/past/index.html" not in trusting.written
    checking = export(again=True)
    assert "prisec-ml/past/index.html" in checking.written


def test_exports_sharing_a_static_folder_collect_the_files_once(
    site, export, tmp_path, monkeypatch
):
    from podium.export import rendering

    collected = []
    collect = rendering.call_command
    monkeypatch.setattr(
        rendering, "call_command", lambda *a, **k: collected.append(a) or collect(*a, **k)
    )
    shared = tmp_path / "static-files"
    export(static_files=shared, again=True)
    first = tree(tmp_path / "site")
    site.past.abstract = "Changed."
    save_talk(site.past)
    export(static_files=shared, again=True)
    export(tmp_path / "fresh")  # its own folder, collected afresh
    assert len(collected) == 2
    second, fresh = tree(tmp_path / "site"), tree(tmp_path / "fresh")
    assert {n for n in first if n.startswith("static/")} == {
        n for n in second if n.startswith("static/")
    }
    assert {n: b for n, b in second.items() if n != MANIFEST} == {
        n: b for n, b in fresh.items() if n != MANIFEST
    }
