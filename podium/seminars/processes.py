"""Run the web server and the worker side by side, and stop both cleanly on Ctrl-C."""

import os
import signal
import subprocess
import sys
import time


def server_command(host: str, port: int, workers: int = 2) -> list[str]:
    """The gunicorn command line for Podium's WSGI application."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "podium.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        "--forwarded-allow-ips",
        os.environ.get("PODIUM_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def worker_command() -> list[str]:
    """The command line of `podium worker`."""
    return [sys.executable, "-m", "podium", "worker"]


def export_command(directory: str) -> list[str]:
    """The command line of `podium export DIR --watch`: a static copy of the public site,
    at PODIUM_BASE_URL, kept current after every change."""
    return [sys.executable, "-m", "podium", "export", directory, "--watch", "--no-progress"]


def run_together(commands: list[list[str]]) -> int:
    """Start every command; when one stops or we are interrupted, stop them all.

    Returns the first non-zero exit code seen, or 0 after a clean stop.
    """
    processes = [subprocess.Popen(command) for command in commands]  # noqa: S603
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    codes = [p.returncode for p in processes]
    if stopping:
        # Ctrl-C or SIGTERM: a clean stop, whatever the children answered to SIGTERM.
        return 0
    return next((code for code in codes if code), 0)
