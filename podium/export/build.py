"""`export_site`: the whole public site of some series as files in a folder."""

import contextlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from django.db import connection
from django.utils import timezone

from podium.export import render_jobs
from podium.export.collection import collector_off_the_loaded_code, no_collection
from podium.export.crawl import IN_PROCESS_JOBS, Crawl, Progress
from podium.export.fingerprints import code_fingerprint
from podium.export.links import forget_addresses
from podium.export.output import ExportError, OutputFolder, Summary, disk_error_message
from podium.export.plan import Job, Plan, plan, site_pages
from podium.export.render_jobs import NOT_FOUND_PAGE, Context
from podium.export.rendering import Renderer, rendering_for
from podium.export.security import csp_meta
from podium.export.static_forms import FormPolicy
from podium.export.target import Target
from podium.seminars.models import Series
from podium.seminars.visibility import readable_series, showing_only

STATIC_MANIFEST = "staticfiles.json"  # what collectstatic writes last


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
    now = now or timezone.now()
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
            crawl = Crawl(target, output, summary, static_root, progress)
            crawl.left_out = _other_series(series)
            stack.enter_context(showing_only(series))  # the site of these series alone
            pages = site_pages(series)
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
                yield from plan(series, code, now, pages)

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
