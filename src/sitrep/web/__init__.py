"""The web side of sitrep: `sitrep serve` runs a FastAPI app (REST API under /api, dashboard pages)."""
