"""Alembic migrations of the store schema (run programmatically by `sitrep.store.db.migrate`)."""
