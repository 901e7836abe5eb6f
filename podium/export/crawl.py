"""The crawl of an export: the site's addresses rendered once each, here or in forked workers."""

import multiprocessing
import queue
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db import connections

from podium.export.collection import keeping_records
from podium.export.links import file_for, site_links
from podium.export.output import Entry, ExportError
from podium.export.plan import Job, Plan
from podium.export.render_jobs import Result, render_batch, stage
from podium.export.rendering import is_public_address
from podium.export.site_files import site_files
from podium.feeds.ical import event_in_file, remembering_events

# Four list pages (of the archive or of upcoming talks) with their 50 talks' pages and
# calendar files each: every batch costs three queries to build and run, and 10,000 talks
# still make 50 batches to share out.
TALK_JOBS_PER_BATCH = 404
# The last batches are smaller (one list page and its talks), so that the renderers run
# out of work at about the same time rather than one finishing a whole batch alone.
LAST_TALK_JOBS_PER_BATCH = 101
# Fewer pages than this (an export after a small change) render faster in the exporting
# process than with rendering processes to start.
IN_PROCESS_JOBS = 100
# A pool never hears of a worker that was killed; no batch takes anywhere near this long.
WORKER_SILENCE_SECONDS = 900
Progress = Callable[[int, int], None]

# For a process that exports again (`podium export --watch`): the events of the talks'
# calendar files of its last export into each folder, by file and digest (so only ever
# what that very file holds). The feeds of the next export take the kept files' events from
# here rather than reading them back.
_EVENTS_IN_FILES: dict[str, dict[tuple[str, str], bytes]] = {}


