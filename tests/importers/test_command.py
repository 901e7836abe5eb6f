"""`podium import`: the report, the dry run and the progress lines."""

import io

import pytest
from django.core.management import call_command

from podium.importers.progress import Progress
from podium.seminars.models import Talk
from tests.importers.test_jekyll import page, talk

pytestmark = pytest.mark.django_db


def test_report_and_dry_run(page_file, capsys):
    path = page_file(page(talk(links="[[Recording](https://z.example/r?pwd=abc)]")))
    call_command("import", str(path), "--series", "s", "--dry-run")
    output = capsys.readouterr().out
    assert "1 would be added" in output
    assert "added: 2021-10-13 Ada Lovelace: Notes on the Engine" in output
    assert f"warning [recording_passcode] {path}:" in output
    assert not Talk.objects.exists()
    call_command("import", str(path), "--series", "s")
    assert Talk.objects.count() == 1


def test_several_files_show_progress_lines_and_totals(page_file, capsys):
    first = page_file(page(talk()), "a.md")
    second = page_file(page(talk(title="Notes, revised")), "b.md")
    call_command("import", str(first), str(second), "--series", "s")
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"[1/2] {first}", f"[2/2] {second}"]
    assert "2 files: 1 talks added, 1 updated; warnings: none." in captured.out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_a_bar_on_a_terminal():
    stream = Terminal()
    progress = Progress(2, stream)
    progress.step("a.md")
    progress.step("b.md")
    assert stream.getvalue().startswith("\r[###############---------------] 1/2 a.md")
    assert stream.getvalue().endswith("\n")


@pytest.mark.parametrize("count", [1, 3])
def test_an_unchanged_reimport_costs_the_same_queries_for_1_and_3_talks(
    count, page_file, django_assert_num_queries
):
    days = ["13 October 2021", "27 October 2021", "10 November 2021"][:count]
    path = page_file(page(*(talk(when=d, speaker=f"Speaker {d[:2]} (X)") for d in days)))
    call_command("import", str(path), "--series", "s")
    with django_assert_num_queries(9):  # whatever the number of talks
        call_command("import", str(path), "--series", "s")
