"""The Jinja2 environment of the public pages (the organizers' side stays in Django templates).

Settings point `TEMPLATES[0]["OPTIONS"]["environment"]` here. The environment offers what the
Django template tags gave the public templates: `url`, `static`, the calendar links, the
offered mailing lists, a talk's speakers in order, and the two date filters; see
docs/architecture.md.

Printed values are escaped as Jinja's autoescape escapes them, by a cheaper route: the
compiled templates call `html_text` (markupsafe's C escaping, returning a plain string)
where Jinja's own code builds a `Markup` object in Python for every `{{ value }}`. A page
prints dozens of values, and the static export prints 10,000 pages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as django_static
from django.urls import reverse
from django.utils import dateformat
from django.utils.timezone import is_aware, localtime
from jinja2 import Environment, FileSystemBytecodeCache, TemplateNotFound
from jinja2.compiler import CodeGenerator

try:  # markupsafe's C escaping: the plain string under `markupsafe.escape`'s Markup
    from markupsafe._speedups import _escape_inner
except ImportError:  # markupsafe built without its C extension
    from markupsafe._native import _escape_inner

from podium.feeds.links import add_to_calendar_links, subscribe_links
from podium.mailing.announcements import has_archived_announcements
from podium.mailing.models import MailingList
from podium.mailing.subscriptions import offered_lists
from podium.seminars.addresses import absolute, here
from podium.seminars.models import Series
from podium.seminars.talks import ordered_speakers


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url %}`: the path of a named view (remembered: every page asks for the same few)."""
    prefix, urlconf = here()
    return _reversed(prefix, urlconf, name, args, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf: str | None, name: str, args: tuple, kwargs: tuple) -> str:
    # The script prefix is part of the key: `reverse` puts it in front of every path.
    return reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def static(path: str) -> str:
    """`{% static %}`: the address of a static file (hashed name when collected)."""
    return _static(here()[0], path)


@lru_cache(maxsize=1024)
def _static(prefix: str, path: str) -> str:
    # Django puts the script prefix in front of a STATIC_URL that starts with "/".
    return django_static(path)


@receiver(setting_changed)
def _forget_addresses(setting: str, **kwargs: Any) -> None:
    """Settings that move addresses (the static export changes them) empty both memories."""
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES", "STATIC_ROOT"):
        _reversed.cache_clear()
        _static.cache_clear()


def html_text(value: Any) -> str:
    """What `{{ value }}` prints: safe HTML (`Markup`, a macro's output) as it is, anything
    else as escaped text (`&amp;`, `&lt;`, `&gt;`, `&#34;`, `&#39;`, as Jinja escapes)."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class _PrintingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every printed value going through `html_text`.

    Jinja writes `escape(value)` there, which returns a `Markup` built in Python; the
    joined page is a plain string either way, so the result is the same text.
    """

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile:
            self.write("(environment.html_text if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("environment.html_text(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


def in_current_zone(value: datetime) -> datetime:
    """An aware datetime in the current time zone, as Django templates print it."""
    return localtime(value) if is_aware(value) else value


def iso_datetime(value: datetime) -> str:
    """A `<time datetime>` value: the instant in ISO 8601, in UTC (as `|date:'c'` prints it
    with Podium's UTC default zone, without reading the active zone on every call: the
    reader's own time is worked out from it in the browser)."""
    if is_aware(value) and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat()


def date(value: datetime, format_string: str) -> str:
    """`|date:"j M Y"`: Django's date format characters, in the current time zone."""
    return dateformat.format(in_current_zone(value), format_string)


def offered_mailing_lists(series: Series) -> list[MailingList]:
    """The lists a reader may subscribe to on the series page."""
    return list(offered_lists(series))


# Part of the compiled templates' file names: bump it when `_PrintingCodeGenerator` changes,
# so that no process loads code compiled by the old one (Jinja keys them on the source only).
COMPILED_FORMAT = 2


def template_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the data folder, so a new process (a server worker, an
    export's renderers, any `podium` command) loads them instead of compiling them.

    Jinja2 keys each file on the template's source, so an edited template is compiled
    again; without a writable data folder, templates are compiled in every process.
    """
    folder = settings.DATA_DIR / "cache" / "jinja2"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder), f"podium-{COMPILED_FORMAT}-%s.cache")


TALK_PARTS = "seminars/includes/talk_parts.html"
TALK_PART_MACROS = (
    "talk_status",
    "speaker_photos",
    "speaker_list",
    "talk_line_list",
    "pagination",
)
ADD_TO_CALENDAR = "feeds/includes/add_to_calendar.html"


class _Environment(Environment):
    """Jinja's environment, with each template's globals in a plain dict.

    Jinja gives every template a `ChainMap` over the environment's globals, and every
    render copies it twice (into the new context, and its keys into a set), a `ChainMap`
    key by key in Python. `environment` sets all globals before it returns, so a copy
    taken when a template is loaded holds the same as the `ChainMap` would.
    """

    def make_globals(self, d: dict[str, Any] | None) -> dict[str, Any]:
        return {**self.globals, **(d or {})}


def environment(**options: Any) -> Environment:
    """Build the Jinja2 environment of the public templates."""
    options.pop("autoescape", None)  # always on, whatever the settings say
    options.setdefault("bytecode_cache", template_cache())
    env = _Environment(autoescape=True, **options)
    env.code_generator_class = _PrintingCodeGenerator
    env.html_text = html_text
    env.globals.update(
        absolute=absolute,
        url=url,
        static=static,
        subscribe_links=subscribe_links,
        add_to_calendar_links=add_to_calendar_links,
        offered_lists=offered_mailing_lists,
        has_archived_announcements=has_archived_announcements,
        ordered_speakers=ordered_speakers,
    )
    env.filters.update(iso_datetime=iso_datetime, date=date)
    # The talk parts every talk template prints, as globals: a `{% from ... import %}` in
    # each page costs more (Jinja works out the importing template's globals each time).
    try:
        parts = env.get_template(TALK_PARTS).module
    except TemplateNotFound:  # an environment over other templates (tests)
        return env
    env.globals.update({name: getattr(parts, name) for name in TALK_PART_MACROS})
    # So is the "Add to calendar" block of every upcoming talk's page (an `{% include %}`
    # copies the page's whole context each time).
    env.globals["add_to_calendar"] = env.get_template(ADD_TO_CALENDAR).module.add_to_calendar
    return env
