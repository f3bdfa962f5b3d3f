"""The embedded database: a SQLite file is opened in write-ahead-log mode, so readers
never wait for a writer and a commit does not wait for the disk."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA synchronous")
    sync = cursor.fetchone()[0]
print(mode, sync)
"""


def test_a_sqlite_file_is_opened_in_wal_mode(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "hiring_site.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # synchronous NORMAL is 1 (FULL, SQLite's default, is 2).
    assert result.stdout.split() == ["wal", "1"]
