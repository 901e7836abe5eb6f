"""`export_site`: the whole public site of some series as files in a folder."""

import contextlib
import logging
import multiprocessing
import queue
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from podium.export import render_jobs
from podium.export.collection import collector_off_the_loaded_code, no_collection
from podium.export.links import file_for, forget_addresses, site_links
from podium.export.output import Entry, ExportError, OutputFolder, Summary, disk_error_message
from podium.export.plan import Job, Plan, code_fingerprint, plan, site_pages
from podium.export.render_jobs import NOT_FOUND_PAGE, Context, Result, render_batch, stage
from podium.export.rendering import Renderer, is_public_address, rendering_for
from podium.export.security import csp_meta
from podium.export.site_files import site_files
from podium.export.static_forms import FormPolicy
from podium.export.target import Target
from podium.seminars.models import Series
from podium.seminars.talks import readable_series

# Four archive pages with their 50 talks' pages and calendar files each: every batch costs
# three queries to build and run, and 10,000 talks still make 50 batches to share out.
TALK_JOBS_PER_BATCH = 404
# The last batches are smaller (one archive page and its talks), so that the renderers run
# out of work at about the same time rather than one finishing a whole batch alone.
LAST_TALK_JOBS_PER_BATCH = 101
# Fewer pages than this (an export after a small change) render faster in the exporting
# process than with rendering processes to start.
IN_PROCESS_JOBS = 100
STATIC_MANIFEST = "staticfiles.json"  # what collectstatic writes last
# A pool never hears of a worker that was killed; no batch takes anywhere near this long.
WORKER_SILENCE_SECONDS = 900
Progress = Callable[[int, int], None]


@collector_off_the_loaded_code()
def export_site(
    directory: Path,
    base_url: str,
    series: list[Series],
    *,
    allow_nonempty: bool = False,
    jobs: int = 1,
    now: datetime | None = None,
    progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
    again: bool = False,
    check_files: bool = True,
    static_files: Path | None = None,
) -> Summary:
    """Export every public page, feed, photo and style of `series` into `directory`.

    Unchanged files are left alone, files of pages that are gone are deleted, files Podium
    did not write are never touched; on any failure the previous export stays as it was.
    Exports into the same parent folder take turns (`on_wait` hears when this one waits).
    `again` and `check_files` are for a process that exports again (see `OutputFolder`),
    as is `static_files`: a folder where the first of its exports collects the static
    files for all (as the code, they are what the process started with).
    """
    started = time.perf_counter()
    target = Target.from_url(base_url)
    policy = FormPolicy.from_settings()
    forget_addresses()
    output = OutputFolder(directory, allow_nonempty, on_wait, again=again, check_files=check_files)
    summary = Summary()
    try:
        with contextlib.ExitStack() as stack:
            static_root = static_files
            if static_root is None:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="podium-static-"))
                static_root = Path(folder)
            collected = (static_root / STATIC_MANIFEST).is_file()  # written last
            stack.enter_context(rendering_for(target, static_root, collect=not collected))
            stack.enter_context(_quiet_request_log())
            manifest = (static_root / STATIC_MANIFEST).read_bytes()
            pages = site_pages(series)
            crawl = Crawl(target, output, summary, static_root, progress)
            crawl.left_out = _other_series(series)
            render_jobs.CONTEXT = Context(
                target,
                Renderer(target),
                output,
                policy,
                csp_meta(policy),
                series={s.pk: s for s in series},
            )

            def planned() -> Iterator[Plan]:  # nothing is worked out before the first part
                code = code_fingerprint(target.base_url, policy, manifest)
                yield from plan(series, code, now or timezone.now(), pages)

            # A first export renders everything: its renderers start on the site's pages
            # while this process plans the talks' (after a change, the plan says how many
            # pages to render, and a few render faster without renderers to start).
            fork_first = not output.previous and 2 * pages.talks > IN_PROCESS_JOBS
            crawl.run([*pages.jobs, Job(NOT_FOUND_PAGE)], planned, _workers(jobs), fork_first)
            crawl.add_site_files()
        with no_collection():
            output.commit(crawl.entries, crawl.staged, summary)
    except OSError as error:
        output.discard()
        raise ExportError(disk_error_message(error, directory)) from error
    except BaseException:
        output.discard()
        raise
    finally:
        render_jobs.CONTEXT = None
    summary.warnings = sorted(set(summary.warnings))
    summary.seconds = time.perf_counter() - started
    return summary


def _answer(answer: list[Result] | BaseException) -> list[Result]:
    # What a batch sent back: its results, or the error it stopped on (raised here).
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _other_series(chosen: list[Series]) -> tuple[str, ...]:
    slugs = readable_series().exclude(pk__in=[s.pk for s in chosen]).values_list("slug", flat=True)
    return tuple(f"/{slug}/" for slug in slugs)


