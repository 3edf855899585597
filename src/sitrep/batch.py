"""Batch extraction on Dask distributed: partitions of articles → one task each → Parquet tables, resumable.

Layout of an output directory (`part-00003` = the fourth partition of `--partition-size` articles, input order):

    documents/part-00003.parquet   one row per document (document_id, position, title, text, …)
    places/ entities/ events/ figures/ claims/ quotes/ intercepts/ indicators/ dates/part-00003.parquet
                                   one row per list item: document_id, position, index (place in its list), fields
    errors/part-00003.parquet      one row per failed input: position, source, error
    _done/part-00003               written last (JSON: counts + inputs fingerprint); a rerun skips such partitions

Scalar fields of the pydantic models are typed columns; nested values (actors, evidence, participants, …) are JSON
text, listed in the file's `sitrep:json` metadata; fields the models do not declare are kept in one `extra` JSON
column, so `read_results` gives back exactly what `Result.to_dict()` gave.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import resource
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from sitrep.article import Article, ReadError
from sitrep.model import Document, Result

DONE = "_done"
ERRORS = "errors"
DOCUMENTS = "documents"
EXTRA_TABLES = ("dates",)  # lists sitrep adds beside the schema's own (Result extras)
KEYS = [("document_id", pa.string()), ("position", pa.int64()), ("index", pa.int64())]


# ---- table codec: Result dicts ↔ Arrow tables -------------------------------------------------------------
def _arrow_type(annotation) -> pa.DataType | None:
    """Arrow type of a scalar annotation (Optional, Literal of str included); None means 'store as JSON'."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return pa.string() if all(isinstance(a, str) for a in typing.get_args(annotation)) else None
    if origin in (typing.Union, types.UnionType):
        return _arrow_type(args[0]) if len(args) == 1 else None
    return {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}.get(annotation)


def _item_models() -> dict[str, type[BaseModel] | None]:
    models: dict[str, type[BaseModel] | None] = {}
    for name, info in Result.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            models[name] = typing.get_args(info.annotation)[0]
    models.update({name: None for name in EXTRA_TABLES})
    return models


ITEM_MODELS = _item_models()
TABLES = list(ITEM_MODELS)


@dataclass
class TableSpec:
    """Columns of one table: key columns, declared fields (typed or JSON), then `extra`."""

    keys: list[tuple[str, pa.DataType]]
    fields: list[tuple[str, pa.DataType | None]] = field(default_factory=list)

    @classmethod
    def for_model(cls, model: type[BaseModel] | None, keys, skip=()) -> "TableSpec":
        fields = [] if model is None else [(n, _arrow_type(f.annotation)) for n, f in model.model_fields.items()
                                           if n not in skip]
        return cls(keys, fields)

    @property
    def schema(self) -> pa.Schema:
        cols = [pa.field(n, t) for n, t in self.keys]
        cols += [pa.field(n, t or pa.string()) for n, t in self.fields] + [pa.field("extra", pa.string())]
        json_cols = [n for n, t in self.fields if t is None] + ["extra"]
        return pa.schema(cols, metadata={"sitrep:json": ",".join(json_cols)})

    def row(self, item: dict, keys: dict) -> dict:
        row = dict(keys)
        declared = set()
        for name, typ in self.fields:
            declared.add(name)
            value = item.get(name)
            row[name] = value if typ is not None or value is None else json.dumps(value, ensure_ascii=False)
        extra = {k: v for k, v in item.items() if k not in declared}
        row["extra"] = json.dumps(extra, ensure_ascii=False) if extra else None
        return row

    def table(self, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=self.schema)


DOC_SPEC = TableSpec.for_model(Document, [("document_id", pa.string()), ("position", pa.int64())], skip={"id"})
DOC_SPEC.fields += [("schema_version", pa.string()), ("origin", pa.string()), ("result_extra", None)]
TOP_COLUMNS = ("schema_version", "origin")  # Result-level scalars kept as documents columns
ERROR_SPEC = TableSpec([("position", pa.int64())], [("source", pa.string()), ("error", pa.string())])
ITEM_SPECS = {name: TableSpec.for_model(model, KEYS) for name, model in ITEM_MODELS.items()}


