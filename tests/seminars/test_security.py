"""Security and privacy by default: inert input, strict headers, no cookies for readers."""

import os
import subprocess
import sys

import pytest

from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<script>alert('x')</script>\n\n"
    "[click me](javascript:alert(1))\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '<a href="https://ok.example" onclick="alert(1)">fine link</a>'
)


@pytest.fixture
def hostile_talk():
    series = SeriesFactory(slug="s")
    person = PersonFactory(name="Mallory", bio=HOSTILE)
    return TalkFactory(series=series, abstract=HOSTILE, speakers=[person])


@pytest.mark.parametrize("path", ["/s/", "talk"])
def test_hostile_markdown_renders_inert(client, hostile_talk, path):
    url = hostile_talk.get_absolute_url() if path == "talk" else path
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "onerror" not in html and "onclick" not in html
    assert '<img src="x"' not in html
    assert 'href="https://ok.example"' in html


@pytest.mark.parametrize("path", ["/", "/s/", "/s/past/", "talk", "/nowhere/"])
def test_public_pages_set_no_cookie_and_a_strict_csp(client, hostile_talk, path):
    url = hostile_talk.get_absolute_url() if path == "talk" else path
    response = client.get(url)
    assert response.cookies == {}
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_public_pages_reference_no_other_site(client, hostile_talk):
    html = client.get("/s/").content.decode()
    for tag in ("<script src=", '<link rel="stylesheet" href=', '<img class="photo" src='):
        for part in html.split(tag)[1:]:
            assert part.startswith('"/'), part[:80]


def _podium(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser fixtures allow async-unsafe ORM calls in this process; a server must not.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "podium", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _podium(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PODIUM_DATA_DIR=str(tmp_path),
        PODIUM_HTTPS="true",
        PODIUM_ALLOWED_HOSTS="seminars.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_https(tmp_path):
    result = _podium("check", "--deploy", "--fail-level", "WARNING", PODIUM_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_https_settings_make_cookies_secure_and_send_hsts(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _podium("shell", "-c", code, PODIUM_DATA_DIR=str(tmp_path), PODIUM_HTTPS="1")
    assert result.stdout.split()[-3:] == ["True", "True", "True"]


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _podium("shell", "-c", code, PODIUM_DATA_DIR=str(tmp_path)).stdout.split()[-1]
    second = _podium("shell", "-c", code, PODIUM_DATA_DIR=str(tmp_path)).stdout.split()[-1]
    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert (
        "secret_key"
        not in subprocess.run(
            ["git", "ls-files"], capture_output=True, text=True, check=False
        ).stdout
    )


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    from podium import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert make_password("correct horse battery").startswith("argon2$")
