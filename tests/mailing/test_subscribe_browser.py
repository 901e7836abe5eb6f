"""In Chromium: subscribe on the series page, confirm, change lists, unsubscribe; no cookie."""

import re

import pytest

from podium.mailing import delivery
from podium.mailing.models import Subscriber, SubscriberState
from tests.factories import SeriesFactory


@pytest.fixture
def live_mail(live_server, smtp_server, settings):
    settings.BASE_URL = live_server.url
    return smtp_server


def link(message, kind: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"(http://\S+/mail/{kind}/\S+/)", text).group(1)


def test_subscribe_confirm_and_manage_in_a_browser(browser_page, live_server, live_mail):
    series = SeriesFactory(name="PriSec-ML Seminars", short_name="PriSec-ML")
    page = browser_page()
    page.goto(f"{live_server.url}/{series.slug}/")
    form = page.locator("form.subscribe-form")
    assert form.get_by_label("Seminar announcements").is_checked()
    form.get_by_label("Job announcements").check()
    form.get_by_label("Your email address").fill("reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    assert delivery.deliver_due() == 1
    [confirmation] = live_mail.messages()
    page.goto(link(confirmation, "confirm"))
    page.get_by_role("button", name="Confirm my subscription").click()
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert "Seminar announcements, Job announcements" in page.content()
    assert Subscriber.objects.get().state == SubscriberState.ACTIVE

    page.get_by_role("link", name="change your lists or unsubscribe").click()
    page.get_by_role("heading", name="Your subscription").wait_for()
    page.get_by_label("Job announcements").uncheck()
    page.get_by_role("button", name="Save my lists").click()
    page.get_by_text("Saved.").wait_for()
    assert [item.slug for item in Subscriber.objects.get().lists.all()] == ["seminar"]

    page.get_by_role("button", name="Unsubscribe from everything").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    assert Subscriber.objects.get().state == SubscriberState.UNSUBSCRIBED

    assert page.context.cookies() == []
    assert page.podium_external_requests == []
    assert page.podium_console_errors == []


def test_a_mistyped_address_keeps_what_was_typed(browser_page, live_server, live_mail):
    series = SeriesFactory()
    page = browser_page(java_script_enabled=False)
    page.goto(f"{live_server.url}/{series.slug}/")
    form = page.locator("form.subscribe-form")
    # Without JavaScript nothing checks the field in the browser: the server must answer.
    form.get_by_label("Your email address").evaluate("el => el.type = 'text'")
    form.get_by_label("Your email address").fill("reader@example")
    form.get_by_label("Your name").fill("Ada")
    form.get_by_role("button", name="Subscribe").click()
    page.get_by_text("Enter a valid email address").wait_for()
    assert page.get_by_label("Your email address").input_value() == "reader@example"
    assert page.get_by_label("Your name").input_value() == "Ada"
    assert not Subscriber.objects.exists()
    assert page.context.cookies() == []
