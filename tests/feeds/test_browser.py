"""In Chromium: the subscribe block and its copy button, add to calendar, and the embed."""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import icalendar
import pytest
from playwright.sync_api import expect

from tests.factories import SeriesFactory, TalkFactory


@pytest.fixture
def site(live_server, settings):
    settings.BASE_URL = live_server.url
    series = SeriesFactory(name="PriSec-ML")
    start = (datetime.now(UTC) + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    talk = TalkFactory(series=series, title="Stealing Models", start=start)
    return live_server.url, series, talk


def test_subscribe_block_and_copy_button(site, browser_page):
    base, series, _ = site
    page = browser_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{base}/{series.slug}/")
    block = page.locator("section.subscribe")
    assert block.get_by_role("heading").inner_text() == "Subscribe to the calendar"
    webcal = block.get_by_role("link", name="Subscribe in your calendar app")
    assert (
        webcal.get_attribute("href")
        == f"webcal://{base.split('://')[1]}/{series.slug}/calendar.ics"
    )
    google = block.get_by_role("link", name="Google Calendar").get_attribute("href")
    assert google.startswith("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F")
    copy = block.get_by_role("button", name="Copy")
    copy.click()
    expect(block.locator(".copy-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base}/{series.slug}/calendar.ics"
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []
    assert page.context.cookies() == []


def test_copy_button_is_hidden_without_javascript(site, browser_page):
    base, series, _ = site
    page = browser_page(java_script_enabled=False)
    page.goto(f"{base}/{series.slug}/")
    assert page.locator("button.copy-button").is_hidden()
    assert page.locator(".feed-address input").input_value() == f"{base}/{series.slug}/calendar.ics"


def test_add_to_calendar_links_and_file(site, browser_page):
    base, series, talk = site
    page = browser_page()
    page.goto(f"{base}/{series.slug}/talks/{talk.slug}/")
    block = page.locator("section.add-to-calendar")
    outlook = block.get_by_role("link", name="Outlook.com").get_attribute("href")
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert f"startdt={talk.start:%Y-%m-%dT%H}%3A00%3A00Z" in outlook
    google = block.get_by_role("link", name="Google Calendar").get_attribute("href")
    assert f"dates={talk.start:%Y%m%dT%H%M%SZ}%2F{talk.end:%Y%m%dT%H%M%SZ}" in google
    with page.expect_download() as download_info:
        block.get_by_role("link", name="Calendar file (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"{talk.slug}.ics"
    with open(download.path(), "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == talk.start
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []


@pytest.fixture
def other_site():
    """A second web site on this machine (another origin) whose page embeds the snippet."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


def test_embed_in_another_sites_page(site, browser_page, other_site):
    base, series, _ = site
    origin, pages = other_site
    snippet = (
        f'<iframe src="{base}/{series.slug}/embed/" title="Next talks" '
        'style="width:100%;height:20rem;border:0"></iframe>'
    )
    pages["/host.html"] = f"<!doctype html><title>Dept</title><h1>Seminars</h1>{snippet}".encode()
    page = browser_page(timezone_id="Asia/Tokyo")
    page.goto(f"{origin}/host.html")
    frame = page.frame_locator("iframe")
    assert frame.get_by_role("link", name="Stealing Models").get_attribute("target") == "_blank"
    reader_time = frame.locator(".reader-time").first.inner_text()
    assert "Asia/Tokyo" in reader_time
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []
    assert page.context.cookies() == []
