"""Imports of the same database never interleave.

- PostgreSQL: every file's transaction first takes a transaction-level advisory lock
  (`pg_advisory_xact_lock`), the same for every import of this database: a second import waits until the
  first has committed (or died: the server releases the lock with the connection), then sees its result
  (the importer re-reads the file's checksum under the lock, so a file just imported is "unchanged").
- SQLite: SQLite lets one writer in at a time and a second would fail after its busy timeout with
  "database is locked". Instead the whole run holds an exclusive `flock` on a lock file beside the database
  file (`<database>.import-lock`); a second import stops at once with "import already running". Everything
  that shares a SQLite database shares its directory, so the lock is as shared as the database itself, and
  the kernel releases it when the process ends, even when killed: there is never a stale lock to clear.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.db import connection as default_connection

#: The advisory lock's key (two int4: "edition", "import"); any constant works, it only has to be shared.
ADVISORY_KEY = (0x0ED1, 0x1A40)


class ImportRunning(Exception):
    """Another import of this database is running."""


def _sqlite_lock_path(connection) -> Path | None:
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None  # an in-memory database belongs to one process
    return Path(name).with_name(Path(name).name + ".import-lock")


@contextlib.contextmanager
def exclusive_import(connection=None):
    """Around a whole import run: on SQLite, hold the lock file (ImportRunning if another process has it)."""
    connection = connection or default_connection
    path = _sqlite_lock_path(connection) if connection.vendor == "sqlite" else None
    if path is None:
        yield
        return
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise ImportRunning(
                f"import already running on this database (pid {holder}, lock {path}); try again when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_for_this_transaction(connection=None) -> None:
    """Inside a file's transaction: on PostgreSQL, wait for any other import's file transaction to end."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(ADVISORY_KEY))