def result_tables(outputs: list[tuple[int, Result | ReadError]]) -> dict[str, pa.Table]:
    """Rows of every table for (position, Result | ReadError) pairs."""
    rows: dict[str, list[dict]] = {name: [] for name in [DOCUMENTS, ERRORS, *TABLES]}
    for position, out in outputs:
        if isinstance(out, ReadError):
            rows[ERRORS].append(ERROR_SPEC.row(out.to_dict(), {"position": position}))
            continue
        data = out.to_dict()
        doc_id = data["document"]["id"]
        rest = {k: v for k, v in data.items() if k != "document" and k not in ITEM_MODELS and k not in TOP_COLUMNS}
        item = {**data["document"], **{k: data.get(k) for k in TOP_COLUMNS}, "result_extra": rest or None}
        rows[DOCUMENTS].append(DOC_SPEC.row(item, {"document_id": doc_id, "position": position}))
        for name in TABLES:
            for index, item in enumerate(data.get(name, [])):
                rows[name].append(ITEM_SPECS[name].row(item, {"document_id": doc_id, "position": position,
                                                              "index": index}))
    specs = {DOCUMENTS: DOC_SPEC, ERRORS: ERROR_SPEC, **ITEM_SPECS}
    return {name: specs[name].table(table_rows) for name, table_rows in rows.items()}


def _decode(table: pa.Table) -> list[dict]:
    json_cols = set(((table.schema.metadata or {}).get(b"sitrep:json", b"").decode() or "").split(","))
    rows = table.to_pylist()
    for row in rows:
        for name in json_cols:
            if name in row and row[name] is not None:
                row[name] = json.loads(row[name])
        extra = row.pop("extra", None) or {}
        row.update(extra)
    return rows


decode_table = _decode  # public name: one Parquet table of a batch directory → row dicts as `Result` had them


def read_table(out_dir: str | Path, name: str) -> list[dict]:
    """All rows of one table (every partition file), decoded: JSON columns parsed, `extra` merged back."""
    rows: list[dict] = []
    for path in sorted((Path(out_dir) / name).glob("part-*.parquet")):
        rows.extend(_decode(pq.read_table(path)))
    return rows


def assemble(documents: list[dict], items: dict[str, list[dict]], errors: list[dict]
             ) -> tuple[list[dict], list[dict]]:
    """Decoded rows → (results as `Result.to_dict()` gave them, error records), both in input order."""
    results: dict[int, dict] = {}
    for row in documents:
        row = dict(row)
        position = row.pop("position")
        top = {k: row.pop(k) for k in TOP_COLUMNS}
        top.update(row.pop("result_extra") or {})
        results[position] = {**top, "document": {"id": row.pop("document_id"), **row},
                             **{name: [] for name in TABLES}}
    for name in TABLES:
        for row in sorted(items.get(name, []), key=lambda r: (r["position"], r["index"])):
            row = dict(row)
            target = results[row.pop("position")]
            row.pop("document_id"), row.pop("index")
            target[name].append(row)
    errors = sorted(errors, key=lambda r: r["position"])
    return [results[p] for p in sorted(results)], [{"source": e["source"], "error": e["error"]} for e in errors]


def read_partition(out_dir: str | Path, pid: int | str) -> tuple[list[dict], list[dict]]:
    """One partition (`3` or `"part-00003"`) → (results, error records), for loaders that go partition by partition."""
    stem = part_name(pid) if isinstance(pid, int) else pid

    def rows(table: str) -> list[dict]:
        path = Path(out_dir) / table / f"{stem}.parquet"
        return _decode(pq.read_table(path)) if path.exists() else []

    return assemble(rows(DOCUMENTS), {name: rows(name) for name in TABLES}, rows(ERRORS))


def read_results(out_dir: str | Path) -> tuple[list[dict], list[dict]]:
    """(results as `Result.to_dict()` gave them, error records), both in input order, over every partition."""
    return assemble(read_table(out_dir, DOCUMENTS), {name: read_table(out_dir, name) for name in TABLES},
                    read_table(out_dir, ERRORS))


# ---- one partition, on a worker ---------------------------------------------------------------------------
_pipelines: dict = {}


