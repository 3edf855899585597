"""JSON, JSON Lines and Telegram Desktop exports.

Objects carry `id, title, text|html, url, published, outlet, language` (only text or html required; a few common
synonyms are accepted). A `.json` file may hold one object, a list of objects, or a Telegram export (an object
with `messages`), which `telegram.py` reads.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import Decoded, DecodeError, decode, note_on

FIELD_SYNONYMS = {
    "text": ("text", "body", "content", "article", "maintext"),
    "html": ("html", "raw_html"),
    "title": ("title", "headline"),
    "published": ("published", "date", "date_publish", "publication_date", "pubdate", "published_at"),
    "outlet": ("outlet", "source", "site_name", "sitename", "publisher", "source_domain"),
    "url": ("url", "link"),
    "language": ("language", "lang"),
    "id": ("id", "doc_id", "uid"),
}


def _first(obj: dict, names: tuple[str, ...]):
    for name in names:
        value = obj.get(name)
        if value not in (None, ""):
            return value
    return None


def article_from_object(obj, origin: str) -> Article | ReadError:
    if not isinstance(obj, dict):
        return ReadError(source=origin, error=f"expected a JSON object, got {type(obj).__name__}")
    fields = {key: _first(obj, names) for key, names in FIELD_SYNONYMS.items()}
    if not isinstance(fields["text"], str) and not isinstance(fields["html"], str):
        return ReadError(source=origin, error="object has no 'text' or 'html' string")
    if not (fields["text"] or fields["html"] or "").strip():
        return ReadError(source=origin, error="empty text")
    for key in ("id", "published", "outlet", "title", "url", "language"):
        if fields[key] is not None and not isinstance(fields[key], str):
            fields[key] = str(fields[key])
    if isinstance(obj.get("source"), dict):  # e.g. {"source": {"name": "Reuters"}}
        fields["outlet"] = obj["source"].get("name")
    return Article(origin=origin, **fields)


def read_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Article | ReadError]:
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        origin = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(source=origin, error=f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        yield article_from_object(obj, origin)


def _load(path: Path) -> tuple[Decoded | None, ReadError | None]:
    try:
        return decode(path.read_bytes(), str(path)), None
    except DecodeError as exc:
        return None, ReadError(source=f"{path}:1", error=str(exc))


def noted(items: Iterable[Article | ReadError], decoded: Decoded) -> Iterator[Article | ReadError]:
    """Items of one decoded file, each Article carrying what decoding guessed or repaired."""
    for item in items:
        if isinstance(item, Article):
            note_on(item, decoded)
        yield item


def read_jsonl_file(path: Path) -> Iterator[Article | ReadError]:
    decoded, error = _load(path)
    if error:
        yield error
        return
    yield from noted(read_jsonl_lines(decoded.text.splitlines(), str(path)), decoded)


def read_json_file(path: Path, telegram_usernames: dict[str, str] | None = None) -> Iterator[Article | ReadError]:
    decoded, error = _load(path)
    if error:
        yield error
        return
    yield from noted(_json_items(decoded.text, path, telegram_usernames), decoded)


def _json_items(text: str, path: Path, telegram_usernames: dict[str, str] | None = None) -> Iterator[Article | ReadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from read_jsonl_lines(text.splitlines(), str(path))
            return
        yield ReadError(source=f"{path}:{exc.lineno}", error=f"malformed JSON: {exc.msg} at column {exc.colno}")
        return
    from sitrep.ingest.telegram import is_telegram_export, read_telegram_export

    if is_telegram_export(data):
        yield from read_telegram_export(data, str(path), telegram_usernames)
        return
    records = data if isinstance(data, list) else [data]
    for i, obj in enumerate(records):
        yield article_from_object(obj, f"{path}#{i}" if isinstance(data, list) else f"{path}:1")
