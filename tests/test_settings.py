"""The SQLite connection every process opens (podium/settings.py)."""

import copy

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.mark.django_db
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the suite runs on PostgreSQL",
)
def test_a_sqlite_file_is_opened_in_wal_mode_with_foreign_keys_and_a_memory_map(tmp_path):
    options = copy.deepcopy(settings.DATABASES["default"])
    options["NAME"] = tmp_path / "podium.sqlite3"
    database = DatabaseWrapper(options, alias="pragmas")
    try:
        with database.cursor() as cursor:
            found = {}
            for pragma in ("journal_mode", "foreign_keys", "mmap_size"):
                cursor.execute(f"PRAGMA {pragma}")
                found[pragma] = cursor.fetchone()[0]
    finally:
        database.close()
    assert found == {"journal_mode": "wal", "foreign_keys": 1, "mmap_size": 268435456}
