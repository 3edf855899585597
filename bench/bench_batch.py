"""Batch cost curve, one run: extract ÷ bare spaCy time, 1 → 2 Dask workers speed-up, peak RSS per worker and
CPU-hours per million articles, on PolNeAR news articles (../shared/dev/quotes/polnear; skipped when absent).

Both Dask runs use `sitrep.batch` exactly as `sitrep batch` does (LocalCluster, one thread per worker process,
Parquet output); models are loaded on every worker before the clock starts.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import load_texts  # noqa: E402 - the corpus the throughput benchmark uses

from sitrep import batch  # noqa: E402
from sitrep.article import Article  # noqa: E402


def bare_vs_extract(texts: list[str]) -> tuple[float, float]:
    """Seconds for bare spaCy `nlp.pipe` and for sitrep's whole pipeline on the same texts, in this process."""
    from sitrep.nlp import bare
    from sitrep.pipeline import Pipeline

    pipeline = Pipeline()
    cleaned = [pipeline.prepare(Article(text=t, origin=f"bench#{i}")).text for i, t in enumerate(texts)]
    nlp = bare()
    list(nlp.pipe(cleaned[:5]))
    list(pipeline.run([Article(text=t) for t in texts[:5]]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(cleaned, batch_size=16):
        pass
    t_bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(pipeline.run(Article(text=t, origin=f"bench#{i}") for i, t in enumerate(texts)))
    return t_bare, time.perf_counter() - t0


def dask_run(articles: list[Article], workers: int, partition_size: int | None) -> tuple[float, list[dict], int]:
    """Wall seconds of a batch on a fresh LocalCluster of `workers` processes, its markers, documents written."""
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as out:
        client = batch.make_client(None, workers)
        try:
            client.run(batch.load_pipeline, True, False)  # model loading is not batch time
            todo, summary = batch.plan(articles, out, partition_size)
            t0 = time.perf_counter()
            batch.run(todo, summary, out, client)
            return time.perf_counter() - t0, summary.markers, summary.documents
        finally:
            batch.close_client(client)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--partition-size", type=int, default=None, help="default: as `sitrep batch` chooses")
    args = ap.parse_args()
    if not (Path(args.shared) / "dev" / "quotes" / "polnear").is_dir():
        print(f"batch: skipped, no PolNeAR corpus under {args.shared}/dev/quotes/polnear")
        return 0
    texts, what = load_texts(Path(args.shared), args.limit)
    articles = [Article(text=t, origin=f"polnear#{i}", id=f"polnear-{i}") for i, t in enumerate(texts)]
    n = len(articles)
    print(f"batch corpus: {what}, {sum(map(len, texts)) / n / 1000:.1f}k chars per article; "
          f"machine: {_cpus()} CPU cores")

    t_bare, t_extract = bare_vs_extract(texts)
    print(f"batch extract ÷ bare spaCy time: {t_extract / t_bare:.2f} ({t_extract:.1f} s vs {t_bare:.1f} s, "
          f"one process)")

    t1, markers1, docs1 = dask_run(articles, 1, args.partition_size)
    t2, markers2, docs2 = dask_run(articles, 2, args.partition_size)
    print(f"batch 1 → 2 workers speed-up: {t1 / t2:.2f}x ({t1:.1f} s → {t2:.1f} s for {n} articles, "
          f"{docs1}/{docs2} documents, {len(markers2)} partitions)")
    peaks = {}
    for marker in markers1 + markers2:
        peaks[marker["pid"]] = max(peaks.get(marker["pid"], 0), marker["peak_rss_mb"])
    print(f"batch peak RSS per worker: {max(peaks.values()):.0f} MB max, {statistics.median(peaks.values()):.0f} MB "
          f"median over {len(peaks)} worker processes")
    cpu_s_per_article = t1 / n  # one worker = one busy core, Parquet writing and scheduling included
    print(f"batch CPU-hours per million articles: {cpu_s_per_article * 1e6 / 3600:.0f} "
          f"({cpu_s_per_article * 1000:.0f} ms per article on one core; 2 workers: "
          f"{2 * t2 / n * 1e6 / 3600:.0f})")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
