"""The whole history of the real page, in date order, converges on one record per talk."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from podium.importers.report import warning_counts
from podium.importers.run import import_files
from podium.seminars.models import Person, Series, Talk

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def history(corpus, django_db_setup, django_db_blocker):
    """The whole history imported once for the module (committed, removed afterwards)."""
    paths = sorted((corpus / "about").glob("about-*.md"))
    assert len(paths) >= 80
    with django_db_blocker.unblock():
        reports = import_files(paths, "prisec-ml")
        assert [r.error for r in reports if r.error] == []
        yield reports
        Series.objects.all().delete()
        Person.objects.all().delete()


def talk_on(day: str, series: str = "prisec-ml") -> Talk:
    return Talk.objects.get(series__slug=series, start__date=day)


def test_each_talk_once_in_the_state_of_the_newest_page(history):
    talks = Talk.objects.filter(series__slug="prisec-ml")
    keys = Counter((t.start.date(), tuple(sorted(p.name for p in t.speakers.all()))) for t in talks)
    assert [key for key, n in keys.items() if n > 1] == []
    # 44 talks on the newest page, plus two that later versions dropped (kept, reported).
    assert talks.count() == 46
    assert history[-1].kept == [
        "2021-12-08 Luca Melis: Differentially Private Query Release Through Adaptive Projection",
        "2022-11-23 Binghui Wang: TBA",
    ]


def test_konrad_rieck_keeps_his_time_and_gains_his_recording(history):
    konrad = talk_on("2021-10-13")
    assert konrad.start == datetime(2021, 10, 13, 12, 0, tzinfo=UTC)  # 13:00 UK time
    assert konrad.recording_url == "https://youtu.be/kCKayHjZd3E"
    assert konrad.registration_url.startswith("https://ucl.zoom.us/meeting/register/")
    assert konrad.abstract.startswith("The remarkable advances of machine learning")
    (person,) = konrad.speakers.all()
    assert person.display_name == "Prof. Konrad Rieck"


def test_a_moved_and_retitled_talk_is_one_talk_with_its_last_title(history):
    (reza,) = Talk.objects.filter(speakers__name="Reza Shokri")
    assert reza.title == "Advanced Membership Inference Attacks"
    assert reza.start == datetime(2021, 11, 17, 13, 30, tzinfo=UTC)
    assert reza.redirects.exists()  # its old address still leads to it
    assert Person.objects.filter(name__in=["Reza Shorki", "Reza Shokri"]).count() == 1


def test_typos_in_names_are_one_person(history):
    assert Person.objects.filter(name__endswith="Talwar").count() == 1
    assert Person.objects.filter(name__endswith="Carlini").count() == 1
    assert Person.objects.get(name__endswith="Talwar").name == "Kunal Talwar"


def test_a_time_the_newest_page_leaves_out_is_kept(history):
    # The newest page gives no times; the 15 June 2022 talk was moved to 14:00 UK time.
    assert talk_on("2022-06-15").start == datetime(2022, 6, 15, 13, 0, tzinfo=UTC)


def test_reimporting_the_newest_page_changes_nothing(history, corpus):
    newest = sorted((corpus / "about").glob("about-*.md"))[-1]
    before = {t.pk: (t.sequence, t.changed_at) for t in Talk.objects.all()}
    (report,) = import_files([newest], "prisec-ml")
    assert not report.changed and report.added == [] and report.updated == []
    assert report.summary().endswith("unchanged (44 talks), 2 kept (not on this page)")
    assert {t.pk: (t.sequence, t.changed_at) for t in Talk.objects.all()} == before


def test_history_warnings_by_kind(history):
    counts = warning_counts(history)
    assert counts["time_mismatch"] == 10
    assert counts["misspelt_date"] == 1
    assert counts["unknown_date"] == 2
    assert counts["no_talks"] == 5


def test_students_series_shares_people_with_the_first(history, corpus):
    reports = import_files(sorted((corpus / "students").glob("students-*.md")), "students")
    assert [r.error for r in reports if r.error] == []
    meta = talk_on("2022-03-02", "students")
    assert [p.name for p in (r.person for r in meta.talk_speakers.all())] == [
        "Alexandre Sablayrolles",
        "Pierre Stock",
        "Igor Shilov",
    ]
    assert {p.affiliation for p in meta.speakers.all()} == {"Meta AI"}
    assert meta.recording_url == "https://youtu.be/jfcRPRIwPW0"
    assert Person.objects.filter(name="Ana-Maria Cretu").count() == 1
    fatemeh = Person.objects.get(name="Fatemeh Mireshghallah")
    assert {t.series.slug for t in fatemeh.talks.all()} == {"prisec-ml", "students"}
    again = import_files(sorted((corpus / "students").glob("students-*.md"))[-1:], "students")
    assert not again[0].changed