def worker_pipeline(clean: bool = True, verbose: bool = False):
    """The worker's Pipeline (spaCy model + lexicons), loaded on first use and kept for every later task."""
    key = (clean, verbose)
    if key not in _pipelines:
        from sitrep.pipeline import Pipeline

        _pipelines[key] = Pipeline(clean=clean, verbose=verbose)
    return _pipelines[key]


WARM_UP = ('Russian forces shelled Nikopol on Monday, killing two people, the governor of Dnipropetrovsk Oblast '
           'said. "We lost three men near Bakhmut," a soldier of the 93rd Brigade told Reuters.')


def load_pipeline(clean: bool = True, verbose: bool = False) -> int:
    """Warm a worker up (`client.run`): load its Pipeline and run one short article through every extractor (lazy
    lexicons, gazetteer connection); return the worker's process id."""
    list(worker_pipeline(clean, verbose).run([Article(text=WARM_UP, origin="<warm-up>")]))
    return os.getpid()


def part_name(pid: int) -> str:
    return f"part-{pid:05d}"


def fingerprint(items: list[Article | ReadError]) -> str:
    """What a partition was made from: its inputs' origins and ids (a rerun with other inputs must not skip)."""
    h = hashlib.sha1()
    for item in items:
        origin = item.source if isinstance(item, ReadError) else f"{item.origin}\t{item.id}"
        h.update(origin.encode("utf-8", "replace") + b"\n")
    return h.hexdigest()


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_partition(out_dir: Path, pid: int, tables: dict[str, pa.Table], marker: dict | None) -> None:
    """Every table's file for one partition (temp name, then rename), then the `_done` marker, last."""
    name = part_name(pid)
    for table_name, table in tables.items():
        _write_atomic(out_dir / table_name / f"{name}.parquet", lambda p, t=table: pq.write_table(t, p))
    if marker is not None:
        _write_atomic(out_dir / DONE / name, lambda p: p.write_text(json.dumps(marker), encoding="utf-8"))


