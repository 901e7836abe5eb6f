"""Forms that need a server, in an export: posted to the live server, linked, or left out."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from podium.export.static_forms import FormPolicy, make_forms_static
from podium.export.target import Target

TARGET = Target.from_url("https://user.github.io/repo/")
PAGE = (
    b'<main><form class="subscribe" method="post" action="/repo/prisec-ml/subscribe/">'
    b'<input type="hidden" name="csrfmiddlewaretoken" value="abc123">'
    b'<input type="email" name="email"><button type="submit">Subscribe</button></form>'
    b'<form method="get" action="/repo/search/"><input name="q"></form></main>'
)


def test_live_posts_to_the_same_path_on_the_live_server_without_a_token():
    policy = FormPolicy("live", "https://podium.example.org/")
    out = make_forms_static(PAGE, policy, TARGET)
    assert b'action="https://podium.example.org/prisec-ml/subscribe/"' in out
    assert b"csrfmiddlewaretoken" not in out and b"abc123" not in out
    assert b'<input type="email" name="email">' in out
    assert b'<form method="get" action="/repo/search/">' in out


def test_an_external_address_replaces_the_form_by_a_link():
    policy = FormPolicy("link", "https://www.jiscmail.ac.uk/prisec-ml?a&b")
    out = make_forms_static(PAGE, policy, TARGET)
    assert out.startswith(
        b'<main><p class="static-form"><a href="https://www.jiscmail.ac.uk/prisec-ml?a&amp;b">'
        b"Subscribe</a></p>"
    )
    assert b'method="post"' not in out


def test_remove_leaves_the_form_out():
    out = make_forms_static(PAGE, FormPolicy("remove"), TARGET)
    assert b"subscribe" not in out and b"csrfmiddlewaretoken" not in out
    assert b'<form method="get"' in out


@pytest.mark.parametrize(
    ("live", "forms", "expected"),
    [
        ("", "", FormPolicy("remove")),
        ("https://podium.example.org", "", FormPolicy("live", "https://podium.example.org/")),
        ("https://podium.example.org", "remove", FormPolicy("remove")),
        (
            "",
            "https://lists.example.org/join",
            FormPolicy("link", "https://lists.example.org/join"),
        ),
    ],
)
def test_the_policy_comes_from_settings(settings, live, forms, expected):
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = live, forms
    assert FormPolicy.from_settings() == expected


@pytest.mark.parametrize(("live", "forms"), [("", "live"), ("", "sometimes"), ("x", "live")])
def test_a_policy_that_cannot_work_is_refused(settings, live, forms):
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = live, forms
    with pytest.raises(ImproperlyConfigured, match="PODIUM_EXPORT_FORMS"):
        FormPolicy.from_settings()


def test_an_export_fails_clearly_on_a_bad_policy(site, tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.PODIUM_EXPORT_FORMS = "live"
    with pytest.raises(CommandError, match="needs PODIUM_LIVE_URL"):
        call_command("export", str(tmp_path / "site"), "--base-url", "https://a.example/")
    assert not (tmp_path / "site").exists()
