"""`PODIUM_EMAIL_URL`, parsed in one place."""

import pytest

from podium.mailing.email_url import EmailURLError, parse_email_url


def test_default_keeps_mail_in_podium():
    for url in ("", "podium:", "podium://"):
        assert parse_email_url(url).is_stored


def test_smtp_urls():
    plain = parse_email_url("smtp://mail.example.org")
    assert (plain.host, plain.port, plain.starttls, plain.ssl) == (
        "mail.example.org",
        25,
        False,
        False,
    )
    tls = parse_email_url("smtp+tls://me%40uni.ac.uk:p%3Ass@smtp.uni.ac.uk:587?timeout=5")
    assert (tls.username, tls.password, tls.port, tls.starttls, tls.timeout) == (
        "me@uni.ac.uk",
        "p:ss",
        587,
        True,
        5.0,
    )
    implicit = parse_email_url("smtp+ssl://u:p@smtp.example.org")
    assert implicit.ssl and implicit.port == 465 and not implicit.starttls
    assert "p:ss" not in tls.describe() and "me@uni.ac.uk@smtp.uni.ac.uk:587" in tls.describe()


@pytest.mark.parametrize(
    "url", ["http://example.org", "smtp://", "smtp://host:port", "smtp://h?timeout=soon"]
)
def test_bad_urls_say_why(url):
    with pytest.raises(EmailURLError, match="PODIUM_EMAIL_URL"):
        parse_email_url(url)
