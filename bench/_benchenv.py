"""Shared set-up of the bench scripts: the project on sys.path, production-like settings, own database.

Each script calls `configure(name)` before `django.setup()`. DATABASE_URL, when set, wins (e.g. to
measure on PostgreSQL); otherwise the script gets its own SQLite file in /tmp, never the dev database.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(name: str) -> Path:
    """Environment for bench `name`; returns the project root."""
    for path in (ROOT / "bench", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DATABASE_URL", f"sqlite:////tmp/edition-bench-{name}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edition.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-bench-only-not-secret-0123456789")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    return ROOT


def fresh_database(flush: bool = False) -> None:
    """An empty, migrated bench database (SQLite: the file and its WAL removed; `flush` also empties
    tables a migration fills, e.g. the Editors group)."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    if flush:
        call_command("flush", verbosity=0, interactive=False)
