"""Bulk load of `sitrep batch` Parquet output: large transactions (COPY or executemany), then corroboration.

Each chunk of documents is one transaction: rows are written straight through the driver (PostgreSQL `COPY … FROM
STDIN`, SQLite `executemany`), then the chunk is corroborated with the store's own `Corroborator`. The rows are
the ones `ingest.Writer` builds (its `_add_items` runs against a collector instead of a session), so a bulk-loaded
database equals one filled by `sitrep ingest`. Idempotent: documents are keyed by `doc_key`; a document that may
be a new version of a stored one (same URL) goes through the ordinary writer.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import JSON, select
from sqlalchemy.orm import Session, undefer

from sitrep.article import Article
from sitrep.store.db import Store
from sitrep.store.ingest import SEP, Counts, Writer, doc_key, raw_hash, source_outlet, strip_nul
from sitrep.store.models import (Claim, Document, Entity, Event, Figure, Indicator, IngestError, InputHash, Intercept,
                                 Place, Quote)

ORDER = [Document, InputHash, Place, Entity, Event, Figure, Claim, Quote, Intercept, Indicator]  # foreign keys first
ID_TABLES = [m.__table__.name for m in ORDER if m is not InputHash]
LOCKED = ", ".join([*(m.__table__.name for m in ORDER), IngestError.__table__.name])


@dataclass
class BulkCounts(Counts):
    rows: int = 0
    load_seconds: float = 0.0
    corroborate_seconds: float = 0.0
    unfinished_partitions: int = 0

    def summary(self) -> str:
        line = (f"{super().summary()} ({self.rows} rows loaded in {self.load_seconds:.1f} s, corroboration "
                f"{self.corroborate_seconds:.1f} s)")
        if self.unfinished_partitions:
            line += f"; {self.unfinished_partitions} unfinished partitions skipped (rerun sitrep batch)"
        return line


# ---- reading a batch directory, one partition at a time ---------------------------------------------------
def iter_partitions(out_dir: str | Path) -> Iterator[tuple[list[dict], list[dict], bool]]:
    """(results in input order, error records, finished) per partition of a `sitrep batch` output directory.

    A partition without its `_done` marker yields only its error rows (a failed partition's inputs)."""
    import pyarrow.parquet as pq

    from sitrep import batch

    out_dir = Path(out_dir)

    def rows(table: str, stem: str) -> list[dict]:
        path = out_dir / table / f"{stem}.parquet"
        return batch._decode(pq.read_table(path)) if path.exists() else []

    stems = sorted({p.stem for t in (batch.DOCUMENTS, batch.ERRORS) for p in (out_dir / t).glob("part-*.parquet")})
    for stem in stems:
        done = (out_dir / batch.DONE / stem).exists()
        errors = [{"source": e["source"], "error": e["error"]}
                  for e in sorted(rows(batch.ERRORS, stem), key=lambda r: r["position"])]
        results: dict[int, dict] = {}
        if done:
            for row in rows(batch.DOCUMENTS, stem):
                position = row.pop("position")
                top = {k: row.pop(k) for k in batch.TOP_COLUMNS}
                top.update(row.pop("result_extra") or {})
                results[position] = {**top, "document": {"id": row.pop("document_id"), **row},
                                     **{name: [] for name in batch.TABLES}}
            for name in batch.TABLES:
                for row in sorted(rows(name, stem), key=lambda r: (r["position"], r["index"])):
                    target = results[row.pop("position")]
                    row.pop("document_id"), row.pop("index")
                    target[name].append(row)
        yield [results[p] for p in sorted(results)], errors, done


# ---- rows ---------------------------------------------------------------------------------------------------
class _Collector:
    """Stands in for a Session in `Writer._add_items`: numbers each object from a pre-allocated range and keeps it."""

    def __init__(self, next_ids: dict[str, int]):
        self.next_ids = next_ids
        self.objects: dict[str, list] = defaultdict(list)

    def add(self, obj) -> None:
        table = obj.__table__.name
        if table in self.next_ids and getattr(obj, "id", None) is None:
            obj.id = self.next_ids[table]
            self.next_ids[table] += 1
        self.objects[table].append(obj)

    def add_all(self, objs) -> None:
        for obj in objs:
            self.add(obj)

    def flush(self) -> None:
        pass


def _column_value(obj, column):
    value = getattr(obj, column.key, None)
    if value is None and column.default is not None and not column.primary_key:
        value = column.default.arg(None) if column.default.is_callable else column.default.arg
    if value is not None and isinstance(column.type, JSON):
        value = json.dumps(value, ensure_ascii=False)
    return value


def _write_rows(dbapi_conn, dialect: str, quote, table, objects: list) -> int:
    if not objects:
        return 0
    cols = list(table.columns)
    names = ", ".join(quote(c.name) for c in cols)
    rows = [tuple(_column_value(o, c) for c in cols) for o in objects]
    cur = dbapi_conn.cursor()
    try:
        if dialect == "postgresql":
            with cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(cols))})", rows)
    finally:
        cur.close()
    return len(rows)


