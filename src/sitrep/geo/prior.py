"""The conflict prior: where a sitrep store's unambiguous reports put events, as evidence among namesakes.

Built from a store (SQLite or PostgreSQL, sitrep.store): every stored event whose place was a settlement with a
point and whose name has a single gazetteer candidate (no namesake could have been meant) counts at that point.
`bonus(lat, lon)` grows with the number of such events within 15 km of a candidate, so of two Hryhorivkas the one
on the front line wins when nothing else decides. Used by `sitrep ingest` (the store being ingested into) and by
`sitrep extract --prior DB` (or $SITREP_PRIOR); one prior per process, set with `use()` / `using()`.
"""
from __future__ import annotations

import math
import os
from collections import defaultdict
from contextlib import contextmanager

from sitrep.geo.db import haversine_km

RADIUS_KM = 15.0
CELL = 0.25          # degrees; a 15 km disc touches at most the 3×3 cells around its centre
MAX_BONUS = 3.0
WEIGHT = 1.2


class ConflictPrior:
    """Points with event counts, indexed by a lat/lon grid."""

    def __init__(self, points: list[tuple[float, float, int]] | None = None):
        self.grid: dict[tuple[int, int], list[tuple[float, float, int]]] = defaultdict(list)
        self.n_points = self.n_events = 0
        for lat, lon, n in points or []:
            self.add(lat, lon, n)
        self._cache: dict[tuple[float, float], float] = {}

    def add(self, lat: float, lon: float, n: int = 1) -> None:
        self.grid[(int(math.floor(lat / CELL)), int(math.floor(lon / CELL)))].append((lat, lon, n))
        self.n_points += 1
        self.n_events += n

    def count_near(self, lat: float, lon: float, km: float = RADIUS_KM) -> int:
        ci, cj = int(math.floor(lat / CELL)), int(math.floor(lon / CELL))
        total = 0
        for i in (ci - 1, ci, ci + 1):
            for j in (cj - 1, cj, cj + 1):
                for plat, plon, n in self.grid.get((i, j), ()):
                    if haversine_km(lat, lon, plat, plon) <= km:
                        total += n
        return total

    def bonus(self, lat: float, lon: float) -> float:
        key = (lat, lon)
        hit = self._cache.get(key)
        if hit is None:
            hit = min(MAX_BONUS, WEIGHT * math.log1p(self.count_near(lat, lon)))
            self._cache[key] = hit
        return hit

    def __len__(self) -> int:
        return self.n_points


def from_store(url_or_store, gaz=None) -> ConflictPrior:
    """The prior of a store (a URL such as sqlite:///sitrep.db, or an open sitrep.store.db.Store)."""
    from sqlalchemy import text

    from sitrep.geo.gazetteer import Gazetteer
    from sitrep.store.db import open_store

    store = open_store(url_or_store) if isinstance(url_or_store, str) else url_or_store
    gaz = gaz or Gazetteer.open()
    counts: dict[tuple[float, float], int] = defaultdict(int)
    sql = text("SELECT p.text, p.lat, p.lon FROM events e JOIN places p ON p.id = e.place_id "
               "WHERE p.precision = 'settlement' AND p.country = 'UA' AND p.lat IS NOT NULL")
    unique: dict[str, bool] = {}
    with store.engine.connect() as conn:
        for name, lat, lon in conn.execute(sql):
            ok = unique.get(name)
            if ok is None:
                ok = unique[name] = len([p for p in gaz.lookup(name) if p.kind == "settlement"]) == 1
            if ok:
                counts[(round(lat, 4), round(lon, 4))] += 1
    if isinstance(url_or_store, str):
        store.close()
    return ConflictPrior([(lat, lon, n) for (lat, lon), n in counts.items()])


_current: ConflictPrior | None = None
_loaded_from: str | None = None


def use(source) -> ConflictPrior | None:
    """Make the prior of `source` (store URL, Store, ConflictPrior or None) the one place resolution uses."""
    global _current, _loaded_from
    if source is None or isinstance(source, ConflictPrior):
        _current, _loaded_from = source, None
    else:
        _current, _loaded_from = from_store(source), str(source)
    return _current


@contextmanager
def using(source):
    global _current, _loaded_from
    before = (_current, _loaded_from)
    try:
        yield use(source)
    finally:
        _current, _loaded_from = before


def current() -> ConflictPrior | None:
    """The prior in force: set by use()/using(), else the store named by $SITREP_PRIOR, else none."""
    global _current, _loaded_from
    env = os.environ.get("SITREP_PRIOR")
    if _current is None and env and _loaded_from != env:
        _current, _loaded_from = from_store(env), env
    return _current
