"""The local gazetteer: a SQLite file of places and their name variants, built on first use.

Owns the look-up side only (Gazetteer.open/lookup/get/variants); the file's layout belongs to sitrep.geo.db, what
goes in is decided by sitrep.geo.build (built-in sources) and sitrep.geo.importers (full sources a user adds). The
file lives under the user's data directory (platformdirs) unless SITREP_GAZETTEER names another path.
"""
from __future__ import annotations

import bisect
import math
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sitrep.geo.db import BUILD_VERSION, COLUMNS, GazPlace, built_version, default_path, haversine_km  # noqa: F401
from sitrep.geo.translit import norm, skeleton

# how specific a kind is, for ranking same-name candidates (a settlement beats an oblast of the same bare name)
KIND_RANK = {"settlement": 3, "feature": 2, "district": 2, "admin2": 2, "admin1": 1, "region": 1, "country": 1}


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
            conn.execute("PRAGMA mmap_size=268435456")  # read pages in place: look-ups are random reads
            self._local.conn = conn
        return conn

    @classmethod
    def open(cls, path: str | Path | None = None, build: bool = True) -> "Gazetteer":
        """The gazetteer at `path` (default: the user's), built from the built-in sources if missing or stale."""
        return _open(str(Path(path) if path else default_path()), build)

    def built_version(self) -> str | None:
        return built_version(self.db)

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

    def lookup_fuzzy(self, name: str, admin1: set[str] | None = None, limit: int = 5) -> list[GazPlace]:
        """Settlements in the named oblasts (all of Ukraine when none is named) whose name is within a few edits of
        `name` once press endings are mapped back (sitrep.geo.spelling): the fallback for spellings no rule predicts
        ("Klischiivka", "Zelyonaya Roshcha"). Without an oblast only near-identical spellings count."""
        memo = self.__dict__.setdefault("_fuzzy_memo", {})
        memo_key = (norm(name), tuple(sorted(admin1)) if admin1 else None, limit)
        hit = memo.get(memo_key)
        if hit is None:
            if len(memo) > 100_000:
                memo.clear()
            hit = memo[memo_key] = self._lookup_fuzzy(name, admin1, limit)
        return hit

    def _lookup_fuzzy(self, name: str, admin1: set[str] | None, limit: int) -> list[GazPlace]:
        from sitrep.geo.spelling import consonant_key, edit_distance, one_edit_keys, press_key

        key = press_key(name)
        ckey = consonant_key(name)
        if len(ckey) < 3 or not ckey.isascii():
            return []
        limit_d = max(1, len(key) // 4) if admin1 else 1
        keys = one_edit_keys(ckey)
        # fuzzy_keys (sitrep.geo.db) is keyed by (consonant key, oblast): a few hundred primary-key probes give the
        # near names inside the named oblasts; the edit distance keeps few, and only their places are read
        oblasts = sorted(admin1) if admin1 else []
        rows = self.db.execute(
            f"SELECT key, place_id FROM fuzzy_keys WHERE ckey IN ({','.join('?' * len(keys))})" +
            (f" AND admin1 IN ({','.join('?' * len(oblasts))})" if oblasts else ""), (*keys, *oblasts)).fetchall()
        pkeys = self.__dict__.setdefault("_press_keys", {})
        ids, close = set(), {}
        for nkey, pid in rows:
            ok = close.get(nkey)
            if ok is None:
                pk = pkeys.get(nkey)
                if pk is None:
                    if len(pkeys) > 200_000:
                        pkeys.clear()
                    pk = pkeys[nkey] = press_key(nkey, normed=True)
                ok = close[nkey] = edit_distance(key, pk, limit_d) <= limit_d
            if ok:
                ids.add(pid)
        found = {r[0]: self._row(r) for r in self.db.execute(
            f"SELECT {','.join(COLUMNS)} FROM places WHERE id IN ({','.join('?' * len(ids))})", sorted(ids))}
        return fold_duplicates(sorted(found.values(), key=rank_key))[:limit]

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
    (WOF's double imports, a pre-rename record next to the codifier's current one). Kept points are held sorted
    by latitude, so each candidate is compared only with those in its latitude band."""
    kept: list[GazPlace] = []
    band: dict[str, tuple[list[float], list[GazPlace]]] = {}  # kind → (sorted latitudes, their places)
    for p in places:
        if p.lat is None or p.precision not in ("settlement", "exact"):
            kept.append(p)
            continue
        limit = 4 * km if (p.population or 0) >= 100_000 else km
        lats, pts = band.setdefault(p.kind, ([], []))
        lo = bisect.bisect_left(lats, p.lat - limit / 100.0)   # a degree of latitude is > 110 km
        hi = bisect.bisect_right(lats, p.lat + limit / 100.0)
        if any(p.distance_km(k) <= limit for k in pts[lo:hi]):
            continue
        kept.append(p)
        i = bisect.bisect_left(lats, p.lat)
        lats.insert(i, p.lat)
        pts.insert(i, p)
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
