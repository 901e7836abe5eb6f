"""Browser fixtures: Playwright's sync API driving Debian's Chromium, headless.

Loaded as a pytest plugin (``pytest_plugins = ["tests.browser"]`` in ``tests/conftest.py``).

- ``browser``: one Chromium for the whole session (per xdist worker).
- ``browser_page(timezone_id=..., locale=..., java_script_enabled=...)``: opens a page in a
  fresh context. Each page records ``page.podium_console_errors`` (console errors and uncaught
  exceptions) and ``page.podium_external_requests`` (every URL asked of a host other than this
  machine); those requests are also blocked, so nothing leaves the machine.
- After each test, every page still open is saved as a full-page screenshot in
  ``test-artifacts/screenshots/<module>.<test>-<n>.png``.

The browser is never downloaded: without ``/usr/bin/chromium`` browser tests fail with a
message saying what to install, or are skipped when ``PODIUM_SKIP_BROWSER=1``.
"""

from __future__ import annotations

import asyncio
import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request

# Playwright's sync API leaves a "running" asyncio loop in the test thread: let the ORM run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PODIUM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's servers from a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
# Any http(s) or ws(s) URL whose host is not this machine.
EXTERNAL_URL = re.compile(
    r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:[/?#]|$))"
)
DEFAULT_TIMEOUT_MS = 15_000
SCREENSHOT_DIR = Path("test-artifacts", "screenshots")
BROWSER_FIXTURES = {"browser", "browser_page"}


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker (also set on every test using the fixtures)."""
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use a browser fixture, so ``-m "not browser"`` leaves them out."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def _missing_browser(reason: str) -> None:
    if os.environ.get("PODIUM_SKIP_BROWSER") == "1":
        pytest.skip(f"{reason} (PODIUM_SKIP_BROWSER=1)")
    pytest.fail(
        f"{reason}: browser tests need Debian's Chromium. Run scripts/install-test-deps "
        "(or apt-get install chromium), or set PODIUM_SKIP_BROWSER=1 to skip them.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session, started from Debian's package."""
    if not CHROMIUM.is_file():
        _missing_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _watch(page: Page) -> Page:
    """Record the page's console errors and the external requests it attempts."""
    errors: list[str] = []
    external: list[str] = []
    page.podium_console_errors = errors
    page.podium_external_requests = external

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_request(request: Request) -> None:
        if EXTERNAL_URL.match(request.url):
            external.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", on_request)
    return page


def _screenshot_name(request: pytest.FixtureRequest) -> str:
    module = request.node.module.__name__.rsplit(".", 1)[-1] if request.node.module else ""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{module}.{request.node.name}").strip("_")


def _save_screenshots(pages: list[Page], request: pytest.FixtureRequest) -> None:
    from playwright.sync_api import Error as PlaywrightError

    directory = request.config.rootpath / SCREENSHOT_DIR
    directory.mkdir(parents=True, exist_ok=True)
    name = _screenshot_name(request)
    for old in directory.glob(f"{name}-*.png"):
        old.unlink()
    open_pages = [page for page in pages if not page.is_closed()]
    for number, page in enumerate(open_pages, start=1):
        try:
            page.screenshot(path=directory / f"{name}-{number}.png", full_page=True)
        except PlaywrightError as error:
            # A page that crashed or hung still lets the test report its own result.
            warnings.warn(f"no screenshot of {page.url}: {error}", stacklevel=1)


@pytest.fixture(autouse=True)
def _hide_playwright_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Outside browser tests, hide the loop Playwright leaves marked running in this thread.

    Once the session's browser has started, ``asyncio.run`` and ``async_to_sync`` would
    otherwise refuse to run in any later test of the same process.
    """
    if BROWSER_FIXTURES & set(request.fixturenames):
        yield
        return
    playwright_loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(playwright_loop)


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Factory: ``browser_page(timezone_id=, locale=, java_script_enabled=, **context_options)``.

    Each call opens a new context (its own cookies and storage) and returns its first page.
    Pages the site opens itself (``target=_blank``) are watched and screenshotted too.
    """
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page(
        *,
        timezone_id: str = "Europe/London",
        locale: str = "en-GB",
        java_script_enabled: bool = True,
        **context_options: Any,
    ) -> Page:
        context = browser.new_context(
            timezone_id=timezone_id,
            locale=locale,
            java_script_enabled=java_script_enabled,
            **context_options,
        )
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route(EXTERNAL_URL, lambda route: route.abort())
        context.on("page", watch)
        page = context.new_page()
        watch(page)
        return page

    def watch(page: Page) -> None:
        if page not in pages:
            pages.append(_watch(page))

    yield open_page

    try:
        _save_screenshots(pages, request)
    finally:
        for context in contexts:
            context.close()
