"""Extraction in several worker processes on one machine: each worker loads the model once, order is kept."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from sitrep.article import Article, ReadError

_worker_pipeline = None


def _init(clean: bool, verbose: bool) -> None:
    global _worker_pipeline
    from sitrep.pipeline import Pipeline

    _worker_pipeline = Pipeline(clean=clean, verbose=verbose)


def _run_chunk(chunk: list[Article | ReadError]) -> list:
    return list(_worker_pipeline.run(chunk))


def run_parallel(items: list[Article | ReadError], clean: bool, workers: int, verbose: bool = False,
                 chunk_size: int = 16) -> Iterator:
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(clean, verbose)) as pool:
        for results in pool.map(_run_chunk, chunks):
            yield from results
