"""Full-text search over document text and quotes: SQLite FTS5 (external content + triggers) or PostgreSQL tsvector."""
from __future__ import annotations

import re

from sqlalchemy import text

# (table, indexed columns) — one FTS index each
FTS_TABLES = {"documents": ("title", "text"), "quotes": ("text", "speaker")}


def _sqlite_ddl(table: str, cols: tuple[str, ...]) -> list[str]:
    c = ", ".join(cols)
    new = ", ".join(f"new.{x}" for x in cols)
    old = ", ".join(f"old.{x}" for x in cols)
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({c}, content='{table}', content_rowid='id')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {c}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_au AFTER UPDATE OF {c} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {c}) VALUES (new.id, {new}); END",
    ]


def pg_vector(table: str, alias: str | None = None) -> str:
    a = f"{alias}." if alias else ""
    cols = " || ' ' || ".join(f"coalesce({a}{c}, '')" for c in FTS_TABLES[table])
    return f"to_tsvector('simple', {cols})"


def create_fts(conn) -> None:
    if conn.dialect.name == "sqlite":
        for table, cols in FTS_TABLES.items():
            for stmt in _sqlite_ddl(table, cols):
                conn.execute(text(stmt))
    elif conn.dialect.name == "postgresql":
        for table in FTS_TABLES:
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_fts ON {table} USING gin ({pg_vector(table)})"))


def drop_fts(conn) -> None:
    for table in FTS_TABLES:
        if conn.dialect.name == "sqlite":
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}"))
            conn.execute(text(f"DROP TABLE IF EXISTS {table}_fts"))
        else:
            conn.execute(text(f"DROP INDEX IF EXISTS ix_{table}_fts"))


def fts_words(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())


def match_clause(conn, table: str, query: str) -> tuple[str, dict]:
    """SQL condition on `{table}.id` matching every word of `query` (a phrase when quoted)."""
    words = fts_words(query)
    if not words:
        return "1=0", {}
    phrase = query.strip().startswith('"') and query.strip().endswith('"')
    if conn.dialect.name == "sqlite":
        expr = '"' + " ".join(words) + '"' if phrase else " AND ".join(f'"{w}"' for w in words)
        return f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :fts_q)", {"fts_q": expr}
    op = " <-> " if phrase else " & "
    return (f"{pg_vector(table, table)} @@ to_tsquery('simple', :fts_q)",
            {"fts_q": op.join(words)})


def check_fts(conn) -> list[str]:
    """Problems with the full-text indexes (empty list when in sync)."""
    problems = []
    if conn.dialect.name != "sqlite":
        for table in FTS_TABLES:
            ok = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = :n"), {"n": f"ix_{table}_fts"}).scalar()
            if not ok:
                problems.append(f"full-text index ix_{table}_fts is missing")
        return problems
    for table in FTS_TABLES:
        fts = f"{table}_fts"
        try:
            conn.execute(text(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)"))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{fts} out of sync with {table}: {exc.__class__.__name__}")
            continue
        n_fts = conn.execute(text(f"SELECT count(*) FROM {fts}_docsize")).scalar()
        n_rows = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        if n_fts != n_rows:
            problems.append(f"{fts} has {n_fts} rows, {table} has {n_rows}")
    return problems
