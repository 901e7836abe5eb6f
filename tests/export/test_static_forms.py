"""Forms that need a server, in an export: posted to the live server, linked, or left out."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from podium.export.static_forms import FormPolicy, make_forms_static
from podium.export.target import Target
from podium.mailing import announcements as announcements_module

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


MARKED = (
    b'<section><h2>Mailing lists</h2><div data-export="live"><p>Get a reminder.</p>'
    b"<div hidden>Nested.</div></div>"
    b'<form method="post" action="/repo/prisec-ml/subscribe/"><button>Subscribe</button></form>\n'
    b'<p>Sent so far.<span data-export="sign-up"> <a href="/repo/prisec-ml/subscribe/">Subscribe'
    b"</a>.</span></p></section>"
)


def test_remove_also_leaves_out_what_is_marked_as_needing_a_server():
    out = make_forms_static(MARKED, FormPolicy("remove"), TARGET)
    # Each marked element goes whole, with the elements of its own name inside it.
    assert out == b"<section><h2>Mailing lists</h2>\n<p>Sent so far.</p></section>"


def test_a_link_elsewhere_leaves_out_what_only_podiums_lists_do():
    out = make_forms_static(MARKED, FormPolicy("link", "https://l.example/"), TARGET)
    assert b"Get a reminder." not in out and b"Nested." not in out
    assert b'<a href="https://l.example/">Subscribe</a>' in out
    assert b'<span data-export="sign-up"> <a href="/repo/prisec-ml/subscribe/">' in out


def test_with_the_live_server_what_is_marked_stays():
    out = make_forms_static(MARKED, FormPolicy("live", "https://podium.example.org/"), TARGET)
    assert out.count(b"data-export=") == 2
    assert b"Get a reminder." in out and b'<a href="/repo/prisec-ml/subscribe/">' in out


def test_a_marked_element_that_is_not_closed_is_left_as_it_is():
    page = b'<main><div data-export="live"><p>Get a reminder.</p></main>'
    assert make_forms_static(page, FormPolicy("remove"), TARGET) == page


def test_an_export_without_a_server_offers_no_sign_up(site, export, tmp_path, settings):
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = "", ""
    export()
    folder = tmp_path / "site"
    # Nothing sent yet: the mailing section was all sign-up, and goes.
    home = (folder / "prisec-ml" / "index.html").read_text()
    assert "Mailing lists" not in home and "Get an email" not in home and "<form" not in home
    # Nor is there an archive of announcements: none was sent, and nothing links to it.
    assert not (folder / "prisec-ml" / "announcements").exists()
    assert "announcements" not in (folder / "sitemap.xml").read_text()
    # Once an announcement is sent, the section stays for the archive, without the sign-up.
    send_an_announcement(site)
    export()
    home = (folder / "prisec-ml" / "index.html").read_text()
    assert "Mailing lists" in home and "Past announcements" in home
    assert "Get an email" not in home and "<form" not in home
    announcements = (folder / "prisec-ml" / "announcements" / "index.html").read_text()
    assert "Talk announcements sent to" in announcements and "subscribe/" not in announcements
    # Nothing links to the sign-up page any more, so it is not exported.
    assert not (folder / "prisec-ml" / "subscribe").exists()


def send_an_announcement(site) -> None:
    # The archive of announcements links to the sign-up page once there is one to show.
    announcements_module.queue_announcement(announcements_module.draft_announcement(site.upcoming))


def test_an_export_with_a_live_server_signs_up_there(site, export, tmp_path, settings):
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = "https://podium.example.org", ""
    send_an_announcement(site)
    export()
    folder = tmp_path / "site"
    home = (folder / "prisec-ml" / "index.html").read_text()
    assert "Get an email" in home
    assert 'action="https://podium.example.org/prisec-ml/subscribe/"' in home
    subscribe = (folder / "prisec-ml" / "subscribe" / "index.html").read_text()
    assert 'action="https://podium.example.org/prisec-ml/subscribe/"' in subscribe


def test_an_export_with_a_list_elsewhere_links_to_it(site, export, tmp_path, settings):
    settings.PODIUM_LIVE_URL, settings.PODIUM_EXPORT_FORMS = "", "https://lists.example.org/join"
    send_an_announcement(site)
    export()
    folder = tmp_path / "site"
    home = (folder / "prisec-ml" / "index.html").read_text()
    # Podium's own lists' promises (reminders, notes on changes) are not the other list's.
    assert "Get an email" not in home and "<form" not in home
    assert '<a href="https://lists.example.org/join">Subscribe</a>' in home
    subscribe = (folder / "prisec-ml" / "subscribe" / "index.html").read_text()
    assert '<a href="https://lists.example.org/join">Subscribe</a>' in subscribe
