"""Rendering batches of addresses into files: the part of an export that runs in parallel.

A batch runs in the exporting process or in a forked worker; either way it renders each
address, makes its forms static, stages the bytes when they differ from the folder's, and
returns what the manifest needs to know.
"""

from dataclasses import dataclass, field, fields, replace

from django.conf import settings

from podium.export.collection import one_collection_after
from podium.export.links import file_for, site_links
from podium.export.output import OutputFolder, digest, manifest_row
from podium.export.plan import LIST_KINDS, Job
from podium.export.rendering import Rendered, Renderer
from podium.export.security import with_csp_meta
from podium.export.site_files import in_sitemap
from podium.export.static_forms import FormPolicy, make_forms_static
from podium.export.target import Target
from podium.feeds.http import CALENDAR_CONTENT_TYPE
from podium.feeds.ical import event_key, remembered_event, remembering_events, talk_ics_bytes
from podium.feeds.icsformat import CRLF
from podium.seminars.models import Series, Talk
from podium.seminars.talks import NOT_SHOWN_TALK_FIELDS, attach_public_relations
from podium.seminars.views import NOT_FOUND_FILE, talk_list_paginator, talk_page_html

REDIRECTS = (301, 302, 307, 308)
NOT_FOUND_PAGE = "/" + NOT_FOUND_FILE


@dataclass
class Result:
    """What became of one address."""

    site_path: str
    relative: str = ""  # the file written, or "" when none was
    sha256: str = ""
    size: int = 0
    links: list[str] = field(default_factory=list)
    fingerprint: str = ""
    in_sitemap: bool = False
    problem: str = ""
    staged: bool = False  # written to the staging folder (its content changed)
    # A talk's calendar file whose talk a feed may carry: its event (`ical.event_key`, then
    # its content lines joined), for the feeds, which are rendered last (`Crawl.run`).
    event: tuple[tuple, bytes] | None = None
    row: str = ""  # the file's line of the manifest (`output.manifest_row`)

    def __reduce__(self):
        # Sent from the workers as the arguments of a call: unpickling 20,000 results through
        # the default object protocol cost the exporting process 0.14 s, this 0.02 s.
        return Result, tuple(getattr(self, name) for name in _RESULT_FIELDS)


_RESULT_FIELDS = tuple(field.name for field in fields(Result))


@dataclass
class Context:
    """Everything a batch needs; set once before the workers fork."""

    target: Target
    renderer: Renderer
    output: OutputFolder
    policy: FormPolicy
    csp: bytes = b""  # the `<meta>` policy element exported pages carry
    series: dict[int, Series] = field(default_factory=dict)  # the exported series by id


CONTEXT: Context | None = None


def render_batch(jobs: list[Job]) -> list[Result]:
    """Render a batch of addresses: talk pages, talk calendar files and list pages from
    one loading of their talks (the same view functions the server calls), anything else
    through the request handler; the calendar feeds of a batch share their events."""
    with remembering_events(), one_collection_after():
        return _render_batch(jobs)


