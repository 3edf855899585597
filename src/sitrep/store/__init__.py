"""The record: documents and their extractions in SQLite or PostgreSQL, corroborated across outlets.

`open_store(url)` migrates the database to the newest schema and returns a `Store`; `ingest.ingest_items` writes
results, `corroborate` groups near-duplicates, events and intercepts, `queries`/`export` read them back.
"""
from sitrep.store.url import DEFAULT_URL

__all__ = ["DEFAULT_URL", "Store", "open_store"]


def __getattr__(name: str):
    # Store and open_store load SQLAlchemy; commands that never touch the store (geocode) start without it
    if name in ("Store", "open_store"):
        from sitrep.store import db

        return getattr(db, name)
    raise AttributeError(f"module 'sitrep.store' has no attribute {name!r}")
