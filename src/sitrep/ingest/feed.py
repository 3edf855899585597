"""RSS and Atom feeds (feedparser), from a file or a URL: one article per entry, its HTML content or summary."""
from __future__ import annotations

import time
from collections.abc import Iterator

from sitrep.article import Article, ReadError


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%S", parsed)
    return entry.get("published") or entry.get("updated")


def read_feed(source: str, timeout: float = 30.0) -> Iterator[Article | ReadError]:
    import feedparser

    if source.startswith(("http://", "https://")):
        import httpx

        try:
            response = httpx.get(source, timeout=timeout, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            yield ReadError(source=source, error=f"cannot fetch feed: {exc}")
            return
        parsed = feedparser.parse(response.content)
    else:
        parsed = feedparser.parse(source)
    if parsed.bozo and not parsed.entries:
        yield ReadError(source=source, error=f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
        return
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content")
        html = content[0].get("value") if content else entry.get("summary")
        origin = f"{source}#entry{i}"
        if not html or not html.strip():
            yield ReadError(source=origin, error="feed entry has no content or summary")
            continue
        body = html if "<" in html else None
        yield Article(
            id=entry.get("id") or entry.get("link"),
            title=entry.get("title"),
            html=f"<html><body><article>{body}</article></body></html>" if body else None,
            text=None if body else html,
            url=entry.get("link"),
            published=_date(entry),
            outlet=outlet,
            language=(parsed.feed.get("language") or "")[:2] or None,
            origin=origin,
        )
