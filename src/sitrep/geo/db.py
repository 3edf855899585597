"""The gazetteer database file: its location, schema, build version, row type and write connections.

The one module that owns the SQLite file's layout. sitrep.geo.gazetteer reads it, sitrep.geo.build and
sitrep.geo.importers write it; none of those three imports another to reach the database (build may call the
importers to re-import sources, and the gazetteer may call build when the file is missing or stale).
"""
from __future__ import annotations

import math
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

BUILD_VERSION = "12"  # bump when build.py changes what the built-in gazetteer holds

SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, admin1 TEXT, admin2 TEXT,
    admin3 TEXT, lat REAL, lon REAL, precision TEXT NOT NULL, population INTEGER, feature_class TEXT,
    source TEXT NOT NULL, uk TEXT, parent TEXT
);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, place_id TEXT NOT NULL, source TEXT NOT NULL,
    skel TEXT NOT NULL, ckey TEXT NOT NULL DEFAULT '', PRIMARY KEY (key, place_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_place ON names(place_id);
CREATE INDEX IF NOT EXISTS names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS places_source ON places(source);
CREATE INDEX IF NOT EXISTS places_admin1 ON places(admin1, kind);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS fuzzy_keys (ckey TEXT NOT NULL, admin1 TEXT NOT NULL, key TEXT NOT NULL,
    place_id TEXT NOT NULL, PRIMARY KEY (ckey, admin1, key, place_id)) WITHOUT ROWID;
"""

COLUMNS = ("id", "name", "kind", "country", "admin1", "admin2", "admin3", "lat", "lon", "precision", "population",
           "feature_class", "source", "uk", "parent")


@dataclass(frozen=True)
class GazPlace:
    """One row of the places table."""
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


def connect_for_writing(path: Path) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA)
    return conn


def refresh_fuzzy_keys(conn: sqlite3.Connection) -> None:
    """Rewrite fuzzy_keys, the spelling fallback's index: the Latin name variants of Ukrainian settlements (and
    districts of cities) by consonant key and oblast, so a near spelling inside an oblast is a handful of
    primary-key probes (see Gazetteer.lookup_fuzzy). Called after every write of names (build, import)."""
    conn.execute("DELETE FROM fuzzy_keys")
    conn.execute("INSERT OR IGNORE INTO fuzzy_keys (ckey, admin1, key, place_id) "
                 "SELECT n.ckey, COALESCE(p.admin1, ''), n.key, n.place_id "
                 "FROM names n JOIN places p ON p.id = n.place_id "
                 "WHERE (p.kind = 'settlement' OR p.feature_class = 'city district') AND p.country = 'UA' "
                 "AND n.ckey != ''")


def built_version(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT v FROM meta WHERE k='build_version'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def imported_sources(path: Path) -> list[str]:
    """Paths of the full sources imported into the gazetteer file (re-imported after a rebuild)."""
    if not Path(path).exists():
        return []
    try:
        with sqlite3.connect(path) as conn:
            return [v for (v,) in conn.execute("SELECT v FROM meta WHERE k LIKE 'imported:%'")]
    except sqlite3.DatabaseError:
        return []
