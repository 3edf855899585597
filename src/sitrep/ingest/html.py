"""HTML pages: main text and metadata (title, date, site name) with trafilatura."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import DecodeError, decode_declared, note_on

META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


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


def read_html_file(path: Path, telegram_usernames: dict[str, str] | None = None) -> Iterator[Article | ReadError]:
    data = path.read_bytes()
    declared = META_CHARSET.search(data[:4096])
    try:
        decoded = decode_declared(data, declared.group(1).decode("ascii") if declared else None, str(path))
    except DecodeError as exc:
        yield ReadError(source=f"{path}:1", error=str(exc))
        return
    html = decoded.text
    if not html.strip():
        yield ReadError(source=f"{path}:1", error="empty file")
        return
    from sitrep.ingest.telegram_html import is_telegram_html, read_telegram_html

    if is_telegram_html(html):
        items = read_telegram_html(html, path, telegram_usernames)
    else:
        items = iter([Article(html=html, id=path.stem, origin=f"{path}:1")])
    for item in items:
        if isinstance(item, Article):
            note_on(item, decoded)
        yield item