def _workers(requested: int) -> int:
    # Forked workers need a database they can reach on their own and see committed data.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if requested <= 1 or in_memory or connection.in_atomic_block:
        return 1
    return requested


class _quiet_request_log:
    """Broken links are reported in the summary, not as a log line each."""

    def __enter__(self):
        self.logger = logging.getLogger("django.request")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


class Crawl:
    """Renders the start addresses and everything of the site they link to, once each."""

    def __init__(self, target, output, summary, static_root, progress) -> None:
        self.target, self.output = target, output
        self.scopes: dict[str, tuple[int, str]] = {}  # the plan's (see `Plan.scopes`)
        self.summary, self.static_root, self.progress = summary, static_root, progress
        self.entries: dict[str, Entry] = {}
        self.staged: list[str] = []  # the files written to the staging folder
        self.seen: set[str] = set()
        self.todo: deque[Job] = deque()
        self.done = 0
        self.planned: dict[str, Job] = {}
        self.left_out: tuple[str, ...] = ()  # addresses of series not being exported

    def add(self, job: Job) -> None:
        """Queue an address unless seen; reuse last export's file when its inputs are the same.

        A reused file's links are followed from the manifest, without rendering it.
        """
        pending = [job]
        while pending:
            job = pending.pop()
            path = job.site_path
            if path in self.seen:
                continue
            self.seen.add(path)
            if path.startswith(("/static/", "/media/")):
                self._copy_asset(path)
                continue
            if path.startswith(self.left_out):
                self.summary.warnings.append(
                    f"links to {path.split('/')[1]}, which is not exported"
                )
                continue
            # A link may reach a planned address first: the plan knows its fingerprint.
            planned = self.planned.get(path)
            if planned:
                job = planned
            elif not is_public_address(path):
                continue
            if not job.fingerprint:
                job = replace(job, fingerprint=self._scope_fingerprint(path))
            relative = file_for(path)
            reused = self.output.reusable(relative, job.fingerprint)
            if reused:
                self.entries[relative] = reused
                seen = self.seen  # most links of a reused page are queued already
                pending += [Job(link) for link in reused.links if link not in seen]
                continue
            self.todo.append(job)

    def _add_planned(self, jobs: list[Job]) -> None:
        """`add` each planned job; the common case (a page whose inputs have not changed,
        still there) in a few steps: after a small change, all but a few of 20,000 are."""
        seen, entries, previous = self.seen, self.entries, self.output.previous
        intact, todo, planned = self.output.intact, self.todo, self.planned
        for job in jobs:
            path, fingerprint = job.site_path, job.fingerprint
            if fingerprint and path not in seen:
                seen.add(path)
                relative = file_for(path)
                old = previous.get(relative)
                if old is not None and old.fingerprint == fingerprint and intact(relative, old):
                    entries[relative] = old
                    for link in old.links:
                        # A planned page is added in its turn (an archive page links to its
                        # talks, which come right after it).
                        if link not in seen and link not in planned:
                            self.add(Job(link))
                else:
                    todo.append(job)  # a planned page of the site: rendered, as `add` would
                continue
            self.add(job)

    def _scope_fingerprint(self, path: str) -> str:
        # Anything under a talk's address (its calendar file) depends on that talk only.
        prefix = path[: path.find("/talks/") + 7]
        rest = path[len(prefix) :]
        if "/talks/" not in path or "/" not in rest:
            return ""
        talk_path = prefix + rest.split("/", 1)[0] + "/"
        scope = self.scopes.get(talk_path)
        return scope[1] if scope else ""

    def run(
        self,
        pages: list[Job],
        planned: Callable[[], Iterator[Plan]],
        workers: int,
        fork_first: bool = False,
    ) -> None:
        """Render the pages and the plan's jobs (`planned` works it out), then whatever new
        address of the site they link to, in this process or in forked workers.

        With `fork_first`, the workers start on the pages before the plan is worked out.
        """
        self.seen.update(alias for job in pages for alias in job.aliases)  # come with their page
        self.planned = {job.site_path: job for job in pages}
        self._add_planned(pages)
        if workers > 1 and fork_first:
            self._render_in_workers(workers, planned)
            return
        self._follow(list(planned()))
        if workers == 1 or len(self.todo) <= IN_PROCESS_JOBS:
            while self.todo:
                self._take(render_batch(self._next_batch()))
            return
        self._render_in_workers(workers)

    def _follow(self, parts: list[Plan]) -> None:
        # Every part is known before any is added: a page reused from the last export is
        # followed through its links, and those must find the pages of later parts planned.
        # (A first export, which takes the plan a part at a time, reuses nothing.)
        for part in parts:
            self.scopes.update(part.scopes)
            self.planned.update((job.site_path, job) for job in part.jobs)
        for part in parts:
            self._add_planned(part.jobs)

    def _render_in_workers(
        self, workers: int, planned: Callable[[], Iterator[Plan]] | None = None
    ) -> None:
        """Render in forked workers; with `planned`, work out the plan part by part while
        they render, each full batch sent as soon as it is planned. Results that come back
        meanwhile are held, and taken in once the whole plan is (their links must find
        the pages planned)."""
        connections.close_all()
        results: queue.Queue = queue.Queue()
        with multiprocessing.get_context("fork").Pool(workers) as pool, no_collection():
            parts = planned() if planned else None
            outstanding = 0
            held: list[list[Result]] = []
            while self.todo or outstanding or parts or held:
                while self.todo and outstanding < workers * 3 and self._ready(parts is None):
                    pool.apply_async(
                        render_batch,
                        (self._next_batch(workers, last=parts is None),),
                        callback=results.put,
                        error_callback=lambda error: results.put(error),
                    )
                    outstanding += 1
                if parts is not None:
                    while not results.empty():
                        held.append(_answer(results.get()))
                        outstanding -= 1
                    part = next(parts, None)
                    if part is None:
                        parts = None
                    else:
                        self._follow([part])
                    continue
                for answer in held:
                    self._take(answer)
                held = []
                if not outstanding:
                    continue
                try:
                    answer = results.get(timeout=WORKER_SILENCE_SECONDS)
                except queue.Empty:
                    raise ExportError(
                        "A rendering process stopped answering (killed, or out of memory?). "
                        "The previous export is unchanged; try again with --jobs 1."
                    ) from None
                outstanding -= 1
                self._take(_answer(answer))

    def _ready(self, planned: bool) -> bool:
        # Whether the next batch can go: while the plan is being worked out, only a full
        # batch of talk jobs (or a page that is not batched).
        return planned or not self.todo[0].batched or len(self.todo) >= TALK_JOBS_PER_BATCH

    def _next_batch(self, workers: int = 1, last: bool = True) -> list[Job]:
        """One job, the jobs of a group, or a run of talk and archive page jobs: the plan
        puts each archive page before its own talks, so a batch loads each talk once.
        With `workers` rendering, the `last` of them (once all is planned) are smaller."""
        batch = [self.todo.popleft()]
        group = batch[0].group
        if group:
            while self.todo and self.todo[0].group == group:
                batch.append(self.todo.popleft())
            return batch
        if not batch[0].batched:
            return batch
        size = TALK_JOBS_PER_BATCH
        if workers > 1 and last and len(self.todo) < workers * TALK_JOBS_PER_BATCH:
            size = LAST_TALK_JOBS_PER_BATCH
        while self.todo and len(batch) < size and self.todo[0].batched:
            batch.append(self.todo.popleft())
        return batch

    def _take(self, results: list[Result]) -> None:
        for result in results:
            self.done += 1
            self.summary.rendered += not result.site_path.startswith(("/static/", "/media/"))
            if result.problem:
                self.summary.warnings.append(result.problem)
            if result.staged:
                self.staged.append(result.relative)
            if result.relative:
                self.entries[result.relative] = Entry(
                    result.sha256, result.size, result.fingerprint, result.links, result.in_sitemap
                )
            for link in result.links:
                if link not in self.seen:  # most links point at pages already queued
                    self.add(Job(link))
        if self.progress:
            self.progress(self.done, self.done + len(self.todo))

    def _copy_asset(self, path: str) -> None:
        relative = path.lstrip("/")
        if path.startswith("/static/"):
            source = self.static_root / relative.removeprefix("static/")
        else:
            source = Path(settings.MEDIA_ROOT) / relative.removeprefix("media/")
        if not source.is_file():
            self.summary.warnings.append(f"{path} is linked but does not exist")
            return
        body = source.read_bytes()
        content_type = "text/css" if source.suffix == ".css" else ""
        links = sorted(site_links(body, content_type, path, self.target))
        result = stage(Result(path, links=links), relative, body)
        self._take([result])

    def add_site_files(self) -> None:
        """`sitemap.xml`, `robots.txt` and `.nojekyll`, from what was exported."""
        for name, body in site_files(self.target, self.entries):
            result = stage(Result("/" + name), name, body)
            self.entries[name] = Entry(result.sha256, result.size)
            if result.staged:
                self.staged.append(name)
