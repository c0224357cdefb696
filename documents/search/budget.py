"""A time budget for the queries of one search: no reader's query can hold a worker or the database for long.

    with time_budget(milliseconds):
        ... the search's queries ...

- PostgreSQL: `statement_timeout` for the current transaction only (`set_config(..., is_local => true)`,
  i.e. `SET LOCAL`), restored when the block ends; a statement running past it is cancelled by the server
  (SQLSTATE 57014, query_canceled). Use it inside `transaction.atomic()`: a cancelled statement aborts the
  transaction, and the rollback (to the savepoint) restores the previous timeout too.
- SQLite: a progress handler, called every PROGRESS_STEPS virtual-machine instructions, interrupts the
  running statement once the deadline has passed (`sqlite3.OperationalError: interrupted`).

Either way the query fails with a DatabaseError; `is_timeout(exc)` tells a budget overrun from other errors.
"""

from __future__ import annotations

import contextlib
import time

from django.db import connection as default_connection

#: SQLite: how many VM instructions run between two looks at the clock (a look costs ~0.1 µs).
PROGRESS_STEPS = 1_000
_QUERY_CANCELED = "57014"


class _Deadline:
    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.hit = False

    def __call__(self) -> int:
        if time.monotonic() >= self.at:
            self.hit = True
            return 1  # non-zero: SQLite interrupts the statement
        return 0


@contextlib.contextmanager
def time_budget(milliseconds: int, connection=None):
    """Bound the statements run inside the block to `milliseconds` in all (0 or less: no budget)."""
    connection = connection or default_connection
    if milliseconds <= 0:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{int(milliseconds)}ms"],
            )
            previous = cursor.fetchone()[0]
        yield
        with connection.cursor() as cursor:  # only reached when no statement was cancelled
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    elif connection.vendor == "sqlite":
        deadline = _Deadline(milliseconds / 1000)
        raw = connection.connection
        raw.set_progress_handler(deadline, PROGRESS_STEPS)
        try:
            yield
        finally:
            raw.set_progress_handler(None, PROGRESS_STEPS)
    else:
        yield


def is_timeout(exc: BaseException) -> bool:
    """Whether a DatabaseError is a statement stopped by the time budget."""
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) == _QUERY_CANCELED:
        return True
    return "interrupted" in str(cause).lower() and type(cause).__module__ == "sqlite3"
