"""Self-test of the browser fixtures in tests/browser.py, against a throwaway static site."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

INDEX_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Browser fixture check</title></head>
<body>
  <h1>Browser fixture check</h1>
  <p id="where">no script ran</p>
  <img src="https://example.invalid/tracker.png" alt="">
  <script>
    document.getElementById("where").textContent =
      Intl.DateTimeFormat().resolvedOptions().timeZone + " " + navigator.language;
    console.error("deliberate console error");
  </script>
  <script>throw new Error("deliberate uncaught error");</script>
</body>
</html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[str]:
    """Serve a one-page site from a thread on 127.0.0.1 and yield its index URL."""
    (tmp_path / "index.html").write_text(INDEX_HTML)
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.browser
def test_page_records_console_errors_and_blocks_external_requests(browser_page, static_site):
    page = browser_page()
    with page.expect_event("requestfailed") as failed:
        page.goto(static_site)

    assert page.title() == "Browser fixture check"
    assert page.podium_external_requests == ["https://example.invalid/tracker.png"]
    # Aborted by the fixture's route, not a failed DNS look-up: the request never left.
    assert failed.value.url == "https://example.invalid/tracker.png"
    assert failed.value.failure == "net::ERR_FAILED"
    assert "deliberate console error" in page.podium_console_errors
    assert any("deliberate uncaught error" in error for error in page.podium_console_errors)


@pytest.mark.browser
def test_pages_default_to_london_and_british_english(browser_page, static_site):
    page = browser_page()
    page.goto(static_site)

    assert page.inner_text("#where") == "Europe/London en-GB"


@pytest.mark.browser
def test_each_page_takes_its_own_time_zone_and_locale(browser_page, static_site):
    new_york = browser_page(timezone_id="America/New_York", locale="en-US")
    tokyo = browser_page(timezone_id="Asia/Tokyo", locale="ja-JP")
    new_york.goto(static_site)
    tokyo.goto(static_site)

    assert new_york.inner_text("#where") == "America/New_York en-US"
    assert tokyo.inner_text("#where") == "Asia/Tokyo ja-JP"


@pytest.mark.browser
def test_javascript_can_be_turned_off(browser_page, static_site):
    page = browser_page(java_script_enabled=False)
    page.goto(static_site)

    assert page.inner_text("#where") == "no script ran"
    assert page.podium_external_requests == ["https://example.invalid/tracker.png"]


INNER_TEST = """
def test_two_pages(browser_page):
    browser_page().set_content("<h1>first page</h1>")
    browser_page().set_content("<h1>second page</h1>")
"""


def run_inner_session(directory: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run INNER_TEST in its own pytest process with the browser plugin loaded."""
    (directory / "test_inner.py").write_text(INNER_TEST)
    command = [sys.executable, "-m", "pytest", "-p", "tests.browser", "-p", "no:django"]
    command += ["-p", "no:cacheprovider", "--rootdir", str(directory), "-rA", "test_inner.py"]
    return subprocess.run(
        command,
        cwd=directory,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.browser
def test_every_open_page_is_screenshotted_after_the_test(browser, tmp_path):
    result = run_inner_session(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    screenshots = sorted(p.name for p in (tmp_path / "test-artifacts/screenshots").iterdir())
    assert screenshots == ["test_inner.test_two_pages-1.png", "test_inner.test_two_pages-2.png"]
    for name in screenshots:
        png = (tmp_path / "test-artifacts/screenshots" / name).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_chromium_fails_browser_tests_with_a_clear_message(tmp_path):
    result = run_inner_session(tmp_path, PODIUM_CHROMIUM="/nonexistent/chromium")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "/nonexistent/chromium is missing" in result.stdout
    assert "scripts/install-test-deps" in result.stdout


def test_missing_chromium_skips_browser_tests_when_asked(tmp_path):
    result = run_inner_session(
        tmp_path, PODIUM_CHROMIUM="/nonexistent/chromium", PODIUM_SKIP_BROWSER="1"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
