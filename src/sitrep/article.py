"""The input unit: one article as read from a file, feed or archive, before cleaning."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One input document. `origin` is `file:line` (or `file#N` for records without lines)."""

    text: str | None = None
    html: str | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    origin: str = "<unknown>"
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # extra fields for the output document (encoding, telegram, source)


@dataclass
class ReadError:
    """A document that could not be read; it is reported, never dropped silently."""

    source: str
    error: str

    def to_dict(self) -> dict:
        return {"source": self.source, "error": self.error}
