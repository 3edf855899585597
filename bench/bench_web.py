"""Web: API response time as the store grows — a 100,000-event store against a 1,000-event one, same requests.

The dashboard pages through events and aggregates the map and timeline on the server, so the time per request
should hardly grow with the store: the printed ratio (100k ÷ 1k, one run, same machine) is the figure; absolute
seconds are shown for orientation only. Real SQLite files and a real HTTP server; synthetic events (no extraction).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REQUESTS = [("page", "/", {}), ("events", "/api/events", {"limit": 50}),
            ("map", "/api/aggregate/map", {"zoom": 6, "bbox": "22,44,41,53"}),
            ("timeline", "/api/aggregate/timeline", {})]


def timings(url: str, repeat: int = 5) -> dict[str, float]:
    from sitrep.web.app import ServerThread, create_app

    srv = ServerThread(create_app(url)).start()
    try:
        out = {}
        with httpx.Client(base_url=srv.url, timeout=120) as c:
            for name, path, params in REQUESTS:
                c.get(path, params=params).raise_for_status()  # warm
                runs = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    c.get(path, params=params).raise_for_status()
                    runs.append(time.perf_counter() - t0)
                out[name] = statistics.median(runs)
        return out
    finally:
        srv.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared", help="unused; accepted like every bench script")
    ap.add_argument("--large", type=int, default=100_000)
    args = ap.parse_args()
    from sitrep.evaluation.synthetic import synthetic_store

    with tempfile.TemporaryDirectory() as tmp:
        small, large = f"sqlite:///{Path(tmp) / 'small.db'}", f"sqlite:///{Path(tmp) / 'large.db'}"
        synthetic_store(small, 1_000)
        synthetic_store(large, args.large)
        t_small, t_large = timings(small), timings(large)
    for name, _, _ in REQUESTS:
        print(f"web {name}: {args.large:,} events ÷ 1,000 events = {t_large[name] / t_small[name]:.2f}× "
              f"({t_large[name] * 1000:.0f} ms vs {t_small[name] * 1000:.0f} ms, median of 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