def _new_document(result: dict, key: str) -> Document:
    d = result["document"]
    return Document(doc_key=key, ext_id=(d.get("id") or "")[:300] or None, title=d.get("title"),
                    text=d["text"], published=d.get("published"), outlet=d.get("outlet"), url=d.get("url"),
                    language=d.get("language"), source_outlet=source_outlet(d), origin=result.get("origin"),
                    result=result, version=1,
                    superseded=False)


def _surrogate_hash(d: dict) -> str:
    """The raw hash the document would have had if read unchanged (the parquet holds no raw input)."""
    return raw_hash(Article(text=d.get("text"), title=d.get("title"), outlet=d.get("outlet"), url=d.get("url"),
                            published=d.get("published")))


def _fallback_hash(key: str) -> str:
    """An input hash for a document whose surrogate is taken: no raw input can hash to it."""
    return hashlib.sha256(f"bulk{SEP}{key}".encode("utf-8")).hexdigest()


def _version_key(d: dict, origin: str | None):
    if d.get("url"):
        return ("url", d["url"])
    if d.get("id") and origin:
        return ("id", d["id"], d.get("outlet"))
    return None


# ---- the loader ---------------------------------------------------------------------------------------------
class BulkLoader:
    """Loads chunks of result dicts (and error records), each chunk one transaction including its corroboration."""

    def __init__(self, store: Store, corroborate: bool = True):
        self.store = store
        self.writer = Writer(store)
        self.corroborate = corroborate
        self.counts = BulkCounts()
        self._versions: set | None = None

    def _known_versions(self, conn) -> set:
        if self._versions is None:
            self._versions = set()
            q = select(Document.url, Document.ext_id, Document.outlet, Document.origin).where(
                Document.superseded.is_(False))
            for url, ext_id, outlet, origin in conn.execute(q):
                key = _version_key({"url": url, "id": ext_id, "outlet": outlet}, origin)
                if key:
                    self._versions.add(key)
        return self._versions

    def load(self, results: list[dict], errors: Iterable[dict] = ()) -> None:
        try:
            self._load(results, list(errors))
        except BaseException:
            self.writer.corroborator.reset()
            self._versions = None
            raise

    def _load(self, results: list[dict], errors: list[dict]) -> None:
        store, counts = self.store, self.counts
        t0 = time.perf_counter()
        with store.engine.connect() as conn, conn.begin():
            dbapi = conn.connection.dbapi_connection
            dialect, quote = store.dialect, store.engine.dialect.identifier_preparer.quote
            cur = dbapi.cursor()
            ph = "%s" if dialect == "postgresql" else "?"
            if dialect == "postgresql":  # contiguous ids below; readers go on, other writers wait for this chunk
                cur.execute(f"LOCK TABLE {LOCKED} IN SHARE ROW EXCLUSIVE MODE")
            else:  # any write takes SQLite's write lock: max(id) below stays ours until commit
                cur.execute("DELETE FROM errors WHERE 0")
            results = [strip_nul(r) for r in results]
            keys = [doc_key(r["document"]) for r in results]
            known: set[str] = set()
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                known |= set(conn.execute(select(Document.doc_key).where(Document.doc_key.in_(chunk))).scalars())
            origins = sorted({r.get("origin") for r in results if r.get("origin")} | {e["source"] for e in errors})
            for i in range(0, len(origins), 500):  # errors of inputs now stored (or failing anew) are replaced
                chunk = origins[i:i + 500]
                cur.execute(f"DELETE FROM errors WHERE source IN ({', '.join([ph] * len(chunk))})", chunk)
            if errors:
                cur.executemany(f"INSERT INTO errors (source, error, created_at) VALUES ({ph}, {ph}, {ph})",
                                [(strip_nul(e["source"]), strip_nul(e["error"]),
                                  IngestError.__table__.c.created_at.default.arg(None)) for e in errors])
                counts.errors += len(errors)
            versions = self._known_versions(conn)
            fresh, later = [], []  # bulk rows / possible new versions of stored documents (the ordinary writer)
            seen: set[str] = set()
            for result, key in zip(results, keys):
                if key in known or key in seen:
                    counts.unchanged += 1
                    continue
                seen.add(key)
                vkey = _version_key(result["document"], result.get("origin"))
                (later if vkey in versions else fresh).append((result, key))
                if vkey:
                    versions.add(vkey)
            next_ids = self._next_ids(cur, dialect)
            collector = _Collector(next_ids)
            hashes: dict[str, tuple[int, str]] = {}
            for result, key in fresh:
                doc = _new_document(result, key)
                collector.add(doc)
                rh = _surrogate_hash(result["document"])
                hashes[rh if rh not in hashes else _fallback_hash(key)] = (doc.id, key)
                self.writer._add_items(collector, doc, result)
            hl, taken = list(hashes), set()
            for i in range(0, len(hl), 500):  # a surrogate may name a stored document already (same text, other key)
                taken |= set(conn.execute(select(InputHash.raw_hash).where(InputHash.raw_hash.in_(hl[i:i + 500])))
                             .scalars())
            for rh, (doc_id, key) in hashes.items():  # every document gets one input hash (`sitrep db check`)
                collector.add(InputHash(raw_hash=rh if rh not in taken else _fallback_hash(key), document_id=doc_id))
            for model in ORDER:
                counts.rows += _write_rows(dbapi, dialect, quote, model.__table__,
                                           collector.objects.get(model.__table__.name, []))
            if dialect == "postgresql":
                for table in ID_TABLES:
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {next_ids[table]}, false)")
            cur.close()
            new_ids = [d.id for d in collector.objects["documents"]]
            session = Session(bind=conn, autoflush=True)
            for result, key in later:
                doc = self.writer._add_document(session, result, key)
                new_ids.append(doc.id)
                rh = _surrogate_hash(result["document"])
                session.add(InputHash(raw_hash=rh if session.get(InputHash, rh) is None else _fallback_hash(key),
                                      document_id=doc.id))
            session.flush()
            counts.stored += len(new_ids)
            counts.load_seconds += time.perf_counter() - t0
            if self.corroborate and new_ids:
                t1 = time.perf_counter()
                docs = list(session.scalars(select(Document).where(Document.id.in_(new_ids)).order_by(Document.id)
                                            .options(undefer(Document.text), undefer(Document.result))))
                self.writer.corroborator.add_documents(session, docs)
                session.flush()
                counts.corroborate_seconds += time.perf_counter() - t1
            counts.new_ids.extend(new_ids)
            session.close()

    def _next_ids(self, cur, dialect: str) -> dict[str, int]:
        ids = {}
        for table in ID_TABLES:
            if dialect == "postgresql":
                cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
            else:
                cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            ids[table] = cur.fetchone()[0]
        return ids


