"""WARC / WARC.gz web archives (warcio): every HTML response record is an article."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sitrep.article import Article, ReadError
from sitrep.ingest.decode import DecodeError, decode_declared, note_on


def read_warc_file(path: Path) -> Iterator[Article | ReadError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        try:
            for i, record in enumerate(ArchiveIterator(stream), start=1):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                origin = f"{path}#record{i}"
                body = record.content_stream().read()
                charset = None
                if "charset=" in ctype.lower():
                    charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip() or None
                try:
                    decoded = decode_declared(body, charset, origin)
                except DecodeError as exc:
                    yield ReadError(source=origin, error=str(exc))
                    continue
                if not decoded.text.strip():
                    yield ReadError(source=origin, error="empty HTML response")
                    continue
                art = Article(html=decoded.text, url=url, id=record.rec_headers.get_header("WARC-Record-ID"),
                              origin=origin)
                note_on(art, decoded)
                yield art
        except ArchiveLoadFailed as exc:
            yield ReadError(source=f"{path}:1", error=f"not a readable WARC file: {exc}")
