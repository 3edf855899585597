"""Synthetic stores for scale checks: many single-report event clusters written by bulk insert, no extraction.

Used by the web tests (paging and aggregation over 100,000 events) and bench/bench_web.py (response time as the
store grows)."""
from __future__ import annotations


def synthetic_store(url: str, n: int) -> None:
    """n single-report event clusters spread over Ukraine and two years (bulk inserts, no extraction)."""
    import random

    from sitrep.store import open_store
    from sitrep.store.models import Document, Event, EventCluster

    rnd = random.Random(7)
    types, sides = ["shelling", "air_strike", "drone_strike", "armed_clash", "explosion"], ["RU", "UA", None]
    n_docs = max(1, n // 10)
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.execute(Document.__table__.insert(), [
            {"id": i + 1, "doc_key": f"k{i}", "text": f"Synthetic article {i}.", "published": "2023-01-01",
             "outlet": f"outlet {i % 40}", "version": 1, "superseded": False, "result": {},
             "ingested_at": "2026-01-01"} for i in range(n_docs)])
        clusters, events = [], []
        for i in range(n):
            lat, lon = rnd.uniform(44.5, 52), rnd.uniform(23, 40)
            day = f"{2022 + i % 2}-{1 + rnd.randrange(12):02d}-{1 + rnd.randrange(28):02d}"
            ty, side = rnd.choice(types), rnd.choice(sides)
            clusters.append({"id": i + 1, "type_group": ty, "date_min": day, "date_max": day, "lat": lat, "lon": lon,
                             "n_reports": 1, "n_independent": 1 + rnd.randrange(3), "outlets": ["x"], "claimants": [],
                             "disputed": False, "side": side})
            events.append({"id": i + 1, "document_id": 1 + i % n_docs, "idx": i // n_docs, "type": ty, "date": day,
                           "lat": lat, "lon": lon, "actor_side": side, "status": "asserted", "admin1": "Donetsk Oblast",
                           "evidence": f"Shelling hit place {i}.", "start": 0, "end": 10, "cluster_id": i + 1,
                           "actors": [], "targets": [], "place_name": f"place {i}"})
        conn.execute(EventCluster.__table__.insert(), clusters)
        conn.execute(Event.__table__.insert(), events)
    store.close()
