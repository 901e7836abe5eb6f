"""Addresses (podium/seminars/addresses.py): slug paths and absolute addresses."""

from django.urls import reverse, set_script_prefix

from podium.seminars.addresses import absolute, fixed_addresses, here, site_path, slug_path


def test_fixed_addresses_are_built_for_the_prefix_on_entry(settings):
    settings.BASE_URL = "https://example.org/repo"
    set_script_prefix("/repo/")
    try:
        with fixed_addresses():
            assert here() == ("/repo/", settings.ROOT_URLCONF)
            assert slug_path("seminars:talk", "s", "t") == "/repo/s/talks/t/"
            assert absolute("/repo/s/") == "https://example.org/repo/s/"
        set_script_prefix("/other/")
        assert slug_path("seminars:talk", "s", "t") == "/other/s/talks/t/"
        assert here()[0] == "/other/"
    finally:
        set_script_prefix("/")
    assert slug_path("seminars:talk", "s", "t") == reverse("seminars:talk", args=["s", "t"])


def test_absolute_keeps_an_address_that_is_absolute_already(settings):
    settings.BASE_URL = "https://example.org"
    assert absolute("https://cdn.example/p.jpg") == "https://cdn.example/p.jpg"
    assert absolute("/s/") == "https://example.org/s/"


def test_a_site_path_is_the_address_without_the_prefix_the_site_is_mounted_under():
    assert site_path("/s/embed/") == "/s/embed/"
    set_script_prefix("/repo/")
    try:
        assert site_path(reverse("feeds:embed", args=["s"])) == "/s/embed/"
        assert site_path("/repo/") == "/"
        assert site_path("/elsewhere/") == "/elsewhere/"  # not under the prefix: as it is
    finally:
        set_script_prefix("/")
