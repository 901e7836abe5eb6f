"""Import the whole PriSec-ML page history (86 files) and the students series into a fresh
SQLite database, and compare with just reading and parsing the same files (the reference,
measured in the same run). Prints talks, speakers and warnings by kind.

Run from the repository root: `python bench/import_history.py` (needs ../shared).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PODIUM_SHARED_DIR") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus" / "prisec-ml"


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"The shared corpus is missing at {CORPUS}.")
    os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from podium.importers.jekyll import parse_page
    from podium.importers.reading import decode_text, read_bytes
    from podium.importers.report import warning_counts
    from podium.importers.run import import_files
    from podium.seminars.models import Person, Talk

    call_command("migrate", verbosity=0)
    history = sorted((CORPUS / "about").glob("about-*.md"))
    students = sorted((CORPUS / "students").glob("students-*.md"))

    started = time.perf_counter()
    for path in history:
        parse_page(decode_text(read_bytes(path), path.name), path.name, "Europe/London")
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    reports = import_files(history, "prisec-ml")
    import_seconds = time.perf_counter() - started
    student_reports = import_files(students, "students")

    started = time.perf_counter()
    import_files(history[-1:], "prisec-ml")
    again_seconds = time.perf_counter() - started

    counts = warning_counts(reports)
    print(f"files: {len(history)} history + {len(students)} students")
    print(
        f"talks: {Talk.objects.filter(series__slug='prisec-ml').count()} (history), "
        f"{Talk.objects.filter(series__slug='students').count()} (students)"
    )
    print(f"speakers: {Person.objects.count()} people in both series")
    print("warnings (history): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    student_counts = warning_counts(student_reports)
    print(
        "warnings (students): " + ", ".join(f"{k} {v}" for k, v in sorted(student_counts.items()))
    )
    print(f"reference, read and parse {len(history)} files: {parse_seconds:.2f} s")
    print(
        f"full history import: {import_seconds:.2f} s = "
        f"{import_seconds / parse_seconds:.1f}x the reference"
    )
    print(f"re-import of the newest page (unchanged): {again_seconds:.3f} s")


if __name__ == "__main__":
    main()
