"""HTML pages: main text and metadata (title, date, site name) with trafilatura."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import DecodeError, decode_bytes


def html_to_text(html: str, url: str | None = None) -> tuple[str | None, dict]:
    """(main text, metadata dict with title/date/sitename/url) — text is None when nothing could be extracted."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None:
        return None, {}
    data = doc if isinstance(doc, dict) else doc.as_dict()
    meta = {key: data.get(key) for key in ("title", "date", "sitename", "url", "hostname")}
    meta["sitename"] = meta.get("sitename") or meta.get("hostname")
    return data.get("text"), meta


def read_html_file(path: Path) -> Iterator[Article | ReadError]:
    try:
        html, warnings = decode_bytes(path.read_bytes(), str(path))
    except DecodeError as exc:
        yield ReadError(source=f"{path}:1", error=str(exc))
        return
    if not html.strip():
        yield ReadError(source=f"{path}:1", error="empty file")
        return
    yield Article(html=html, id=path.stem, origin=f"{path}:1", warnings=warnings)
