"""The public pages and the organizers' side in a real browser (headless Chromium)."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from podium.seminars.models import Person, Talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory, make_organizer

# 12:00 UTC on Wednesday 13 October 2021 was 13:00 in London (BST).
TALK_START = datetime(2030, 10, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
def series_with_talk(transactional_db):
    series = SeriesFactory(slug="prisec-ml", name="PriSec-ML Seminars")
    TalkFactory(
        series=series,
        title="Adversarial Preprocessing",
        abstract="Image-scaling attacks **hide** images in images.",
        start=TALK_START,
        speakers=[
            PersonFactory(
                name="Konrad Rieck",
                honorific="Prof.",
                affiliation="Technische Universität Braunschweig",
                bio="Professor of *machine learning and security*.",
            )
        ],
    )
    return series


def assert_clean(page) -> None:
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []
    assert page.context.cookies() == []


def test_home_page_and_abstract_open_in_place(live_server, browser_page, series_with_talk):
    page = browser_page(timezone_id="Europe/London")
    page.goto(f"{live_server.url}/prisec-ml/")
    assert page.get_by_role("heading", name="PriSec-ML Seminars").is_visible()
    assert page.get_by_text("Wednesday 16 October 2030, 13:00 UK time (BST)").is_visible()
    assert page.get_by_text("Prof. Konrad Rieck").is_visible()
    abstract = page.locator("details.abstract")
    assert abstract.get_attribute("open") is None
    assert not page.get_by_text("hide images in images").is_visible()
    abstract.locator("summary").focus()
    page.keyboard.press("Enter")  # keyboard use: details open from the keyboard
    assert page.get_by_text("images in images").is_visible()
    page.locator("details.bio summary").click()
    assert page.get_by_text("machine learning and security").is_visible()
    # The reader is in the series' zone: no second time is needed.
    assert page.locator(".reader-time").count() == 0
    assert_clean(page)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Tokyo", "Wednesday, 16 October 2030 at 21:00 (Asia/Tokyo)"),
        ("America/Los_Angeles", "Wednesday, 16 October 2030 at 05:00 (America/Los Angeles)"),
    ],
)
def test_reader_sees_their_own_time(live_server, browser_page, series_with_talk, zone, expected):
    page = browser_page(timezone_id=zone)
    page.goto(f"{live_server.url}/prisec-ml/")
    reader_time = page.locator(".reader-time").first
    assert reader_time.get_attribute("data-reader-zone") == zone
    assert reader_time.inner_text() == f"Your time: {expected}"
    # The series' own time stays, with its zone.
    assert page.get_by_text("13:00 UK time (BST)").is_visible()
    assert_clean(page)


def test_the_reader_time_comes_after_the_rest_of_the_time_line(
    live_server, browser_page, series_with_talk
):
    page = browser_page(timezone_id="Asia/Tokyo")
    page.goto(f"{live_server.url}/prisec-ml/")
    page.get_by_role("link", name="Adversarial Preprocessing").click()
    line = page.locator("p.talk-when")
    expect(line.locator(".reader-time")).to_be_visible()
    # The duration stays beside the series' time; the reader's time is a line below both.
    assert line.inner_text().splitlines() == [
        "Wednesday 16 October 2030, 13:00 UK time (BST) · 60 minutes",
        "Your time: Wednesday, 16 October 2030 at 21:00 (Asia/Tokyo)",
    ]
    assert line.locator(":scope > :last-child").get_attribute("class") == "reader-time"
    assert_clean(page)


def test_without_javascript_the_series_time_stands_alone(
    live_server, browser_page, series_with_talk
):
    page = browser_page(timezone_id="Asia/Tokyo", java_script_enabled=False)
    page.goto(f"{live_server.url}/prisec-ml/")
    assert page.get_by_text("13:00 UK time (BST)").is_visible()
    assert page.locator(".reader-time").count() == 0


def test_talk_and_archive_pages_on_a_phone(live_server, browser_page, series_with_talk):
    page = browser_page(viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/prisec-ml/")
    page.get_by_role("link", name="Adversarial Preprocessing").click()
    expect(page.get_by_role("heading", name="Adversarial Preprocessing", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Past talks").click()
    expect(page.get_by_role("heading", name="Past talks")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_clean(page)


def test_organizer_adds_a_talk_and_sees_it_on_the_home_page(
    live_server, browser_page, series_with_talk
):
    make_organizer(series_with_talk, username="emiliano")
    page = browser_page()
    page.goto(f"{live_server.url}/organize/")
    page.get_by_label("Username").fill("emiliano")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/organize/seminars/talk/add/")
    page.get_by_label("Series").select_option(label="PriSec-ML Seminars")
    page.get_by_label("Title").fill("Privacy Auditing in Machine Learning")
    page.get_by_label("Date").fill("2030-10-30")
    page.get_by_label("Start time").fill("13:30")
    page.get_by_label("Start time").dispatch_event("change")
    preview = page.locator("#podium-time-preview")
    preview.get_by_text("Asia/Tokyo").wait_for()
    assert "Wednesday 30 October 2030, 13:30 UK time (GMT)" in preview.inner_text()
    # Pick the speaker through the autocomplete (select2, served from this machine).
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Konrad")
    page.locator(".select2-results__option", has_text="Konrad Rieck").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    talk = Talk.objects.get(title="Privacy Auditing in Machine Learning")
    assert talk.start == datetime(2030, 10, 30, 13, 30, tzinfo=UTC)
    assert [p.name for p in talk.speakers.all()] == ["Konrad Rieck"]
    assert Person.objects.count() == 1
    page.goto(f"{live_server.url}/prisec-ml/")
    expect(page.get_by_text("Privacy Auditing in Machine Learning")).to_be_visible()
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []


def test_a_long_programme_is_one_click_from_the_home_page(
    live_server, browser_page, series_with_talk, monkeypatch
):
    from datetime import timedelta

    from podium.seminars import views

    monkeypatch.setattr(views, "UPCOMING_CARDS", 1)
    monkeypatch.setattr(views, "UPCOMING_ON_HOME", 2)
    for weeks, title in ((1, "Talk 1 week later"), (2, "Talk 2 weeks later")):
        TalkFactory(series=series_with_talk, title=title, start=TALK_START + timedelta(weeks=weeks))
    page = browser_page(timezone_id="Asia/Tokyo", viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/prisec-ml/")
    assert page.get_by_role("link", name="Talk 1 week later").is_visible()
    assert page.get_by_role("link", name="Talk 2 weeks later").count() == 0
    page.get_by_role("link", name="All 3 upcoming talks →").click()
    expect(page.get_by_role("heading", name="Upcoming talks", level=1)).to_be_visible()
    lines = page.locator("ol.later-list > li")
    assert [line.locator("a").inner_text() for line in lines.all()] == [
        "Adversarial Preprocessing",
        "Talk 1 week later",
        "Talk 2 weeks later",
    ]
    # Each line carries the reader's time too.
    expect(lines.first.locator(".reader-time")).to_contain_text("21:00 (Asia/Tokyo)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_pass_axe_accessibility_checks(
    live_server, browser_page, series_with_talk, scheme
):
    from axe_playwright_python.sync_playwright import Axe

    page = browser_page(color_scheme=scheme)
    talk = Talk.objects.get()
    pages = ("/prisec-ml/", "/prisec-ml/upcoming/", "/prisec-ml/past/", talk.get_absolute_url())
    for path in (*pages, "/nowhere/"):
        page.goto(f"{live_server.url}{path}")
        page.locator("details.abstract, details.bio").first.evaluate(
            "el => el && (el.open = true)"
        ) if path == "/prisec-ml/" else None
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
        assert results.violations_count == 0, (path, results.generate_report())