def _render_batch(jobs: list[Job]) -> list[Result]:
    talk_ids = {job.talk_id for job in jobs if job.talk_id is not None}
    for job in jobs:
        if job.list_page is not None:
            talk_ids.update(job.list_page.talk_ids)
    loaded = list(Talk.objects.filter(pk__in=talk_ids).defer(*NOT_SHOWN_TALK_FIELDS))
    attach_public_relations(loaded, CONTEXT.series)
    talks = {talk.pk: talk for talk in loaded}
    # A talk's page reads the request's host and scheme, not its path: one request serves
    # the batch (tests/export/test_same_as_server.py compares every page with the server's).
    talk_request = None
    rendered = []
    for job in jobs:
        talk = talks.get(job.talk_id) if job.talk_id is not None else None
        if talk is not None and job.site_path.endswith("/calendar.ics"):
            response = Rendered(200, CALENDAR_CONTENT_TYPE, talk_ics_bytes(talk))
        elif talk is not None:
            talk_request = talk_request or CONTEXT.renderer.request(job.site_path)
            response = _html(talk_page_html(talk_request, talk.series, talk))
        elif job.list_page is not None:
            # The paginator counts the list's talks; the page's own come with the job.
            spec = job.list_page
            page_html = LIST_KINDS[spec.kind].page_html
            page = talk_list_paginator(range(spec.count)).page(spec.number)
            page.object_list = [talks[i] for i in spec.talk_ids if i in talks]
            series = CONTEXT.series[spec.series_id]
            request = CONTEXT.renderer.request(job.site_path)
            response = _html(page_html(request, series, page))
        else:
            response = CONTEXT.renderer.get(job.site_path)
        rendered.append((job, response))
    # Rendering, then reading and digesting, then writing: each runs in a stretch of its own
    # (measured: pages render slower between the system calls that create files).
    writes: list[tuple[str, bytes]] = []
    results = []
    for job, response in rendered:
        results.append(_store(job, response, writes))
        if job.event_key is not None:
            results[-1].event = _feed_event(talks.get(job.talk_id))
        results += [
            _store(replace(job, site_path=alias), response, writes) for alias in job.aliases
        ]
    for relative, body in writes:
        CONTEXT.output.stage(relative, body)
    return results


def _feed_event(talk: Talk | None) -> tuple[tuple, bytes] | None:
    # The event the talk's calendar file was built with (a feed carries the talk).
    event = None if talk is None else remembered_event(talk)
    return None if event is None else (event_key(talk), CRLF.join(event))


def _html(page: str) -> Rendered:
    # What the views' HttpResponse carries: the page in the default content type.
    return Rendered(200, HTML_CONTENT_TYPE, page.encode())


HTML_CONTENT_TYPE = f"text/html; charset={settings.DEFAULT_CHARSET}"


def _store(job: Job, response: Rendered, writes: list[tuple[str, bytes]]) -> Result:
    target = CONTEXT.target
    result = Result(job.site_path, fingerprint=job.fingerprint)
    body = response.body
    if response.status in REDIRECTS:
        destination = target.site_path(response.location.split("?")[0].split("#")[0])
        if destination is None or not job.site_path.endswith("/"):
            result.problem = f"{job.site_path} redirects to {response.location}, left out"
            return result
        body = redirect_page(target.public_url(destination), response.location)
        result.links = [destination]
    elif response.status == 200 or (response.status == 404 and job.site_path == NOT_FOUND_PAGE):
        if response.content_type.startswith("text/html"):
            body = with_csp_meta(make_forms_static(body, CONTEXT.policy, target), CONTEXT.csp)
            result.in_sitemap = in_sitemap(response.status, body)
        result.links = sorted(site_links(body, response.content_type, job.site_path, target))
    else:
        result.problem = f"{job.site_path} answered {response.status}"
        return result
    return stage(result, file_for(job.site_path), body, writes)


def stage(
    result: Result, relative: str, body: bytes, writes: list[tuple[str, bytes]] | None = None
) -> Result:
    """Stage the bytes unless the folder already has them (now, or by adding them to
    `writes`); fill in the result's file and its line of the manifest (made here, where
    the page was rendered: in parallel, in the rendering processes)."""
    result.relative, result.sha256, result.size = relative, digest(body), len(body)
    result.row = manifest_row(
        relative, result.sha256, result.size, result.fingerprint, result.links, result.in_sitemap
    )
    if not CONTEXT.output.is_current(relative, result.sha256):
        if writes is None:
            CONTEXT.output.stage(relative, body)
        else:
            writes.append((relative, body))
        result.staged = True
    return result


def redirect_page(canonical: str, location: str) -> bytes:
    """A page that sends the reader on, for an address that moved (a talk's old slug)."""
    from html import escape

    href = escape(location)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>This page has moved</title>\n"
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n</head>\n<body>\n'
        f'<p>This page has moved to <a href="{href}">{escape(canonical)}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()
