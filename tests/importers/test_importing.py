"""Writing pages into a series: idempotence, what is kept, photos, dry runs, bad input."""

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from podium.importers.importing import Options
from podium.importers.run import import_files
from podium.seminars.models import Person, Series, Talk
from tests.importers.test_jekyll import page, talk

pytestmark = pytest.mark.django_db


def run(path, **options):
    (report,) = import_files([path], "demo-series", options=Options(**options))
    return report


def test_first_import_creates_a_draft_series_and_the_talk(page_file):
    report = run(page_file(page(talk())))
    assert report.error == "" and len(report.added) == 1
    series = Series.objects.get(slug="demo-series")
    assert (series.name, series.short_name, series.visibility) == (
        "A Seminar",
        "PriSec-ML",
        "draft",
    )
    assert (series.default_weekday, series.default_start_time.hour) == (2, 13)
    only = Talk.objects.get()
    assert only.start == datetime(2021, 10, 13, 12, 0, tzinfo=UTC)
    assert only.abstract == "An – abstract."
    assert only.speakers.get().homepage == "https://ada.example.org"


def test_a_series_named_after_its_slug_takes_a_later_pages_title(page_file):
    # The PriSec-ML history: its first page has no title (nor short name), later ones do.
    untitled = page(talk(), intro="Intro, tentatively Wednesdays 1pm.").replace(
        "title: A Seminar\n", ""
    )
    run(page_file(untitled))
    series = Series.objects.get()
    assert (series.name, series.short_name) == ("demo-series", "demo-series")
    run(page_file(page(talk()), "v2.md"))
    series.refresh_from_db()
    assert (series.name, series.short_name) == ("A Seminar", "PriSec-ML")
    # A name the organizer gave stays, whatever a later page's title says.
    series.name, series.short_name = "PriSec-ML Seminars", "PriSec"
    series.save()
    run(page_file(page(talk()).replace("A Seminar", "Another Title"), "v3.md"))
    series.refresh_from_db()
    assert (series.name, series.short_name) == ("PriSec-ML Seminars", "PriSec")


def test_a_history_imported_again_adds_no_talk(page_file):
    # The PriSec-ML history: a talk announced, moved a few weeks on, then retitled. Its
    # first version, read again, has neither the day nor the title the talk has now; the
    # address it had then says which talk it is.
    speaker = "Reza Shokri (NUS)"
    versions = [
        page_file(page(talk(when=when, title=title, speaker=speaker)), f"v{i}.md")
        for i, (when, title) in enumerate(
            [
                ("27 October 2021, 13:30 (UK time)", "Privacy Auditing in Machine Learning"),
                ("17 November 2021, 13:30 (UK time)", "Privacy Auditing in Machine Learning"),
                ("17 November 2021, 13:30 (UK time)", "Advanced Membership Inference Attacks"),
            ]
        )
    ]
    for _ in range(2):
        import_files(versions, "demo-series")
        only = Talk.objects.get()
        assert only.title == "Advanced Membership Inference Attacks"
        assert only.start == datetime(2021, 11, 17, 13, 30, tzinfo=UTC)


def test_importing_the_same_file_twice_changes_nothing(page_file):
    path = page_file(page(talk()))
    run(path)
    before = Talk.objects.values_list("sequence", "changed_at", "updated_at").get()
    revision = Series.objects.get().revision
    report = run(path)
    assert report.summary() == f"{path}: unchanged (1 talks)"
    assert Talk.objects.values_list("sequence", "changed_at", "updated_at").get() == before
    assert Series.objects.get().revision == revision


def test_a_later_version_updates_in_place_and_keeps_what_it_leaves_out(page_file):
    run(page_file(page(talk())))
    first = Talk.objects.get()
    later = talk(when="13 October 2021", title="Notes on the Engine, revised", abstract="TBA",
                 links="[[Slides](https://example.org/slides)]", bio="")  # fmt: skip
    report = run(page_file(page(later), "v2.md"))
    assert len(report.updated) == 1 and report.added == []
    again = Talk.objects.get()
    assert again.pk == first.pk and again.uid == first.uid
    assert again.title == "Notes on the Engine, revised"
    assert again.start == first.start  # no time on the page: the known one stays
    assert again.abstract == "An – abstract."
    assert again.recording_url == "https://youtu.be/abc"
    assert again.slides_url == "https://example.org/slides"
    assert again.sequence == first.sequence + 1
    assert again.speakers.get().homepage == "https://ada.example.org"


def test_a_talk_dropped_by_a_later_version_is_kept_and_reported(page_file):
    run(page_file(page(talk(), talk(when="27 October 2021", speaker="Charles Babbage (Cam)"))))
    report = run(page_file(page(talk()), "v2.md"))
    assert Talk.objects.count() == 2
    assert report.kept == ["2021-10-27 Charles Babbage: Notes on the Engine"]


def test_a_name_corrected_between_versions_is_the_same_person(page_file):
    run(page_file(page(talk(speaker="Ada Lovelave (Analytical Engine Society)"))))
    report = run(
        page_file(page(talk(speaker="Prof. Ada Lovelace (Analytical Engine Society)")), "2.md")
    )
    assert Person.objects.get().display_name == "Prof. Ada Lovelace"
    assert report.people_updated == ["Prof. Ada Lovelace (name, honorific)"]
    assert Talk.objects.get().sequence == 1


def test_dry_run_reports_and_writes_nothing(page_file):
    report = run(page_file(page(talk())), dry_run=True)
    assert len(report.added) == 1 and "1 would be added" in report.summary()
    assert not Series.objects.exists() and not Talk.objects.exists()
    assert not Person.objects.exists()


def photo_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (600, 500), "teal").save(output, "PNG")
    return output.getvalue()


def test_photos_come_through_the_upload_sanitizer(page_file, tmp_path):
    photos = tmp_path / "images"
    photos.mkdir()
    (photos / "ada.jpg").write_bytes(photo_bytes())
    babbage = talk(when="27 October 2021", photo="nobody.jpg", speaker="Charles Babbage (Cam)")
    report = run(page_file(page(talk(), babbage)), photos_dir=photos)
    ada = Person.objects.get(name="Ada Lovelace")
    with ada.photo.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (400, 400))
    assert [w.kind for w in report.warnings] == ["photo_missing", "no_time"]
    assert "nobody.jpg" in report.warnings[0].message
    assert run(page_file(page(talk()), "2.md"), photos_dir=photos).people_updated == []


def test_a_refused_photo_is_a_warning(page_file, tmp_path):
    photos = tmp_path / "images"
    photos.mkdir()
    (photos / "ada.jpg").write_bytes(b"not an image at all")
    report = run(page_file(page(talk())), photos_dir=photos)
    assert [w.kind for w in report.warnings] == ["photo_refused"]
    assert not Person.objects.get().photo
