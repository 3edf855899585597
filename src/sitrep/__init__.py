"""sitrep: read war reporting at scale.

Public API: `extract(text, **meta) -> Result` for one text, `Pipeline` for streams of Articles.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "Pipeline", "Article", "Result", "__version__"]


def __getattr__(name):  # lazy: importing sitrep must not load spaCy
    if name in ("extract", "Pipeline"):
        from sitrep import pipeline

        return getattr(pipeline, name)
    if name == "Article":
        from sitrep.article import Article

        return Article
    if name == "Result":
        from sitrep.model import Result

        return Result
    raise AttributeError(name)