def load_results(store: Store, chunks: Iterable[tuple[list[dict], list[dict]]], corroborate: bool = True,
                 on_chunk: Callable[[int], None] | None = None, chunk_size: int = 1000) -> BulkCounts:
    """Load (results, errors) chunks (re-cut to at most `chunk_size` documents a transaction)."""
    loader = BulkLoader(store, corroborate)
    for results, errors in chunks:
        for i in range(0, max(1, len(results)), chunk_size):
            part = results[i:i + chunk_size]
            loader.load(part, errors if i == 0 else ())
            if on_chunk:
                on_chunk(len(part))
    return loader.counts


def load_parquet(store: Store, out_dir: str | Path, corroborate: bool = True,
                 on_chunk: Callable[[int], None] | None = None, on_error: Callable[[dict], None] | None = None,
                 chunk_size: int = 1000) -> BulkCounts:
    """Bulk-load a `sitrep batch` output directory (finished partitions; failed inputs as error records)."""
    unfinished = 0

    def chunks():  # partitions merged into chunks of about `chunk_size` documents
        nonlocal unfinished
        results, errors = [], []
        for part, part_errors, done in iter_partitions(out_dir):
            unfinished += not done
            for e in part_errors:
                if on_error:
                    on_error(e)
            results += part
            errors += part_errors
            if len(results) >= chunk_size:
                yield results, errors
                results, errors = [], []
        if results or errors:
            yield results, errors

    counts = load_results(store, chunks(), corroborate, on_chunk, chunk_size)
    counts.unfinished_partitions = unfinished
    return counts


def count_documents(out_dir: str | Path) -> int:
    """Documents in the finished partitions (from the Parquet footers, without reading the data)."""
    import pyarrow.parquet as pq

    from sitrep import batch

    return sum(pq.ParquetFile(p).metadata.num_rows for p in batch.iter_partition_files(out_dir, batch.DOCUMENTS))


def run_bulk_ingest(store: Store, out_dir: Path, errors_file: Path | None = None, quiet: bool = False) -> BulkCounts:
    """`sitrep ingest --from-parquet DIR`: progress bar over documents, error records like `ingest`."""
    from sitrep.article import ReadError
    from sitrep.commands_extract import ErrorSink, progress_bar

    if not (Path(out_dir) / "documents").is_dir():
        raise FileNotFoundError(f"{out_dir} is not a sitrep batch output directory (no documents/ in it)")
    total = count_documents(out_dir)
    sink = ErrorSink(errors_file)
    try:
        with progress_bar(total, total > 3 and not quiet) as progress:
            task = progress.add_task("loading", total=total)
            return load_parquet(store, out_dir, on_chunk=lambda n: progress.advance(task, n),
                                on_error=lambda e: sink.write(ReadError(e["source"], e["error"])))
    finally:
        sink.close()
