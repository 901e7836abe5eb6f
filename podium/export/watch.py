"""`podium export DIR --watch`: keep a static export current while Podium runs.

After each export the exporter looks, every `interval` seconds, at what every public change
moves (each readable series' revision and last edit: one query), and exports again when
that moved or when a minute has passed since the last export: talks move from upcoming to
past by the clock, and a minute is also how long the live site's page cache may lag. Every
export is incremental, and in a running process it costs what changed: the code is loaded,
the templates are compiled, the last manifest is in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from threading import Event

from podium.export.output import ExportError, Summary
from podium.seminars.models import Series, Visibility

# Exported again after this long even when nothing seemed to change.
AT_LEAST_EVERY_SECONDS = 60.0


def site_state() -> tuple:
    """What a public change of any series moves: their ids, slugs, visibility, revisions
    and last edits."""
    readable = Series.objects.exclude(visibility=Visibility.DRAFT).order_by("id")
    return tuple(readable.values_list("id", "slug", "visibility", "revision", "updated_at"))


def watch(
    export: Callable[[bool], Summary],
    report: Callable[[Summary], None],
    failed: Callable[[ExportError], None],
    *,
    interval: float,
    stop: Event,
    exported: tuple | None = None,
    clock: Callable[[], float] = time.monotonic,
    failing: str = "",
) -> None:
    """Export now (unless `exported`, the `site_state()` an export was just made from), then
    again after each change until `stop` is set.

    `export(check_files)`: the exports a minute apart check every file of the folder; those
    right after a change take the files the last one wrote to be there.
    The state is read before each export, so a change made while it runs brings another.
    A failed export (a full disk, say) is reported and leaves the previous one in place;
    the next change or minute tries again. A failure is reported once, not every minute,
    until an export succeeds or fails otherwise (`failing`: what was reported already).
    """
    state, checked_at = exported, clock() if exported is not None else float("-inf")
    while not stop.is_set():
        current = site_state()
        due = clock() - checked_at >= AT_LEAST_EVERY_SECONDS
        if current != state or due:
            state = current
            if due:
                checked_at = clock()
            try:
                report(export(due))
                failing = ""
            except ExportError as error:
                if str(error) != failing:
                    failed(error)
                failing = str(error)
        stop.wait(interval)
