"""CSV and TSV files: one article per row, the text column auto-detected or named by the user."""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import DecodeError, decode, note_on

TEXT_COLUMNS = ("text", "article", "articles", "body", "content")
TITLE_COLUMNS = ("title", "headline")
DATE_COLUMNS = ("published", "date", "publish_date", "first_seen_date", "pubdate")
ID_COLUMNS = ("id", "doc_id", "uid")
URL_COLUMNS = ("url", "link")
OUTLET_COLUMNS = ("outlet", "source", "publisher", "site_name")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _pick(header: list[str], wanted: str | None, candidates: tuple[str, ...], required: bool, path: Path):
    lowered = {h.lower().strip(): h for h in header}
    if wanted:
        if wanted in header:
            return wanted
        if wanted.lower() in lowered:
            return lowered[wanted.lower()]
        raise KeyError(f"{path}:1: no column {wanted!r} (columns: {', '.join(header)})")
    for name in candidates:
        if name in lowered:
            return lowered[name]
    if required:
        raise KeyError(f"{path}:1: no text column found (looked for {', '.join(candidates)}; "
                       f"columns: {', '.join(header)}); name it with --text-column")
    return None


def read_table_file(path: Path, options) -> Iterator[Article | ReadError]:
    try:
        decoded = decode(path.read_bytes(), str(path))
    except DecodeError as exc:
        yield ReadError(source=f"{path}:1", error=str(exc))
        return
    text = decoded.text
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield ReadError(source=f"{path}:1", error="empty file")
        return
    try:
        cols = {
            # a table of headlines only: the headline is the text
            "text": _pick(header, options.text_column, TEXT_COLUMNS + TITLE_COLUMNS, True, path),
            "title": _pick(header, options.title_column, TITLE_COLUMNS, False, path),
            "published": _pick(header, options.date_column, DATE_COLUMNS, False, path),
            "id": _pick(header, options.id_column, ID_COLUMNS, False, path),
            "url": _pick(header, None, URL_COLUMNS, False, path),
            "outlet": _pick(header, None, OUTLET_COLUMNS, False, path),
        }
    except KeyError as exc:
        yield ReadError(source=f"{path}:1", error=str(exc.args[0]).split(": ", 1)[1])
        return
    if cols["title"] == cols["text"]:
        cols["title"] = None  # a headline-only table: the headline is the text, not a title to strip from it
    index = {key: header.index(col) for key, col in cols.items() if col is not None}
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield ReadError(source=f"{path}:{line}", error=f"malformed CSV: {exc}")
            continue
        if not row:
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        values = {key: (row[i].strip() or None) for key, i in index.items()}
        if not values.get("text"):
            yield ReadError(source=f"{path}:{line}", error="empty text")
            continue
        art = Article(origin=f"{path}:{line}", **values)
        note_on(art, decoded)
        yield art
