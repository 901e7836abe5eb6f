"""Bad input: a clear message naming the file (and line), and nothing half-written."""

import pytest
from django.core.management import CommandError, call_command

from podium.importers.run import import_files
from podium.seminars.models import Person, Series, Talk
from tests.importers.test_jekyll import page, talk

pytestmark = pytest.mark.django_db


def error_of(path) -> str:
    (report,) = import_files([path], "s")
    return report.summary()


def test_empty_file(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n")
    assert error_of(path) == f"{path}: NOT IMPORTED: the file is empty."


def test_binary_file(tmp_path):
    path = tmp_path / "photo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary file" in error_of(path)


def test_file_in_another_encoding_names_the_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(page(talk(speaker="Ada (Universit\xe4t)")).encode("latin-1"))
    assert (
        error_of(path)
        == f"{path}: NOT IMPORTED: line 11: byte 0xe4 is not UTF-8; save the file as UTF-8."
    )


def test_a_50_mb_file_is_refused_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.md"
    with path.open("wb") as stream:
        stream.seek(50 * 1024 * 1024 - 1)
        stream.write(b"\n")
    opened = []
    monkeypatch.setattr(type(path), "open", lambda *a, **k: opened.append(a) or None)
    assert "the file is 50.0 MB; the limit is 5 MB" in error_of(path)
    assert opened == []


def test_a_page_with_no_talks_is_reported_and_writes_nothing(page_file):
    (report,) = import_files([page_file("---\ntitle: Me\n---\n\nHello.\n")], "s")
    assert [w.kind for w in report.warnings] == ["no_talks"]
    assert not Series.objects.exists()


def test_truncated_details_and_impossible_date(page_file):
    text = page(talk().replace("</details>", ""), talk(when="31 February 2022, 13:00"))
    (report,) = import_files([page_file(text)], "s")
    assert sorted(w.kind for w in report.warnings) == ["unclosed_details", "unknown_date"]
    bad = next(w for w in report.warnings if w.kind == "unknown_date")
    assert bad.line == 16 and "February 2022 has no day 31" in str(bad)
    assert Talk.objects.count() == 1


def test_a_file_that_fails_midway_leaves_nothing_behind(page_file, monkeypatch):
    from podium.importers import importing

    calls = []

    def failing_save(talk, **kwargs):
        calls.append(talk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(talk, **kwargs)

    original = importing.save_talk
    monkeypatch.setattr(importing, "save_talk", failing_save)
    path = page_file(page(talk(), talk(when="27 October 2021", speaker="Charles Babbage (Cam)")))
    with pytest.raises(RuntimeError):
        import_files([path], "s")
    assert (Series.objects.count(), Talk.objects.count(), Person.objects.count()) == (0, 0, 0)


def test_the_command_goes_on_after_a_bad_file_and_fails_at_the_end(page_file, tmp_path, capsys):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    good = page_file(page(talk()))
    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        call_command("import", str(empty), str(good), "--series", "s")
    output = capsys.readouterr().out
    assert f"{empty}: NOT IMPORTED: the file is empty." in output
    assert Talk.objects.count() == 1


def test_unknown_zone_and_missing_photo_folder_are_refused(page_file, tmp_path):
    path = page_file(page(talk()))
    (report,) = import_files([path], "s", zone="Mars/Olympus")
    assert "not an IANA time zone" in report.error
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import", str(path), "--series", "s", "--photos", str(tmp_path / "none"))
