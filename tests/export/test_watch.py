"""`podium export DIR --watch` (podium/export/watch.py): exports again after each change."""

import signal
import time
from threading import Event

from podium.export.output import ExportError, Summary
from podium.export.watch import AT_LEAST_EVERY_SECONDS, site_state, watch
from podium.seminars.talks import save_talk
from tests.commands import environment, podium, rename_last_talk, start_watcher


class Script(Event):
    """A stop event whose waits play the steps of a scenario, then stop the watch."""

    def __init__(self, *steps):
        super().__init__()
        self.steps = list(steps)

    def wait(self, timeout=None):
        if self.steps:
            self.steps.pop(0)()
        else:
            self.set()
        return self.is_set()


def playing(*outcomes):
    """An export that gives (or raises) each outcome in turn."""
    left = iter(outcomes)

    def export(check_files):
        outcome = next(left)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return export


def test_an_export_follows_each_change_and_only_then(site):
    exports, errors = [], []

    def change():
        site.upcoming.title = "Membership Inference, Revisited"
        save_talk(site.upcoming)

    checks = []
    watch(
        lambda check_files: checks.append(check_files) or Summary(written=["x"]),
        exports.append,
        errors.append,
        interval=0.01,
        stop=Script(lambda: None, change, lambda: None),
        exported=site_state(),
    )
    assert len(exports) == 1 and not errors  # after the change, and not before nor after
    assert checks == [False]  # right after a change: the files it wrote are taken as written


def test_a_failed_export_is_reported_and_the_next_change_tries_again(site):
    export = playing(ExportError("The disk is full."), Summary())
    exports, errors = [], []

    def change():
        site.series.name = "PriSec-ML seminars"
        site.series.save()

    watch(export, exports.append, errors.append, interval=0.01, stop=Script(change))
    assert [str(e) for e in errors] == ["The disk is full."] and len(exports) == 1


def test_a_failure_is_reported_once_until_an_export_succeeds_or_fails_otherwise(site):
    full, denied = ExportError("The disk is full."), ExportError("Permission denied.")
    export = playing(full, full, full, Summary(), full, denied, denied)
    now = [0.0]
    exports, errors = [], []

    def later():  # a minute on: an export is due with or without a change
        now[0] += AT_LEAST_EVERY_SECONDS

    watch(
        export,
        exports.append,
        errors.append,
        interval=1,
        stop=Script(*[later] * 6),
        clock=lambda: now[0],
    )
    assert [str(e) for e in errors] == [
        "The disk is full.",
        "The disk is full.",
        "Permission denied.",
    ]
    assert len(exports) == 1


def test_a_failure_already_said_is_not_said_again(site):
    errors = []

    def export(check_files):
        raise ExportError("There is no public series to export.")

    watch(
        export,
        lambda summary: None,
        errors.append,
        interval=0.01,
        stop=Script(),
        failing="There is no public series to export.",
    )
    assert errors == []


def test_without_a_change_it_exports_again_after_a_minute(site):
    now = [0.0]
    exports = []

    def later():
        now[0] += AT_LEAST_EVERY_SECONDS

    checks = []
    watch(
        lambda check_files: checks.append(check_files) or Summary(),
        exports.append,
        lambda error: None,
        interval=1,
        stop=Script(lambda: None, later),
        exported=site_state(),
        clock=lambda: now[0],
    )
    assert len(exports) == 1 and checks == [True]  # a minute on: every file checked


def test_the_command_watches_until_stopped(tmp_path):
    env = environment(tmp_path / "data")
    podium(env, "demo", "--no-serve")
    site = tmp_path / "site"
    watcher = start_watcher(env, site)
    try:
        first = watcher.stdout.readline()
        assert first.startswith(f"Exported to {site}: ") and " in " in first
        rename_last_talk(env, "A new title for the watcher")
        started = time.monotonic()
        second = watcher.stdout.readline()
        assert second.startswith(f"Exported to {site}: ")
        assert not second.startswith(f"Exported to {site}: 0 files written")
        assert time.monotonic() - started < 30
        assert "A new title for the watcher" in (site / "index.html").read_text()
    finally:
        # SIGTERM, as a service manager stops it (a test run may ignore SIGINT: Ctrl-C).
        watcher.send_signal(signal.SIGTERM)
        _, stderr = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, stderr
    assert "Stopped watching." in stderr


def test_the_command_waits_for_a_first_public_series(tmp_path):
    env = environment(tmp_path / "data")
    podium(env, "migrate", "--verbosity", "0")
    site = tmp_path / "site"
    watcher = start_watcher(env, site)
    try:
        said = watcher.stderr.readline()
        assert said.startswith("There is no public series to export. Exporting as soon as")
        assert watcher.poll() is None, "a new site is no reason to stop"
        podium(env, "demo", "--no-serve")
        first = watcher.stdout.readline()
        assert first.startswith(f"Exported to {site}: ")
        assert "Privacy &amp; Security" in (site / "index.html").read_text()
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, stderr = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, stderr
    assert "error" not in stderr
