"""The local gazetteer: a SQLite file of places and their name variants, built on first use.

Owns the storage and look-up side only (GazPlace, Gazetteer.open/lookup/get/variants); what goes in is decided by
sitrep.geo.build (built-in sources) and sitrep.geo.importers (full sources a user adds). The file lives under the
user's data directory (platformdirs) unless SITREP_GAZETTEER names another path.
"""
from __future__ import annotations

import math
import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from platformdirs import user_data_dir

from sitrep.geo.translit import norm, skeleton

BUILD_VERSION = "8"  # bump when build.py changes what the built-in gazetteer holds

SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, admin1 TEXT, admin2 TEXT,
    admin3 TEXT, lat REAL, lon REAL, precision TEXT NOT NULL, population INTEGER, feature_class TEXT,
    source TEXT NOT NULL, uk TEXT, parent TEXT
);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, place_id TEXT NOT NULL, source TEXT NOT NULL,
    skel TEXT NOT NULL, PRIMARY KEY (key, place_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_place ON names(place_id);
CREATE INDEX IF NOT EXISTS names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS places_source ON places(source);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""

COLUMNS = ("id", "name", "kind", "country", "admin1", "admin2", "admin3", "lat", "lon", "precision", "population",
           "feature_class", "source", "uk", "parent")

# how specific a kind is, for ranking same-name candidates (a settlement beats an oblast of the same bare name)
KIND_RANK = {"settlement": 3, "feature": 2, "district": 2, "admin2": 2, "admin1": 1, "region": 1, "country": 1}


@dataclass(frozen=True)
class GazPlace:
    id: str
    name: str
    kind: str
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    lat: float | None
    lon: float | None
    precision: str
    population: int | None
    feature_class: str | None
    source: str = ""
    uk: str | None = None
    parent: str | None = None

    def distance_km(self, other: "GazPlace") -> float | None:
        if None in (self.lat, self.lon, other.lat, other.lon):
            return None
        return haversine_km(self.lat, self.lon, other.lat, other.lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def default_path() -> Path:
    env = os.environ.get("SITREP_GAZETTEER")
    if env:
        return Path(env)
    return Path(user_data_dir("sitrep", appauthor=False)) / "gazetteer.sqlite"


class Gazetteer:
    """Read access to a built gazetteer. Cheap to query; use `Gazetteer.open()` to get the shared instance."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._cache: dict[str, list[GazPlace]] = {}

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False)
            self._local.conn = conn
        return conn

    @classmethod
    def open(cls, path: str | Path | None = None, build: bool = True) -> "Gazetteer":
        """The gazetteer at `path` (default: the user's), built from the built-in sources if missing or stale."""
        return _open(str(Path(path) if path else default_path()), build)

    def built_version(self) -> str | None:
        try:
            row = self.db.execute("SELECT v FROM meta WHERE k='build_version'").fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    @staticmethod
    def _row(row) -> GazPlace:
        return GazPlace(*row)

    def get(self, place_id: str) -> GazPlace | None:
        row = self.db.execute(f"SELECT {','.join(COLUMNS)} FROM places WHERE id=?", (place_id,)).fetchone()
        return self._row(row) if row else None

    def lookup(self, name: str) -> list[GazPlace]:
        """Every place one of whose name variants normalises like `name`; most specific and populous first."""
        key = norm(name)
        hit = self._cache.get(key)
        if hit is None:
            rows = self.db.execute(
                f"SELECT {','.join('p.' + c for c in COLUMNS)} FROM names n JOIN places p ON p.id = n.place_id "
                "WHERE n.key = ?", (key,)).fetchall()
            # a place whose own name this is ranks before one that merely has it as an alternate name
            # a place whose own name this is counts as ten times its size against one with it as an alternate
            hit = fold_duplicates(sorted((self._row(r) for r in rows), key=lambda p: (
                -KIND_RANK.get(p.kind, 0), p.lat is None,
                -(math.log10((p.population or 0) + 1) + (1.0 if norm(p.name) == key else 0.0)), p.id)))
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def lookup_similar(self, name: str) -> list[GazPlace]:
        """Places whose name has the same spelling skeleton (see translit.skeleton): the fallback for variants
        no romanisation rule produced."""
        rows = self.db.execute(
            f"SELECT DISTINCT {','.join('p.' + c for c in COLUMNS)} FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.skel = ?", (skeleton(name),)).fetchall()
        return sorted((self._row(r) for r in rows), key=rank_key)

    def variants(self) -> Iterator[tuple[str, str]]:
        """(normalised name variant, place id) pairs, for building a text matcher."""
        yield from self.db.execute("SELECT key, place_id FROM names")

    def admin1_place(self, admin1: str) -> GazPlace | None:
        row = self.db.execute(f"SELECT {','.join(COLUMNS)} FROM places WHERE kind='admin1' AND name=? LIMIT 1",
                              (admin1,)).fetchone()
        return self._row(row) if row else None

    def counts(self) -> dict[str, int]:
        out = {}
        for source, n in self.db.execute("SELECT source, count(*) FROM places GROUP BY source"):
            out[source] = n
        out["names"] = self.db.execute("SELECT count(*) FROM names").fetchone()[0]
        return out


def fold_duplicates(places: list[GazPlace], km: float = 5.0) -> list[GazPlace]:
    """Drop a candidate of the same kind within `km` of a better-ranked one: the same place from two sources
    (WOF's double imports, a pre-rename record next to the codifier's current one)."""
    kept: list[GazPlace] = []
    for p in places:
        if p.lat is not None and p.precision in ("settlement", "exact") and any(
                k.kind == p.kind and k.precision in ("settlement", "exact") and
                p.distance_km(k) <= (4 * km if (p.population or 0) >= 100_000 else km)
                for k in kept):
            continue
        kept.append(p)
    return kept


def rank_key(p: GazPlace) -> tuple:
    """Sort order among same-name candidates when nothing else is known."""
    return (-KIND_RANK.get(p.kind, 0), p.lat is None, -(p.population or 0), p.id)


_lock = threading.Lock()


@lru_cache(maxsize=8)
def _open(path: str, build: bool) -> Gazetteer:
    gaz = Gazetteer(Path(path))
    if build and (not Path(path).exists() or gaz.built_version() != BUILD_VERSION):
        with _lock:
            from sitrep.geo.build import build_gazetteer

            conn = getattr(gaz._local, "conn", None)
            if conn is not None:
                conn.close()
            gaz._local = threading.local()
            build_gazetteer(Path(path))
    return gaz


def connect_for_writing(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA)
    return conn
