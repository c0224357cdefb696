"""Database-specific parts of the search index, created outside Django's model state.

- SQLite: an FTS5 table with external content (the rows of documents_searchentry) and triggers
  that keep it in step with every INSERT/UPDATE/DELETE of that table (bulk_create, cascades and
  queryset updates included). Porter stemming over unicode61 tokens. Its columns are text, names
  and filters (tokens such as zzspk12 that make the facet filters part of the MATCH, so a filter
  never costs a lookup per hit).
- PostgreSQL: a GIN index on search_vector (the column itself is a normal model field).

Everything is idempotent (IF NOT EXISTS), so `ensure_schema` can run again, e.g. from
`rebuild_search_index` after a table rebuild dropped the SQLite triggers.
"""

TABLE = "documents_searchentry"
FTS = "documents_searchentry_fts"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        text, names, filters, content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, text, names, filters) VALUES (new.id, new.text, new.names, new.filters);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, names, filters)
            VALUES ('delete', old.id, old.text, old.names, old.filters);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_au AFTER UPDATE OF text, names, filters ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, names, filters)
            VALUES ('delete', old.id, old.text, old.names, old.filters);
        INSERT INTO {FTS}(rowid, text, names, filters) VALUES (new.id, new.text, new.names, new.filters);
    END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_au",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_CREATE = [f"CREATE INDEX IF NOT EXISTS searchentry_vector_gin ON {TABLE} USING gin (search_vector)"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS searchentry_vector_gin"]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def ensure_schema(connection):
    """Create the vendor's full-text objects if missing (no-op on other databases)."""
    if connection.vendor == "sqlite":
        _run(connection, SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'searchentry_vector_gin'")
            if cursor.fetchone() is None:
                _run(connection, POSTGRES_CREATE)


def drop_schema(connection):
    if connection.vendor == "sqlite":
        _run(connection, SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, POSTGRES_DROP)


def rebuild_fts(connection):
    """SQLite: rebuild the FTS5 index from the content table (after a bulk load without triggers)."""
    if connection.vendor == "sqlite":
        _run(connection, [f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"])


def migration_forwards(apps, schema_editor):
    ensure_schema(schema_editor.connection)


def migration_backwards(apps, schema_editor):
    drop_schema(schema_editor.connection)
