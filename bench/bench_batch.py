"""Batch cost curve, one run: extract ÷ bare spaCy time, 1 → 2 Dask workers speed-up, peak RSS per worker and
CPU-hours per million articles, on PolNeAR news articles (../shared/dev/quotes/polnear; skipped when absent).

The Dask runs use `sitrep.batch` exactly as `sitrep batch` does (LocalCluster, one thread per worker process,
Parquet output); models are loaded on every worker before the clock starts; 1- and 2-worker runs alternate and
the best of each counts, so other load on the machine (printed as the load average) skews both alike.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import bare_vs_extract, load_texts  # noqa: E402 - the throughput benchmark's corpus and timing

from sitrep import batch  # noqa: E402
from sitrep.article import Article  # noqa: E402


def dask_runs(articles: list[Article], partition_size: int | None, repeat: int) -> dict[int, tuple[float, list]]:
    """Best wall seconds (and that run's partition markers) of `repeat` batches on a 1- and a 2-worker
    LocalCluster, runs interleaved 1, 2, 1, 2 … so load from other processes hits both sides alike."""
    clients = {w: batch.make_client(None, w) for w in (1, 2)}
    best: dict[int, tuple[float, list]] = {}
    try:
        for client in clients.values():
            client.run(batch.load_pipeline, True, False)  # model loading is not batch time
        for _ in range(repeat):
            for workers, client in clients.items():
                with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as out:
                    todo, summary = batch.plan(articles, out, partition_size)
                    t0 = time.perf_counter()
                    batch.run(todo, summary, out, client)
                    elapsed = time.perf_counter() - t0
                assert summary.documents + summary.errors == len(articles)
                if workers not in best or elapsed < best[workers][0]:
                    best[workers] = (elapsed, summary.markers)
    finally:
        for client in clients.values():
            batch.close_client(client)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2, help="Dask runs per worker count; the best one counts")
    ap.add_argument("--partition-size", type=int, default=None, help="default: as `sitrep batch` chooses")
    args = ap.parse_args()
    if not (Path(args.shared) / "dev" / "quotes" / "polnear").is_dir():
        print(f"batch: skipped, no PolNeAR corpus under {args.shared}/dev/quotes/polnear")
        return 0
    texts, what = load_texts(Path(args.shared), args.limit)
    articles = [Article(text=t, origin=f"polnear#{i}", id=f"polnear-{i}") for i, t in enumerate(texts)]
    n = len(articles)
    print(f"batch corpus: {what}, {sum(map(len, texts)) / n / 1000:.1f}k chars per article; "
          f"machine: {batch.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}")

    t_bare, t_extract, _results, _cleaned = bare_vs_extract(texts)
    print(f"batch extract ÷ bare spaCy time: {t_extract / t_bare:.2f} ({t_extract:.1f} s vs {t_bare:.1f} s, "
          f"one process)")

    best = dask_runs(articles, args.partition_size, args.repeat)
    (t1, markers1), (t2, markers2) = best[1], best[2]
    print(f"batch 1 → 2 workers speed-up: {t1 / t2:.2f}x ({t1:.1f} s → {t2:.1f} s for {n} articles in "
          f"{len(markers2)} partitions, best of {args.repeat})")
    peaks = {}
    for marker in markers1 + markers2:
        peaks[marker["pid"]] = max(peaks.get(marker["pid"], 0), marker["peak_rss_mb"])
    print(f"batch load average after the runs: {os.getloadavg()[0]:.1f}")
    print(f"batch peak RSS per worker: {max(peaks.values()):.0f} MB max, {statistics.median(peaks.values()):.0f} MB "
          f"median over {len(peaks)} worker processes")
    cpu_s_per_article = sum(m["cpu_seconds"] for m in markers1) / n  # worker CPU time: blind to other load
    wall_s_per_article = t1 / n  # one worker = one core; scheduling and Parquet writing included
    print(f"batch CPU-hours per million articles: {cpu_s_per_article * 1e6 / 3600:.0f} "
          f"({cpu_s_per_article * 1000:.0f} ms CPU per article; by wall time on one worker "
          f"{wall_s_per_article * 1e6 / 3600:.0f}, on two {2 * t2 / n * 1e6 / 3600:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