def run_partition(pid: int, start: int, items: list[Article | ReadError], out_dir: str, clean: bool = True,
                  verbose: bool = False) -> dict:
    """Extract one partition on this worker and write its Parquet files; return its counts and costs."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    pipeline = worker_pipeline(clean, verbose)
    zone = getattr(pipeline.nlp, "memory_zone", None)  # spaCy ≥ 3.8: strings a partition adds are freed after it
    with zone() if zone else contextlib.nullcontext():
        tables = result_tables(list(enumerate(pipeline.run(items), start)))
    marker = {"partition": pid, "documents": tables[DOCUMENTS].num_rows, "errors": tables[ERRORS].num_rows,
              "inputs": fingerprint(items), "seconds": round(time.perf_counter() - t0, 3),
              "cpu_seconds": round(time.process_time() - cpu0, 3),
              "pid": os.getpid(), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    write_partition(Path(out_dir), pid, tables, marker)
    return marker


def failed_partition(out_dir: Path, pid: int, start: int, items: list, reason: str) -> dict:
    """A partition whose task failed: every input becomes an error row; no marker, so a rerun tries again."""
    errors = [(start + i, ReadError(source=getattr(item, "origin", getattr(item, "source", "?")),
                                    error=f"partition failed: {reason}")) for i, item in enumerate(items)]
    tables = result_tables(errors)
    write_partition(out_dir, pid, tables, None)
    return {"partition": pid, "documents": 0, "errors": len(items), "failed": True}


# ---- the client: partitions, submission, resumption -------------------------------------------------------
@dataclass
class Partition:
    pid: int
    start: int
    items: list


AUTO_PARTITIONS, MAX_PARTITION = 64, 100


def auto_partition_size(n_items: int) -> int:
    """Articles per partition when none is given: ~64 partitions (so workers stay evenly busy although article
    lengths differ), at most 100 articles each; depends on the input count only, so reruns find the same ones."""
    return max(1, min(MAX_PARTITION, -(-n_items // AUTO_PARTITIONS)))


def partitions(items: list, size: int) -> list[Partition]:
    return [Partition(i, start, items[start:start + size]) for i, start in enumerate(range(0, len(items), size))]


class BatchMismatch(RuntimeError):
    """The output directory holds a finished partition made from other inputs."""


def finished(out_dir: Path, part: Partition) -> dict | None:
    """The marker of a finished partition (None when it must run); a marker for other inputs is an error."""
    path = out_dir / DONE / part_name(part.pid)
    if not path.exists():
        return None
    marker = json.loads(path.read_text(encoding="utf-8"))
    if marker.get("inputs") != fingerprint(part.items):
        raise BatchMismatch(f"{out_dir} holds {part_name(part.pid)} made from other inputs (or another "
                            f"--partition-size); use a new --out directory or delete that one")
    return marker


@dataclass
class BatchSummary:
    documents: int = 0
    errors: int = 0
    partitions: int = 0
    skipped: int = 0
    markers: list[dict] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.documents} documents, {self.errors} errors, {self.partitions} partitions "
                f"({self.skipped} skipped)")


def cpu_count() -> int:
    """CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def make_client(scheduler: str | None, workers: int):
    """A Client on `scheduler` (any Dask scheduler address), else on a LocalCluster of `workers` processes with
    one thread each (spaCy and the extractors are pure CPU under the GIL) and the statistical profiler off (it
    samples the busy thread every 10 ms, a cost on this pure-Python workload)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
    return Client(cluster)


def close_client(client, own_cluster: bool = True) -> None:
    """Close the client and, when this process started it, its LocalCluster."""
    cluster = getattr(client, "cluster", None) if own_cluster else None
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the shutdown chatter of scheduler and nannies
    try:
        client.close()
        if cluster is not None:
            cluster.close()
    finally:
        quiet.setLevel(level)


def plan(items: list[Article | ReadError], out_dir: str | Path, partition_size: int | None = None
         ) -> tuple[list[Partition], BatchSummary]:
    """The partitions still to run, and a summary already counting the finished ones (skipped)."""
    out_dir = Path(out_dir)
    parts = partitions(items, partition_size or auto_partition_size(len(items)))
    summary = BatchSummary(partitions=len(parts))
    todo: list[Partition] = []
    for part in parts:
        marker = finished(out_dir, part)
        if marker is None:
            todo.append(part)
        else:
            summary.skipped += 1
            summary.documents += marker["documents"]
            summary.errors += marker["errors"]
    return todo, summary


def run(todo: list[Partition], summary: BatchSummary, out_dir: str | Path, client, clean: bool = True,
        verbose: bool = False, on_partition: Callable[[dict], None] | None = None) -> BatchSummary:
    """Run the partitions `todo` on `client`'s cluster (a bounded number in flight); write Parquet under `out_dir`."""
    from distributed import as_completed

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if todo:
        client.run(load_pipeline, clean, verbose)  # load the model on every worker now, once
    window = max(2, 2 * len(client.scheduler_info().get("workers", {})))  # bounded in-flight partitions
    pending = iter(todo)
    by_future = {}

    def submit_next(queue) -> None:
        part = next(pending, None)
        if part is not None:
            future = client.submit(run_partition, part.pid, part.start, part.items, str(out_dir), clean, verbose,
                                   pure=False, key=f"sitrep-{part_name(part.pid)}-{uuid.uuid4().hex[:8]}")
            by_future[future.key] = part
            queue.add(future)

    queue = as_completed([])
    for _ in range(window):
        submit_next(queue)
    for future in queue:
        part = by_future.pop(future.key)
        try:
            marker = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost partition becomes error rows, never silence
            marker = failed_partition(out_dir, part.pid, part.start, part.items, f"{type(exc).__name__}: {exc}")
        summary.documents += marker["documents"]
        summary.errors += marker["errors"]
        summary.markers.append(marker)
        if on_partition:
            on_partition(marker)
        submit_next(queue)
    return summary


def iter_partition_files(out_dir: str | Path, table: str) -> Iterator[Path]:
    """The finished Parquet files of one table, in partition order (for loaders)."""
    out_dir = Path(out_dir)
    for path in sorted((out_dir / table).glob("part-*.parquet")):
        if (out_dir / DONE / path.stem).exists():
            yield path
