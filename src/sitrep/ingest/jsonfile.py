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
from sitrep.ingest.decode import DecodeError, decode_bytes

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


def _load(path: Path) -> tuple[str | None, list[str], ReadError | None]:
    try:
        text, warnings = decode_bytes(path.read_bytes(), str(path))
    except DecodeError as exc:
        return None, [], ReadError(source=f"{path}:1", error=str(exc))
    return text, warnings, None


def read_jsonl_file(path: Path) -> Iterator[Article | ReadError]:
    text, warnings, error = _load(path)
    if error:
        yield error
        return
    for item in read_jsonl_lines(text.splitlines(), str(path)):
        if isinstance(item, Article):
            item.warnings.extend(warnings)
        yield item


def read_json_file(path: Path) -> Iterator[Article | ReadError]:
    text, warnings, error = _load(path)
    if error:
        yield error
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from read_jsonl_lines(text.splitlines(), str(path))
            return
        yield ReadError(source=f"{path}:{exc.lineno}", error=f"malformed JSON: {exc.msg} at column {exc.colno}")
        return
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        from sitrep.ingest.telegram import read_telegram_export

        yield from read_telegram_export(data, str(path))
        return
    records = data if isinstance(data, list) else [data]
    for i, obj in enumerate(records):
        yield article_from_object(obj, f"{path}#{i}" if isinstance(data, list) else f"{path}:1")
