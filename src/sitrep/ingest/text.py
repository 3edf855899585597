"""Plain-text articles: an optional `date YYYY-MM-DD` marker, an optional short title line, then the body.

The reader sets `title` and `published` from those lines and leaves the text as it is in the file; cleaning
removes the marker and title lines from the body (with --no-clean the text stays exactly as given).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import Decoded, DecodeError, decode, note_on

DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
MAX_TITLE_CHARS = 200


def split_header(text: str) -> tuple[str | None, str | None]:
    """(title, published) from the top of a plain-text article."""
    published = None
    m = DATE_MARKER.match(text)
    if m:
        published = m.group(1)
        text = text[m.end():]
    from sitrep.clean import is_boilerplate_line

    paragraphs = re.split(r"\n[ \t]*\n", text.lstrip("\n"), maxsplit=3)
    title = None
    for para in paragraphs[:-1]:
        line = para.strip()
        if not line:
            continue
        if is_boilerplate_line(line):
            continue
        if "\n" not in line and len(line) <= MAX_TITLE_CHARS and not line.startswith(("•", "-", "*")) \
                and not (line.endswith(".") and not line.endswith("...")):  # a sentence, not a headline
            title = line
        break
    return title, published


def article_from_text(text: str, origin: str, decoded: Decoded | None = None) -> Article:
    title, published = split_header(text)
    stem = origin.rsplit("/", 1)[-1].split(":", 1)[0]
    art = Article(text=text, title=title, published=published, origin=origin,
                  id=Path(stem).stem if stem not in ("<stdin>", "") else None)
    if decoded is not None:
        note_on(art, decoded)
    return art


def read_text_file(path: Path) -> Iterator[Article | ReadError]:
    try:
        decoded = decode(path.read_bytes(), str(path))
    except DecodeError as exc:
        yield ReadError(source=f"{path}:1", error=str(exc))
        return
    if not decoded.text.strip():
        yield ReadError(source=f"{path}:1", error="empty text")
        return
    yield article_from_text(decoded.text, f"{path}:1", decoded)


def read_stdin(stream: BinaryIO) -> Iterator[Article | ReadError]:
    """stdin: JSON lines if the first character is '{', else one plain-text article."""
    data = stream.read()
    try:
        decoded = decode(data, "<stdin>")
    except DecodeError as exc:
        yield ReadError(source="<stdin>:1", error=str(exc))
        return
    text = decoded.text
    if text.lstrip().startswith("{"):
        from sitrep.ingest.jsonfile import read_jsonl_lines

        from sitrep.ingest.jsonfile import noted

        yield from noted(read_jsonl_lines(text.splitlines(), "<stdin>"), decoded)
        return
    if not text.strip():
        yield ReadError(source="<stdin>:1", error="empty text")
        return
    art = article_from_text(text, "<stdin>:1", decoded)
    art.id = None
    yield art
