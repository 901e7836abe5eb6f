import re

import pytest

from podium.mailing.email_url import parse_email_url
from tests.mailing.smtp import SmtpServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; the worker's transport points at it."""
    server = SmtpServer()
    server.controller.start()
    settings.PODIUM_EMAIL = parse_email_url(server.url)
    settings.BASE_URL = "http://testserver"
    try:
        yield server
    finally:
        server.controller.stop()


def body_text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def link_in(message, kind: str) -> str:
    """The path of the first link of a kind (confirm, preferences) in a message's text."""
    match = re.search(rf"http://testserver(/\S+/mail/{kind}/\S+/)", body_text(message))
    assert match, f"no {kind} link in:\n{body_text(message)}"
    return match.group(1)


def header_path(value: str) -> str:
    """The path of a List-Unsubscribe header's URL."""
    match = re.search(r"<http://testserver(/[^>]+)>", value)
    assert match, value
    return match.group(1)
