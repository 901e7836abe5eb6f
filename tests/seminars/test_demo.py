"""`podium demo` and `podium serve`: the demo series, the login, and a clean stop."""

import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

import pytest

from podium.seminars.demo import build_demo_series, ensure_demo_organizer
from podium.seminars.models import Series
from podium.seminars.talks import past_talks, upcoming_talks
from podium.seminars.timezones import to_local
from tests.commands import environment as child_environment
from tests.commands import podium, rename_last_talk, start, stop

pytestmark = pytest.mark.django_db

# A Friday: the next usual slots (Wednesdays) are 2 and 16 December 2026.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_demo_series_has_the_seed_talks_on_the_next_usual_slots():
    series = build_demo_series(NOW)
    upcoming = list(upcoming_talks(series, NOW))
    assert [to_local(t.start, "Europe/London").strftime("%a %d %b %H:%M") for t in upcoming] == [
        "Wed 02 Dec 13:00",
        "Wed 16 Dec 13:30",
    ]
    konrad = upcoming[0].talk_speakers.get().person
    assert konrad.affiliation == "Technische Universität Braunschweig"
    assert konrad.display_name == "Prof. Konrad Rieck"
    assert "image scaling" in upcoming[0].abstract
    assert series.is_demo and series.organizers.count() == 4
    # The seed page's one "Mailing List" link; its Google Calendar line is not a link to keep.
    assert [link.url for link in series.links.all()] == [
        "https://www.jiscmail.ac.uk/cgi-bin/webadmin?SUBED1=PRISEC-ML&A=1"
    ]


def test_demo_archive_has_recordings():
    series = build_demo_series(NOW)
    past = list(past_talks(series, NOW))
    assert len(past) == 15
    assert all(talk.recording_url.startswith("https://www.youtube.com/") for talk in past)


def test_demo_is_built_once_and_the_password_shown_once():
    series = build_demo_series(NOW)
    assert build_demo_series(NOW) == series
    assert Series.objects.count() == 1
    password = ensure_demo_organizer(series)
    assert password and len(password) >= 12
    assert ensure_demo_organizer(series) is None
    assert series.organizers.filter(user__username="organizer").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped early"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_server_answers_and_stops_cleanly_on_ctrl_c(tmp_path, command):
    environment = child_environment(tmp_path)
    if command == "serve":
        refused = subprocess.run(
            [sys.executable, "-m", "podium", "serve"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert refused.returncode != 0 and "podium migrate" in refused.stderr
        podium(environment, "demo", "--no-serve")
    port = _free_port()
    process = start(environment, command, "--port", str(port))
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/", process).decode()
        assert "Privacy &amp; Security in Machine Learning Seminars" in page
        assert "This is a demo." in page
        if command == "demo":
            # Feed links point where the demo is served, not at the default port.
            assert f"http://127.0.0.1:{port}/prisec-ml/calendar.ics" in page
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    if command == "demo":
        assert "Log in as:     organizer / " in output


def test_serve_keeps_a_static_copy_current_beside_the_server(tmp_path):
    environment = child_environment(tmp_path)
    podium(environment, "demo", "--no-serve")
    port, site = _free_port(), tmp_path / "site"
    process = start(environment, "serve", "--port", str(port), "--with-export", str(site))
    try:
        assert "This is a demo." in _wait_for(f"http://127.0.0.1:{port}/", process).decode()
        _wait_for_file(site / "index.html", process)
        rename_last_talk(environment, "Kept current beside the server")
        deadline = time.monotonic() + 60
        while "Kept current beside the server" not in (site / "index.html").read_text():
            assert time.monotonic() < deadline, "the static copy never followed the change"
            assert process.poll() is None, "a process stopped early"
            time.sleep(0.2)
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert f"Exported to {site}: " in output and "Stopped watching." in output


def _wait_for_file(path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.is_file():
        assert time.monotonic() < deadline, f"{path} never appeared"
        assert process.poll() is None, "a process stopped early"
        time.sleep(0.2)