def _answer(sent: tuple[int, list[Result] | BaseException]) -> tuple[list[Result], int]:
    # What a batch of so many jobs sent back: its results, or the error it stopped on
    # (raised here).
    jobs, answer = sent
    if isinstance(answer, BaseException):
        raise answer
    return answer, jobs


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
        self.in_flight = 0  # jobs sent to the rendering processes, not yet taken back
        self.planned: dict[str, Job] = {}
        self.feeds: list[Job] = []  # rendered last (`run`)
        self.events: dict[tuple, list[bytes]] = {}  # for the feeds, from the talks' files
        # The talks' calendar files a feed carries (event key, file): rendered now or kept.
        self.event_files: list[tuple[tuple, str]] = []
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
                if job.event_key:
                    self.event_files.append((job.event_key, relative))
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
                    if job.event_key:
                        self.event_files.append((job.event_key, relative))
                    for link in old.links:
                        # A planned page is added in its turn (a list page links to its
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
        The calendar feeds come last, in this process, from the events that the talks'
        calendar files were built with (with workers, once the last batch is sent out):
        with thousands of upcoming talks, building the events again took a second or more
        of one worker's time.
        """
        self.seen.update(alias for job in pages for alias in job.aliases)  # come with their page
        self.planned = {job.site_path: job for job in pages}
        self.feeds = [job for job in pages if job.feed]
        self.seen.update(job.site_path for job in self.feeds)
        self._add_planned([job for job in pages if not job.feed])
        if workers > 1 and fork_first:
            self._render_in_workers(workers, planned)
        else:
            with keeping_records():  # the plan and the manifest's entries
                self._follow(list(planned()))
            if workers == 1 or len(self.todo) <= IN_PROCESS_JOBS:
                self._render_here()
            else:
                self._render_in_workers(workers)
        self._render_feeds()
        self._render_here()  # anything new they link to

    def _render_feeds(self) -> None:
        feeds, self.feeds = self.feeds, []
        if feeds:
            self._read_reused_events()
            with remembering_events(self.events):
                self._take(render_batch(feeds))
            if self.output.again:
                self._keep_events()

    def _read_reused_events(self) -> None:
        # The events of the talks' calendar files kept from the last export (unchanged
        # inputs; a rendered file's event came with its result), read back from them:
        # reading 10,000 small files costs a tenth of building their events again. A file
        # that is not what the manifest says is skipped (the feed builds that event).
        kept = _EVENTS_IN_FILES.get(str(self.output.directory), {}) if self.output.again else {}
        for key, relative in self.event_files:
            if key not in self.events:
                entry = self.entries[relative]
                block = kept.get((relative, entry.sha256))
                if block is None:
                    data = self.output.read_back(relative, entry)
                    block = event_in_file(data) if data is not None else None
                if block is not None:
                    self.events[key] = [block]

    def _keep_events(self) -> None:
        # What `_read_reused_events` takes next time instead of reading the files back.
        kept = {}
        for key, relative in self.event_files:
            event, entry = self.events.get(key), self.entries.get(relative)
            if event is not None and entry is not None:
                kept[relative, entry.sha256] = event[0]
        _EVENTS_IN_FILES[str(self.output.directory)] = kept

    def _render_here(self) -> None:
        while self.todo:
            self._take(render_batch(self._next_batch()))

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
        with multiprocessing.get_context("fork").Pool(workers) as pool, keeping_records():
            parts = planned() if planned else None
            outstanding = 0
            held: list[tuple[list[Result], int]] = []  # (results, jobs sent)
            while self.todo or outstanding or parts or held:
                while self.todo and outstanding < workers * 3 and self._ready(parts is None):
                    batch = self._next_batch(workers, last=parts is None)
                    jobs = len(batch)
                    self.in_flight += jobs
                    pool.apply_async(
                        render_batch,
                        (batch,),
                        callback=lambda answer, jobs=jobs: results.put((jobs, answer)),
                        error_callback=lambda error: results.put((0, error)),
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
                for answer, jobs in held:
                    self._take(answer, jobs)
                held = []
                if self.feeds and not self.todo:
                    # While the last batches render (the upcoming talks' came first).
                    self._render_feeds()
                    continue
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
                self._take(*_answer(answer))

    def _ready(self, planned: bool) -> bool:
        # Whether the next batch can go: while the plan is being worked out, only a full
        # batch of talk jobs (or a page that is not batched).
        return planned or not self.todo[0].batched or len(self.todo) >= TALK_JOBS_PER_BATCH

    def _next_batch(self, workers: int = 1, last: bool = True) -> list[Job]:
        """One job, or a run of talk and list page jobs: the plan puts each list page
        before its own talks, so a batch loads each talk once. With `workers` rendering,
        the `last` of them (once all is planned) are smaller."""
        batch = [self.todo.popleft()]
        if not batch[0].batched:
            return batch
        size = TALK_JOBS_PER_BATCH
        if workers > 1 and last and len(self.todo) < workers * TALK_JOBS_PER_BATCH:
            size = LAST_TALK_JOBS_PER_BATCH
        while self.todo and len(batch) < size and self.todo[0].batched:
            batch.append(self.todo.popleft())
        return batch

    def _take(self, results: list[Result], sent_jobs: int = 0) -> None:
        """Record rendered results (of `sent_jobs` jobs sent to a rendering process) and
        queue what they link to. Counted first, all at once: a photo or stylesheet they
        link to is copied and taken in meanwhile, which shows the progress."""
        self.done += len(results)
        self.in_flight -= sent_jobs
        for result in results:
            self.summary.rendered += not result.site_path.startswith(("/static/", "/media/"))
            if result.problem:
                self.summary.warnings.append(result.problem)
            if result.staged:
                self.staged.append(result.relative)
            if result.event:
                self.events[result.event[0]] = [result.event[1]]
                self.event_files.append((result.event[0], result.relative))
            if result.relative:
                self.entries[result.relative] = Entry(
                    result.sha256,
                    result.size,
                    result.fingerprint,
                    result.links,
                    result.in_sitemap,
                    result.row,
                )
            for link in result.links:
                if link not in self.seen:  # most links point at pages already queued
                    self.add(Job(link))
        if self.progress:  # the total counts what is known to do: it never goes down
            left = len(self.todo) + self.in_flight + len(self.feeds)
            self.progress(self.done, self.done + left)

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
            self.entries[name] = Entry(result.sha256, result.size, row=result.row)
            if result.staged:
                self.staged.append(name)
