"""The exported site in a real browser, served by a plain static file server under /repo/."""

import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest

from tests.export.linkcheck import broken_links


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def static_server(tmp_path):
    """`python -m http.server` over a folder; the export goes into its `repo/` subfolder."""
    root = tmp_path / "www"
    root.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urlopen(base + "/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield root, base
    server.terminate()
    server.wait(timeout=10)


# transactional_db, as the other browser tests: a browser test must not hold a transaction
# open on the shared in-memory database while Playwright's loop runs.
def test_the_exported_site_works_from_plain_files_under_a_sub_path(
    transactional_db, site, export, static_server, browser_page
):
    root, base = static_server
    base_url = f"{base}/repo/"
    summary = export(root / "repo", base_url=base_url)
    assert summary.warnings == []
    assert broken_links(root / "repo", base_url) == []

    page = browser_page(timezone_id="Asia/Tokyo")
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(base_url)
    page.get_by_role("link", name="PriSec-ML").click()
    page.wait_for_url(f"{base_url}prisec-ml/")
    assert page.locator("h1").inner_text() == "PriSec-ML"
    # The stylesheet (hashed name) applied, and the reader-time script ran from its file.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10
    reader_time = page.locator(".reader-time").first
    assert "(Asia/Tokyo)" in reader_time.inner_text()

    page.get_by_role("link", name="Membership Inference").click()
    page.wait_for_url(f"{base_url}prisec-ml/talks/{site.upcoming.slug}/")
    assert page.locator("h1").inner_text() == "Membership Inference"
    assert "(Asia/Tokyo)" in page.locator(".reader-time").inner_text()

    page.get_by_role("link", name="Past talks").click()
    page.wait_for_url(f"{base_url}prisec-ml/past/")
    page.get_by_role("link", name="Adversarial Preprocessing").click()
    photo = page.locator("img.photo").first
    photo.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())

    page.get_by_role("link", name="PriSec-ML", exact=True).first.click()
    page.wait_for_url(f"{base_url}prisec-ml/")
    # The pages name their icon, so browsers ask for it under the sub-path, where it is,
    # not for /favicon.ico at the host's root, where the export cannot put anything.
    icon = "fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)"
    assert page.evaluate(icon) == 200
    assert failed == []
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []


def test_the_copy_signs_readers_up_on_the_live_server(
    transactional_db, site, export, static_server, browser_page, live_server, settings
):
    """`PODIUM_EXPORT_FORMS=live`: the sign-up form of the copy (on its own origin, as on
    GitHub Pages) posts to the live server, which takes it once it trusts that origin."""
    from podium.mailing.models import Subscriber

    root, base = static_server
    base_url = f"{base}/repo/"
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = live_server.url, ""
    export(root / "repo", base_url=base_url)

    def sign_up(address: str):
        page = browser_page()
        page.goto(f"{base_url}prisec-ml/")
        form = page.locator("form.subscribe-form")
        form.get_by_label("Your email address").fill(address)
        form.get_by_role("button", name="Subscribe").click()
        page.wait_for_load_state()
        return page

    refused = sign_up("early@example.org")  # the live server does not trust the copy yet
    assert refused.url == f"{live_server.url}/prisec-ml/subscribe/"
    assert not Subscriber.objects.exists()

    settings.CSRF_TRUSTED_ORIGINS = [base]  # PODIUM_CSRF_TRUSTED_ORIGINS on the live server
    page = sign_up("reader@example.org")
    page.wait_for_url(f"{live_server.url}/prisec-ml/subscribe/sent/")
    assert Subscriber.objects.filter(email="reader@example.org").exists()
    assert page.podium_console_errors == []


def test_the_copy_of_the_embed_page_works_in_another_sites_frame(
    transactional_db, site, export, static_server, browser_page
):
    root, base = static_server
    base_url = f"{base}/repo/"
    export(root / "repo", base_url=base_url)
    # The department's page: the same server by another name is another origin.
    (root / "host.html").write_text(
        "<!doctype html><title>Dept</title><h1>Seminars</h1>"
        f'<iframe src="{base_url}prisec-ml/embed/" title="Next talks" '
        'style="width:100%;height:20rem;border:0"></iframe>'
    )
    page = browser_page(timezone_id="Asia/Tokyo")
    page.goto(f"{base.replace('127.0.0.1', 'localhost')}/host.html")
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Membership Inference")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href") == f"/repo/prisec-ml/talks/{site.upcoming.slug}/"
    # The reader-time script ran inside the frame, from the copy's own files.
    assert "(Asia/Tokyo)" in frame.locator(".reader-time").first.inner_text()
    assert page.podium_console_errors == []
    assert page.podium_external_requests == []
