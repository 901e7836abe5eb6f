"""The `podium` console script: the project's manage.py."""

import logging
import os
import sys

# Commands that end the process as soon as they are done: an export of 10,000 talks leaves
# the interpreter 0.2 s of tearing down what it loaded, after the work is finished and said.
FINISHED_AT_ONCE = frozenset({"export"})


def main() -> None:
    """Run a Django management command with Podium's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    if len(sys.argv) > 1 and sys.argv[1] in FINISHED_AT_ONCE:
        _end_now()


def _end_now() -> None:
    """Exit with status 0 without the interpreter's teardown: output flushed, logs closed,
    database connections closed (a command that failed has raised SystemExit already)."""
    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
