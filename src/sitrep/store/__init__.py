"""The record: documents and their extractions in SQLite or PostgreSQL, corroborated across outlets.

`open_store(url)` migrates the database to the newest schema and returns a `Store`; `ingest.ingest_items` writes
results, `corroborate` groups near-duplicates, events and intercepts, `queries`/`export` read them back.
"""
from sitrep.store.db import DEFAULT_URL, Store, open_store

__all__ = ["DEFAULT_URL", "Store", "open_store"]
