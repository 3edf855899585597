"""The default store URL, importable without the database stack (the CLI's options need it at start-up)."""
DEFAULT_URL = "sqlite:///sitrep.db"
