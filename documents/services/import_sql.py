"""Plain-row SQL for the importer: INSERT and UPDATE with executemany, no model instances.

Building a model instance per row and letting bulk_create/bulk_update compile each value was
most of an import's time (bulk_update's CASE WHEN statements especially). These helpers write
the same rows the ORM would: every concrete field gets a value (the given one, else the field's
default, `now` for auto_now/auto_now_add), and values that need it (dates, datetimes, UUIDs, JSON)
are adapted by the field itself (`get_db_prep_save`), so the rows are identical on SQLite and
PostgreSQL. Like bulk_create, they send no signals and keep no history: the importer's rows are
derived from the TEI and it reports changes through `document_imported`.

This is the importer's one fast write path (tests/test_import_sql.py checks that it writes the
rows the plain ORM writes, on SQLite and PostgreSQL). The only other hand-written inserts are the
search index's multi-row INSERTs (documents/search/indexing.py, which says why: SQLite's FTS5
trigger flushes a segment per statement); everything else writes through the ORM.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

BATCH = 2000
#: Field classes whose Python values the database drivers take as they are.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _adapter(field):
    if isinstance(field, _PLAIN) and not isinstance(field, models.AutoField):
        if field.choices is not None and isinstance(field, models.CharField):
            return lambda value: None if value is None else str(value)  # TextChoices members -> plain str
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain tuples (already in database form) into the given fields."""
    if not rows:
        return
    columns = ", ".join(_quote(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # sqlite3's executemany loops in C: the fastest way in.
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
            for i in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[i : i + BATCH])
            return
        # PostgreSQL: COPY, the bulk-load path (rows formatted by psycopg's C dumpers; one stream
        # instead of a statement per batch whose thousands of values psycopg would bind in Python).
        table = _quote(model._meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def insert_objects(model, rows: list[dict]) -> None:
    """INSERT rows given as {attname: python value}; every other field gets its default.

    auto_now/auto_now_add fields get the current time of each row, callables (uuid4, dict) are called per row.
    """
    if not rows:
        return
    plan = []  # (field, attname, adapter, constant for rows that do not give the field, or _CALL/_NOW)
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        adapt = _once(_adapter(field))
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # The time of each row, as save() and bulk_create give it: rows ordered by `created`
            # (notes at the same place) keep their insertion order.
            missing = _NOW
        elif field.has_default() and callable(field.default):
            missing = _CALL  # uuid4, dict: a new value per row
        else:
            missing = field.get_default()
        if missing is not _CALL and missing is not _NOW and adapt is not None:
            missing = adapt(missing)
        plan.append((field, field.attname, adapt, missing))
    tuples = []
    for row in rows:
        values = []
        for field, attname, adapt, missing in plan:
            if attname in row:
                value = row[attname]
                values.append(adapt(value) if adapt is not None else value)
            elif missing is _NOW:
                value = _stamp(field)
                values.append(adapt(value) if adapt is not None else value)
            elif missing is _CALL:
                value = field.get_default()
                values.append(adapt(value) if adapt is not None else value)
            else:
                values.append(missing)
        tuples.append(tuple(values))
    insert_rows(model, tuple(f.name for f, *_ in plan), tuples)


_CALL = object()  # a default to call per row
_NOW = object()  # auto_now / auto_now_add


def _stamp(field):
    """What auto_now/auto_now_add put in the field now."""
    return timezone.now() if isinstance(field, models.DateTimeField) else timezone.localdate()


def _once(adapt):
    """An adapter that remembers its last value (rows share timestamps and often other values)."""
    if adapt is None:
        return None
    last = [_CALL, None]

    def cached(value):
        if value is not last[0] and not (type(value) is type(last[0]) and value == last[0]):
            last[0], last[1] = value, adapt(value)
        return last[1]

    return cached


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE ... SET fields WHERE pk: rows are (value, ..., pk), python values (adapted here)."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    adapters = [_adapter(f) for f in columns]
    sets = ", ".join(f"{_quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {_quote(meta.db_table)} SET {sets} WHERE {_quote(meta.pk.column)} = %s"
    prepared = [
        tuple(a(v) if a is not None else v for a, v in zip(adapters, row[:-1], strict=True)) + (row[-1],)
        for row in rows
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[i : i + BATCH])
