"""Readers: every supported input turned into Articles (or ReadErrors naming file and line).

`read_inputs(paths, options)` expands directories (recursively), globs, URLs and `-` (stdin), picks the reader by
file type, and reports duplicate ids within one run instead of merging them.
"""
from __future__ import annotations

import glob
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitrep.article import Article, ReadError


@dataclass
class ReaderOptions:
    text_column: str | None = None
    title_column: str | None = None
    date_column: str | None = None
    id_column: str | None = None
    # public usernames of Telegram channels, by channel name or id ("*" for every channel), for t.me/<name>/<id>
    telegram_usernames: dict[str, str] | None = None


SUFFIX_READERS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".gz": "warc",
}
# Recordings (audio, and video for its audio track): see ingest/audio.py.
from sitrep.ingest.audio import AUDIO_SUFFIXES  # noqa: E402

SUFFIX_READERS.update({suffix: "audio" for suffix in AUDIO_SUFFIXES})


def parse_telegram_channels(values: Iterable[str] | None) -> dict[str, str]:
    """`--telegram-channel "NAME or ID=username"` (repeatable; a bare username applies to every channel)."""
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, name = value.rpartition("=")
        name = name.strip().lstrip("@").removeprefix("https://t.me/").strip("/")
        if not name or "/" in name or " " in name:
            raise ValueError(f"--telegram-channel wants NAME=USERNAME (got {value!r})")
        out[key.strip() if sep else "*"] = name
    return out


def reader_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".warc.gz", ".warc")):
        return "warc"
    return SUFFIX_READERS.get(path.suffix.lower()) if path.suffix.lower() != ".gz" else None


def expand(paths: Iterable[str]) -> Iterator[str | Path]:
    """Files, directories (recursive, supported types only, sorted), globs, URLs and '-'."""
    for raw in paths:
        if raw == "-" or raw.startswith(("http://", "https://")):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and reader_kind(p)):
                yield child
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield ReadError(source=raw, error="no file matches this pattern")  # type: ignore[misc]
            for match in matches:
                if Path(match).is_file():
                    yield Path(match)
        else:
            yield path


def read_one(target: str | Path, options: ReaderOptions) -> Iterator[Article | ReadError]:
    from sitrep.ingest import audio, feed, html, jsonfile, tabular, text, warc

    if isinstance(target, str) and target == "-":
        yield from text.read_stdin(sys.stdin.buffer)
        return
    if isinstance(target, str):  # URL: a feed
        yield from feed.read_feed(target)
        return
    if not target.exists():
        yield ReadError(source=str(target), error="no such file or directory")
        return
    kind = reader_kind(target)
    readers = {
        "text": lambda p: text.read_text_file(p),
        "html": lambda p: html.read_html_file(p, options.telegram_usernames),
        "json": lambda p: jsonfile.read_json_file(p, options.telegram_usernames),
        "jsonl": lambda p: jsonfile.read_jsonl_file(p),
        "csv": lambda p: tabular.read_table_file(p, options),
        "feed": lambda p: feed.read_feed(str(p)),
        "warc": lambda p: warc.read_warc_file(p),
        "audio": lambda p: audio.read_audio_file(p, page_reader=lambda page: read_one(page, options)),
    }
    if kind is None:
        yield ReadError(source=str(target), error=f"unsupported file type {target.suffix or '(none)'!r}")
        return
    try:
        yield from readers[kind](target)
    except OSError as exc:
        yield ReadError(source=str(target), error=f"cannot read file: {exc.strerror or exc}")


def _pages_of_recordings(targets: list) -> set[Path]:
    """Pages read together with the recording beside them (call.txt next to call.ogg), not on their own."""
    from sitrep.ingest.audio import sibling_page

    return {page for t in targets if isinstance(t, Path) and reader_kind(t) == "audio"
            for page in [sibling_page(t)] if page is not None}


def read_inputs(paths: Iterable[str], options: ReaderOptions | None = None,
                warn=lambda msg: None) -> Iterator[Article | ReadError]:
    options = options or ReaderOptions()
    seen: dict[str, str] = {}
    targets = list(expand(paths))
    with_recording = _pages_of_recordings(targets)
    for target in targets:
        if isinstance(target, ReadError):
            yield target
            continue
        if target in with_recording:
            continue
        for item in read_one(target, options):
            if isinstance(item, Article) and item.id:
                if item.id in seen:
                    new_id = f"{item.id}~{sum(1 for k in seen if k == item.id or k.startswith(item.id + '~')) + 1}"
                    warn(f"duplicate id {item.id!r} at {item.origin} (first at {seen[item.id]}); kept as {new_id!r}")
                    item.id = new_id
                seen[item.id] = item.origin
            yield item
