"""Public pages render with Jinja2 (podium/jinja.py), the organizers' side with Django templates."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.utils import timezone
from jinja2 import DictLoader as Jinja2Loader
from markupsafe import Markup

from podium.jinja import environment


@pytest.mark.parametrize(
    "name",
    [
        "seminars/talk_detail.html",
        "seminars/series_home.html",
        "seminars/archive.html",
        "seminars/404.html",
        "seminars/locked_out.html",
        "feeds/embed.html",
        "mailing/subscribe.html",
        "mailing/preferences.html",
    ],
)
def test_public_templates_are_jinja2(name):
    assert isinstance(get_template(name).backend, Jinja2)


@pytest.mark.parametrize(
    "name",
    [
        "admin/base_site.html",
        "admin/change_list.html",
        "admin/mailing/announcement/change_form.html",
        "mailing/organize/import.html",
        "mailing/organize/stored_mail.html",
    ],
)
def test_organizers_templates_are_django_templates(name):
    assert isinstance(get_template(name).backend, DjangoTemplates)


def render(source: str, **context) -> str:
    from django.template import engines

    return engines["jinja2"].from_string(source).render(context)


def test_printed_values_are_escaped_as_jinja_escapes_them():
    assert render("{{ v }}", v='<a href="x">O\'Neil & co</a>') == (
        "&lt;a href=&#34;x&#34;&gt;O&#39;Neil &amp; co&lt;/a&gt;"
    )
    assert render("{{ v|safe }}", v="<b>bold</b>") == "<b>bold</b>"
    assert render("{{ v }}", v=Markup("<b>bold</b>")) == "<b>bold</b>"
    assert render("{{ v }} {{ n }} {{ missing }}", v=None, n=3) == "None 3 "
    assert render("{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m('<') }}") == "<i>&lt;</i>"
    assert render("{% set b %}<b>{{ v }}</b>{% endset %}{{ b }}", v="&") == "<b>&amp;</b>"
    assert render("{% autoescape false %}{{ v }}{% endautoescape %}", v="<b>") == "<b>"


@pytest.mark.parametrize(
    "value",
    ['<a href="x">', "O'Neil & co", "plain", "", 3, None, Markup("<b>&amp;</b>"), "ünïcödé <"],
)
def test_printing_is_what_jinja_itself_prints(value):
    """`html_text` replaces Jinja's escaping in compiled templates: the same text comes out."""
    from jinja2 import Environment

    source = "<p>{{ v }}</p>{% macro m() %}{{ v }}{% endmacro %}{{ m() }}"
    jinja_own = Environment(autoescape=True).from_string(source).render(v=value)
    assert render(source, v=value) == jinja_own


def test_machine_readable_times_are_utc_and_dates_print_in_the_current_zone():
    start = datetime(2030, 10, 16, 23, 0, tzinfo=UTC)
    assert render("{{ d|iso_datetime }}", d=start) == "2030-10-16T23:00:00+00:00"
    assert render('{{ d|date("j M Y") }}', d=start) == "16 Oct 2030"
    tokyo = start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    with timezone.override("Asia/Tokyo"):
        assert render("{{ d|iso_datetime }}", d=start) == "2030-10-16T23:00:00+00:00"
        assert render("{{ d|iso_datetime }}", d=tokyo) == "2030-10-16T23:00:00+00:00"
        assert render('{{ d|date("j M Y") }}', d=start) == "17 Oct 2030"


def test_url_and_static_globals():
    assert render("{{ url('seminars:archive', 'prisec-ml') }}") == "/prisec-ml/past/"
    assert render("{{ static('podium/podium.css') }}") == "/static/podium/podium.css"


def test_remembered_addresses_follow_the_script_prefix_and_settings(settings):
    from django.templatetags.static import static
    from django.urls import set_script_prefix

    css = "{{ static('podium/podium.css') }}"
    assert render("{{ url('seminars:archive', 'prisec-ml') }}") == "/prisec-ml/past/"
    assert render(css) == "/static/podium/podium.css"
    settings.STATIC_URL = "/assets/"
    assert render(css) == static("podium/podium.css") == "/assets/podium/podium.css"
    set_script_prefix("/repo/")
    assert render("{{ url('seminars:archive', 'prisec-ml') }}") == "/repo/prisec-ml/past/"
    assert render(css) == static("podium/podium.css")


def test_compiled_templates_are_kept_in_the_data_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    env = environment(loader=Jinja2Loader({"page.html": "<p>{{ greeting }}</p>"}))
    assert env.get_template("page.html").render(greeting="Hello") == "<p>Hello</p>"
    kept = list((tmp_path / "cache" / "jinja2").iterdir())
    assert len(kept) == 1
    fresh = environment(loader=Jinja2Loader({"page.html": "<p>{{ greeting }}</p>"}))
    assert fresh.bytecode_cache is not None
    bucket = fresh.bytecode_cache.get_bucket(fresh, "page.html", None, "<p>{{ greeting }}</p>")
    assert bucket.code is not None, "a new process finds the compiled template"
    edited = fresh.bytecode_cache.get_bucket(fresh, "page.html", None, "<p>{{ other }}</p>")
    assert edited.code is None, "an edited template is compiled again"


def test_without_a_writable_data_folder_templates_are_compiled_each_time(settings, tmp_path):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    settings.DATA_DIR = blocked
    env = environment(loader=Jinja2Loader({"page.html": "{{ 1 + 1 }}"}))
    assert env.bytecode_cache is None
    assert env.get_template("page.html").render() == "2"
